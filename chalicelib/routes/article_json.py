"""The editors' API's view of an article (its JSON), shared by every route that answers one."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from chalicelib import reviews
from chalicelib.article_body import editor_json
from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel
from chalicelib.statuses import ArticleStatus


def article_data(item: ArticleModel) -> dict[str, Any]:
    """The API's view of an article."""
    published_at = item.published_at
    return {
        "id": item.id,
        "title": item.title,
        "subtitle": item.subtitle,
        "category": item.category,
        "source": item.source,
        "author": item.author,
        "notice": bool(item.notice),
        "flags": list(item.flags or []),
        "pinned_until": _iso(item.pinned_until),
        "cover_photo_id": item.cover_photo_id,
        "status": item.status,
        "scheduled": bool(item.status == ArticleStatus.PUBLISHED and published_at and published_at > now()),
        "published_at": _iso(published_at),
        "created_at": _iso(item.created_at),
        "updated_at": _iso(item.updated_at),
        "version": item.version,
        "review": reviews.review_view(item),  # its review record (chalicelib/reviews.py)
        "pending_revision": item.pending_revision,  # a restored draft of changes (chalicelib/revisions.py)
        "url": f"{get_settings().base_path}/articles/{quote(item.id)}",  # the reader page
        "body": [editor_json(block) for block in item.body or []],
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
