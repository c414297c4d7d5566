"""Where a photo lives in the media bucket: the private upload and its public renditions."""

from __future__ import annotations

UPLOAD_PREFIX = "uploads/"
RENDITIONS_PREFIX = "renditions/"


def upload_key(photo_id: str) -> str:
    return f"{UPLOAD_PREFIX}{photo_id}"


def renditions_folder(photo_id: str) -> str:
    """The key prefix of one photo's renditions (no trailing slash)."""
    return f"{RENDITIONS_PREFIX}{photo_id}"


def rendition_key(photo_id: str, width: int, extension: str) -> str:
    return f"{renditions_folder(photo_id)}/{width}.{extension}"


SEARCH_INDEX_KEY = "search/index.sqlite3.gz"  # private: the bucket policy makes only renditions/ public
