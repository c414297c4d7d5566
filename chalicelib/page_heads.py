"""What each page's <head> tells search engines, link previews and feed readers (templates/_head_meta.html).

Every URL here is absolute, built from the site's origin (`Site.url`) and the page's own identity (a
category's slug, an article's id), never from the request: query strings, trailing slashes and the Host
header cannot make a page's canonical URL differ. A later page of a category keeps its `cursor` (each page
of a series is its own canonical, as search engines ask; pointing them all at the first page would hide
the older articles); every other query parameter is dropped.

JSON-LD is data inside <script type="application/ld+json">: browsers do not run it, so the CSP's
`default-src 'none'` (no script-src) does not block it, and crawlers read it. `<`, `>` and `&` are
written as JSON escapes, so no text an editor writes can close the element.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from markupsafe import Markup

from chalicelib.article_body import Photo
from chalicelib.articles import Article
from chalicelib.categories import Category
from chalicelib.config import Site
from chalicelib.excerpts import body_text, first_paragraph
from chalicelib.media_keys import rendition_url
from chalicelib.statuses import PhotoStatus

OG_LOCALES = {"zh-CN": "zh_CN", "en": "en_US"}
PREVIEW_WIDTH = 1200  # link previews want about this; the largest rendition not wider is used
JSON_LD_IMAGES = 3


def absolute_url(site: Site, path: str) -> str:
    """`path` within the site (under its base path) as an absolute URL."""
    return f"{site.url}{site.base_path}{path}"


def category_path(slug: str) -> str:
    """The site's one layout of a category's address (pages, feeds, the sitemap and link heads use it)."""
    return f"/news/{quote(slug)}"


def article_path(article_id: str) -> str:
    """The site's one layout of an article's address."""
    return f"/articles/{quote(article_id)}"


def cursor_path(path: str, cursor: str | None) -> str:
    """A listing's page: its first without a cursor, later ones with theirs."""
    return f"{path}?cursor={quote(cursor)}" if cursor else path


def feed_path(category_slug: str | None = None) -> str:
    return f"{category_path(category_slug)}/feed.xml" if category_slug else "/feed.xml"


def iso_datetime(site: Site, moment: datetime) -> str:
    """RFC 3339 in the site's time zone, with its offset: `<time datetime>`, feeds, JSON-LD."""
    return moment.astimezone(ZoneInfo(site.timezone)).isoformat(timespec="seconds")


def home_head(site: Site) -> dict[str, Any]:
    home = absolute_url(site, "/")
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.name,
        "url": home,
        "description": site.description,
        "inLanguage": site.language,
    }
    return _head(site, title=site.name, description=site.description, canonical=home, json_ld=website)


def category_head(
    site: Site, category: Category, cursor: str | None, next_path: str | None, prev_path: str | None = None
) -> dict[str, Any]:
    """`prev_path` only where the page knows it: a cursor leads forward, so the third page cannot name the second."""
    canonical = absolute_url(site, cursor_path(category_path(category.slug), cursor))
    head = _head(
        site,
        title=f"{category.name} - {site.name}",
        description=f"{category.name} - {site.description}",
        canonical=canonical,
    )
    head["next_url"] = absolute_url(site, next_path) if next_path else None
    head["prev_url"] = absolute_url(site, prev_path) if prev_path else None
    head["feeds"].append(
        {"title": f"{category.name} - {site.name}", "url": absolute_url(site, feed_path(category.slug))}
    )
    return head


def article_head(site: Site, article: Article) -> dict[str, Any]:
    canonical = absolute_url(site, article_path(article.id))
    description = first_paragraph(article.body) or article.subtitle or site.description
    images = _photos(site, article)
    published = iso_datetime(site, article.published_at)
    modified = iso_datetime(site, max(article.published_at, article.updated_at or article.published_at))
    author = {"@type": "Person", "name": article.author} if article.author else _publisher(site)
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "articleBody": body_text(article.body),
        "url": canonical,
        "mainEntityOfPage": canonical,
        "datePublished": published,
        "dateModified": modified,
        "image": [image["url"] for image in images[:JSON_LD_IMAGES]],
        "author": [author],
        "publisher": _publisher(site),
        "inLanguage": site.language,
    }
    head = _head(
        site, title=article.title, description=description, canonical=canonical, json_ld=news_article, kind="article"
    )
    head.update(image=images[0] if images else None, published_time=published, modified_time=modified)
    return head


def unlisted_head(site: Site) -> dict[str, Any]:
    """Pages search engines should not index: the login page, error pages."""
    head = _head(site, title=site.name, description=site.description, canonical=None)
    head["robots"] = "noindex"
    return head


def json_ld_text(data: dict[str, Any]) -> Markup:
    """`data` as JSON safe inside a <script> element: no `<`, `>` or `&` a parser could read as markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    safe = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(safe)  # noqa: S704 -- escaped just above: no <, > or & is left for a parser


def _head(
    site: Site,
    *,
    title: str,
    description: str,
    canonical: str | None,
    json_ld: dict[str, Any] | None = None,
    kind: str = "website",
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "canonical_url": canonical,
        "robots": None,
        "og_type": kind,
        "locale": OG_LOCALES.get(site.language, site.language.replace("-", "_")),
        "image": None,
        "published_time": None,
        "modified_time": None,
        "json_ld": json_ld_text(json_ld) if json_ld else None,
        "prev_url": None,
        "next_url": None,
        "feeds": [{"title": site.name, "url": absolute_url(site, feed_path())}],
        "icon_url": f"{site.base_path}/favicon.ico",
    }


def _publisher(site: Site) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.name, "url": absolute_url(site, "/")}


def _photos(site: Site, article: Article) -> list[dict[str, Any]]:
    """A preview rendition of each ready photo of the body, the cover photo first if the body shows it.

    Only photos in the body: their blocks carry the renditions, so the page needs no extra read.
    """
    photos = [b for b in article.body if isinstance(b, Photo)]
    photos.sort(key=lambda b: b.photo_id != article.cover_photo_id)  # stable: the cover, then body order
    images = []
    for block in photos:
        image = _preview(site, block)
        if image:
            images.append(image)
    return images


def _preview(site: Site, block: Photo) -> dict[str, Any] | None:
    media = block.media
    widths = sorted(media.widths) if media else []
    if media is None or media.status != PhotoStatus.READY or not widths:
        return None
    width = max([w for w in widths if w <= PREVIEW_WIDTH] or widths[:1])
    height = round(width * (media.height or 0) / media.width) if media.width else None
    url = rendition_url(site.media_base_url, block.photo_id, width, "jpg")
    return {"url": url, "width": width, "height": height, "alt": block.alt or block.caption or ""}
