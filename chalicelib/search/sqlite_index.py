"""The search index as one SQLite file: FTS5 over pre-tokenised bigrams, plus each article's shown fields.

`grams` is a contentless FTS5 table (nothing stored twice): columns `tp`/`bp` hold the title's and the
body's bigrams and words, `t1`/`b1` their single characters (text.py). `docs` keeps what a result shows
and what deleting from a contentless table needs: title, category, publication time and the body text,
zlib-compressed; deleting re-tokenises it (FTS5's 'delete' command wants the original values).
Only plain sqlite3 from the standard library: SQLite 3.40 (Python 3.11 to 3.13 here and on Lambda) has FTS5
but not `contentless_delete`, hence the re-tokenising.
"""

from __future__ import annotations

import math
import sqlite3
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from chalicelib.search.text import Query, index_tokens, normalise

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS docs (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, "
    "category TEXT NOT NULL, published_at INTEGER NOT NULL, body BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS docs_published_at ON docs (published_at)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS grams USING fts5(tp, bp, t1, b1, content='', tokenize='ascii')",
)
PAIR_COLUMNS = "tp bp"
SINGLE_COLUMNS = "t1 b1"
TITLE_PAIRS = "tp"
TITLE_SINGLES = "t1"
SLOTS = 1_000  # row ids per millisecond of publication time (few: FTS5 stores row-id deltas)


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
    """One index file; not shared between threads (one per request handler, as Lambda runs them)."""

    def __init__(self, path: Path | str) -> None:
        self.connection = sqlite3.connect(str(path), isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=OFF" if str(path) == ":memory:" else "PRAGMA journal_mode=DELETE")
        for statement in SCHEMA:
            self.connection.execute(statement)

    def close(self) -> None:
        self.connection.close()

    def add(self, document: Document) -> None:
        """Add or replace one article."""
        with self._transaction():
            self._remove(document.id)
            self._insert(document)

    def add_many(self, documents: list[Document]) -> None:
        """Add new articles in one transaction (a rebuild, the benchmark)."""
        with self._transaction():
            for document in documents:
                self._insert(document)

    def _insert(self, document: Document) -> None:
        title, body = normalise(document.title), normalise(document.body)
        published = _epoch(document.published_at)
        rowid = self._rowid(published)
        self.connection.execute(
            "INSERT INTO docs (rowid, id, title, category, published_at, body) VALUES (?, ?, ?, ?, ?, ?)",
            (rowid, document.id, title, document.category, published, zlib.compress(body.encode())),
        )
        self._grams(rowid, title, body, delete=False)

    def remove(self, article_id: str) -> bool:
        """Take an article out; False if it was not in."""
        with self._transaction():
            return self._remove(article_id)

    def contains(self, article_id: str) -> bool:
        return self.connection.execute("SELECT 1 FROM docs WHERE id = ?", (article_id,)).fetchone() is not None

    def search(self, query: Query, at: datetime, limit: int, offset: int) -> list[Hit]:
        """Articles published by `at` matching every term: those with every term in the title first, then
        the others, each newest first.

        A row id is its article's publication time (then a sequence number), so FTS5 walks its lists in
        row-id order from `at` backwards and stops at the page's last row: cost follows the page, not the
        number of matches (bm25 ranking would score every match: 10 times slower on common words).
        """
        bound = (_epoch(at) + 1) * SLOTS
        in_title = query.fts(TITLE_PAIRS, TITLE_SINGLES)
        anywhere = query.fts(PAIR_COLUMNS, SINGLE_COLUMNS)
        rowids: list[int] = []
        title_count = self.connection.execute(
            "SELECT count(*) FROM grams WHERE grams MATCH ? AND rowid < ?", (in_title, bound)
        ).fetchone()[0]
        if offset < title_count:
            rowids += self._page(in_title, bound, limit, offset)
        if len(rowids) < limit:
            rest = f"({anywhere}) NOT ({in_title})"
            rowids += self._page(rest, bound, limit - len(rowids), max(0, offset - title_count))
        hits = []
        for rowid in rowids:  # only the page's rows are read in full
            article_id, title, category, published, body = self.connection.execute(
                "SELECT id, title, category, published_at, body FROM docs WHERE rowid = ?", (rowid,)
            ).fetchone()
            hits.append(
                Hit(article_id, title, category, datetime.fromtimestamp(published / 1000, timezone.utc), _text(body))
            )
        return hits

    def _page(self, expression: str, bound: int, limit: int, offset: int) -> list[int]:
        rows = self.connection.execute(
            "SELECT rowid FROM grams WHERE grams MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ? OFFSET ?",
            (expression, bound, limit, offset),
        ).fetchall()
        return [rowid for (rowid,) in rows]

    def _rowid(self, published_at: int) -> int:
        """A new row id in its millisecond: published_at x SLOTS, plus one more than that millisecond's last."""
        base = published_at * SLOTS
        last = self.connection.execute(
            "SELECT max(rowid) FROM docs WHERE rowid >= ? AND rowid < ?", (base, base + SLOTS)
        ).fetchone()[0]
        return base if last is None else last + 1

    def _remove(self, article_id: str) -> bool:
        row = self.connection.execute("SELECT rowid, title, body FROM docs WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return False
        rowid, title, body = row
        self._grams(rowid, title, _text(body), delete=True)
        self.connection.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))
        return True

    def _grams(self, rowid: int | None, title: str, body: str, *, delete: bool) -> None:
        title_tokens, body_tokens = index_tokens(title), index_tokens(body)
        values = (rowid, title_tokens.pairs, body_tokens.pairs, title_tokens.singles, body_tokens.singles)
        if delete:
            self.connection.execute(
                "INSERT INTO grams (grams, rowid, tp, bp, t1, b1) VALUES ('delete', ?, ?, ?, ?, ?)", values
            )
        else:
            self.connection.execute("INSERT INTO grams (rowid, tp, bp, t1, b1) VALUES (?, ?, ?, ?, ?)", values)

    def _transaction(self) -> _Transaction:
        return _Transaction(self.connection)


class _Transaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.execute("BEGIN")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.connection.execute("COMMIT" if kind is None else "ROLLBACK")


def _epoch(moment: datetime) -> int:
    """Milliseconds: an article is found from its publication time (to the millisecond) on."""
    return math.floor(moment.timestamp() * 1000)


def _text(blob: bytes) -> str:
    return zlib.decompress(blob).decode()
