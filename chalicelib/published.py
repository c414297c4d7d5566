"""The site's published articles across its channels, for feeds and the sitemap.

Every top-level category (channel) has its articles, its sub-categories' included, in the sparse
`by-channel` index, keyed by `published_at`; together the channels hold every published article. So the
whole site is one Query per channel, never a Scan, and `published_at <= now` keeps scheduled articles out
until their time has come.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from pynamodb.expressions.condition import Condition

from chalicelib.article_body import Body
from chalicelib.articles import ArticleSummary, is_visible, list_category, now
from chalicelib.models import ArticleModel

# What a feed entry needs besides its listing: the body's first paragraph, the author, the last edit.
DETAIL_ATTRIBUTES = ["id", "status", "published_at", "updated_at", "author", "body"]


@dataclass(frozen=True)
class Detail:
    author: str | None
    updated_at: datetime | None
    body: Body


def latest(channels: Iterable[str], limit: int) -> list[ArticleSummary]:
    """The newest `limit` visible articles of all `channels`: each channel's newest, merged."""
    per_channel = [list_category(slug, channel=True, cursor=None, limit=limit).items for slug in channels]
    merged = heapq.merge(*per_channel, key=lambda a: a.published_at, reverse=True)
    return list(merged)[:limit]


def details(article_ids: list[str]) -> dict[str, Detail]:
    """Author, last edit and body of each article still visible (BatchGetItem: the index has no body)."""
    found: dict[str, Detail] = {}
    if not article_ids:
        return found
    moment = now()
    for item in ArticleModel.batch_get(article_ids, attributes_to_get=DETAIL_ATTRIBUTES):
        if is_visible(item, moment):
            found[item.id] = Detail(author=item.author, updated_at=item.updated_at, body=item.body or [])
    return found


def published_keys(
    channels: Iterable[str], start: datetime | None = None, end: datetime | None = None
) -> Iterator[tuple[str, str, datetime]]:
    """(channel, id, published_at) of every visible article of `channels`, published in [start, end) if given."""
    moment = now()
    upper = min(end, moment) if end else moment
    if start is not None and start > upper:
        return
    for slug in channels:
        condition: Condition = (
            ArticleModel.published_at.between(start, upper) if start else ArticleModel.published_at <= upper
        )
        for item in ArticleModel.by_channel.query(
            slug, range_key_condition=condition, attributes_to_get=["id", "published_at"]
        ):
            if end is None or item.published_at < end:
                yield slug, item.id, item.published_at
