"""Reading published articles: one article, category listings, notices.

Readers only ever Get or Query. An article is visible from its `published_at`
on, so a scheduled article needs no job to appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.errors import NotFound
from chalicelib.ids import ID as ARTICLE_ID
from chalicelib.models import ArticleModel
from chalicelib.pagination import query_page
from chalicelib.statuses import ArticleStatus

NOTICE_FEED = "notice"


@dataclass(frozen=True)
class ArticleSummary:
    id: str
    title: str
    subtitle: str | None
    category: str
    source: str | None
    published_at: datetime
    notice: bool


@dataclass(frozen=True)
class Article(ArticleSummary):
    author: str | None
    cover_photo_id: str | None
    body: list[dict[str, Any]] = field(default_factory=list)
    updated_at: datetime | None = None  # the last edit, for search engines (before published_at if scheduled)


@dataclass(frozen=True)
class Page:
    items: list[ArticleSummary]
    next_cursor: str | None


def now() -> datetime:
    return datetime.now(timezone.utc)


def is_visible(item: ArticleModel, at: datetime | None = None) -> bool:
    """Published, and its publication time has come."""
    return (
        item.status == ArticleStatus.PUBLISHED and item.published_at is not None and item.published_at <= (at or now())
    )


def get_published_article(article_id: str) -> Article:
    """The article as readers see it; NotFound for drafts, scheduled or unknown ids."""
    item = _stored_article(article_id) if ARTICLE_ID.match(article_id) else None
    if item is None or not is_visible(item):
        raise NotFound("article not found", article_id=article_id)
    return Article(
        **_summary_fields(item),
        author=item.author,
        cover_photo_id=item.cover_photo_id,
        body=item.body or [],
        updated_at=item.updated_at,
    )


def get_article_for_preview(article_id: str) -> Article:
    """The article as saved, whatever its status (a draft is dated by its last save)."""
    item = _stored_article(article_id) if ARTICLE_ID.match(article_id) else None
    if item is None:
        raise NotFound("article not found", article_id=article_id)
    return Article(
        **{**_summary_fields(item), "published_at": item.published_at or item.updated_at},
        author=item.author,
        cover_photo_id=item.cover_photo_id,
        body=item.body or [],
    )


def _stored_article(article_id: str) -> ArticleModel | None:
    try:
        return ArticleModel.get(article_id)
    except ArticleModel.DoesNotExist:
        return None


def list_category(slug: str, *, channel: bool, cursor: str | None, limit: int) -> Page:
    """Published articles of a category, newest first; a channel includes its sub-categories."""
    index = ArticleModel.by_channel if channel else ArticleModel.by_category
    return _query_published(index, slug, cursor, limit)


def list_notices(limit: int) -> list[ArticleSummary]:
    return _query_published(ArticleModel.notices, NOTICE_FEED, None, limit).items


def _query_published(index: GlobalSecondaryIndex, hash_value: str, cursor: str | None, limit: int) -> Page:
    moment = now()
    items, next_cursor = query_page(
        index,
        index._hash_key_attribute().attr_name,  # the index's own key: a cursor's start key must name it
        hash_value,
        ArticleModel.published_at,
        cursor,
        limit,
        latest=moment,
        range_key_condition=ArticleModel.published_at <= moment,
    )
    return Page([ArticleSummary(**_summary_fields(item)) for item in items], next_cursor)


def _summary_fields(item: ArticleModel) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "subtitle": item.subtitle,
        "category": item.category,
        "source": item.source,
        "published_at": item.published_at,
        "notice": bool(item.notice),
    }
