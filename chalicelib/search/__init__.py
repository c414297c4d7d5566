"""Site search behind one small interface, so a site can change backends by configuration (SEARCH_BACKEND).

One writer, many readers. Every write that changes what search should show (publish, a published article's
change, unpublish, delete) marks the article pending in the same DynamoDB write (`search_pending`, a sparse
index; a delete leaves a small tombstone, `models.SEARCH_TOMBSTONE`). The scheduled `fold_search` function, every
minute with reserved concurrency 1, folds the pending articles into the index (`pending.fold`). `search`
answers the reader's /search page from the index and checks its page of hits against `articles` with one
BatchGetItem, so an unpublished or deleted article leaves the results at once, a new one joins within a fold.
Backends: "sqlite" (sqlite_backend.py: FTS5 over bigrams in one file in S3). docs/search.md says what an
OpenSearch backend would cost and when it pays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from chalicelib.config import get_settings
from chalicelib.richtext.text import plain
from chalicelib.search.sqlite_index import Document, Hit
from chalicelib.search.text import MAX_QUERY_CHARS, Query, QueryProblem, parse_query
from chalicelib.statuses import ArticleStatus

__all__ = ["MAX_PAGE", "MAX_QUERY_CHARS", "Hit", "Query", "QueryProblem", "ResultPage"]
__all__ += ["backend", "document_of", "parse_query", "search"]

MAX_PAGE = 50  # 1,000 results: nobody reads further, and OFFSET stays cheap
LIVE_ATTRIBUTES = ["id", "status", "published_at", "title", "subtitle", "category"]


@dataclass(frozen=True)
class ResultPage:
    query: Query
    hits: list[Hit]
    page: int
    has_next: bool


def backend() -> Any:
    name = get_settings().search_backend
    if name == "sqlite":
        from chalicelib.search import sqlite_backend

        return sqlite_backend
    raise RuntimeError(f"unknown search backend {name!r}")  # config.py admits only SEARCH_BACKENDS


def search(query: Query, page: int) -> ResultPage:
    """A page of hits, each still visible now, with its title and category as they are now."""
    from chalicelib.articles import now  # here: the index's modules (bench/search.py) need no tables

    size, moment = get_settings().page_size, now()
    hits = live(backend().search(query, moment, size + 1, (page - 1) * size))
    return ResultPage(query, hits[:size], page, len(hits) > size and page < MAX_PAGE)


def live(hits: list[Hit]) -> list[Hit]:
    """`hits` whose article is visible now (one BatchGetItem), shown as it is now."""
    if not hits:
        return []
    from chalicelib.articles import is_visible, now
    from chalicelib.models import ArticleModel

    moment = now()
    current = {
        item.id: item
        for item in ArticleModel.batch_get([hit.id for hit in hits], attributes_to_get=LIVE_ATTRIBUTES)
        if is_visible(item, moment)
    }
    return [
        replace(hit, title=_title(item), category=item.category, published_at=item.published_at)
        for hit in hits
        if (item := current.get(hit.id)) is not None
    ]


def document_of(item: Any) -> Document | None:
    """An article's searchable text (title and subtitle; every block's text, richtext.text.plain: captions,
    list items and table cells too), None unless it is published (scheduled ones too: the reader's search
    filters by publication time)."""
    if item is None or item.status != ArticleStatus.PUBLISHED or item.published_at is None:
        return None
    texts = []
    for block in item.body or []:
        text = plain(block)  # list items and table cells too
        if text:
            texts.append(text)
    return Document(item.id, _title(item), item.category, item.published_at, "\n".join(texts))


def _title(item: Any) -> str:
    return " ".join(part for part in (item.title, item.subtitle) if part)
