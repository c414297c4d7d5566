"""The sitemap protocol's documents (sitemaps.org 0.9) and robots.txt that points at them.

Up to `SITEMAP_MAX_URLS` (the protocol's 50,000 a file), /sitemap.xml lists the home page, every category
and every visible article. Past it, /sitemap.xml is an index of /sitemaps/pages.xml (home and categories)
and one /sitemaps/{yyyy-mm}.xml per month that has articles (months in the site's time zone).
An article's lastmod is its publication time: the index the sitemap reads holds no later edit, and
reading every article for one would cost a read per article.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from chalicelib import published
from chalicelib.config import Site, get_settings
from chalicelib.errors import NotFound
from chalicelib.navigation import Navigation, get_navigation
from chalicelib.page_heads import absolute_url, article_path, category_path
from chalicelib.site_settings import get_site

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
CONTENT_TYPE = "application/xml; charset=utf-8"
MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])\.xml")
PAGES_FILE = "pages.xml"

Url = tuple[str, datetime | None]  # a page's absolute URL and when it last changed, if known


def sitemap() -> bytes:
    """The urlset of the whole site, or past the limit the index of the monthly files."""
    site, nav = get_site(), get_navigation()
    keys = list(published.published_keys(c.slug for c in nav.top_level()))
    pages = _pages(site, nav, keys)
    if len(pages) + len(keys) <= get_settings().sitemap_max_urls:
        return _urlset(pages + [_article(site, article_id, at) for _, article_id, at in keys])
    months: dict[str, datetime] = {}
    for _, _, at in keys:
        month = at.astimezone(ZoneInfo(site.timezone)).strftime("%Y-%m")
        months[month] = max(at, months.get(month, at))
    files: list[Url] = [(absolute_url(site, f"/sitemaps/{PAGES_FILE}"), max(months.values(), default=None))]
    files += [(absolute_url(site, f"/sitemaps/{m}.xml"), at) for m, at in sorted(months.items(), reverse=True)]
    return _document("sitemapindex", "sitemap", files)


def sitemap_file(name: str) -> bytes:
    """One file of the index: `pages.xml`, or `yyyy-mm.xml` with that month's articles (404 if none)."""
    site, nav = get_site(), get_navigation()
    channels = [c.slug for c in nav.top_level()]
    if name == PAGES_FILE:
        return _urlset(_pages(site, nav, list(published.published_keys(channels))))
    match = MONTH.fullmatch(name)
    if not match:
        raise NotFound("no such sitemap", code="sitemap_not_found", sitemap=name)
    zone = ZoneInfo(site.timezone)
    year, month = int(match.group(1)), int(match.group(2))
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    keys = list(published.published_keys(channels, start, end))
    if not keys:
        raise NotFound("no such sitemap", code="sitemap_not_found", sitemap=name)
    return _urlset([_article(site, article_id, at) for _, article_id, at in keys])


def robots_txt() -> str:
    """Everything may be crawled but the editors' API and login page; the sitemap's absolute URL."""
    site = get_site()
    return (
        "User-agent: *\n"
        f"Disallow: {site.base_path}/api/\n"
        f"Disallow: {site.base_path}/admin\n"
        f"Sitemap: {absolute_url(site, '/sitemap.xml')}\n"
    )


def _pages(site: Site, nav: Navigation, keys: list[tuple[str, str, datetime]]) -> list[Url]:
    """Home and every category; a channel's lastmod is its newest article's publication."""
    newest: dict[str, datetime] = {}
    for channel, _, at in keys:
        newest[channel] = max(at, newest.get(channel, at))
    urls: list[Url] = [(absolute_url(site, "/"), max(newest.values(), default=None))]
    for top in nav.top_level():
        urls.append((absolute_url(site, category_path(top.slug)), newest.get(top.slug)))
        urls += [(absolute_url(site, category_path(c.slug)), None) for c in nav.children(top.slug)]
    return urls


def _article(site: Site, article_id: str, published_at: datetime) -> Url:
    return absolute_url(site, article_path(article_id)), published_at


def _urlset(urls: Iterable[Url]) -> bytes:
    return _document("urlset", "url", urls)


def _document(root_name: str, item_name: str, urls: Iterable[Url]) -> bytes:
    root = ET.Element(root_name, {"xmlns": SITEMAP})
    for url, lastmod in urls:
        item = ET.SubElement(root, item_name)
        ET.SubElement(item, "loc").text = url
        if lastmod is not None:
            ET.SubElement(item, "lastmod").text = lastmod.isoformat(timespec="seconds")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
