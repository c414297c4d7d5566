"""chalicelib.imaging: renditions from uploads; every image is made here with Pillow."""

from __future__ import annotations

import io
import random
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image, ImageCms, ImageOps

from chalicelib import imaging
from chalicelib.imaging import ImageRejected, Processed, inspect, process

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


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


def icc_profile(description: str, red: tuple[float, ...], green: tuple[float, ...], blue: tuple[float, ...]) -> bytes:
    """A minimal ICC v2 matrix/TRC RGB display profile (gamma 2.2) with the given D50 primaries."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    text = description.encode("ascii") + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 78
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\0\0"
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(*red))]
    tags += [(b"gXYZ", xyz(*green)), (b"bXYZ", xyz(*blue))]
    tags += [(b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table = body = b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = struct.pack(">I", offset + len(body)) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
    header += struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 28
    header += s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48
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
    ],
    ids=["empty", "html", "random", "gif-magic", "wav"],
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


def test_inspect_reads_format_and_size_from_the_header() -> None:
    assert inspect(encode(Image.new("RGB", (640, 480)), "WEBP"), 10**6) == ("WEBP", 640, 480)
    assert inspect(encode(Image.new("RGB", (640, 480)), "PNG"), 10**6) == ("PNG", 640, 480)
    # a header without the pixels behind it is enough: nothing was decoded
    assert inspect(png_claiming(8000, 8000), 10**8) == ("PNG", 8000, 8000)


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (8000, 8000)])
def test_a_decompression_bomb_is_refused_before_decoding(width: int, height: int) -> None:
    data = png_claiming(width, height)
    assert len(data) < 200
    for call in (lambda: process(data), lambda: inspect(data, 50_000_000)):
        with pytest.raises(ImageRejected) as rejected:
            call()
        # had the pixels been decoded, the few bytes of IDAT would have made it "damaged" instead
        assert "too many pixels" in rejected.value.reason
        assert "50,000,000" in rejected.value.reason


def test_the_pixel_limit_is_a_parameter() -> None:
    data = encode(Image.new("RGB", (800, 600)))
    with pytest.raises(ImageRejected, match=r"800×600; the limit is 100,000\)"):
        process(data, max_pixels=100_000)
    assert process(data, max_pixels=480_000).width == 800


def test_a_cmyk_jpeg_becomes_rgb() -> None:
    data = encode(Image.new("CMYK", (700, 500), (0, 255, 255, 0)))  # full magenta and yellow: red
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    processed = process(data)
    for image in decoded(processed):
        assert image.mode == "RGB"
        assert close(image.getpixel((10, 10)), RED)


def test_an_embedded_non_srgb_profile_is_converted_to_srgb() -> None:
    swapped = icc_profile("Red and green swapped", SRGB_GREEN, SRGB_RED, SRGB_BLUE)
    for format_ in ("JPEG", "PNG"):
        data = encode(Image.new("RGB", (700, 500), (200, 40, 40)), format_, icc_profile=swapped)
        for image in decoded(process(data)):
            assert "icc_profile" not in image.info
            assert close(image.getpixel((10, 10)), (35, 201, 35))


def test_a_transparent_png_with_a_profile_keeps_its_alpha() -> None:
    swapped = icc_profile("Red and green swapped", SRGB_GREEN, SRGB_RED, SRGB_BLUE)
    data = encode(Image.new("RGBA", (400, 300), (200, 40, 40, 80)), "PNG", icc_profile=swapped)
    webp = decoded(process(data))[0]
    assert close(webp.getpixel((10, 10)), (35, 201, 35, 80))


@pytest.mark.parametrize("icc", [b"not a profile", icc_profile("sRGB-ish", SRGB_RED, SRGB_GREEN, SRGB_BLUE)])
def test_a_broken_or_srgb_profile_leaves_colours_alone(icc: bytes) -> None:
    data = encode(Image.new("RGB", (500, 300), (200, 40, 40)), "PNG", icc_profile=icc)
    for image in decoded(process(data)):
        assert close(image.getpixel((10, 10)), (200, 40, 40), tolerance=6)


def test_a_16_bit_greyscale_png_keeps_its_tones() -> None:
    data = encode(Image.new("I;16", (400, 300), 40000), "PNG")
    image = decoded(process(data))[1]
    assert close(image.getpixel((10, 10)), (156, 156, 156), tolerance=3)


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


def test_processing_is_deterministic() -> None:
    image = Image.effect_noise((700, 300), 40).convert("RGB")
    data = encode(image, quality=92)
    first, second = process(data), process(data)
    assert first == second
    assert len({r.data for r in first.renditions}) == len(first.renditions) == 6


def test_importing_imaging_does_not_import_pillow() -> None:
    code = "import sys, chalicelib.imaging; assert 'PIL' not in sys.modules, 'PIL imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(imaging.__file__).resolve().parents[1])


def test_a_large_jpeg_is_decoded_at_reduced_size(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import JpegImagePlugin

    decoded_sizes = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self: JpegImagePlugin.JpegImageFile, mode: str | None, size: tuple[int, int] | None) -> Any:
        result = draft(self, mode, size)
        decoded_sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    processed = process(encode(quadrants((4000, 100), RED, BLUE)))
    assert decoded_sizes == [(2000, 50)]  # half scale still leaves LANCZOS 1.25x to reduce to 1600 wide
    assert (processed.width, processed.height) == (4000, 100)
    assert close(decoded(processed)[-1].getpixel((100, 10)), RED)


def test_a_very_long_image_is_rejected_with_a_reason_not_a_crash() -> None:
    """WebP stops at 16383 px; a long vertical image (长图) 40 px wide would need 20000."""
    with pytest.raises(ImageRejected) as rejected:
        process(encode(Image.new("RGB", (40, 20000), BLUE), "PNG"))
    assert "too tall" in rejected.value.reason


def test_a_long_image_within_the_limit_gets_renditions() -> None:
    processed = process(encode(Image.new("RGB", (200, 12000), BLUE), quality=80))
    assert max(r.height for r in processed.renditions) <= 16383
