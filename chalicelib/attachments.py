"""Attachments (报名表.docx, 通知.pdf) and uploaded MP4 videos: presigned upload, a check on arrival, counted downloads.

1. `start_upload`: the browser gets a presigned POST for `attachments/incoming/{id}` with the Content-Type
   (from the extension), the exact size and the file's name (percent-encoded metadata) pinned.
2. `complete`: the first bytes are read; a file that is not what its extension says, an executable or HTML is
   deleted and refused; a good one is copied to its private key (`media_keys.attachment_key`) with
   `Content-Disposition: attachment; filename="ascii"; filename*=UTF-8''...` (RFC 6266/5987), or, for an MP4,
   to its public video key. The answer is the block to put in the article.
3. `download_url`: one HEAD (it exists), one `ADD` on its counter (exact, as views are), and a presigned GET
   valid five minutes; readers never get the file inline.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote

from chalicelib import file_types
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.ids import ID, new_id
from chalicelib.media_keys import attachment_key, incoming_attachment_key, video_key
from chalicelib.models import CounterModel
from chalicelib.photos import media_bucket_client
from chalicelib.validation import integer, only_fields, text

MAX_FILENAME = 255
DOWNLOAD_SECONDS = 300
COUNTER_PREFIX = "file:"  # a download counter's key in the counters table (article ids never hold ":")
ASCII_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def start_upload(data: dict[str, Any]) -> dict[str, Any]:
    """The form the browser posts the file with (key, type, size and name pinned)."""
    settings = get_settings()
    only_fields(data, {"filename", "size"})
    filename = (text(data, "filename", MAX_FILENAME, required=True) or "").strip()
    kind = file_types.file_type(filename)
    if kind is None:
        accepted = ", ".join(t.upper() for t in file_types.TYPES)
        raise InvalidInput(f"accepted files: {accepted}", field="filename", code="attachment_type")
    try:
        size = integer(data, "size", 1, settings.max_attachment_bytes)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="size", code="attachment_size") from None
    attachment_id = new_id()
    name = quote(filename, safe="")
    upload = media_bucket_client().generate_presigned_post(
        Bucket=settings.media_bucket,
        Key=incoming_attachment_key(attachment_id),
        Fields={"Content-Type": kind.content_type, "x-amz-meta-filename": name},
        Conditions=[
            {"Content-Type": kind.content_type},
            {"x-amz-meta-filename": name},
            ["content-length-range", size, size],
        ],
        ExpiresIn=settings.upload_expires_seconds,
    )
    return {"attachment_id": attachment_id, "upload": upload, "expires_in": settings.upload_expires_seconds}


def complete(attachment_id: str) -> dict[str, Any]:
    """Check the upload's bytes against its name; the block for it, or a 400 (and the upload deleted)."""
    _check_id(attachment_id)
    settings = get_settings()
    s3 = media_bucket_client()
    incoming = incoming_attachment_key(attachment_id)
    try:
        head = s3.get_object(Bucket=settings.media_bucket, Key=incoming, Range=f"bytes=0-{file_types.SNIFF_BYTES - 1}")
    except s3.exceptions.NoSuchKey:
        raise NotFound("no upload with this id (or it was already checked)", code="attachment_missing") from None
    filename = unquote(head.get("Metadata", {}).get("filename", ""))
    size = int(str(head.get("ContentRange", "/0")).rsplit("/", 1)[-1] or 0) or int(head.get("ContentLength", 0))
    kind = file_types.file_type(filename)
    problem = "attachment_type" if kind is None else file_types.problem(kind, head["Body"].read())
    if kind is None or problem or size > settings.max_attachment_bytes:
        s3.delete_object(Bucket=settings.media_bucket, Key=incoming)
        raise InvalidInput(_refusal(problem or "attachment_size"), field="file", code=problem or "attachment_size")
    target = video_key(attachment_id) if kind.extension == "mp4" else attachment_key(attachment_id)
    extra = {} if kind.extension == "mp4" else {"ContentDisposition": content_disposition(filename)}
    s3.copy_object(
        Bucket=settings.media_bucket,
        Key=target,
        CopySource={"Bucket": settings.media_bucket, "Key": incoming},
        MetadataDirective="REPLACE",
        ContentType=kind.content_type,
        Metadata={"filename": quote(filename, safe="")},
        CacheControl="public, max-age=31536000, immutable" if kind.extension == "mp4" else "private, no-store",
        **extra,
    )
    s3.delete_object(Bucket=settings.media_bucket, Key=incoming)
    if kind.extension == "mp4":
        return {"type": "video", "provider": "mp4", "video_id": attachment_id}
    return {"type": "attachment", "attachment_id": attachment_id, "filename": filename, "size": size}


REFUSALS = {
    "attachment_mismatch": "the file's content does not match its extension",
    "attachment_executable": "executable files are not accepted",
    "attachment_html": "HTML files are not accepted",
    "attachment_type": "this kind of file is not accepted",
    "attachment_size": "the file is larger than allowed",
}


def _refusal(code: str) -> str:
    return REFUSALS.get(code, "the file was refused")


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the real one in RFC 5987 form (S3 refuses raw non-Latin-1)."""
    stem, _, extension = filename.rpartition(".")
    fallback = ASCII_SAFE.sub("_", stem).strip("_ .") or "attachment"
    ascii_name = f"{fallback}.{ASCII_SAFE.sub('', extension)}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_url(attachment_id: str) -> str:
    """Count one download and return where the file is, for five minutes; NotFound for no such attachment."""
    _check_id(attachment_id)
    settings = get_settings()
    s3 = media_bucket_client()
    key = attachment_key(attachment_id)
    try:
        stored = s3.head_object(Bucket=settings.media_bucket, Key=key)
    except s3.exceptions.ClientError:
        raise NotFound("no such attachment") from None
    CounterModel(COUNTER_PREFIX + attachment_id).update(actions=[CounterModel.views.add(1)])
    filename = unquote(stored.get("Metadata", {}).get("filename", "")) or "attachment"
    return str(
        s3.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": settings.media_bucket,
                "Key": key,
                "ResponseContentDisposition": content_disposition(filename),
                "ResponseContentType": stored.get("ContentType") or "application/octet-stream",
            },
            ExpiresIn=DOWNLOAD_SECONDS,
        )
    )


def downloads(attachment_id: str) -> int:
    _check_id(attachment_id)
    try:
        return int(CounterModel.get(COUNTER_PREFIX + attachment_id).views)
    except CounterModel.DoesNotExist:
        return 0


def _check_id(attachment_id: str) -> None:
    if not ID.fullmatch(attachment_id or ""):
        raise NotFound("no such attachment")
