"""The three ways to make a photo's renditions that benchmark 4 compares; one runs per process.

`python -m bench.thumbnail_pipelines PIPELINE IMAGE` imports the pipeline's library, warms it
on a tiny JPEG, reads IMAGE, notes ru_maxrss, makes every rendition once, and prints JSON:
wall and CPU seconds of that call, peak RSS (VmHWM) after imports and at the end, output bytes.

All three make the same renditions: the widths of `imaging.rendition_widths`, WebP then JPEG
at each, with our encoder settings (JPEG q82 progressive + optimised Huffman, WebP q80 with
method/effort 2 above 640 px and 4 up to it), upright, no metadata.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from chalicelib.imaging import (
    JPEG_QUALITY,
    WEBP_LARGE_FROM,
    WEBP_METHOD_LARGE,
    WEBP_METHOD_SMALL,
    WEBP_QUALITY,
    rendition_widths,
)

UNBOUNDED = 10_000_000  # a height that never constrains: widths decide


def webp_method(width: int) -> int:
    return WEBP_METHOD_LARGE if width > WEBP_LARGE_FROM else WEBP_METHOD_SMALL


def ours(data: bytes) -> list[bytes]:
    """chalicelib.imaging.process: draft() decode at 1/2, 1/4 or 1/8 scale, chained LANCZOS."""
    from chalicelib.imaging import process

    return [r.data for r in process(data).renditions]


def naive(data: bytes) -> list[bytes]:
    """The obvious Pillow code: full decode, exif_transpose, LANCZOS from the original per width."""
    from PIL import Image, ImageOps

    image: Image.Image = Image.open(io.BytesIO(data))
    image.load()
    image = ImageOps.exif_transpose(image).convert("RGB")
    outputs = []
    for width in rendition_widths(image.width):
        size = (width, max(1, round(image.height * width / image.width)))
        resized = image.resize(size, Image.Resampling.LANCZOS)
        for fmt, options in (
            ("WEBP", {"quality": WEBP_QUALITY, "method": webp_method(width)}),
            ("JPEG", {"quality": JPEG_QUALITY, "progressive": True, "optimize": True}),
        ):
            buffer = io.BytesIO()
            resized.save(buffer, fmt, **options)
            outputs.append(buffer.getvalue())
    return outputs


def vips(data: bytes) -> list[bytes]:
    """libvips: thumbnail with shrink-on-load to the largest width, then chained from each rendition.

    Each rendition is materialised (copy_memory): a lazy libvips pipeline would decode the JPEG
    again for every encoder. keep="none" drops EXIF/GPS/XMP/ICC, which libvips keeps by default.
    """
    import pyvips

    header = pyvips.Image.new_from_buffer(data, "", access="sequential")
    upright_width = (
        header.height if header.get_typeof("orientation") and header.get("orientation") >= 5 else header.width
    )
    widths = rendition_widths(upright_width)
    current = pyvips.Image.thumbnail_buffer(data, widths[-1], height=UNBOUNDED, size="down").copy_memory()
    outputs: list[bytes] = []
    for width in reversed(widths):
        if current.width != width:
            current = current.thumbnail_image(width, height=UNBOUNDED, size="down").copy_memory()
        outputs[:0] = [
            current.webpsave_buffer(Q=WEBP_QUALITY, effort=webp_method(width), keep="none"),
            current.jpegsave_buffer(Q=JPEG_QUALITY, interlace=True, optimize_coding=True, keep="none"),
        ]
    return outputs


PIPELINES: dict[str, Callable[[bytes], list[bytes]]] = {"ours": ours, "naive": naive, "pyvips": vips}


def tiny_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 120, 150)).save(buffer, "JPEG")
    return buffer.getvalue()


def peak_rss_mb() -> float:
    """This address space's peak RSS (VmHWM).

    Not ru_maxrss: Linux carries the parent's RSS at fork into the child's ru_maxrss across
    exec, so a benchmark that generated a 24 MP image would show up in every child.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run(pipeline: str, image: Path) -> dict[str, float]:
    make = PIPELINES[pipeline]
    make(tiny_jpeg())  # imports and library initialisation, as a warm container has done
    encoding = time_pillow_encoders()
    data = image.read_bytes()
    before = peak_rss_mb()
    encoding.clear()
    cpu, start = time.process_time(), time.perf_counter()
    outputs = make(data)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = peak_rss_mb()
    check(outputs)
    return {
        "wall": wall,
        "cpu": cpu,
        "encode": sum(encoding),  # Pillow pipelines only: time inside Image.save
        "rss_before": before,
        "rss_peak": peak,
        "bytes": sum(map(len, outputs)),
    }


def time_pillow_encoders() -> list[float]:
    """Wrap Pillow's Image.save to collect the seconds each encode takes."""
    from PIL import Image

    spent: list[float] = []
    save = Image.Image.save

    def timed_save(self: Image.Image, *args: object, **kwargs: object) -> None:
        start = time.perf_counter()
        save(self, *args, **kwargs)  # type: ignore[arg-type]
        spent.append(time.perf_counter() - start)

    Image.Image.save = timed_save  # type: ignore[method-assign]
    return spent


def check(outputs: list[bytes]) -> None:
    """Every rendition decodes and carries no EXIF (GPS included)."""
    from PIL import Image

    assert len(outputs) >= 2 and len(outputs) % 2 == 0
    for data in outputs:
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif(), "a rendition kept EXIF"


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], Path(sys.argv[2]))))
