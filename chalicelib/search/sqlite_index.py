"""The search index as one SQLite file: FTS5 over pre-tokenised bigrams, plus each article's shown fields.

`grams` is a contentless FTS5 table (nothing stored twice): columns `tp`/`bp` hold the title's and the
body's bigrams and words, `t1`/`b1` their single characters (text.py). `docs` keeps what a result shows
and what deleting from a contentless table needs: title, category, publication time and the body text,
zlib-compressed; deleting re-tokenises it (FTS5's 'delete' command wants the original values).
Only plain sqlite3 from the standard library: SQLite 3.40 (Python 3.11 to 3.13 here and on Lambda) has FTS5
but not `contentless_delete`, hence the re-tokenising.
"""

from __future__ import annotations

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
TITLE_WEIGHT = 8.0  # a match in the title counts as much as eight in the body
YEAR_SECONDS = 365 * 24 * 3600


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
            title, body = normalise(document.title), normalise(document.body)
            cursor = self.connection.execute(
                "INSERT INTO docs (id, title, category, published_at, body) VALUES (?, ?, ?, ?, ?)",
                (document.id, title, document.category, _epoch(document.published_at), zlib.compress(body.encode())),
            )
            self._grams(cursor.lastrowid, title, body, delete=False)

    def add_many(self, documents: list[Document]) -> None:
        """Add articles in one transaction (a rebuild, the benchmark)."""
        with self._transaction():
            for document in documents:
                title, body = normalise(document.title), normalise(document.body)
                cursor = self.connection.execute(
                    "INSERT INTO docs (id, title, category, published_at, body) VALUES (?, ?, ?, ?, ?)",
                    (
                        document.id,
                        title,
                        document.category,
                        _epoch(document.published_at),
                        zlib.compress(body.encode()),
                    ),
                )
                self._grams(cursor.lastrowid, title, body, delete=False)

    def remove(self, article_id: str) -> bool:
        """Take an article out; False if it was not in."""
        with self._transaction():
            return self._remove(article_id)

    def contains(self, article_id: str) -> bool:
        return self.connection.execute("SELECT 1 FROM docs WHERE id = ?", (article_id,)).fetchone() is not None

    def search(self, query: Query, at: datetime, limit: int, offset: int) -> list[Hit]:
        """Articles published by `at` matching every term: most relevant first, relevance fading with age."""
        moment = _epoch(at)
        rows = self.connection.execute(
            "SELECT grams.rowid FROM grams JOIN docs ON docs.rowid = grams.rowid "
            "WHERE grams MATCH ? AND docs.published_at <= ? "
            "ORDER BY bm25(grams, ?, 1.0, ?, 1.0) / (1.0 + (? - docs.published_at) / ?) , docs.published_at DESC "
            "LIMIT ? OFFSET ?",
            (
                query.fts(PAIR_COLUMNS, SINGLE_COLUMNS),
                moment,
                TITLE_WEIGHT,
                TITLE_WEIGHT,
                moment,
                float(YEAR_SECONDS),
                limit,
                offset,
            ),
        ).fetchall()
        hits = []
        for (rowid,) in rows:  # only the page's rows are read in full
            article_id, title, category, published, body = self.connection.execute(
                "SELECT id, title, category, published_at, body FROM docs WHERE rowid = ?", (rowid,)
            ).fetchone()
            hits.append(Hit(article_id, title, category, datetime.fromtimestamp(published, timezone.utc), _text(body)))
        return hits

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
    return int(moment.timestamp())


def _text(blob: bytes) -> str:
    return zlib.decompress(blob).decode()
