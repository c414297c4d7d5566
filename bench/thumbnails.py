"""Benchmark 4: renditions of a 24 MP and a 12 MP JPEG: ours vs. naive Pillow vs. libvips.

The photos are generated here: a drawn meeting-hall scene with camera-like noise (flat
drawings would encode unrealistically fast), EXIF with GPS, JPEG q90. Each run is a fresh
process (bench.thumbnail_pipelines) so its peak RSS is that pipeline's own; medians of the
runs, interleaved across pipelines. libvips runs with its default thread pool (one thread per
core, 2 here) and, for comparison with Lambda's fraction of a vCPU at 1024 MB, with one thread.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.package import PROJECT_DIR
from bench.report import Row, arguments, finish, median, verdict

SIZES = {"24 MP": (6000, 4000), "12 MP": (4000, 3000)}
SPEEDUP_TARGET = 2.5
RSS_TARGET_MB = 150
VIPS_RATIO_TARGET = 1.1
VARIANTS = {  # name: (pipeline, extra environment)
    "ours": ("ours", {}),
    "naive Pillow": ("naive", {}),
    "pyvips": ("pyvips", {}),
    "pyvips, 1 thread": ("pyvips", {"VIPS_CONCURRENCY": "1"}),
}


def make_photo(width: int, height: int) -> bytes:
    """A camera-like JPEG: scene + sensor noise, EXIF (orientation 1, make, model, GPS), q90."""
    from PIL import Image

    from local.demo_photos import draw_scene

    scene = draw_scene(7, width, height)
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 40 + 10 * band) for band in range(3)])
    photo = Image.blend(scene, noise, 0.18)
    exif = photo.getexif()
    exif.update({0x0112: 1, 0x010F: "BenchCam", 0x0110: "Model 24"})
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)})  # GPS
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def vips_available() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import pyvips"], capture_output=True)
    return probe.returncode == 0


def run_once(pipeline: str, image: Path, extra_env: dict[str, str]) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.thumbnail_pipelines", pipeline, str(image)],
        cwd=PROJECT_DIR,
        env={**os.environ, **extra_env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{pipeline} failed:\n{result.stderr}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def measure(work: Path, runs: int) -> list[Row]:
    variants = dict(VARIANTS)
    if not vips_available():
        print("pyvips is not installed (pip install -r requirements-bench.txt): its columns are skipped")
        variants = {k: v for k, v in variants.items() if not k.startswith("pyvips")}
    rows: list[Row] = []
    for label, (width, height) in SIZES.items():
        image = work / f"{width}x{height}.jpg"
        image.write_bytes(make_photo(width, height))
        samples: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
        for _ in range(runs):
            for name, (pipeline, extra_env) in variants.items():
                samples[name].append(run_once(pipeline, image, extra_env))
        result = {name: {k: median([s[k] for s in runs_]) for k in runs_[0]} for name, runs_ in samples.items()}
        print(f"{label} ({width}×{height}, {image.stat().st_size / 1e6:.1f} MB JPEG), medians of {runs}:")
        for name, r in result.items():
            print(
                f"  {name:17} wall {r['wall']:.3f} s  cpu {r['cpu']:.3f} s  encoding {r['encode']:.3f} s"
                f"  peak RSS {r['rss_peak']:.0f} MB (after imports {r['rss_before']:.0f})"
                f"  output {r['bytes'] / 1e3:.0f} kB"
            )
        rows.extend(_rows(label, result))
    return rows


def _rows(label: str, result: dict[str, dict[str, float]]) -> list[Row]:
    ours, naive = result["ours"], result["naive Pillow"]
    speedup = naive["wall"] / ours["wall"]
    rows = [
        Row(
            f"4 Thumbnails {label}",
            "wall time, all renditions (ours vs naive Pillow)",
            f"{ours['wall']:.2f} s (cpu {ours['cpu']:.2f})",
            f"{naive['wall']:.2f} s (cpu {naive['cpu']:.2f})",
            f"{speedup:.2f}× faster",
            f"≥ {SPEEDUP_TARGET}× faster",
            verdict(speedup >= SPEEDUP_TARGET),
        ),
        Row(
            f"4 Thumbnails {label}",
            "peak RSS (ours vs naive Pillow)",
            f"{ours['rss_peak']:.0f} MB",
            f"{naive['rss_peak']:.0f} MB",
            f"{ours['rss_peak'] / naive['rss_peak']:.2f}",
            f"≤ {RSS_TARGET_MB} MB" if label == "24 MP" else "",
            verdict(ours["rss_peak"] <= RSS_TARGET_MB) if label == "24 MP" else "",
        ),
    ]
    if "pyvips" in result:
        vips, single = result["pyvips"], result["pyvips, 1 thread"]
        ratio = ours["wall"] / vips["wall"]
        rows.append(
            Row(
                f"4 Thumbnails {label}",
                "wall time vs pyvips (2 threads; 1 thread)",
                f"{ours['wall']:.2f} s",
                f"{vips['wall']:.2f} s, {vips['rss_peak']:.0f} MB; {single['wall']:.2f} s",
                f"{ratio:.2f}; {ours['wall'] / single['wall']:.2f}",
                f"≤ {VIPS_RATIO_TARGET}",
                verdict(ratio <= VIPS_RATIO_TARGET),
            )
        )
    return rows


def main() -> None:
    options = arguments(__doc__ or "").parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-thumbnails-") as work:
        finish(measure(Path(work), runs=2 if options.quick else 7), options.json)


if __name__ == "__main__":
    main()
