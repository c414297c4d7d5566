"""Photos the server brings in itself (a WeChat image, a pasted image's URL, a Word file's picture).

A WeChat import fetches only from WECHAT_IMAGE_HOSTS; an image pasted from any web page (`POST
/api/photos/fetch`) may come from any public http(s) host, with every other check the fetcher makes.

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
from chalicelib.fetching import Fetcher, Purpose, Resolver, system_resolver
from chalicelib.file_types import size_label
from chalicelib.ids import new_id
from chalicelib.media_keys import upload_key
from chalicelib.models import PhotoModel
from chalicelib.photo_rejections import rejection_code
from chalicelib.photos import COLLECTION, MAX_FILENAME, media_bucket_client
from chalicelib.processing import MAX_PIXELS
from chalicelib.statuses import PhotoStatus

WEB_TIMEOUT = 15.0  # seconds for one pasted image, redirects included (an editor waits for it)
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
        raise InvalidInput(f"larger than {size_label(settings.max_upload_bytes)}", field=field, code="photo_size")
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


def _check_pixels(data: bytes, field: str) -> None:
    """Refuse, from the header alone, an image the processor would refuse (a decompression bomb, a broken file)."""
    from chalicelib.imaging import ImageRejected, inspect

    try:
        inspect(data, MAX_PIXELS)
    except ImageRejected as rejected:
        code, limit = rejection_code(rejected.reason)
        raise InvalidInput(rejected.reason, field=field, code=code, limit=limit) from None


def image_fetcher() -> Fetcher:
    """The fetcher for a WeChat article's images: WECHAT_IMAGE_HOSTS only, over https."""
    settings = get_settings()
    purpose = Purpose("WeChat images", settings.wechat_image_hosts, settings.max_upload_bytes)
    return Fetcher(purpose, loopback=settings.fetch_loopback_hosts)


def web_image_fetcher(resolver: Resolver = system_resolver) -> Fetcher:
    """The fetcher for an image pasted from any web page: any public http(s) host (addresses still checked)."""
    settings = get_settings()
    purpose = Purpose("web images", None, settings.max_upload_bytes, timeout=WEB_TIMEOUT, allow_http=True)
    return Fetcher(purpose, loopback=settings.fetch_loopback_hosts, resolver=resolver)


def fetch_photo(url: str, fetcher: Fetcher | None = None) -> Intake:
    """Fetch the image at `url` (safely, from any public host) and make it a photo; 400s with a code if not."""
    fetched = (fetcher or web_image_fetcher()).get(url)
    if image_type(fetched.body) is not None:
        _check_pixels(fetched.body, "url")
    return photo_from_bytes(fetched.body, image_name(url, image_type(fetched.body)))


def image_name(url: str, content_type: str | None) -> str:
    """A file name for a remote image: its path's last part, with WeChat's `wx_fmt` as the extension."""
    parts = urlsplit(url)
    stem = unquote(posixpath.basename(parts.path.rstrip("/"))) or "photo"
    if "." in stem:
        return stem
    extension = parse_qs(parts.query).get("wx_fmt", [""])[0] or EXTENSIONS.get(content_type or "", "")
    return f"{stem}.{extension}" if extension.isalnum() else stem
