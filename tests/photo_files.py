"""Photo files as cameras and careless clients make them, drawn with Pillow."""

from __future__ import annotations

import io

from PIL import ExifTags, Image


def camera_jpeg(width: int = 4000, height: int = 3000, orientation: int = 6) -> bytes:
    """A JPEG with an EXIF orientation tag and GPS position; its top-left quadrant red."""
    image = Image.new("RGB", (width, height), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, width // 2, height // 2))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 51.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def webp_claiming(width: int, height: int) -> bytes:
    """A lossless WebP of one pixel whose header claims `width`×`height` (its pixels are never reached)."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1), (0, 0, 255)).save(out, "WEBP", lossless=True)
    data = bytearray(out.getvalue())
    at = data.index(b"VP8L") + 9  # past the chunk's size and the signature byte: 14 bits each, less one
    rest = int.from_bytes(data[at : at + 4], "little") & ~((1 << 28) - 1)
    data[at : at + 4] = ((width - 1) | (height - 1) << 14 | rest).to_bytes(4, "little")
    return bytes(data)
