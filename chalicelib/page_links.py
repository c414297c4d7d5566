"""Links and dates as pages show them: under the site's base path, in the site's time zone and language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from chalicelib import clock, page_heads
from chalicelib.config import Site
from chalicelib.labels import labels_for


def site_url(site: Site, path: str) -> str:
    """A link within the site, under the path API Gateway serves it from."""
    return f"{site.base_path}{path}"


def category_url(site: Site, slug: str) -> str:
    return site_url(site, page_heads.category_path(slug))


def article_url(site: Site, article_id: str) -> str:
    return site_url(site, page_heads.article_path(article_id))


def format_date(site: Site, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(site.timezone)).strftime("%Y-%m-%d")


def today_text(site: Site, moment: datetime | None = None) -> str:
    labels = labels_for(site.language)
    day = (moment or clock.now()).astimezone(ZoneInfo(site.timezone))
    date = labels["date_format"].format(year=day.year, month=day.month, day=day.day)
    return f"{date} {labels[f'weekday_{day.weekday()}']}"
