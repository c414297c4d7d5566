"""The home page's features: articles editors flag 头条 (headline), 幻灯 (carousel) or 推荐 (recommended).

A published article with flags carries `listed_featured` (editorial.py), so one Query on the sparse
`featured` index finds them all, newest first; an article pinned until a later date leads its sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.articles import ArticleSummary, _summary_fields, now
from chalicelib.models import ArticleModel

FEATURED = "featured"
LOOKED_AT = 30  # the newest flagged articles read (one Query page)
CAROUSEL = 5
RECOMMENDED = 6


@dataclass(frozen=True)
class Features:
    headline: ArticleSummary | None = None
    carousel: list[ArticleSummary] = field(default_factory=list)  # candidates: only those with a photo show
    recommended: list[ArticleSummary] = field(default_factory=list)


def features() -> Features:
    """Every section from one Query: pinned articles first (while their date is ahead), then the newest."""
    moment = now()
    items = list(
        ArticleModel.featured.query(
            FEATURED, ArticleModel.published_at <= moment, scan_index_forward=False, limit=LOOKED_AT
        )
    )
    items.sort(key=lambda item: _pinned(item.pinned_until, moment), reverse=True)  # stable: newest first within

    def flagged(flag: str) -> list[ArticleSummary]:
        return [ArticleSummary(**_summary_fields(item)) for item in items if flag in (item.flags or [])]

    headlines = flagged("headline")
    return Features(headlines[0] if headlines else None, flagged("carousel"), flagged("recommended")[:RECOMMENDED])


def _pinned(until: datetime | None, moment: datetime) -> bool:
    return until is not None and until > moment
