"""chalicelib.imaging: renditions from uploads; every image is made here with Pillow."""

from __future__ import annotations

import io
import itertools
import random
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image, ImageChops, ImageCms, ImageOps, ImageStat

from chalicelib import imaging
from chalicelib.imaging import ImageRejected, Processed, inspect, process
from tests.photo_files import webp_claiming

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


@pytest.fixture(autouse=True)
def empty_aws() -> None:
    """Pure image work touches no AWS: these tests skip conftest's emptying of moto's tables and bucket."""


def encode(image: Image.Image, format_: str = "JPEG", **params: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format_, **params)
    return out.getvalue()


def quadrants(size: tuple[int, int], top_left: tuple[int, ...], rest: tuple[int, ...]) -> Image.Image:
    """An image of colour `rest` whose top-left quadrant has colour `top_left`."""
    image = Image.new("RGB", size, rest)
    image.paste(top_left, (0, 0, size[0] // 2, size[1] // 2))
    return image


def decoded(processed: Processed) -> list[Image.Image]:
    return [Image.open(io.BytesIO(r.data)) for r in processed.renditions]


def close(actual: object, expected: object, tolerance: int = 12) -> bool:
    """Each channel of the pixel `actual` within `tolerance` of `expected`."""
    assert isinstance(actual, tuple) and isinstance(expected, tuple)
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def alpha(image: Image.Image, xy: tuple[int, int]) -> int:
    value = image.getpixel(xy)
    assert isinstance(value, tuple)
    return int(value[3])


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def _curve(gamma: float) -> bytes:
    return b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"


def icc_profile(description: str, red: tuple[float, ...], green: tuple[float, ...], blue: tuple[float, ...]) -> bytes:
    """A minimal ICC v2 matrix/TRC RGB display profile (gamma 2.2) with the given D50 primaries."""
    tags = [(b"rXYZ", _xyz(*red)), (b"gXYZ", _xyz(*green)), (b"bXYZ", _xyz(*blue))]
    tags += [(b"rTRC", _curve(2.2)), (b"gTRC", _curve(2.2)), (b"bTRC", _curve(2.2))]
    return _icc(description, b"RGB ", tags)


def grey_icc_profile(description: str, gamma: float) -> bytes:
    """A minimal ICC v2 greyscale display profile with the given tone curve."""
    return _icc(description, b"GRAY", [(b"kTRC", _curve(gamma))])


def cmyk_icc_profile(description: str) -> bytes:
    """A minimal ICC v2 CMYK printer profile (a 2-point lut8 to Lab) whose inks are far darker than the naive formula:
    paper is mid-grey (L* 50) and any full ink is black, so a quarter of black ink is L* 37.5."""
    ramp = bytes(range(256))
    corners = [(50 if corner == 0 else 0) * 255 // 100 for corner in range(16)]  # C, M, Y, K each at 0 or 100%
    clut = b"".join(bytes([lightness, 128, 128]) for lightness in corners)
    identity = b"".join(_s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))
    lut = b"mft1\0\0\0\0" + bytes([4, 3, 2, 0]) + identity + ramp * 4 + clut + ramp * 3
    return _icc(description, b"CMYK", [(b"A2B0", lut)], device_class=b"prtr", connection_space=b"Lab ")


def _icc(
    description: str,
    colour_space: bytes,
    tags: list[tuple[bytes, bytes]],
    device_class: bytes = b"mntr",
    connection_space: bytes = b"XYZ ",
) -> bytes:
    text = description.encode("ascii") + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 78
    tags = [(b"desc", desc), (b"wtpt", _xyz(0.9642, 1.0, 0.8249)), *tags]
    offset = 128 + 4 + 12 * len(tags)
    table = body = b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = struct.pack(">I", offset + len(body)) + b"lcms" + bytes([2, 0x10, 0, 0]) + device_class + colour_space
    header += connection_space + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 28
    header += _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"\0" * 48
    return header + struct.pack(">I", len(tags)) + table + body


# sRGB's primaries adapted to D50, as in an ICC profile.
SRGB_RED, SRGB_GREEN, SRGB_BLUE = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels; its pixel data is a few bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A tiny JPEG whose header (SOF0) claims width × height pixels; its scan holds 8 × 8."""
    data = bytearray(encode(Image.new("RGB", (8, 8), BLUE)))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def exif_orientation(type_: int, value: bytes) -> bytes:
    """Raw EXIF with one orientation entry of TIFF type `type_` (3 SHORT, 2 ASCII, 5 RATIONAL), as careless tools
    write it."""
    if type_ == 5:  # 8 bytes do not fit in the entry: they follow the directory
        entry = struct.pack(">HHII", ExifTags.Base.Orientation, type_, 1, 26)
        return b"Exif\0\0MM\0*\0\0\0\x08" + struct.pack(">H", 1) + entry + b"\0\0\0\0" + value
    count = len(value) if type_ == 2 else len(value) // 2
    entry = struct.pack(">HHI", ExifTags.Base.Orientation, type_, count) + value.ljust(4, b"\0")
    return b"Exif\0\0MM\0*\0\0\0\x08" + struct.pack(">H", 1) + entry + b"\0\0\0\0"


def reason_of(call: Any) -> str:
    with pytest.raises(ImageRejected) as rejected:
        call()
    assert str(rejected.value) == rejected.value.reason  # the sentence is also the exception's message
    return rejected.value.reason


@pytest.fixture(scope="module")
def landscape() -> Processed:
    return process(encode(quadrants((2000, 1500), RED, BLUE), quality=90))


def test_a_large_jpeg_gets_every_width_in_webp_and_jpeg(landscape: Processed) -> None:
    assert (landscape.width, landscape.height) == (2000, 1500)
    expected = [(w, round(w * 3 / 4)) for w in (320, 640, 1024, 1600)]
    got = [(r.width, r.height, r.format, r.content_type, r.extension) for r in landscape.renditions]
    assert got == [
        (w, h, f, t, e)
        for w, h in expected
        for f, t, e in (("webp", "image/webp", "webp"), ("jpeg", "image/jpeg", "jpg"))
    ]
    for rendition, image in zip(landscape.renditions, decoded(landscape), strict=True):
        assert image.size == (rendition.width, rendition.height)
        assert imaging.ALLOWED_FORMATS[str(image.format)] == rendition.content_type
        assert image.mode == "RGB"
        assert close(image.getpixel((image.width // 4, image.height // 4)), RED)
        assert close(image.getpixel((image.width * 3 // 4, image.height * 3 // 4)), BLUE)
    jpeg = Image.open(io.BytesIO(landscape.renditions[-1].data))
    assert jpeg.info.get("progressive") and jpeg.info.get("progression")


@pytest.mark.parametrize(
    ("width", "widths"),
    [(6000, [320, 640, 1024, 1600]), (1600, [320, 640, 1024, 1600]), (1601, [320, 640, 1024, 1600])]
    + [(800, [320, 640, 800]), (640, [320, 640]), (321, [320, 321]), (320, [320]), (50, [50])],
)
def test_rendition_widths_never_upscale(width: int, widths: list[int]) -> None:
    assert imaging.rendition_widths(width) == widths


def test_a_thin_strip_keeps_its_aspect_ratio_but_is_at_least_one_pixel_high() -> None:
    processed = process(encode(Image.new("RGB", (2000, 2), RED), "PNG"))
    # 2 px high at 2000 wide is 0.32, 0.64, 1.02 and 1.6 px high at the rendition widths
    assert [(r.width, r.height) for r in processed.renditions[::2]] == [(320, 1), (640, 1), (1024, 1), (1600, 2)]
    assert [image.size for image in decoded(processed)[::2]] == [(320, 1), (640, 1), (1024, 1), (1600, 2)]


@pytest.mark.parametrize(("width", "method"), [(640, 4), (641, 2)])
def test_renditions_are_encoded_at_the_agreed_quality_and_effort(width: int, method: int) -> None:
    """WebP at quality 80 with libwebp's effort 4, or the faster 2 above 640 px wide; JPEG at 82, progressive.

    The rendition at the original's own width is these exact pixels, so it must be byte for byte what
    Pillow makes of them with those settings.
    """
    image = Image.effect_noise((width, 8), 40).convert("RGB")
    webp, jpeg = process(encode(image, "PNG")).renditions[-2:]
    assert webp.data == encode(image, "WEBP", quality=80, method=method)
    assert jpeg.data == encode(image, "JPEG", quality=82, progressive=True, optimize=True)


def test_the_accepted_formats_carry_their_standard_content_types() -> None:
    Image.init()
    assert {format_: Image.MIME[format_] for format_ in ("JPEG", "PNG", "WEBP")} == imaging.ALLOWED_FORMATS


def test_a_small_image_is_not_upscaled() -> None:
    processed = process(encode(Image.new("RGB", (800, 600), BLUE)))
    assert [(r.width, r.height) for r in processed.renditions][::2] == [(320, 240), (640, 480), (800, 600)]
    assert [image.size for image in decoded(processed)][1::2] == [(320, 240), (640, 480), (800, 600)]


def test_exif_orientation_makes_a_large_jpeg_upright() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored rotated: shown turned 90° clockwise
    processed = process(encode(quadrants((2400, 1800), RED, BLUE), exif=exif))
    assert (processed.width, processed.height) == (1800, 2400)
    assert [(r.width, r.height) for r in processed.renditions[::2]] == [
        (320, 427),
        (640, 853),
        (1024, 1365),
        (1600, 2133),
    ]
    for image in decoded(processed):
        width, height = image.size
        assert close(image.getpixel((width * 3 // 4, height // 4)), RED)  # stored top-left is now top-right
        for x, y in (
            (width // 4, height // 4),
            (width // 4, height * 3 // 4),
            (width * 3 // 4, height * 3 // 4),
        ):
            assert close(image.getpixel((x, y)), BLUE)


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("format_", ["JPEG", "PNG", "WEBP"])
def test_every_exif_orientation_matches_exif_transpose(orientation: int, format_: str) -> None:
    stored = quadrants((600, 300), RED, BLUE)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    data = encode(stored, format_, exif=exif)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    processed = process(data)
    assert (processed.width, processed.height) == expected.size
    image = decoded(processed)[-1]
    assert image.size == expected.size
    for fx, fy in ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)):
        x, y = int(image.width * fx), int(image.height * fy)
        assert close(image.getpixel((x, y)), expected.getpixel((x, y)))


@pytest.mark.parametrize(
    "exif",
    [
        exif_orientation(2, b"6\0"),  # the orientation written as text
        exif_orientation(5, struct.pack(">II", 6, 1)),  # ... or as the fraction 6/1: EXIF says a whole number
        exif_orientation(3, b"\0\x09"),  # no such orientation
        exif_orientation(3, b"\0\0"),
        b"Exif\0\0garbage, not a TIFF structure",
    ],
    ids=["text", "fraction", "nine", "zero", "garbage"],
)
def test_a_photo_with_a_nonsense_orientation_is_shown_as_stored(exif: bytes) -> None:
    data = encode(quadrants((64, 32), RED, BLUE), "PNG", exif=exif)
    processed = process(data)
    assert (processed.width, processed.height) == (64, 32)
    for image in decoded(processed):
        assert image.size == (64, 32)
        assert close(image.getpixel((8, 4)), RED)
        assert close(image.getpixel((56, 4)), BLUE)
        assert close(image.getpixel((8, 28)), BLUE)


@pytest.mark.parametrize("orientation", [5, 6, 7, 8])
def test_a_turned_photo_keeps_its_fine_detail(orientation: int) -> None:
    """Stored on its side and wider than the largest rendition once upright: reduced once, in the right direction."""
    stored = Image.new("L", (40, 1700), 255)
    for y in range(0, 1700, 8):
        stored.paste(0, (0, y, 40, y + 4))  # 4 px stripes across the stored height: across the width once upright
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    data = encode(stored, "PNG", exif=exif)
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    expected = upright.resize((1600, 38), Image.Resampling.LANCZOS)
    for image in decoded(process(data))[-2:]:  # the largest, WebP and JPEG
        assert image.size == (1600, 38)
        difference = ImageStat.Stat(ImageChops.difference(image.convert("RGB"), expected)).mean
        assert max(difference) < 8, difference  # stripes squeezed and stretched again would be a grey blur


def test_metadata_is_stripped_from_every_rendition() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "NewsCam"
    exif[ExifTags.Base.Orientation] = 1
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 51.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (900, 600), BLUE), exif=exif, xmp=xmp, icc_profile=srgb, comment=b"secret")
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert {"exif", "xmp", "icc_profile", "comment"} <= set(original.info)

    for rendition in process(data).renditions:
        image = Image.open(io.BytesIO(rendition.data))
        assert not image.getexif()
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
        for marker in (b"Exif", b"NewsCam", b"xmpmeta", b"ICC_PROFILE", b"ICCP", b"secret"):
            assert marker not in rendition.data


def test_a_transparent_png_keeps_alpha_in_webp_and_is_white_in_jpeg() -> None:
    image = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (600, 0, 800, 400))
    processed = process(encode(image, "PNG"))
    for rendition, out in zip(processed.renditions, decoded(processed), strict=True):
        left, right = (out.width // 4, out.height // 2), (out.width * 7 // 8, out.height // 2)
        if rendition.format == "webp":
            assert out.mode == "RGBA"
            assert alpha(out, left) == 0
            assert close(out.getpixel(right), (255, 0, 0, 255))
        else:
            assert out.mode == "RGB"
            assert close(out.getpixel(left), WHITE)
            assert close(out.getpixel(right), RED)
    assert processed.color == "#ffffff"  # placeholders are for what readers see: JPEG on white


def test_a_palette_png_with_transparency_keeps_it() -> None:
    image = Image.new("P", (400, 200), 0)
    image.putpalette([0, 0, 255, 255, 0, 0])
    image.paste(1, (200, 0, 400, 200))
    processed = process(encode(image, "PNG", transparency=0))
    webp = decoded(processed)[0]
    assert webp.mode == "RGBA"
    assert alpha(webp, (10, 10)) == 0
    assert close(webp.getpixel((webp.width - 10, 10)), (255, 0, 0, 255))


def test_a_grey_png_with_alpha_keeps_it() -> None:
    image = Image.new("LA", (64, 32), (0, 0))
    image.paste((90, 255), (32, 0, 64, 32))
    webp, jpeg = decoded(process(encode(image, "PNG")))
    assert webp.mode == "RGBA"
    assert alpha(webp, (8, 16)) == 0
    assert close(webp.getpixel((56, 16)), (90, 90, 90, 255))
    assert close(jpeg.getpixel((8, 16)), WHITE)
    assert close(jpeg.getpixel((56, 16)), (90, 90, 90))


def test_an_rgb_png_with_a_transparent_colour_keeps_it_transparent() -> None:
    image = quadrants((64, 32), RED, BLUE)
    webp, jpeg = decoded(process(encode(image, "PNG", transparency=BLUE)))
    assert webp.mode == "RGBA"
    assert alpha(webp, (56, 24)) == 0
    assert close(webp.getpixel((8, 4)), (255, 0, 0, 255))
    assert close(jpeg.getpixel((56, 24)), WHITE)


def test_a_black_and_white_png_becomes_rgb() -> None:
    image = Image.new("1", (64, 32), 0)
    image.paste(1, (32, 0, 64, 32))
    for out in decoded(process(encode(image, "PNG"))):
        assert out.mode == "RGB"
        assert close(out.getpixel((8, 16)), (0, 0, 0))
        assert close(out.getpixel((56, 16)), WHITE)


@pytest.mark.parametrize("mode", ["1", "P"])
def test_a_black_and_white_or_palette_png_is_reduced_smoothly_not_jagged(mode: str) -> None:
    checkerboard = Image.new("1", (3200, 8))
    checkerboard.putdata([(x + y) % 2 for y in range(8) for x in range(3200)])
    image = checkerboard if mode == "1" else checkerboard.convert("P")
    assert Image.open(io.BytesIO(encode(image, "PNG"))).mode == mode
    webp, jpeg = decoded(process(encode(image, "PNG")))[-2:]  # 1600 wide: every two pixels become one
    for out in (webp, jpeg):
        assert out.size == (1600, 4)
        assert close(out.getpixel((100, 2)), (127, 127, 127), tolerance=8)  # grey, not black or white


def test_an_opaque_rgba_png_has_no_alpha_channel_in_webp() -> None:
    processed = process(encode(Image.new("RGBA", (400, 200), (0, 128, 0, 255)), "PNG"))
    assert [image.mode for image in decoded(processed)] == ["RGB", "RGB", "RGB", "RGB"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<html><body>not a photo</body></html>",
        random.Random(7).randbytes(5000),
        b"GIF89a" + bytes(100),
        b"RIFF\x10\0\0\0WAVEfmt ",
        b"RIFX\x10\0\0\0WEBPVP8 " + bytes(32),
    ],
    ids=["empty", "html", "random", "gif-magic", "wav", "webp-tag-without-riff"],
)
def test_a_non_image_is_rejected(data: bytes) -> None:
    for call in (lambda: process(data), lambda: inspect(data, 10**8)):
        with pytest.raises(ImageRejected) as rejected:
            call()
        assert rejected.value.reason == "file is not a JPEG, PNG or WebP image"


@pytest.mark.parametrize("format_", ["GIF", "BMP", "TIFF", "ICO", "PPM"])
def test_other_image_formats_are_rejected(format_: str) -> None:
    data = encode(Image.new("RGB", (64, 64), RED), format_)
    assert Image.open(io.BytesIO(data)).format == format_
    with pytest.raises(ImageRejected, match="not a JPEG, PNG or WebP"):
        process(data)


@pytest.mark.parametrize("format_", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_image_is_rejected_as_damaged(format_: str) -> None:
    noisy = Image.effect_noise((800, 600), 50).convert("RGB")
    data = encode(noisy, format_)
    with pytest.raises(ImageRejected) as rejected:
        process(data[: len(data) // 2])
    assert rejected.value.reason == "file is damaged or incomplete"


def test_a_known_signature_with_garbage_behind_it_is_damaged() -> None:
    with pytest.raises(ImageRejected, match="damaged or incomplete"):
        process(b"\x89PNG\r\n\x1a\n" + bytes(200))


def test_a_broken_jpeg_is_only_ever_read_as_a_jpeg() -> None:
    """A file that announces JPEG is not handed to Pillow's other readers, whatever else it could pass for."""
    polyglot = b"\xff\xd8\xff\xe0" + bytes(2044) + b"PCD_" + bytes(4000)  # a Kodak Photo CD header at 2048
    assert Image.open(io.BytesIO(polyglot)).format == "PCD"  # what Pillow would make of it unrestricted
    for call in (lambda: process(polyglot), lambda: inspect(polyglot, 10**8)):
        assert reason_of(call) == "file is damaged or incomplete"


def test_inspect_reads_format_and_size_from_the_header() -> None:
    assert inspect(encode(Image.new("RGB", (640, 480)), "WEBP"), 10**6) == ("WEBP", 640, 480)
    assert inspect(encode(Image.new("RGB", (640, 480)), "PNG"), 10**6) == ("PNG", 640, 480)
    # a header without the pixels behind it is enough: nothing was decoded
    assert inspect(png_claiming(8000, 8000), 10**8) == ("PNG", 8000, 8000)


@pytest.mark.parametrize(
    ("width", "height", "reason"),
    [
        # beyond Pillow's own limit, Pillow refuses it before our check sees the size
        (30000, 30000, "image has too many pixels (the limit is 50,000,000)"),
        (8000, 8000, "image has too many pixels (8000×8000; the limit is 50,000,000)"),
    ],
)
def test_a_decompression_bomb_is_refused_before_decoding(width: int, height: int, reason: str) -> None:
    data = png_claiming(width, height)
    assert len(data) < 200
    # had the pixels been decoded, the few bytes of IDAT would have made it "damaged" instead
    assert reason_of(lambda: process(data)) == reason
    assert reason_of(lambda: inspect(data, 50_000_000)) == reason


def test_the_default_pixel_limit_allows_exactly_fifty_megapixels() -> None:
    # exactly at the limit the upload is decoded (and these few bytes of pixels turn out damaged) ...
    assert reason_of(lambda: process(png_claiming(10000, 5000))) == "file is damaged or incomplete"
    # ... one row more and it is refused from its header
    too_many = "image has too many pixels (10000×5001; the limit is 50,000,000)"
    assert reason_of(lambda: process(png_claiming(10000, 5001))) == too_many


def test_a_webp_is_decoded_up_to_what_the_processor_s_memory_allows_and_refused_beyond_in_words() -> None:
    """16 bytes a pixel at the decode's peak, 450 MB for it: 29,491,200 pixels. A file claiming more is refused
    from its header, before any decoding; one of exactly that many is decoded."""
    assert process(webp_claiming(5120, 5760)).width == 5120
    assert reason_of(lambda: process(webp_claiming(5121, 5760))) == (
        "WebP image is too large to decode (5121×5760; a WebP may have at most 29,491,200 pixels); "
        "upload it as a JPEG or smaller"
    )


def test_a_png_beyond_its_decode_memory_is_named_as_a_png() -> None:
    """9 bytes a pixel: 52,428,800 pixels, above the 50 MP default; reached when the pixel limit is raised."""
    assert reason_of(lambda: process(png_claiming(8000, 7000), max_pixels=60_000_000)) == (
        "PNG image is too large to decode (8000×7000; a PNG may have at most 52,428,800 pixels); "
        "upload it as a JPEG or smaller"
    )


def test_the_pixel_limit_is_a_parameter() -> None:
    data = encode(Image.new("RGB", (800, 600)))
    too_many = "image has too many pixels (800×600; the limit is 100,000)"
    assert reason_of(lambda: process(data, max_pixels=100_000)) == too_many
    assert reason_of(lambda: inspect(data, 479_999)) == "image has too many pixels (800×600; the limit is 479,999)"
    assert inspect(data, 480_000) == ("JPEG", 800, 600)
    assert process(data, max_pixels=480_000).width == 800


def test_a_cmyk_jpeg_becomes_rgb() -> None:
    data = encode(Image.new("CMYK", (700, 500), (0, 255, 255, 0)))  # full magenta and yellow: red
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    processed = process(data)
    for image in decoded(processed):
        assert image.mode == "RGB"
        assert close(image.getpixel((10, 10)), RED)


def test_a_cmyk_jpeg_with_its_printer_profile_is_converted_through_the_profile() -> None:
    data = encode(Image.new("CMYK", (64, 32), (0, 0, 0, 64)), icc_profile=cmyk_icc_profile("Dark inks"))
    for image in decoded(process(data)):
        assert image.mode == "RGB"
        # L* 37.5 is sRGB 88; the naive formula without the profile would make a light grey, 191
        assert close(image.getpixel((10, 10)), (88, 88, 88), tolerance=6)


def test_an_embedded_non_srgb_profile_is_converted_to_srgb() -> None:
    swapped = icc_profile("Red and green swapped", SRGB_GREEN, SRGB_RED, SRGB_BLUE)
    for format_ in ("JPEG", "PNG"):
        data = encode(Image.new("RGB", (700, 500), (200, 40, 40)), format_, icc_profile=swapped)
        for image in decoded(process(data)):
            assert "icc_profile" not in image.info
            assert close(image.getpixel((10, 10)), (35, 201, 35))


@pytest.mark.parametrize("format_", ["JPEG", "PNG"])
def test_a_greyscale_photo_with_a_grey_profile_is_converted_to_srgb(format_: str) -> None:
    # mid-grey 128 in a linear (gamma 1.0) grey space is as light as 188 in sRGB
    data = encode(Image.new("L", (64, 32), 128), format_, icc_profile=grey_icc_profile("Linear grey", 1.0))
    for image in decoded(process(data)):
        assert image.mode == "RGB"
        assert close(image.getpixel((10, 10)), (188, 188, 188), tolerance=3)


def test_a_transparent_png_with_a_profile_keeps_its_alpha() -> None:
    swapped = icc_profile("Red and green swapped", SRGB_GREEN, SRGB_RED, SRGB_BLUE)
    data = encode(Image.new("RGBA", (400, 300), (200, 40, 40, 80)), "PNG", icc_profile=swapped)
    webp = decoded(process(data))[0]
    assert close(webp.getpixel((10, 10)), (35, 201, 35, 80))


@pytest.mark.parametrize(
    "icc",
    [
        b"not a profile",
        icc_profile("sRGB-ish", SRGB_RED, SRGB_GREEN, SRGB_BLUE),
        # a profile that calls itself sRGB is taken at its word, whatever its primaries say
        icc_profile("sRGB IEC61966-2.1 (as a careless tool wrote it)", SRGB_GREEN, SRGB_RED, SRGB_BLUE),
    ],
    ids=["broken", "srgb-ish", "named-srgb"],
)
def test_a_broken_or_srgb_profile_leaves_colours_alone(icc: bytes) -> None:
    data = encode(Image.new("RGB", (500, 300), (200, 40, 40)), "PNG", icc_profile=icc)
    for image in decoded(process(data)):
        assert close(image.getpixel((10, 10)), (200, 40, 40), tolerance=6)


@pytest.mark.parametrize(("value", "grey"), [(40000, 156), (51200, 200), (65535, 255)])
def test_a_16_bit_greyscale_png_keeps_its_tones(value: int, grey: int) -> None:
    """The 8-bit tone is the top byte of the 16-bit one (not clipped to white, not rescaled by 257)."""
    data = encode(Image.new("I;16", (64, 32), value), "PNG")
    for image in decoded(process(data)):
        assert image.getpixel((10, 10)) == (grey, grey, grey)


def test_a_multi_picture_jpeg_from_a_camera_is_a_jpeg() -> None:
    first, second = Image.new("RGB", (800, 600), RED), Image.new("RGB", (800, 600), BLUE)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    assert inspect(data, 10**6) == ("JPEG", 800, 600)
    assert close(decoded(process(data))[-1].getpixel((10, 10)), RED)


@pytest.mark.parametrize("colour", [(12, 120, 200), (250, 250, 250), (0, 0, 0), (200, 30, 90)])
def test_the_colour_of_a_solid_image(colour: tuple[int, int, int]) -> None:
    color = process(encode(Image.new("RGB", (1200, 800), colour))).color
    assert color.startswith("#") and len(color) == 7
    assert close(tuple(int(color[i : i + 2], 16) for i in (1, 3, 5)), colour, tolerance=3)


def test_the_dominant_colour_is_the_commonest_not_the_average() -> None:
    image = Image.new("RGB", (1000, 500), (20, 160, 40))
    image.paste((240, 240, 240), (0, 0, 300, 500))
    red, green, blue = (int(process(encode(image)).color[i : i + 2], 16) for i in (1, 3, 5))
    assert close((red, green, blue), (20, 160, 40), tolerance=6)


@pytest.mark.parametrize("commonest", [0, 1, 2])
def test_the_placeholder_is_the_colour_covering_most_of_the_photo(commonest: int) -> None:
    colours = [(30, 160, 60), (40, 60, 200), (200, 30, 30)]
    widths = [20, 30, 20]
    widths[commonest] = 60
    image = Image.new("RGB", (sum(widths), 40))
    for left, colour, width in zip(itertools.accumulate([0, *widths]), colours, widths, strict=False):
        image.paste(colour, (left, 0, left + width, 40))
    assert process(encode(image, "PNG")).color == "#{:02x}{:02x}{:02x}".format(*colours[commonest])


def test_shades_of_one_colour_count_together_for_the_placeholder() -> None:
    """Ten shades of green, each covering less than the red, together cover most of the photo: green wins."""
    image = Image.new("RGB", (200, 40), (200, 30, 30))  # red: 15%
    for i in range(10):
        image.paste((20 + 8 * i, 150 + 4 * i, 60), (30 + 17 * i, 0, 47 + 17 * i, 40))  # 8.5% each
    red, green, blue = (int(process(encode(image, "PNG")).color[i : i + 2], 16) for i in (1, 3, 5))
    assert 20 <= red <= 92 and 150 <= green <= 190 and blue == 60


def test_smaller_renditions_are_lanczos_reductions() -> None:
    """Lanczos, Pillow's sharpest filter, keeps fine detail (and the rendition is encoded at the agreed settings)."""
    image = Image.effect_noise((640, 8), 60).convert("RGB")
    webp, jpeg = process(encode(image, "PNG")).renditions[:2]
    reduced = image.resize((320, 4), Image.Resampling.LANCZOS)
    assert webp.data == encode(reduced, "WEBP", quality=80, method=4)
    assert jpeg.data == encode(reduced, "JPEG", quality=82, progressive=True, optimize=True)


def test_a_large_reduction_of_a_png_is_done_in_two_steps() -> None:
    """Six times or more, Pillow first box-reduces by a whole factor, then Lanczos does the rest (reducing_gap 3):
    several times faster on a large PNG, and by Pillow's account indistinguishable from a one-step reduction.
    The bytes show which was done (JPEGs are already reduced by the decoder and never get that far)."""
    image = Image.effect_noise((9600, 12), 60).convert("RGB")
    webp = process(encode(image, "PNG")).renditions[-2]
    reduced = image.resize((1600, 2), Image.Resampling.LANCZOS, reducing_gap=3.0)
    assert webp.data == encode(reduced, "WEBP", quality=80, method=2)
    assert webp.data != encode(image.resize((1600, 2), Image.Resampling.LANCZOS), "WEBP", quality=80, method=2)


def test_processing_is_deterministic() -> None:
    image = Image.effect_noise((700, 300), 40).convert("RGB")
    data = encode(image, quality=92)
    first, second = process(data), process(data)
    assert first == second
    assert len({r.data for r in first.renditions}) == len(first.renditions) == 6


def test_importing_imaging_does_not_import_pillow() -> None:
    code = "import sys, chalicelib.imaging; assert 'PIL' not in sys.modules, 'PIL imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(imaging.__file__).resolve().parents[1])


@pytest.mark.parametrize(
    ("stored", "orientation", "decoded_size", "largest"),
    [
        ((4000, 100), 1, (2000, 50), (1600, 40)),
        ((100, 4000), 6, (50, 2000), (1600, 40)),
        ((4000, 100), 6, (4000, 100), (100, 4000)),
        # half of 3999 is less than 1.25 × 1600: decoded in full
        ((3999, 100), 1, (3999, 100), (1600, 40)),
        # half of 99 is less than 1.25 × 40
        ((4000, 99), 1, (4000, 99), (1600, 40)),
    ],
    ids=["panorama", "panorama-on-its-side", "tall-on-its-side", "just-too-narrow", "just-too-low"],
)
def test_a_large_jpeg_is_decoded_at_reduced_size(
    monkeypatch: pytest.MonkeyPatch,
    stored: tuple[int, int],
    orientation: int,
    decoded_size: tuple[int, int],
    largest: tuple[int, int],
) -> None:
    from PIL import JpegImagePlugin

    decoded_sizes = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self: JpegImagePlugin.JpegImageFile, mode: str | None, size: tuple[int, int] | None) -> Any:
        result = draft(self, mode, size)
        decoded_sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    processed = process(encode(quadrants(stored, RED, BLUE), exif=exif))
    # half scale still leaves LANCZOS 1.25x to reduce to 1600 wide; an upright 100 × 4000 needs every pixel
    assert decoded_sizes == [decoded_size]
    upright = stored[::-1] if orientation == 6 else stored
    assert (processed.width, processed.height) == upright
    image = decoded(processed)[-1]
    assert image.size == largest
    assert close(image.getpixel((image.width - 10, 10) if orientation == 6 else (10, 10)), RED)


def too_tall(height: int, width: int) -> str:
    return (
        f"image is too tall for the web: {height} px high at {width} px wide (at most 16383); "
        "split it into several photos"
    )


def test_a_very_long_image_is_rejected_with_a_reason_not_a_crash() -> None:
    """WebP stops at 16383 px; a long vertical image (长图) 40 px wide would need 20000."""
    assert reason_of(lambda: process(encode(Image.new("RGB", (40, 20000), BLUE), "PNG"))) == too_tall(20000, 40)


def test_an_image_exactly_as_tall_as_webp_allows_gets_renditions_and_one_more_pixel_is_refused() -> None:
    processed = process(encode(Image.new("RGB", (40, 16383), BLUE), "PNG"))
    assert [(r.width, r.height, r.format) for r in processed.renditions] == [(40, 16383, "webp"), (40, 16383, "jpeg")]
    assert [image.size for image in decoded(processed)] == [(40, 16383)] * 2
    assert reason_of(lambda: process(encode(Image.new("RGB", (40, 16384), BLUE), "PNG"))) == too_tall(16384, 40)


def test_the_height_limit_is_for_the_largest_rendition_not_the_original() -> None:
    # 1601 × 16394 shrinks to 1600 × 16384 for the web: one pixel too tall, refused from the header alone
    assert reason_of(lambda: process(jpeg_claiming(1601, 16394))) == too_tall(16384, 1600)
    # lying on its side (EXIF 6, stored 16394 × 1601), the same photo is as tall once upright
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    sideways = jpeg_claiming(16394, 1601)
    sideways = sideways[:2] + b"\xff\xe1" + struct.pack(">H", len(exif.tobytes()) + 2) + exif.tobytes() + sideways[2:]
    assert reason_of(lambda: process(sideways)) == too_tall(16384, 1600)


def test_a_long_image_within_the_limit_gets_renditions() -> None:
    processed = process(encode(Image.new("RGB", (200, 12000), BLUE), quality=80))
    assert max(r.height for r in processed.renditions) <= 16383
