"""Photo files as cameras and careless clients make them, drawn with Pillow."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import quote_plus

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


def s3_record(
    key: str, size: int, encode_slash: bool = False, event_name: str = "ObjectCreated:Post"
) -> dict[str, Any]:
    """One record of an S3 event notification (keys URL-encoded as S3 does)."""
    encoded = quote_plus(key, safe="" if encode_slash else "/")
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "eventName": event_name,
        "s3": {"bucket": {"name": "media"}, "object": {"key": encoded, "size": size}},
    }


def s3_notification(key: str, size: int, encode_slash: bool = False, event_name: str = "ObjectCreated:Post") -> str:
    """The body S3 puts on the queue for one event (an ObjectCreated one unless told)."""
    return s3_notification_of(s3_record(key, size, encode_slash, event_name))


def s3_notification_of(*records: dict[str, Any]) -> str:
    """The body of a notification holding several records."""
    return json.dumps({"Records": list(records)})


TEST_EVENT = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "media"})
