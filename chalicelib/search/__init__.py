"""Site search behind one small interface, so a site can change backends by configuration (SEARCH_BACKEND).

`index_article` and `remove_article` are called by the editors' write paths (editorial.py) after the
article is stored; `search` answers the reader's /search page. Only articles published by the moment of
the query are found (the filter is applied when searching, so scheduled articles appear on time).
Backends: "sqlite" (sqlite_backend.py: FTS5 over bigrams; a base file and a list of changes since, in
S3). README "Search" says what an OpenSearch backend would cost and when it pays.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from chalicelib.config import get_settings
from chalicelib.richtext.text import plain
from chalicelib.search.sqlite_index import Document, Hit
from chalicelib.search.text import MAX_QUERY_CHARS, Query, QueryProblem, parse_query
from chalicelib.statuses import ArticleStatus

__all__ = [
    "MAX_PAGE",
    "Query",
    "QueryProblem",
    "ResultPage",
    "index_article",
    "index_published",
    "fold_changes",
    "parse_query",
    "remove_article",
    "search",
]
__all__ += ["MAX_QUERY_CHARS", "Hit", "document_of"]

log = logging.getLogger(__name__)

MAX_PAGE = 50  # 1,000 results: nobody reads further, and OFFSET stays cheap


@dataclass(frozen=True)
class ResultPage:
    query: Query
    hits: list[Hit]
    page: int
    has_next: bool


def _backend() -> Any:
    backend = get_settings().search_backend
    if backend == "sqlite":
        from chalicelib.search import sqlite_backend

        return sqlite_backend
    raise RuntimeError(f"unknown search backend {backend!r}")  # config.py admits only SEARCH_BACKENDS


def index_article(item: Any) -> None:
    """After an article is stored: published (scheduled too) is indexed, anything else taken out.

    A failure is logged, never the editor's: the article is stored, and its next save indexes it again.
    """
    try:
        if item.status == ArticleStatus.PUBLISHED and item.published_at is not None:
            _backend().index_document(document_of(item))
        else:
            _backend().remove_article(item.id)
    except Exception:
        log.exception("search index not updated for article %s", item.id)


def index_published(items: list[Any]) -> int:
    """Index published articles (scheduled ones too) in one update: after an upgrade, or to mend failed
    updates (`python -m ops.cli index-search`). Failures are raised: ops run this, not an editor."""
    documents = [document_of(item) for item in items if item.status == ArticleStatus.PUBLISHED and item.published_at]
    _backend().index_documents(documents)
    return len(documents)


def fold_changes() -> bool:
    """Fold the changes saved since the base into it (the scheduled `fold_search` function, every few minutes):
    off the editors' saves, so the list readers merge stays short. False when there was nothing to fold."""
    return bool(_backend().fold())


def remove_article(article_id: str) -> None:
    try:
        _backend().remove_article(article_id)
    except Exception:
        log.exception("search index: article %s not removed", article_id)


def search(query: Query, page: int) -> ResultPage:
    from chalicelib.articles import now

    size = get_settings().page_size
    hits = _backend().search(query, now(), size + 1, (page - 1) * size)
    return ResultPage(query, hits[:size], page, len(hits) > size and page < MAX_PAGE)


def document_of(item: Any) -> Document:
    """An article's searchable text: title and subtitle; every block's text (richtext.text.plain), captions too."""
    title = " ".join(part for part in (item.title, item.subtitle) if part)
    texts = []
    for block in item.body or []:
        text = plain(block)  # list items and table cells too
        if text:
            texts.append(text)
    return Document(item.id, title, item.category, item.published_at, "\n".join(texts))
