"""Editors building a 专题 in the app: finding published articles by title, and naming a topic's articles."""

from __future__ import annotations

from typing import Any

from chalicelib import editorial
from chalicelib.errors import InvalidInput
from chalicelib.models import ArticleModel
from chalicelib.statuses import ArticleStatus

PAGE = 100
PAGES = 5  # the newest 500 articles are searched (at most five Queries of the editorial index)
FOUND = 20
MAX_QUERY = 40


def find_published(query: str | None) -> list[dict[str, Any]]:
    """Published articles whose title contains `query` (case-insensitive), newest first, at most FOUND."""
    wanted = " ".join((query or "").split()).casefold()
    if not wanted or len(wanted) > MAX_QUERY:
        raise InvalidInput(f"q: 1-{MAX_QUERY} characters", field="q", code="topic_query")
    found: list[dict[str, Any]] = []
    cursor = None
    for _ in range(PAGES):
        items, cursor = editorial.list_articles(ArticleStatus.PUBLISHED, None, cursor, PAGE)
        found += [_found(item) for item in items if wanted in item.title.casefold()]
        if len(found) >= FOUND or not cursor:
            break
    return found[:FOUND]


def _found(item: ArticleModel) -> dict[str, Any]:
    published = item.published_at.isoformat() if item.published_at else None
    return {"id": item.id, "title": item.title, "category": item.category, "published_at": published}


def titles_of(article_ids: tuple[str, ...]) -> dict[str, str]:
    """Each listed article's title, whatever its status (one BatchGetItem); deleted ones are left out."""
    if not article_ids:
        return {}
    return {
        item.id: item.title for item in ArticleModel.batch_get(list(article_ids), attributes_to_get=["id", "title"])
    }
