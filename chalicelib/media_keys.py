"""Where a photo lives in the media bucket: the private upload and its public renditions."""

from __future__ import annotations

import posixpath
from urllib.parse import quote, urlsplit

UPLOAD_PREFIX = "uploads/"
RENDITIONS_PREFIX = "renditions/"


def upload_key(photo_id: str) -> str:
    return f"{UPLOAD_PREFIX}{photo_id}"


def renditions_folder(photo_id: str) -> str:
    """The key prefix of one photo's renditions (no trailing slash)."""
    return f"{RENDITIONS_PREFIX}{photo_id}"


def rendition_key(photo_id: str, width: int, extension: str) -> str:
    return f"{renditions_folder(photo_id)}/{width}.{extension}"


def photo_object_keys(photo_id: str, rendition_urls: list[str]) -> list[str]:
    """Every object of one photo: its upload and its renditions (each named as its URL ends)."""
    names = [posixpath.basename(urlsplit(url).path) for url in rendition_urls]
    return [upload_key(photo_id), *(f"{renditions_folder(photo_id)}/{name}" for name in names)]


def rendition_url(media_base_url: str, photo_id: str, width: int, extension: str) -> str:
    """A rendition's public URL: the one place readers' pages, feeds, link previews and the API build it."""
    return f"{media_base_url}/{rendition_key(quote(photo_id), width, extension)}"


SEARCH_INDEX_KEY = "search/index.sqlite3.gz"  # private: the bucket policy makes only renditions/ public
ATTACHMENTS_PREFIX = "attachments/"  # private: downloads go through /files/{id} (counted, presigned)
INCOMING_ATTACHMENTS_PREFIX = "attachments/incoming/"  # the browser's upload, until it is checked


def incoming_attachment_key(attachment_id: str) -> str:
    return f"{INCOMING_ATTACHMENTS_PREFIX}{attachment_id}"


def attachment_key(attachment_id: str) -> str:
    """A checked attachment (copied here from its incoming key once its bytes match its type)."""
    return f"{ATTACHMENTS_PREFIX}files/{attachment_id}"


def video_key(attachment_id: str) -> str:
    """A checked MP4 for a video block: public, under renditions/ like the photos readers see."""
    return f"{RENDITIONS_PREFIX}videos/{attachment_id}.mp4"
