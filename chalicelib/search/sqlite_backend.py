"""The SQLite backend: one index file, `search/index.sqlite3.gz` (SEARCH_INDEX_KEY) in the media bucket.

One writer: the scheduled `fold_search` function (reserved concurrency 1) applies the pending articles to
the file and puts it back (`apply`). Readers keep a copy in /tmp and ask S3 for a newer one (a conditional
GET) at most every SEARCH_REFRESH_SECONDS; chalicelib/search checks each page of hits against `articles`.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chalicelib import clock
from chalicelib.config import get_settings
from chalicelib.media_keys import SEARCH_INDEX_KEY
from chalicelib.search.sqlite_index import Document, Hit, SqliteIndex
from chalicelib.search.text import Query

GZIP_LEVEL = 1  # level 6 is 9% smaller but over three times slower to pack (README "Search")
MISSING = {"NoSuchKey", "404"}
UNCHANGED = {"NotModified", "304"}


class _Copy:
    """This container's copy of the file (the local stack serves requests on threads: one at a time)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index = SqliteIndex(":memory:")
        self.etag: str | None = None
        self.checked_at = float("-inf")

    def fresh(self, max_age: float) -> SqliteIndex:
        age = clock.seconds() - self.checked_at
        if not 0 <= age < max_age:  # also when the clock went back (tests set it; NTP may)
            folder = Path(tempfile.gettempdir()) / "newsroom-search"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{get_settings().stage}-{os.getpid()}.sqlite3"
            etag = _download(path, self.etag, before=self.forget)
            if etag:  # "" (no file yet): `forget` left an empty index
                self.index, self.etag = SqliteIndex(path), etag
            self.checked_at = clock.seconds()
        return self.index

    def forget(self) -> None:
        """An empty index until the next download (also while the file is replaced, should that fail)."""
        self.index.close()
        self.index, self.etag, self.checked_at = SqliteIndex(":memory:"), None, float("-inf")


_copy = _Copy()


def search(query: Query, at: Any, limit: int, offset: int) -> list[Hit]:
    with _copy.lock:
        return _copy.fresh(get_settings().search_refresh_seconds).search(query, at, limit, offset)


def forget_copy() -> None:
    with _copy.lock:
        _copy.forget()


def apply(changes: dict[str, Document | None]) -> None:
    """Put each article in the file as it now is (None: taken out) and upload it (the one writer)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.sqlite3"
        _download(path, None)
        index = SqliteIndex(path)
        try:
            index.replace(changes)  # no VACUUM: later changes reuse the free pages (bench/search.py)
        finally:
            index.close()
        packed = Path(folder) / "index.sqlite3.gz"
        with path.open("rb") as source, gzip.open(packed, "wb", compresslevel=GZIP_LEVEL) as target:
            shutil.copyfileobj(source, target, 1 << 20)
        with packed.open("rb") as stream:
            _s3().put_object(
                Bucket=get_settings().media_bucket, Key=SEARCH_INDEX_KEY, Body=stream, ContentType="application/gzip"
            )


def _download(path: Path, etag: str | None, before: Callable[[], None] | None = None) -> str | None:
    """Unpack S3's file into `path`: its ETag; "" if there is none; None if it is still `etag`."""
    options: dict[str, Any] = {"Bucket": get_settings().media_bucket, "Key": SEARCH_INDEX_KEY}
    if etag:
        options["IfNoneMatch"] = etag
    try:
        response = _s3().get_object(**options)
    except Exception as error:
        code = str((getattr(error, "response", None) or {}).get("Error", {}).get("Code", ""))
        if code in UNCHANGED:
            return None
        if code not in MISSING:
            raise
        response = None
    if before:
        before()
    if response is None:
        path.unlink(missing_ok=True)
        return ""
    partial = path.with_suffix(".partial")
    with gzip.GzipFile(fileobj=response["Body"]) as source, partial.open("wb") as target:
        shutil.copyfileobj(source, target, 1 << 20)
    os.replace(partial, path)
    return str(response["ETag"])


def _s3() -> Any:
    from chalicelib.photos import media_bucket_client

    return media_bucket_client()
