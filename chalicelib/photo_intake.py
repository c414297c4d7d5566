"""Photos the server brings in itself (a WeChat image, a pasted image's URL, a Word file's picture).

The bytes go where a browser's upload goes, `uploads/{photo_id}`, so the usual processor makes the
renditions and strips EXIF/GPS. Each content is one photo: its SHA-256 is kept in the `legacy` table
against the photo (the importers' dedupe, `legacy.photo_with_content`), so an image fetched twice, or
imported earlier from DedeCMS, is the same photo.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from chalicelib import legacy
from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput
from chalicelib.fetching import Fetcher, Purpose
from chalicelib.ids import new_id
from chalicelib.media_keys import upload_key
from chalicelib.models import PhotoModel
from chalicelib.photos import COLLECTION, MAX_FILENAME, media_bucket_client
from chalicelib.statuses import PhotoStatus

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


@dataclass(frozen=True)
class Intake:
    photo_id: str
    new: bool  # False when a photo with the same content existed


def image_type(data: bytes) -> str | None:
    """The content type by magic bytes: JPEG, PNG or WebP (what the processor takes), else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def photo_from_bytes(data: bytes, filename: str, field: str = "url") -> Intake:
    """The photo for these bytes: an existing one with the same content, or a new one being processed."""
    content_type = image_type(data)
    if content_type is None:
        raise InvalidInput("not a JPEG, PNG or WebP image", field=field, code="photo_format")
    settings = get_settings()
    if len(data) > settings.max_upload_bytes:
        raise InvalidInput(f"larger than {settings.max_upload_bytes // 1048576} MB", field=field, code="photo_size")
    digest = hashlib.sha256(data).hexdigest()
    existing = legacy.photo_with_content(digest)
    if existing is not None:
        return Intake(existing, new=False)
    photo_id = new_id()
    name = (filename or "photo")[:MAX_FILENAME]
    PhotoModel(
        photo_id,
        status=PhotoStatus.PENDING,
        filename=name,
        content_type=content_type,
        size=len(data),
        created_at=now(),
        collection=COLLECTION,
        sha256=digest,
    ).save()
    media_bucket_client().put_object(
        Bucket=settings.media_bucket, Key=upload_key(photo_id), Body=data, ContentType=content_type
    )
    legacy.remember_photo(digest, photo_id)
    return Intake(photo_id, new=True)


def image_fetcher() -> Fetcher:
    """The fetcher for remote images editors bring in: WECHAT_IMAGE_HOSTS only."""
    settings = get_settings()
    purpose = Purpose("WeChat images", settings.wechat_image_hosts, settings.max_upload_bytes)
    return Fetcher(purpose, loopback=settings.fetch_loopback_hosts)


def fetch_photo(url: str, fetcher: Fetcher | None = None) -> Intake:
    """Fetch the image at `url` (safely) and make it a photo; 400s with a code when it cannot be."""
    fetched = (fetcher or image_fetcher()).get(url)
    return photo_from_bytes(fetched.body, image_name(url, image_type(fetched.body)))


def image_name(url: str, content_type: str | None) -> str:
    """A file name for a remote image: its path's last part, with WeChat's `wx_fmt` as the extension."""
    parts = urlsplit(url)
    stem = unquote(posixpath.basename(parts.path.rstrip("/"))) or "photo"
    if "." in stem:
        return stem
    extension = parse_qs(parts.query).get("wx_fmt", [""])[0] or EXTENSIONS.get(content_type or "", "")
    return f"{stem}.{extension}" if extension.isalnum() else stem
