"""Benchmark: would AVIF renditions pay? Bytes at equal SSIM on real photographs, and the pipeline's time.

The photographs are those shipped inside scikit-image's wheel (`skimage.data`), at their native size,
never upscaled or tiled. For each photo and each of its rendition widths (`imaging.rendition_widths`),
the source is the original resized with our filter; today's WebP (q80, our method) sets the target SSIM
(skimage's structural_similarity on RGB), and JPEG's and AVIF's quality are found by bisection: the
lowest quality whose SSIM reaches the target. WebP is the baseline AVIF must beat, because every
browser that decodes AVIF also decodes WebP and gets the WebP today; JPEG is shown for reference.

The time is the 24 MP test photo of benchmark 4 (`bench.thumbnails.make_photo`): today's
`imaging.process` (all renditions), then the extra AVIF encodes of the same renditions at each
libavif speed. The decision uses CPU time, not wall time: libavif encodes with several threads, and the
photo function's 1024 MB Lambda has a fraction of one vCPU.

Decision rule (issue 14): AVIF goes into `<picture>` only if it saves at least 20% of the bytes at equal
SSIM while the pipeline with AVIF stays within 1.5× of today's time, at some speed.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.report import Row, arguments, finish, median, verdict
from chalicelib.imaging import (
    JPEG_QUALITY,
    RENDITION_WIDTHS,
    WEBP_LARGE_FROM,
    WEBP_METHOD_LARGE,
    WEBP_METHOD_SMALL,
    WEBP_QUALITY,
    process,
    rendition_widths,
)

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "motorcycle_left", "hubble_deep_field", "retina")
SPEEDS = (6, 8, 9)  # libavif: 0 slowest/smallest, 10 fastest (here the same bytes as 9); Pillow's default is 6
SAVING_TARGET = 0.20
TIME_TARGET = 1.5
REPEATS = 3  # an encode's time is the fastest of this many


@dataclass(frozen=True)
class Encoded:
    quality: int
    size: int
    ssim: float
    seconds: float


def photographs() -> dict[str, Any]:
    """name -> RGB Pillow image, native size."""
    from PIL import Image
    from skimage import data

    images = {}
    for name in PHOTOS:
        array = data.stereo_motorcycle()[0] if name == "motorcycle_left" else getattr(data, name)()
        images[name] = Image.fromarray(array).convert("RGB")
    return images


def encode(image: Any, fmt: str, quality: int, **options: Any) -> tuple[bytes, float]:
    buffer = io.BytesIO()
    start = time.perf_counter()
    image.save(buffer, fmt, quality=quality, **options)
    return buffer.getvalue(), time.perf_counter() - start


def similarity(reference: Any, data: bytes) -> float:
    import numpy as np
    from PIL import Image
    from skimage.metrics import structural_similarity

    with Image.open(io.BytesIO(data)) as decoded:
        out = np.asarray(decoded.convert("RGB"))
    return float(structural_similarity(reference, out, channel_axis=2, data_range=255))


def measure(image: Any, reference: Any, fmt: str, quality: int, repeats: int = 1, **options: Any) -> Encoded:
    """Size and SSIM of one encode; its time is the fastest of `repeats`."""
    data, seconds = encode(image, fmt, quality, **options)
    seconds = min([seconds] + [encode(image, fmt, quality, **options)[1] for _ in range(repeats - 1)])
    return Encoded(quality, len(data), similarity(reference, data), seconds)


def at_ssim(target: float, trial: Callable[[int], Encoded]) -> Encoded:
    """The lowest quality in 1..100 whose SSIM reaches `target` (bisection; SSIM rises with quality)."""
    low, high = 1, 100
    best = trial(high)
    while low < high:
        middle = (low + high) // 2
        result = trial(middle)
        if result.ssim >= target:
            best, high = result, middle
        else:
            low = middle + 1
    return best if best.quality == low else trial(low)


def webp_method(width: int) -> int:
    return WEBP_METHOD_LARGE if width > WEBP_LARGE_FROM else WEBP_METHOD_SMALL


def bucket(width: int) -> str:
    return f"{width} px" if width in RENDITION_WIDTHS else "native"


def compare_bytes() -> list[dict[str, Any]]:
    """One record per (photo, rendition width): today's WebP and JPEG, JPEG and AVIF (per speed) at WebP's SSIM."""
    import numpy as np
    from PIL import Image

    records = []
    for name, original in photographs().items():
        for width in rendition_widths(original.width):
            size = (width, max(1, round(original.height * width / original.width)))
            source = original if size == original.size else original.resize(size, Image.Resampling.LANCZOS)
            reference = np.asarray(source)
            codecs: dict[str, tuple[str, dict[str, Any]]] = {"jpeg": ("JPEG", {"progressive": True, "optimize": True})}
            codecs.update({f"avif{speed}": ("AVIF", {"speed": speed}) for speed in SPEEDS})
            webp = measure(source, reference, "WEBP", WEBP_QUALITY, REPEATS, method=webp_method(width))
            record: dict[str, Any] = {
                "photo": name,
                "width": width,
                "webp": webp,
                "jpeg_today": measure(source, reference, "JPEG", JPEG_QUALITY, REPEATS, **codecs["jpeg"][1]),
            }
            for key, (fmt, fmt_options) in codecs.items():

                def trial(quality: int, fmt: str = fmt, fmt_options: dict[str, Any] = fmt_options) -> Encoded:
                    return measure(source, reference, fmt, quality, **fmt_options)  # noqa: B023 (used at once)

                found = at_ssim(webp.ssim, trial)
                record[key] = measure(source, reference, fmt, found.quality, REPEATS, **fmt_options)
            records.append(record)
            print(
                f"  {name:17} {width:5} px  SSIM {webp.ssim:.4f}  webp {webp.size:7}  jpeg q{record['jpeg'].quality}"
                f" {record['jpeg'].size:7}  "
                + "  ".join(f"avif s{s} q{record[f'avif{s}'].quality} {record[f'avif{s}'].size:6}" for s in SPEEDS),
                flush=True,
            )
    return records


def pipeline_times(records: list[dict[str, Any]], runs: int) -> dict[str, Any]:
    """Today's 24 MP pipeline, and the AVIF encodes its renditions would add at each speed (medians)."""
    from PIL import Image

    from bench.thumbnails import make_photo

    photo = make_photo(6000, 4000)
    process(photo)  # warm: imports, libraries
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        processed = process(photo)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    images = []
    for rendition in processed.renditions:
        if rendition.format == "jpeg":
            with Image.open(io.BytesIO(rendition.data)) as decoded:
                images.append(decoded.convert("RGB"))
    result: dict[str, Any] = {
        "today_wall": median(walls),
        "today_cpu": median(cpus),
        "widths": [i.width for i in images],
    }
    for speed in SPEEDS:
        quality = round(median([r[f"avif{speed}"].quality for r in records]))
        avif_walls, avif_cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            for image in images:
                encode(image, "AVIF", quality, speed=speed)
            avif_walls.append(time.perf_counter() - wall)
            avif_cpus.append(time.process_time() - cpu)
        result[f"avif{speed}"] = {"quality": quality, "wall": median(avif_walls), "cpu": median(avif_cpus)}
    return result


def summarise(records: list[dict[str, Any]], times: dict[str, Any]) -> tuple[list[Row], str]:
    rows: list[Row] = []
    buckets = sorted({bucket(r["width"]) for r in records}, key=lambda b: (b == "native", b.zfill(8)))
    today_cpu = times["today_cpu"]
    options = {}
    print("\nbytes at the SSIM of today's WebP, all photos summed (saving vs WebP; vs JPEG at equal SSIM):")
    for speed in SPEEDS:
        total = {k: sum(r[k].size for r in records) for k in ("webp", "jpeg", f"avif{speed}", "jpeg_today")}
        saving = 1 - total[f"avif{speed}"] / total["webp"]
        extra = times[f"avif{speed}"]
        ratio = (today_cpu + extra["cpu"]) / today_cpu
        options[speed] = (saving, ratio)
        vs_jpeg = 1 - total[f"avif{speed}"] / total["jpeg"]
        print(
            f"  speed {speed:2}: AVIF {total[f'avif{speed}'] / 1e3:7.1f} kB vs WebP {total['webp'] / 1e3:7.1f} kB"
            f" ({saving:+.1%} saved), vs JPEG {total['jpeg'] / 1e3:.1f} kB ({vs_jpeg:.1%});"
            f" 24 MP pipeline cpu {today_cpu:.3f} + {extra['cpu']:.3f} s = {ratio:.2f}×"
            f" (wall {times['today_wall']:.3f} + {extra['wall']:.3f} s), AVIF q{extra['quality']}"
        )
    fitting = [s for s in SPEEDS if options[s][1] <= TIME_TARGET]
    chosen = max(fitting, key=lambda s: options[s][0]) if fitting else min(SPEEDS, key=lambda s: options[s][1])
    saving, ratio = options[chosen]
    pays = saving >= SAVING_TARGET and ratio <= TIME_TARGET
    for name in buckets:
        group = [r for r in records if bucket(r["width"]) == name]
        sizes = {k: sum(r[k].size for r in group) for k in ("webp", "jpeg", "jpeg_today", f"avif{chosen}")}
        seconds = {k: sum(r[k].seconds for r in group) * 1000 for k in ("webp", "jpeg", f"avif{chosen}")}
        ssim = median([r["webp"].ssim for r in group])
        rows.append(
            Row(
                "AVIF",
                f"{name} renditions of {len(group)} photos, bytes at SSIM {ssim:.3f} (AVIF speed {chosen})",
                f"AVIF {sizes[f'avif{chosen}'] / 1e3:.1f} kB, {seconds[f'avif{chosen}']:.0f} ms",
                f"WebP {sizes['webp'] / 1e3:.1f} kB, {seconds['webp']:.0f} ms; JPEG {sizes['jpeg'] / 1e3:.1f} kB, "
                f"{seconds['jpeg']:.0f} ms (today's q{JPEG_QUALITY}: {sizes['jpeg_today'] / 1e3:.1f} kB)",
                f"{sizes[f'avif{chosen}'] / sizes['webp']:.2f} of WebP",
            )
        )
    for speed in SPEEDS:
        speed_saving, speed_ratio = options[speed]
        rows.append(
            Row(
                "AVIF",
                f"speed {speed}: bytes saved vs WebP at equal SSIM; 24 MP pipeline CPU with AVIF",
                f"{speed_saving:.1%}; {today_cpu + times[f'avif{speed}']['cpu']:.2f} s",
                f"today {today_cpu:.2f} s",
                f"{speed_ratio:.2f}×",
                f"≥ {SAVING_TARGET:.0%} and ≤ {TIME_TARGET}×",
                verdict(speed_saving >= SAVING_TARGET and speed_ratio <= TIME_TARGET),
            )
        )
    decision = (
        f"AVIF pays at speed {chosen}: {saving:.1%} of the bytes saved at equal SSIM, pipeline {ratio:.2f}× today's"
        if pays
        else f"AVIF does not pay: the best speed within {TIME_TARGET}× of today's pipeline"
        + (f" (speed {chosen}, {ratio:.2f}×) saves {saving:.1%} of WebP's bytes" if fitting else " does not exist")
        + f" (target ≥ {SAVING_TARGET:.0%}); no AVIF renditions"
    )
    rows.append(Row("AVIF", "decision", decision, verdict=""))
    return rows, decision


def main() -> None:
    import PIL.features

    options = arguments(__doc__ or "").parse_args()
    if not PIL.features.check("avif"):
        raise SystemExit("this Pillow has no AVIF encoder (PIL.features.check('avif') is False)")
    print(f"libavif {PIL.features.version('avif')}; photos from skimage.data at native size: {', '.join(PHOTOS)}")
    records = compare_bytes()
    times = pipeline_times(records, runs=2 if options.quick else 5)
    rows, decision = summarise(records, times)
    print(f"\n{decision}\n")
    finish(rows, options.json)


if __name__ == "__main__":
    main()
