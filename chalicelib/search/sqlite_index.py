"""The search index as one SQLite file: FTS5 over pre-tokenised bigrams, plus each article's shown fields.

`grams` (title and body) and `titles` (title only, for "every term in the title" first) are contentless
FTS5 tables with `detail=none`: they store which rows hold a token, no positions and no text (the
positions were three quarters of the old 199 MB file; docs/search.md has the measurements). A term of
three or more characters is the AND of its bigrams, checked in the candidate's text (`Query.matches`).
`docs` keeps what a result shows, what the check reads and what deleting from a contentless table needs:
title, category, publication time, the body text (not compressed: the check reads every candidate, and
the gzipped file in S3 is smaller than with zlib per row), and whether the text is simplified Chinese
already (the check skips converting it). Deleting re-tokenises the text (FTS5's 'delete' wants the
original tokens; SQLite 3.40, on Lambda too, has no `contentless_delete`).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from chalicelib.search.text import Query, index_tokens, normalise, simplified

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS docs (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, "
    "category TEXT NOT NULL, published_at INTEGER NOT NULL, body TEXT NOT NULL, simple INTEGER NOT NULL)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS grams USING fts5(tokens, content='', detail=none, tokenize='ascii')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5(tokens, content='', detail=none, tokenize='ascii')",
)
# Row ids per second of publication time: FTS5 stores row-id deltas as varints, so seconds (2 bytes between
# articles half an hour apart) rather than milliseconds x 1,000 (5 bytes) made the file a third smaller.
SLOTS = 8
# Candidates whose text is read to check a term of 3+ characters, at most, per query: a phrase made of common
# pairs that occurs nowhere would otherwise read every article holding all its pairs (docs/search.md).
MAX_CHECKED = 500


@dataclass(frozen=True)
class Document:
    """An article as the index sees it: plain text only."""

    id: str
    title: str
    category: str
    published_at: datetime
    body: str


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    category: str
    published_at: datetime
    body: str


class SqliteIndex:
    """One index file (or ":memory:"). The local stack answers each request on a thread of its own, so a
    container's copy is used from several threads, one at a time (sqlite_backend's lock)."""

    def __init__(self, path: Path | str) -> None:
        self.connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.connection.execute("PRAGMA journal_mode=OFF" if str(path) == ":memory:" else "PRAGMA journal_mode=DELETE")
        # Every file is a private copy (S3 holds the index): a crash loses nothing worth an fsync per change.
        self.connection.execute("PRAGMA synchronous=OFF")
        for statement in SCHEMA:
            self.connection.execute(statement)

    def close(self) -> None:
        self.connection.close()

    def add_many(self, documents: list[Document]) -> None:
        """Add or replace many articles in one transaction (the benchmark)."""
        self.replace({document.id: document for document in documents})

    def replace(self, changes: dict[str, Document | None]) -> None:
        """Each article as given (None: taken out), in one transaction (the fold)."""
        with self._transaction():
            for article_id, document in changes.items():
                self._remove(article_id)
                if document is not None:
                    self._insert(document)

    def contains(self, article_id: str) -> bool:
        return self.connection.execute("SELECT 1 FROM docs WHERE id = ?", (article_id,)).fetchone() is not None

    def search(self, query: Query, at: datetime, limit: int, offset: int) -> list[Hit]:
        """Articles published by `at` matching every term: those with every term in the title first, then
        the others, each newest first."""
        return self.hits(self.matches(query, at, offset + limit)[offset:])

    def matches(self, query: Query, at: datetime, count: int) -> list[int]:
        """The row ids of the first `count` matches in result order.

        A row id is its article's publication second (then a sequence number), so FTS5 walks its lists in
        row-id order from `at` backwards and stops once `count` are found: a query costs its page, not its
        number of matches (bm25 ranking would score every match). A term of 3+ characters is checked in
        the candidate's text, at most MAX_CHECKED times a query.
        """
        expression, found, checks = query.fts(), dict[int, None](), MAX_CHECKED
        for table, text in (("titles", "title"), ("grams", "title || char(10) || body")):
            for rowid in self._walk(table, expression, at):
                if rowid in found:
                    continue
                if query.checked:
                    if checks == 0:
                        return list(found)
                    checks -= 1
                    if not query.matches(*self._text(rowid, text)):
                        continue
                found[rowid] = None
                if len(found) == count:
                    return list(found)
        return list(found)

    def hits(self, rowids: list[int]) -> list[Hit]:
        """The shown fields of these rows, in this order (only a page's rows are read in full)."""
        hits = []
        for rowid in rowids:
            article_id, title, category, published, body = self.connection.execute(
                "SELECT id, title, category, published_at, body FROM docs WHERE rowid = ?", (rowid,)
            ).fetchone()
            hits.append(Hit(article_id, title, category, datetime.fromtimestamp(published / 1000, timezone.utc), body))
        return hits

    def _walk(self, table: str, expression: str, at: datetime) -> Iterator[int]:
        """Matching row ids, newest first, of articles published by `at` (to the millisecond)."""
        second = math.floor(at.timestamp())
        edge, moment = second * SLOTS, _milliseconds(at)
        cursor = self.connection.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid < ? ORDER BY rowid DESC",  # noqa: S608 - ours
            (expression, edge + SLOTS),
        )
        for (rowid,) in cursor:
            if rowid < edge or self._published(rowid) <= moment:  # only the last second's rows are looked at
                yield rowid

    def _published(self, rowid: int) -> int:
        return int(self.connection.execute("SELECT published_at FROM docs WHERE rowid = ?", (rowid,)).fetchone()[0])

    def _text(self, rowid: int, text: str) -> tuple[str, bool]:
        row = self.connection.execute(f"SELECT {text}, simple FROM docs WHERE rowid = ?", (rowid,)).fetchone()  # noqa: S608 - ours
        return str(row[0]), bool(row[1])

    def _insert(self, document: Document) -> None:
        title, body = normalise(document.title), normalise(document.body)
        published = _milliseconds(document.published_at)
        rowid = self._rowid(published)
        self.connection.execute(
            "INSERT INTO docs (rowid, id, title, category, published_at, body, simple) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rowid, document.id, title, document.category, published, body, simplified(title + body) == title + body),
        )
        self._tokens(rowid, title, body, delete=False)

    def _rowid(self, published: int) -> int:
        """A new row id from its publication second: published x SLOTS, plus one more than the last row id
        taken from there (a busy second spills into the next: found up to a second later)."""
        rowid = published // 1000 * SLOTS
        last = self.connection.execute(
            "SELECT max(rowid) FROM docs WHERE rowid >= ? AND rowid < ?", (rowid, rowid + SLOTS)
        ).fetchone()[0]
        rowid = rowid if last is None else last + 1
        while self.connection.execute("SELECT 1 FROM docs WHERE rowid = ?", (rowid,)).fetchone():
            rowid += 1
        return rowid

    def _remove(self, article_id: str) -> None:
        row = self.connection.execute("SELECT rowid, title, body FROM docs WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return
        rowid, title, body = row
        self._tokens(rowid, title, body, delete=True)
        self.connection.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))

    def _tokens(self, rowid: int, title: str, body: str, *, delete: bool) -> None:
        title_tokens = index_tokens(title)
        everything = f"{title_tokens} {index_tokens(body)}"
        for table, tokens in (("grams", everything), ("titles", title_tokens)):
            if delete:
                statement = f"INSERT INTO {table} ({table}, rowid, tokens) VALUES ('delete', ?, ?)"  # noqa: S608
            else:
                statement = f"INSERT INTO {table} (rowid, tokens) VALUES (?, ?)"  # noqa: S608 - our table names
            self.connection.execute(statement, (rowid, tokens))

    def _transaction(self) -> _Transaction:
        return _Transaction(self.connection)


class _Transaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.execute("BEGIN")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.connection.execute("COMMIT" if kind is None else "ROLLBACK")


def _milliseconds(moment: datetime) -> int:
    return math.floor(moment.timestamp() * 1000)
