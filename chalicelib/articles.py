"""Reading published articles: one article, category listings, notices.

Readers only ever Get or Query. An article is visible from its `published_at`
on, so a scheduled article needs no job to appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib import clock, dynamodb
from chalicelib.errors import NotFound
from chalicelib.ids import ID as ARTICLE_ID
from chalicelib.kept_parts import kept
from chalicelib.models import ArticleModel
from chalicelib.pagination import previous_cursor, query_page
from chalicelib.statuses import ArticleStatus

if TYPE_CHECKING:  # the body's types: the counting function reads no body (tests/test_counting_imports.py)
    from chalicelib.article_body import Body, Photo

NOTICE_FEED = "notice"
AFTER = timedelta(microseconds=1)  # the next instant a stored time can name (pynamodb keeps microseconds)


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
    body: Body = field(default_factory=list)
    updated_at: datetime | None = None  # the last edit, for search engines (before published_at if scheduled)
    stored: str = field(default="", repr=False, compare=False)  # the stored values read, for the page caches


@dataclass(frozen=True)
class Page:
    items: list[ArticleSummary]
    next_cursor: str | None


@dataclass(frozen=True)
class Neighbours:
    """An article's neighbours in its category by publication time (visible ones only)."""

    older: ArticleSummary | None  # 上一篇
    newer: ArticleSummary | None  # 下一篇
    related: list[ArticleSummary]  # the next few on either side, newest first

    NEARBY = 3  # read on each side: the neighbour and two related articles


def now() -> datetime:
    """The clock everything about visibility reads (tests set it: chalicelib/clock.py)."""
    return clock.now()


def is_visible(item: ArticleModel, at: datetime | None = None) -> bool:
    """Published, and its publication time has come."""
    return (
        item.status == ArticleStatus.PUBLISHED and item.published_at is not None and item.published_at <= (at or now())
    )


def get_published_article(article_id: str) -> Article:
    """The article as readers see it; NotFound for drafts, scheduled or unknown ids.

    One GetItem of the attributes a page shows; the Article made of them is kept while the same values come
    back (kept_parts.py), so a view parses neither the body nor the dates again (half the read's CPU)."""
    item = _reader_item(article_id, _PROJECTION) if ARTICLE_ID.match(article_id) else None
    if item is not None and item.get("status", {}).get("S") == ArticleStatus.PUBLISHED and "published_at" in item:
        stored = "\x1f".join(f"{name}\x1e{_scalar(item[name])}" for name in sorted(item))
        article = kept(("published", stored), lambda: _published(ArticleModel.from_raw_data(item), stored))
        if article.published_at <= now():
            return cast(Article, article)
    raise NotFound("article not found", code="article_not_found", article_id=article_id)


READER_FIELDS = (
    *("id", "title", "subtitle", "category", "source", "author", "status", "notice", "cover_photo_id"),
    *("body", "published_at", "updated_at"),
)
_PROJECTION = {f"#{number}": name for number, name in enumerate(READER_FIELDS)}


def _reader_item(article_id: str, projection: dict[str, str]) -> dict[str, Any] | None:
    """The article's item as stored, only the attributes `projection` names (a reader's page never needs its
    review, revisions or index keys), raw: pynamodb's Model.get would turn every attribute into Python."""
    answer = dynamodb.client().get_item(
        TableName=ArticleModel.Meta.table_name,
        Key={"id": {"S": article_id}},
        ProjectionExpression=", ".join(projection),
        ExpressionAttributeNames=projection,
        ReturnConsumedCapacity="TOTAL",  # as pynamodb asks for it on every request (tests count by table)
    )
    return cast(dict[str, Any] | None, answer.get("Item"))


def _scalar(value: dict[str, Any]) -> str:
    ((kind, inner),) = value.items()
    return f"{kind}{inner}"


def _published(item: ArticleModel, stored: str) -> Article:
    return Article(
        **_summary_fields(item),
        author=item.author,
        cover_photo_id=item.cover_photo_id,
        body=item.body or [],
        updated_at=item.updated_at,
        stored=stored,
    )


def get_article_for_preview(article_id: str, key: str) -> Article:
    """The article as saved, whatever its status (a draft is dated by its last save), if its preview key is
    still `key` (an editor revoked its links, or it was deleted and made again: a 404)."""
    item = _stored_article(article_id) if ARTICLE_ID.match(article_id) else None
    if item is None or (item.preview_key or "") != key or item.status == ArticleStatus.TRASHED:
        raise NotFound("article not found", code="article_not_found", article_id=article_id)
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


def count_category(slug: str, *, channel: bool) -> int:
    """How many articles a category listing holds now: a COUNT Query on its index, never a Scan.

    DynamoDB charges a COUNT Query for the index entries it reads (about 200 bytes each: 0.5 RCU per
    4 KB, ~20 articles per RCU), one request per 1 MB of them.
    """
    index = ArticleModel.by_channel if channel else ArticleModel.by_category
    return int(index.count(slug, range_key_condition=ArticleModel.published_at <= now()))


def previous_page_cursor(slug: str, *, channel: bool, cursor: str, limit: int) -> str | None:
    """The cursor of the page before the one `cursor` starts (None: that page is the first)."""
    index = ArticleModel.by_channel if channel else ArticleModel.by_category
    return previous_cursor(index, _key_name(index), slug, ArticleModel.published_at, cursor, limit, latest=now())


def neighbours(article: Article) -> Neighbours:
    """The articles published just before and just after `article` in its category.

    Two Queries on the by-category index (its entries exist only while published), each for
    `Neighbours.NEARBY` entries: older ones newest first, newer ones from the next microsecond up to now
    (scheduled ones stay hidden). Articles published at the very same instant as this one (the article
    itself among them) are not neighbours, and take none of the Queries' entries.
    """
    moment = now()
    category = ArticleModel.by_category
    older = [
        ArticleSummary(**_summary_fields(item))
        for item in category.query(
            article.category,
            range_key_condition=ArticleModel.published_at < article.published_at,
            scan_index_forward=False,
            limit=Neighbours.NEARBY,
        )
    ]
    newer = (
        [
            ArticleSummary(**_summary_fields(item))
            for item in category.query(
                article.category,
                range_key_condition=ArticleModel.published_at.between(article.published_at + AFTER, moment),
                scan_index_forward=True,
                limit=Neighbours.NEARBY,
            )
        ]
        if article.published_at < moment
        else []
    )
    related = list(reversed(newer[1:])) + older[1:]
    return Neighbours(
        older=older[0] if older else None,
        newer=newer[0] if newer else None,
        related=related,
    )


def first_photos(article_ids: list[str]) -> dict[str, Photo]:
    """Each article's headline photo block: its cover photo's block, else the first photo of its body.

    One BatchGetItem for the articles' bodies (photo blocks carry their photo's snapshot); a cover
    photo that is not in the body is left out (its record would be one more read per article).
    """
    from chalicelib.article_body import Photo

    found: dict[str, Photo] = {}
    if not article_ids:
        return found
    for item in ArticleModel.batch_get(article_ids, attributes_to_get=["id", "cover_photo_id", "body"]):
        photos = [b for b in item.body or [] if isinstance(b, Photo) and b.media]
        cover = next((b for b in photos if b.photo_id == item.cover_photo_id), None)
        block = cover or (photos[0] if photos else None)
        if block is not None:
            found[item.id] = block
    return found


def list_notices(limit: int) -> list[ArticleSummary]:
    return _query_published(ArticleModel.notices, NOTICE_FEED, None, limit).items


def _key_name(index: GlobalSecondaryIndex[ArticleModel]) -> str:
    return str(index._hash_key_attribute().attr_name)


def _query_published(
    index: GlobalSecondaryIndex[ArticleModel], hash_value: str, cursor: str | None, limit: int
) -> Page:
    moment = now()
    items, next_cursor = query_page(
        index,
        _key_name(index),  # the index's own key: a cursor's start key must name it
        hash_value,
        ArticleModel.published_at,
        cursor,
        limit,
        latest=moment,
        range_key_condition=ArticleModel.published_at <= moment,
    )
    return Page([ArticleSummary(**_summary_fields(item)) for item in items], next_cursor)


def summary(item: ArticleModel) -> ArticleSummary:
    """An index entry (or an item) as listings show it."""
    return ArticleSummary(**_summary_fields(item))


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
