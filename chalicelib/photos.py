"""Photo records and browser uploads straight to S3 through presigned POST.

The server chooses the key; the policy pins the key, the Content-Type and a
size range, and expires within minutes. S3 enforces it in production; the
processor re-checks every upload anyway (moto does not enforce policies).
"""

from __future__ import annotations

import functools
import re
from datetime import timedelta
from typing import Any

from chalicelib import legacy
from chalicelib.articles import now
from chalicelib.config import aws_client_config, endpoint_url, get_settings
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.ids import new_id
from chalicelib.media_keys import upload_key
from chalicelib.models import ArticleModel, PhotoModel
from chalicelib.pagination import query_page
from chalicelib.photo_rejections import rejection_code
from chalicelib.statuses import PhotoStatus
from chalicelib.validation import identifier, integer, only_fields, text

CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_FILENAME = 255
COLLECTION = "photos"
ABANDONED_AFTER = timedelta(days=1)  # a pending photo whose upload never came leaves the library, then the table
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def start_upload(data: dict[str, Any]) -> dict[str, Any]:
    """Record a pending photo and return the form the browser posts the file with.

    With the file's `sha256` (the browser's), a photo already made from that content is answered instead,
    `reused` and without a form: the same file uploaded again is one photo in the library.
    """
    settings = get_settings()
    only_fields(data, {"filename", "content_type", "size", "article_id", "sha256"})
    filename = text(data, "filename", MAX_FILENAME, required=True)
    content_type = data.get("content_type")
    if content_type not in CONTENT_TYPES:
        raise InvalidInput(
            f"content_type must be one of: {', '.join(CONTENT_TYPES)}", field="content_type", code="bad_content_type"
        )
    size = data.get("size")
    if isinstance(size, int) and not isinstance(size, bool) and size > settings.max_upload_bytes:
        limit = settings.max_upload_bytes
        raise InvalidInput(f"the file is larger than {limit} bytes", field="size", code="file_too_large", limit=limit)
    size = integer(data, "size", 1, settings.max_upload_bytes)
    article_id = identifier(data, "article_id")  # checked, not stored: an article links a photo by showing it (used_by)
    if article_id and ArticleModel.count(article_id) == 0:
        raise InvalidInput(f"unknown article: {article_id}", field="article_id", code="unknown_article")
    existing = photo_with_content(_sha256(data))
    if existing is not None:
        return {**photo_data(existing), "reused": True}
    photo_id = new_id()
    moment = now()
    PhotoModel(
        photo_id,
        status=PhotoStatus.PENDING,
        filename=filename,
        content_type=content_type,
        size=size,
        created_at=moment,
        collection=COLLECTION,
        expires=int((moment + ABANDONED_AFTER).timestamp()),  # the processor removes it
    ).save()
    expires_in = settings.upload_expires_seconds
    upload = media_bucket_client().generate_presigned_post(
        Bucket=settings.media_bucket,
        Key=upload_key(photo_id),
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, settings.max_upload_bytes]],
        ExpiresIn=expires_in,
    )
    return {"photo_id": photo_id, "upload": upload, "expires_in": expires_in}


def _sha256(data: dict[str, Any]) -> str | None:
    digest = data.get("sha256")
    if digest is None:
        return None
    if not isinstance(digest, str) or not SHA256.match(digest):
        raise InvalidInput("sha256: 64 lowercase hexadecimal digits", field="sha256", code="bad_sha256")
    return digest


def photo_with_content(digest: str | None) -> PhotoModel | None:
    """The usable photo made from content of this SHA-256 (hashed by the processor or the server's intake)."""
    photo_id = legacy.photo_with_content(digest) if digest else None
    if photo_id is None:
        return None
    try:
        photo = PhotoModel.get(photo_id, consistent_read=True)
    except PhotoModel.DoesNotExist:
        return None
    return None if photo.status == PhotoStatus.REJECTED or abandoned(photo) else photo


def abandoned(photo: PhotoModel) -> bool:
    return photo.status == PhotoStatus.PENDING and photo.created_at <= now() - ABANDONED_AFTER


def get_photo(photo_id: str) -> PhotoModel:
    try:
        return PhotoModel.get(photo_id, consistent_read=True)
    except PhotoModel.DoesNotExist:
        raise NotFound("photo not found", code="photo_not_found", photo_id=photo_id) from None


MAX_STATUS_IDS = 100  # a BatchGetItem's limit: every photo of a long article in one look


def photos_by_id(ids: list[str]) -> list[PhotoModel]:
    """The photos of these ids that exist, in one BatchGetItem (an article's photos polled together)."""
    return list(PhotoModel.batch_get(ids, consistent_read=True)) if ids else []


def list_photos(cursor: str | None, limit: int) -> tuple[list[PhotoModel], str | None]:
    """Every photo, newest first, from the `library` index (one Query a page); abandoned uploads left out."""
    kept = (PhotoModel.status != PhotoStatus.PENDING) | (PhotoModel.created_at > now() - ABANDONED_AFTER)
    return query_page(
        PhotoModel.library,
        "collection",
        COLLECTION,
        PhotoModel.created_at,
        cursor,
        limit,
        table_key="photo_id",
        filter_condition=kept,
    )


def photo_data(photo: PhotoModel) -> dict[str, Any]:
    data: dict[str, Any] = {"photo_id": photo.photo_id, "status": photo.status, "filename": photo.filename}
    if photo.width:
        data.update(width=int(photo.width), height=int(photo.height))
    if photo.renditions:
        data["renditions"] = [
            {"width": int(r["width"]), "height": int(r["height"]), "format": r["format"], "url": r["url"]}
            for r in photo.renditions
        ]
    if photo.reason:
        code, limit = rejection_code(photo.reason)
        data.update(reason=photo.reason, reason_code=code, **({"limit": limit} if limit else {}))
    return data


@functools.lru_cache(maxsize=1)
def media_bucket_client() -> Any:
    """The S3 client for the media bucket, created on first use (never on the reader path).

    SigV4 explicitly: botocore still presigns S3 with SigV2 by default in us-east-1.
    """
    import boto3

    return boto3.client(
        "s3",
        region_name=get_settings().region,
        endpoint_url=endpoint_url(),
        config=aws_client_config(signature_version="s3v4"),
    )
