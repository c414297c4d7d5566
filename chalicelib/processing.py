"""Photo processing: S3 upload notifications (through SQS) in, renditions and photo records out.

Lambda and the local stack's poller call `handle_messages` with the same SQS
event. Each message is handled on its own; those that fail for a reason worth
retrying are reported in `batchItemFailures`, so the queue redelivers only
them (and moves them to the dead-letter queue after three tries). A bad image
is not such a reason: the photo is marked `rejected` and the message is done.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from chalicelib import legacy, media_keys, metrics
from chalicelib.article_photos import refresh_articles
from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.media_keys import UPLOAD_PREFIX
from chalicelib.models import PhotoModel
from chalicelib.photos import media_bucket_client
from chalicelib.statuses import PhotoStatus

if TYPE_CHECKING:
    from chalicelib.imaging import Processed

log = logging.getLogger(__name__)

CACHE_FOREVER = "public, max-age=31536000, immutable"
MAX_PIXELS = 50_000_000
LAST_RECEIVE = 3  # the queue's maxReceiveCount (infra/resources.json)


def handle_messages(records: list[dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """Process an SQS batch; the answer names the messages to deliver again."""
    failures = []
    for record in records:
        keys: list[str] = []
        try:
            keys = upload_keys(record["body"])
            for key in keys:
                process_upload(key)
        except Exception:
            log.exception("photo message %s failed; it will be retried", record.get("messageId"))
            failures.append({"itemIdentifier": record["messageId"]})
            receives = int(record.get("attributes", {}).get("ApproximateReceiveCount", "1"))
            if receives >= LAST_RECEIVE:  # on to the dead-letter queue: tell the editors
                for key in keys:
                    _give_up(key)
    return {"batchItemFailures": failures}


def _give_up(key: str) -> None:
    try:
        photo = PhotoModel.get(key[len(UPLOAD_PREFIX) :], consistent_read=True)
        if photo.status == PhotoStatus.PENDING:
            from chalicelib.photo_rejections import GAVE_UP

            _reject(photo, "", GAVE_UP)
    except Exception:
        log.exception("could not mark %s as rejected", key)


def upload_keys(body: str) -> list[str]:
    """The uploaded keys an S3 notification names (none for s3:TestEvent or other prefixes)."""
    message = json.loads(body)
    if message.get("Event") == "s3:TestEvent":
        return []
    keys = []
    for record in message.get("Records", []):
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        s3_object = record.get("s3", {}).get("object", {})
        key = unquote_plus(s3_object.get("key", ""))  # S3 URL-encodes keys (moto even the '/')
        if key.startswith(UPLOAD_PREFIX):
            keys.append(key)
    return keys


def process_upload(key: str) -> str:
    """Turn one upload into renditions; idempotent. Returns the photo's status."""
    from chalicelib import imaging  # Pillow: only on this path, never at API cold start

    started = time.perf_counter()
    settings = get_settings()
    photo_id = key[len(UPLOAD_PREFIX) :]
    try:
        photo = PhotoModel.get(photo_id, consistent_read=True)
    except PhotoModel.DoesNotExist:
        log.warning("upload %s has no photo record; ignored", key)
        return "unknown"
    s3 = media_bucket_client()
    head = s3.head_object(Bucket=settings.media_bucket, Key=key)
    etag = head["ETag"]
    if photo.status in (PhotoStatus.READY, PhotoStatus.REJECTED):
        return _already_processed(photo, etag, key)
    length = int(head["ContentLength"])
    if length > settings.max_upload_bytes:
        return _reject(
            photo, etag, f"file is {length / 1048576:.1f} MB; the limit is {settings.max_upload_bytes / 1048576:.0f} MB"
        )
    data = s3.get_object(Bucket=settings.media_bucket, Key=key, IfMatch=etag)["Body"].read()
    digest = hashlib.sha256(data).hexdigest()
    try:
        processed = imaging.process(data, max_pixels=MAX_PIXELS)
    except imaging.ImageRejected as rejection:
        return _reject(photo, etag, rejection.reason)
    del data
    renditions = _store_renditions(s3, photo_id, processed)
    photo.update(
        actions=[
            PhotoModel.status.set(PhotoStatus.READY),
            PhotoModel.width.set(processed.width),
            PhotoModel.height.set(processed.height),
            PhotoModel.color.set(processed.color),
            PhotoModel.renditions.set(renditions),
            PhotoModel.reason.remove(),
            PhotoModel.source_etag.set(etag),
            PhotoModel.updated_at.set(now()),
            PhotoModel.sha256.set(digest),
            PhotoModel.expires.remove(),
        ]
    )
    if legacy.photo_with_content(digest) is None:  # the next upload of this content is this photo
        legacy.remember_photo(digest, photo_id)
    refresh_articles(photo)
    metrics.emit({"PhotosProcessed": 1.0, "PhotoProcessingTime": (time.perf_counter() - started) * 1000})
    return PhotoStatus.READY


def _already_processed(photo: PhotoModel, etag: str, key: str) -> str:
    """A ready or rejected photo's status; a redelivered notification refreshes its articles again."""
    if photo.source_etag == etag:  # a redelivered or duplicate notification
        refresh_articles(photo)  # in case the first delivery failed after marking the photo
    else:  # the form was used again: renditions are immutable, so the first upload stands
        log.warning("photo %s already %s; a second upload to %s is ignored", photo.photo_id, photo.status, key)
    return str(photo.status)


def _store_renditions(s3: Any, photo_id: str, processed: Processed) -> list[Any]:
    """Put each rendition in the media bucket (immutable: cached forever); their record for the photo."""
    settings = get_settings()
    renditions: list[Any] = []  # maps, as PhotoModel.renditions takes them
    for rendition in processed.renditions:
        extension = rendition.extension
        s3.put_object(
            Bucket=settings.media_bucket,
            Key=media_keys.rendition_key(photo_id, rendition.width, extension),
            Body=rendition.data,
            ContentType=rendition.content_type,
            CacheControl=CACHE_FOREVER,
        )
        renditions.append(
            {
                "width": rendition.width,
                "height": rendition.height,
                "format": rendition.format,
                "url": media_keys.rendition_url(settings.media_base_url, photo_id, rendition.width, extension),
            }
        )
    return renditions


def _reject(photo: PhotoModel, etag: str, reason: str) -> str:
    log.info("photo %s rejected: %s", photo.photo_id, reason)
    metrics.count("PhotosRejected", ("Reason", rejection_kind(reason)))
    photo.update(
        actions=[
            PhotoModel.status.set(PhotoStatus.REJECTED),
            PhotoModel.reason.set(reason),
            PhotoModel.renditions.remove(),
            PhotoModel.source_etag.set(etag),
            PhotoModel.updated_at.set(now()),
            PhotoModel.expires.remove(),
        ]
    )
    refresh_articles(photo)
    return PhotoStatus.REJECTED


# The PhotosRejected metric's Reason values, by rejection code.
REJECTION_KINDS = {
    "damaged": "damaged",
    "not_an_image": "not an image",
    "too_many_pixels": "too many pixels",
    "file_too_large": "file too large",
    "gave_up": "gave up",
}


def rejection_kind(reason: str) -> str:
    """A rejection's reason as one of a few words, for the PhotosRejected metric (the sentence has numbers)."""
    from chalicelib.photo_rejections import rejection_code

    return REJECTION_KINDS.get(rejection_code(reason)[0], "other")
