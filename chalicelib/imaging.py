"""Pure image work: the bytes of an upload in, web renditions out.

The only module that touches Pillow, and it imports Pillow inside the functions, not at the top:
importing this module (say, for ALLOWED_FORMATS on the API path) costs the API's cold start nothing,
and only the photo processor pays for Pillow, on its first image.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from math import ceil
from typing import TYPE_CHECKING, cast

from chalicelib.photo_rejections import DAMAGED, NOT_AN_IMAGE

if TYPE_CHECKING:
    from PIL import Image

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
RENDITION_WIDTHS = (320, 640, 1024, 1600)
MAX_RENDITION_HEIGHT = 16383  # WebP's limit
JPEG_QUALITY = 82
WEBP_QUALITY = 80
# libwebp's `method` trades speed for size; the largest rendition dominates encoding time.
WEBP_METHOD_LARGE, WEBP_METHOD_SMALL, WEBP_LARGE_FROM = 2, 4, 640
# JPEGs decode at 1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling) if that leaves at least this factor
# for LANCZOS to reduce to the largest rendition: 24 MP landscape or portrait decodes at 1/2.
DRAFT_GAP = 1.25
# Formats decoded at full size whatever the renditions need (only JPEG has draft()), and their peak
# memory a pixel while processing, measured as in tests/security/test_image_memory.py: a WebP needs
# ~16 bytes a pixel (libwebp's RGBA buffer, Pillow's copy, the conversions), a PNG 5 (RGB) to 9 (RGBA).
PEAK_BYTES_PER_PIXEL = {"WEBP": 16, "PNG": 9}
# What decoding may take of the processor's 1024 MB, leaving room for the runtime, upload and renditions:
# a WebP up to 29 MP (a 24 MP camera's fits), a PNG up to the 50 MP limit.
MAX_DECODE_BYTES = 450 * 1024 * 1024
ORIENTATION_TAG = 0x0112
# EXIF orientation -> the transpose that makes the image upright (as ImageOps.exif_transpose does).
_TRANSPOSE = {
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}

# What a damaged or hostile file makes Pillow raise while it opens or decodes.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, KeyError, TypeError)


class ImageRejected(Exception):
    """The upload cannot become renditions; `reason` is a sentence to show editors."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str  # "webp" or "jpeg"
    content_type: str
    data: bytes

    @property
    def extension(self) -> str:
        return "jpg" if self.format == "jpeg" else self.format


@dataclass(frozen=True)
class Processed:
    width: int  # of the original, upright (after EXIF orientation)
    height: int
    color: str  # dominant colour, "#rrggbb", for placeholders
    renditions: list[Rendition]  # by width ascending, WebP then JPEG at each width


def rendition_widths(width: int) -> list[int]:
    """Never upscale: the standard widths below `width`, then `width` itself capped at the largest."""
    largest = min(width, RENDITION_WIDTHS[-1])
    return [w for w in RENDITION_WIDTHS if w < largest] + [largest]


def inspect(data: bytes, max_pixels: int) -> tuple[str, int, int]:
    """Format name and (width, height) from the header only, without decoding pixels."""
    format_, image = _open(data, max_pixels)
    with image:
        width, height = image.size
    return format_, width, height


def process(data: bytes, *, max_pixels: int = 50_000_000) -> Processed:
    """Decode just enough of the upload, make it upright sRGB without metadata, encode every rendition."""
    format_, image = _open(data, max_pixels)
    _check_decode_memory(format_, image)
    with _decoding():
        if format_ != "JPEG":
            image.load()  # PNG may keep its EXIF after the pixels
        orientation = _orientation(image)
        turned = orientation in (5, 6, 7, 8)
        width, height = image.size[::-1] if turned else image.size
        widths = rendition_widths(width)
        largest = _size(widths[-1], width, height)
        if largest[1] > MAX_RENDITION_HEIGHT:
            raise ImageRejected(
                f"image is too tall for the web: {largest[1]} px high at {largest[0]} px wide "
                f"(at most {MAX_RENDITION_HEIGHT}); split it into several photos"
            )
        if format_ == "JPEG":
            needed = (ceil(largest[0] * DRAFT_GAP), ceil(largest[1] * DRAFT_GAP))
            image.draft(None, needed[::-1] if turned else needed)
        image.load()
    current = _upright_srgb(image, largest, orientation)
    del image  # the decoded pixels go as soon as the largest rendition exists
    renditions: list[Rendition] = []
    for target in reversed(widths):  # chained: each rendition is resized from the next larger one
        if current.width != target:
            current = _resize(current, _size(target, width, height))
        renditions[:0] = _encode(current)
    return Processed(width, height, _dominant_color(_flatten(current)), renditions)


def _open(data: bytes, max_pixels: int) -> tuple[str, Image.Image]:
    """Open lazily (header only), checking magic bytes, Pillow's format and the pixel count."""
    from PIL import Image

    claimed = _sniff(data)
    try:
        image = Image.open(io.BytesIO(data), formats=[claimed])
    except Image.DecompressionBombError:  # Pillow's own, larger limit
        raise ImageRejected(f"image has too many pixels (the limit is {max_pixels:,})") from None
    except _DECODE_ERRORS:
        raise ImageRejected(DAMAGED) from None
    detected = "JPEG" if image.format == "MPO" else image.format  # cameras' multi-picture JPEGs
    width, height = image.size
    if detected != claimed:
        image.close()
        raise ImageRejected(NOT_AN_IMAGE)
    if width * height > max_pixels:
        image.close()
        raise ImageRejected(f"image has too many pixels ({width}×{height}; the limit is {max_pixels:,})")
    return detected, image


def _check_decode_memory(format_: str, image: Image.Image) -> None:
    """Refuse, before decoding, an image whose full-size decode would take more than MAX_DECODE_BYTES."""
    width, height = image.size
    if width * height * PEAK_BYTES_PER_PIXEL.get(format_, 0) > MAX_DECODE_BYTES:
        image.close()
        limit = MAX_DECODE_BYTES // PEAK_BYTES_PER_PIXEL[format_]
        name = "WebP" if format_ == "WEBP" else format_
        raise ImageRejected(
            f"{name} image is too large to decode ({width}×{height}; a {name} may have at most {limit:,} pixels); "
            "upload it as a JPEG or smaller"
        )


def _sniff(data: bytes) -> str:
    """The format the magic bytes announce, whatever content type the upload claimed."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    raise ImageRejected(NOT_AN_IMAGE)


@contextmanager
def _decoding() -> Iterator[None]:
    """Turn whatever Pillow raises on bad data into ImageRejected(DAMAGED)."""
    try:
        yield
    except _DECODE_ERRORS:
        raise ImageRejected(DAMAGED) from None


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(ORIENTATION_TAG)
    except _DECODE_ERRORS:  # broken EXIF is no reason to refuse the pixels
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _size(width: int, original_width: int, original_height: int) -> tuple[int, int]:
    """Upright size at `width`, keeping the aspect ratio of the original (not of a rounded rendition)."""
    return width, max(1, round(original_height * width / original_width))


def _resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    from PIL import Image

    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _upright_srgb(image: Image.Image, upright: tuple[int, int], orientation: int) -> Image.Image:
    """The largest rendition: resized first (cheaper), then sRGB RGB or RGBA, then upright, no metadata."""
    from PIL import Image

    icc = image.info.get("icc_profile")
    image = _working_mode(image)
    raw = upright[::-1] if orientation in (5, 6, 7, 8) else upright
    if image.size != raw:
        image = _resize(image, raw)
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    if icc:
        image = _to_srgb(image, icc, mode)
    if image.mode != mode:
        image = image.convert(mode)  # no profile: L and RGB are taken as sRGB, CMYK converted naively
    if mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # opaque after all: no alpha channel to encode
    if orientation in _TRANSPOSE:
        image = image.transpose(Image.Transpose[_TRANSPOSE[orientation]])
    image.info = {}  # EXIF, XMP, ICC, comments: none of them may reach an encoder
    return image


def _working_mode(image: Image.Image) -> Image.Image:
    """L, RGB, RGBA or CMYK: modes that resize well and that an ICC transform accepts."""
    if image.mode.startswith("I"):  # 16-bit greyscale PNG (I;16): Pillow would clip it
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode in ("LA", "PA", "La", "RGBa") or "transparency" in image.info:
        return image.convert("RGBA")
    return image if image.mode in ("L", "RGB", "RGBA", "CMYK") else image.convert("RGB")


def _to_srgb(image: Image.Image, icc: bytes, mode: str) -> Image.Image:
    """Convert from the embedded profile to sRGB; an sRGB, unreadable or unfitting profile is ignored."""
    from PIL import ImageCms

    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "sRGB" in ImageCms.getProfileDescription(profile):
            return image
        srgb = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(image, profile, srgb, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparent areas become white."""
    from PIL import Image

    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, (255, 255, 255))
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def _encode(image: Image.Image) -> list[Rendition]:
    webp, jpeg = io.BytesIO(), io.BytesIO()
    method = WEBP_METHOD_LARGE if image.width > WEBP_LARGE_FROM else WEBP_METHOD_SMALL
    image.save(webp, "WEBP", quality=WEBP_QUALITY, method=method)
    _flatten(image).save(jpeg, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    return [
        Rendition(image.width, image.height, "webp", "image/webp", webp.getvalue()),
        Rendition(image.width, image.height, "jpeg", "image/jpeg", jpeg.getvalue()),
    ]


def _dominant_color(image: Image.Image) -> str:
    """The most common of a few representative colours of a small RGB copy."""
    from PIL import Image

    small = image.copy()
    small.thumbnail((64, 64), Image.Resampling.BOX)
    palette = small.quantize(colors=6, method=Image.Quantize.MEDIANCUT)
    # A palette image of at most 6 colours always has its counts (by palette index) and its palette.
    counts = cast("list[tuple[int, int]]", palette.getcolors())
    rgb = cast("list[int]", palette.getpalette())
    _, index = max(counts)
    red, green, blue = rgb[index * 3 : index * 3 + 3]
    return f"#{red:02x}{green:02x}{blue:02x}"
