"""The SQLite backend: one index file in the media bucket (`search/index.sqlite3`), a copy in each container.

Readers answer from the container's copy in /tmp and ask S3 (one HEAD-sized conditional GET) whether it
changed at most every SEARCH_REFRESH_SECONDS. Writers (the editors' publish, change, unpublish, delete)
bring their copy up to date, change it, and put it back only if nobody else did meanwhile: `If-Match`
on the ETag they read (`If-None-Match: *` for the first one); on a lost race they read again and
redo their change, so concurrent editors never overwrite each other's updates.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from chalicelib.config import get_settings
from chalicelib.media_keys import SEARCH_INDEX_KEY
from chalicelib.search.sqlite_index import Document, Hit, SqliteIndex
from chalicelib.search.text import Query

log = logging.getLogger(__name__)

WRITE_ATTEMPTS = 5  # lost races in a row before the editor's write gives up on the index (logged)
LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}
MISSING = {"NoSuchKey", "404"}
UNCHANGED = {"NotModified", "304"}


class _Copy:
    """This container's copy of the index: its file, the ETag it was read at, when S3 was last asked."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # the local stack serves requests on threads; Lambda one at a time
        self.folder = Path(tempfile.gettempdir()) / "newsroom-search"
        self.index: SqliteIndex | None = None
        self.etag: str | None = None
        self.checked_at = float("-inf")

    def fresh(self, max_age: float) -> SqliteIndex:
        """The index, read again from S3 if it changed and was not checked within `max_age` seconds."""
        if self.index is not None and time.monotonic() - self.checked_at < max_age:
            return self.index
        settings = get_settings()
        options: dict[str, Any] = {"Bucket": settings.media_bucket, "Key": SEARCH_INDEX_KEY}
        if self.index is not None and self.etag:
            options["IfNoneMatch"] = self.etag
        try:
            response = _s3().get_object(**options)
        except Exception as error:
            code = _code(error)
            if code in UNCHANGED:
                self.checked_at = time.monotonic()
                return self._open_index()
            if code not in MISSING:
                raise
            self._replace(None, None)  # no index yet: nothing published since search arrived
        else:
            self._replace(response["Body"].read(), response["ETag"])
        self.checked_at = time.monotonic()
        return self._open_index()

    def save(self) -> None:
        """Put the changed copy back, if S3's is still the one it was read from (else LostRace)."""
        data = self._path().read_bytes()
        condition = {"IfMatch": self.etag} if self.etag else {"IfNoneMatch": "*"}
        settings = get_settings()
        try:
            response = _s3().put_object(
                Bucket=settings.media_bucket,
                Key=SEARCH_INDEX_KEY,
                Body=data,
                ContentType="application/vnd.sqlite3",
                **condition,
            )
        except Exception as error:
            self.forget()  # the copy holds a change S3 does not
            if _code(error) in LOST_RACE:
                raise LostRace from None
            raise
        self.etag = response["ETag"]
        self.checked_at = time.monotonic()

    def forget(self) -> None:
        if self.index is not None:
            self.index.close()
        self.index, self.etag, self.checked_at = None, None, float("-inf")

    def _replace(self, data: bytes | None, etag: str | None) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path()
        if data is None:
            path.unlink(missing_ok=True)
        else:
            partial = path.with_suffix(".partial")
            partial.write_bytes(data)
            os.replace(partial, path)
        self.etag = etag

    def _open_index(self) -> SqliteIndex:
        if self.index is None:
            self.index = SqliteIndex(self._path())
        return self.index

    def _path(self) -> Path:
        return self.folder / f"{get_settings().stage}-{os.getpid()}.sqlite3"


class LostRace(Exception):
    """Someone else saved the index between our read and our write."""


_copy = _Copy()


def search(query: Query, at: datetime, limit: int, offset: int) -> list[Hit]:
    with _copy.lock:
        index = _copy.fresh(get_settings().search_refresh_seconds)
        return index.search(query, at, limit, offset)


def index_document(document: Document) -> None:
    def change(index: SqliteIndex) -> bool:
        index.add(document)
        return True

    _update(change)


def index_documents(documents: list[Document]) -> None:
    """Many documents in one read-change-save of the index (a rebuild: one upload, not one per article)."""

    def change(index: SqliteIndex) -> bool:
        index.add_many(documents)
        return bool(documents)

    _update(change)


def remove_article(article_id: str) -> None:
    _update(lambda index: index.remove(article_id))


def forget_copy() -> None:
    """Drop this container's copy (read again at the next search)."""
    with _copy.lock:
        _copy.forget()


def _update(change: Callable[[SqliteIndex], bool]) -> None:
    """Apply `change` to the newest index and save it; redo it on a lost race. `change` says if it changed."""
    with _copy.lock:
        for _attempt in range(WRITE_ATTEMPTS):
            index = _copy.fresh(max_age=0)
            if not change(index):
                return
            try:
                _copy.save()
                return
            except LostRace:
                continue
        raise RuntimeError(f"search index: lost {WRITE_ATTEMPTS} races in a row")


def _code(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _s3() -> Any:
    from chalicelib.photos import media_bucket_client

    return media_bucket_client()
