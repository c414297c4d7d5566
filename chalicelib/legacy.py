"""An imported site's leftovers: its old URLs (answered with a 301) and its files' content hashes.

Written by the importers in ops/ at import time, read by `routes/legacy.py` with one GetItem.
"""

from __future__ import annotations

from urllib.parse import unquote

from chalicelib.models import LegacyModel

URL = "url:"
CONTENT = "sha256:"
FILE = "file-sha256:"  # an attachment's: the SHA-256 of its name and content
INDEX_PAGES = ("index.html", "index.htm", "index.php")


def old_path(path: str, aid: str | None = None) -> str:
    """The stored form of an old URL: decoded, without a trailing slash or index page; `view.php` by its aid."""
    path = unquote(path).rstrip("/")
    for index in INDEX_PAGES:
        if path.endswith("/" + index):
            path = path[: -len(index) - 1]
    if aid is not None:
        path = f"{path}?aid={aid}"
    return path or "/"


def redirect_for(path: str) -> str | None:
    """The new page's path for an old URL in `old_path`'s form, or None."""
    try:
        return LegacyModel.get(URL + path).target
    except LegacyModel.DoesNotExist:
        return None


def remember_redirect(path: str, target: str) -> bool:
    """Store (or correct) an old URL's target; False when it was already stored so."""
    return _remember(URL + path, target)


def photo_with_content(sha256: str) -> str | None:
    try:
        return LegacyModel.get(CONTENT + sha256, consistent_read=True).target
    except LegacyModel.DoesNotExist:
        return None


def remember_photo(sha256: str, photo_id: str) -> None:
    _remember(CONTENT + sha256, photo_id)


def attachment_with_content(sha256: str) -> str | None:
    try:
        return LegacyModel.get(FILE + sha256, consistent_read=True).target
    except LegacyModel.DoesNotExist:
        return None


def remember_attachment(sha256: str, attachment_id: str) -> None:
    _remember(FILE + sha256, attachment_id)


def _remember(key: str, target: str) -> bool:
    try:
        if LegacyModel.get(key, consistent_read=True).target == target:
            return False
    except LegacyModel.DoesNotExist:
        pass
    LegacyModel(key, target=target).save()
    return True
