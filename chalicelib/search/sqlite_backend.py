"""The SQLite backend: a base index file and a short list of changes since, both in the media bucket.

- `search/index.sqlite3.gz` (SEARCH_INDEX_KEY): the base, a gzipped SqliteIndex. Its `watermark` is the
  last change it includes. Rewritten only by a fold (the scheduled `fold_search` function every few minutes,
  or the save that makes the list FOLD_AFTER long: the local stack has no schedules) or a rebuild.
- `search/changes.json` (SEARCH_CHANGES_KEY, gzipped JSON): `{"base": W, "next": N, "changes": [...]}`,
  each change `{"seq", "id", "doc"}` (`doc` null: taken out). An editor's save appends one change: a
  few kilobytes read and written, not the base. Writes are conditional (`If-Match` on the ETag read,
  `If-None-Match: *` for the first) and redone on a lost race, so concurrent saves never lose one.

Readers keep the base in /tmp (fetched when a fold made theirs too old: the list's `base` is past their
file's watermark) and the changes after their base's watermark in a small in-memory index, merged at
query time; the base's rows that changed are hidden. They ask S3 for a new list (a conditional GET)
at most every SEARCH_REFRESH_SECONDS. A fold applies the changes to the base, puts it back (conditional
on its ETag), then trims the list of what the base now holds: a reader always has every change after
its own base's watermark, whichever order it sees the two objects in.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from chalicelib.config import get_settings
from chalicelib.media_keys import SEARCH_CHANGES_KEY, SEARCH_INDEX_KEY
from chalicelib.search.sqlite_index import Document, Hit, SqliteIndex
from chalicelib.search.text import Query

log = logging.getLogger(__name__)

WRITE_ATTEMPTS = 5  # lost races in a row before the editor's write gives up on the index (logged)
FOLD_AFTER = 50  # changes in the list before the save that made them folds them into the base
FOLD_BYTES = 512 * 1024  # or this much gzipped list (long articles)
GZIP_LEVEL = 1  # the base: level 6 is 9% smaller but over three times slower to pack (README "Search")
LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}
MISSING = {"NoSuchKey", "404"}
UNCHANGED = {"NotModified", "304"}


class LostRace(Exception):
    """Someone else wrote the object between our read and our write."""


@dataclass
class Changes:
    base: int = 0  # the watermark of the newest folded base
    next: int = 1
    changes: list[dict[str, Any]] = field(default_factory=list)
    etag: str | None = None  # None: no list in S3 yet

    @classmethod
    def parse(cls, data: bytes, etag: str | None) -> Changes:
        content = json.loads(gzip.decompress(data))
        return cls(int(content["base"]), int(content["next"]), list(content["changes"]), etag)

    def dump(self) -> bytes:
        content = {"base": self.base, "next": self.next, "changes": self.changes}
        return gzip.compress(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode(), 6)

    def after(self, watermark: int) -> list[dict[str, Any]]:
        return [change for change in self.changes if change["seq"] > watermark]


class _Copy:
    """This container's view: the base file, the changes after it as an in-memory index, when S3 was asked."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # the local stack serves requests on threads; Lambda one at a time
        self.folder = Path(tempfile.gettempdir()) / "newsroom-search"
        self.base = SqliteIndex(":memory:")  # until read from S3 (`loaded`)
        self.loaded = False
        self.base_etag: str | None = None
        self.changes: Changes | None = None
        self.recent = SqliteIndex(":memory:")
        self.replaced: set[str] = set()  # ids changed after the base: the base's rows for them are hidden
        self.hidden: frozenset[int] = frozenset()
        self.checked_at = float("-inf")

    def fresh(self, max_age: float) -> _Copy:
        if self.loaded and time.monotonic() - self.checked_at < max_age:
            return self
        changes = _read_changes(self.changes)
        base_changed = False
        if not self.loaded or (
            changes is not self.changes and (changes.etag is None or changes.base != self.base.watermark)
        ):  # a fold (or a lost list: a rebuilt stage) since: ask for the base too (a conditional GET)
            base_changed = self._read_base()
        if base_changed or changes is not self.changes:
            self.changes = changes
            self._apply(changes.after(self.base.watermark))
        self.checked_at = time.monotonic()
        return self

    def search(self, query: Query, at: datetime, limit: int, offset: int) -> list[Hit]:
        wanted = offset + limit
        keys = [(key, 0) for key in self.base.keys(query, at, wanted, self.hidden)]
        keys += [(key, 1) for key in self.recent.keys(query, at, wanted, frozenset())]
        page = sorted(keys)[offset:wanted]
        sources = (self.base, self.recent)
        return [sources[source].hits([-rowid])[0] for (_, rowid), source in page]

    def forget(self) -> None:
        self._close_base()
        self.loaded, self.base_etag, self.changes, self.checked_at = False, None, None, float("-inf")
        self._apply([])

    def _read_base(self) -> bool:
        """Read the base if S3's is not the one held (a conditional GET); whether it changed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{get_settings().stage}-{os.getpid()}.sqlite3"
        etag = _download_base(path, self.base_etag if self.loaded else None, before=self._close_base)
        if etag is None:
            return False
        self.base.close()
        self.base = SqliteIndex(path if etag else ":memory:")
        self.base_etag, self.loaded = etag or None, True
        return True

    def _close_base(self) -> None:
        """Before the file is replaced: an empty index meanwhile (should the download fail)."""
        self.base.close()
        self.base, self.loaded = SqliteIndex(":memory:"), False

    def _apply(self, changes: list[dict[str, Any]]) -> None:
        self.recent.close()
        self.recent = SqliteIndex(":memory:")
        _apply_changes(self.recent, changes)
        self.replaced = {change["id"] for change in changes}
        self.hidden = frozenset(self.base.rowids_of(self.replaced))


_copy = _Copy()


def search(query: Query, at: datetime, limit: int, offset: int) -> list[Hit]:
    with _copy.lock:
        return _copy.fresh(get_settings().search_refresh_seconds).search(query, at, limit, offset)


def index_document(document: Document) -> None:
    _record({"id": document.id, "doc": _doc(document)})


def remove_article(article_id: str) -> None:
    """Record a removal (deleting a draft records one too: knowing the base lacks it would mean reading it)."""
    _record({"id": article_id, "doc": None})


def index_documents(documents: list[Document]) -> None:
    """A new base from these documents and the changes recorded so far (a rebuild: `ops.cli index-search`)."""
    _fold(documents)


def forget_copy() -> None:
    """Drop this container's copy (read again at the next search)."""
    with _copy.lock:
        _copy.forget()


def fold() -> bool:
    """Put the recorded changes into the base; False if there were none or another writer folded first."""
    return _fold(None)


def _record(change: dict[str, Any]) -> None:
    """Append one change to the list (conditional on the ETag read; redone on a lost race); fold a long list."""
    for _attempt in range(WRITE_ATTEMPTS):
        changes = _read_changes(None)
        earlier = [c for c in changes.changes if c["id"] == change["id"]]
        if change["doc"] is None and earlier and earlier[-1]["doc"] is None:
            return  # removed already
        changes.changes.append({"seq": changes.next, **change})
        changes.next += 1
        data = changes.dump()
        try:
            _put(SEARCH_CHANGES_KEY, data, changes.etag, "application/gzip")
            break
        except LostRace:
            continue
    else:
        raise RuntimeError(f"search index: lost {WRITE_ATTEMPTS} races in a row")
    with _copy.lock:
        _copy.checked_at = float("-inf")  # this container sees its own save at once
    if len(changes.changes) >= FOLD_AFTER or len(data) >= FOLD_BYTES:
        try:
            _fold(None)
        except Exception:
            log.exception("search index: folding the changes into the base failed (the next save retries)")


def _fold(documents: list[Document] | None) -> bool:
    """Apply the list to the base (or to a new base of `documents`), put it back, trim the list."""
    changes = _read_changes(None)
    if documents is None and not changes.changes:
        return False  # nothing to fold: no need to fetch the base (the scheduled fold finds this most often)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "base.sqlite3"
        etag = _download_base(path, None)
        index = SqliteIndex(path)
        try:
            if documents is not None:
                index.close()
                path.unlink()
                index = SqliteIndex(path)
                index.add_many(documents)
                pending = changes.changes  # all of them: each article ends as its last change left it
            else:
                pending = changes.after(index.watermark)
            if not pending and documents is None:
                return False
            _apply_changes(index, pending)
            watermark = max(index.watermark, changes.next - 1)
            index.watermark = watermark  # no VACUUM: later changes reuse the free pages (bench/search.py)
        finally:
            index.close()
        packed = Path(folder) / "base.sqlite3.gz"
        with path.open("rb") as source, gzip.open(packed, "wb", compresslevel=GZIP_LEVEL) as target:
            shutil.copyfileobj(source, target, 1 << 20)
        try:
            _put(SEARCH_INDEX_KEY, packed, etag or None, "application/gzip")
        except LostRace:
            if documents is not None:
                raise
            return False  # another writer folded meanwhile: their base holds these changes or the next fold will
    _trim(watermark)
    with _copy.lock:
        _copy.checked_at = float("-inf")
    return True


def _trim(watermark: int) -> None:
    for _attempt in range(WRITE_ATTEMPTS):
        changes = _read_changes(None)
        if changes.base >= watermark:
            return
        changes.changes = changes.after(watermark)
        changes.base = watermark
        try:
            _put(SEARCH_CHANGES_KEY, changes.dump(), changes.etag, "application/gzip")
            return
        except LostRace:
            continue
    log.warning("search index: changes list not trimmed (lost races); the next fold trims it")


def _apply_changes(index: SqliteIndex, changes: list[dict[str, Any]]) -> None:
    for change in changes:
        doc = change["doc"]
        if doc is None:
            index.remove(change["id"])
        else:
            published = datetime.fromtimestamp(doc["published"] / 1000, timezone.utc)
            index.add(Document(change["id"], doc["title"], doc["category"], published, doc["body"]))
        index.watermark = max(index.watermark, int(change["seq"]))


def _doc(document: Document) -> dict[str, Any]:
    published = int(document.published_at.timestamp() * 1000)
    return {"title": document.title, "category": document.category, "published": published, "body": document.body}


def _read_changes(held: Changes | None) -> Changes:
    """S3's list, or `held` itself if it is unchanged (a conditional GET), or an empty one."""
    options: dict[str, Any] = {"Bucket": get_settings().media_bucket, "Key": SEARCH_CHANGES_KEY}
    if held is not None and held.etag:
        options["IfNoneMatch"] = held.etag
    try:
        response = _s3().get_object(**options)
    except Exception as error:
        code = _code(error)
        if code in UNCHANGED and held is not None:
            return held
        if code not in MISSING:
            raise
        return held if held is not None and held.etag is None else Changes()
    return Changes.parse(response["Body"].read(), response["ETag"])


def _download_base(path: Path, etag: str | None, before: Any = None) -> str | None:
    """Unpack S3's base into `path`: its ETag; "" if there is none; None if it is still `etag`."""
    options: dict[str, Any] = {"Bucket": get_settings().media_bucket, "Key": SEARCH_INDEX_KEY}
    if etag:
        options["IfNoneMatch"] = etag
    try:
        response = _s3().get_object(**options)
    except Exception as error:
        code = _code(error)
        if code in UNCHANGED:
            return None
        if code not in MISSING:
            raise
        if before:
            before()
        path.unlink(missing_ok=True)
        return ""
    if before:
        before()
    partial = path.with_suffix(".partial")
    with gzip.GzipFile(fileobj=response["Body"]) as source, partial.open("wb") as target:
        shutil.copyfileobj(source, target, 1 << 20)
    os.replace(partial, path)
    return str(response["ETag"])


def _put(key: str, body: bytes | Path, etag: str | None, content_type: str) -> None:
    condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
    settings = get_settings()
    try:
        if isinstance(body, Path):
            with body.open("rb") as stream:
                _s3().put_object(
                    Bucket=settings.media_bucket, Key=key, Body=stream, ContentType=content_type, **condition
                )
        else:
            _s3().put_object(Bucket=settings.media_bucket, Key=key, Body=body, ContentType=content_type, **condition)
    except Exception as error:
        if _code(error) in LOST_RACE:
            raise LostRace from None
        raise


def _code(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _s3() -> Any:
    from chalicelib.photos import media_bucket_client

    return media_bucket_client()
