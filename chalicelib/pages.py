"""Server-rendered pages: the jinja2 environment and each page's context.

Templates are compiled once per process and autoescape everything; they get
plain, already-formatted values and only loop and branch. Every function here
takes the `Site` it renders for; none reads settings. The names each template
gets are documented once, in `BASE_CONTEXT` and `PAGE_CONTEXTS`, and `_render`
refuses any other set (tests/test_pages.py holds the templates to them).
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2

from chalicelib import page_heads
from chalicelib.articles import Article, ArticleSummary, Page
from chalicelib.categories import Category
from chalicelib.config import Site
from chalicelib.labels import labels_for
from chalicelib.media_keys import renditions_folder
from chalicelib.navigation import Navigation
from chalicelib.statuses import PhotoStatus

# Beside app.py in the project, and at the top of the Lambda package through
# the vendor/templates symlink.
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
EAGER_PHOTOS = 2  # photos above the fold load at once, the rest lazily
PHOTO_SIZES = "(max-width: 860px) 100vw, 820px"
LINE_BREAK = re.compile(r"\r\n|\r|\n")

# What base.html (and so every page) gets.
BASE_CONTEXT = {
    "site": "name, language, today (the date line), year, contact_url, login_url, home_url",
    "labels": "interface text in the site's language (chalicelib/labels.py)",
    "menu": "top-level categories, each with name and url; empty if the navigation could not be read",
    "notices": "notice articles, each with title and url; empty if the navigation could not be read",
    "breadcrumb": "the page's category trail, outermost first, each with name and url; empty off category pages",
    "head": (
        "for search engines, previews and feeds (page_heads.py): title, description, canonical_url, robots, "
        "og_type, locale, image (url, width, height, alt), published_time, modified_time, json_ld (escaped), "
        "prev_url, next_url, feeds (title, url), icon_url; absolute URLs"
    ),
}

# What each page template gets on top of BASE_CONTEXT.
PAGE_CONTEXTS: dict[str, dict[str, str]] = {
    "home.html": {
        "channels": "top-level categories, each with name, url and its latest articles (title, subtitle, url, date)",
    },
    "category.html": {
        "category": "the category shown: name, url",
        "subcategories": "its child categories, each with name and url",
        "articles": "this page of its articles, newest first: title, subtitle, url, date",
        "next_url": "the next page's url, or None on the last page",
        "first_url": "the first page's url, or None on the first page",
    },
    "article.html": {
        "article": "title, subtitle, date, source, author, views (this view included in server mode; as of the "
        "render in beacon mode)",
        "blocks": "the body in order: paragraph with lines (its text split at line breaks), heading with text, "
        "photo with photo (see _photo)",
        "counting": "beacon mode: url (a POST there counts the view and answers it) and script_url; else None",
    },
    "preview.html": {
        "article": "title, subtitle, date (of publication, or of the last save), source, author; no views",
        "blocks": "as article.html's",
        "counting": "None: a preview counts nothing",
    },
    "admin.html": {
        "site": "name, language, home_url",
        "labels": "interface text in the site's language (chalicelib/labels.py)",
        "app": "the editors' app shell's settings: assets_url, base_path, api_base, media_origin, timezone",
    },
    "error.html": {
        "kind": "not_found, bad_request or error: picks the {kind}_title and {kind}_text labels",
    },
}


# Pages that do not extend base.html (no reader chrome, no inline style): they get only their own context.
STANDALONE = frozenset({"admin.html"})


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


def render_home(site: Site, nav: Navigation, channels: list[tuple[Category, list[ArticleSummary]]]) -> str:
    context = {
        "channels": [
            {
                "name": c.name,
                "url": category_url(site, c.slug),
                "articles": [_summary(site, a) for a in articles],
            }
            for c, articles in channels
        ]
    }
    return _render(site, "home.html", nav, context, breadcrumb=[], head=page_heads.home_head(site))


def render_category(site: Site, nav: Navigation, category: Category, page: Page, cursor: str | None) -> str:
    url = category_url(site, category.slug)
    first_page = not cursor
    context = {
        "category": {"name": category.name, "url": url},
        "subcategories": [{"name": c.name, "url": category_url(site, c.slug)} for c in nav.children(category.slug)],
        "articles": [_summary(site, a) for a in page.items],
        "next_url": f"{url}?cursor={quote(page.next_cursor)}" if page.next_cursor else None,
        "first_url": None if first_page else url,
    }
    next_path = f"/news/{quote(category.slug)}?cursor={quote(page.next_cursor)}" if page.next_cursor else None
    head = page_heads.category_head(site, category, cursor, next_path)
    return _render(site, "category.html", nav, context, breadcrumb=nav.trail(category.slug), head=head)


def render_article(
    site: Site, nav: Navigation, article: Article, views: int, counting_script: str | None = None
) -> str:
    """The article; with `counting_script` (the script's path, beacon mode) the page counts its view itself."""
    counting = None
    if counting_script is not None:
        counting = {"url": site_url(site, f"/views/{quote(article.id)}"), "script_url": site_url(site, counting_script)}
    context = {
        "article": {**_article(site, article), "views": views},
        "blocks": _blocks(site, article.body),
        "counting": counting,
    }
    head = page_heads.article_head(site, article)
    return _render(site, "article.html", nav, context, breadcrumb=nav.trail(article.category), head=head)


def render_admin(site: Site, media_origin: str) -> str:
    """The editors' app shell: the app reads its settings from data attributes (no inline script)."""
    app = {
        "assets_url": site_url(site, "/admin/assets"),
        "base_path": site.base_path,
        "api_base": site_url(site, "/api"),
        "media_origin": media_origin,
        "timezone": site.timezone,
    }
    site_context = {"name": site.name, "language": site.language, "home_url": site_url(site, "/")}
    context = {"site": site_context, "labels": labels_for(site.language), "app": app}
    return environment().get_template("admin.html").render(**context)


def render_preview(site: Site, nav: Navigation, article: Article) -> str:
    """The article page as it would look, marked as a preview, without a view count."""
    context = {"article": _article(site, article), "blocks": _blocks(site, article.body), "counting": None}
    head = page_heads.unlisted_head(site)  # noindex, no canonical: a preview is nobody's page
    return _render(site, "preview.html", nav, context, breadcrumb=nav.trail(article.category), head=head)


def _article(site: Site, article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "date": format_date(site, article.published_at),
        "source": article.source,
        "author": article.author,
    }


def render_error(site: Site, nav: Navigation | None, status_code: int) -> str:
    kind = {404: "not_found", 400: "bad_request"}.get(status_code, "error")
    return _render(site, "error.html", nav, {"kind": kind}, breadcrumb=[], head=page_heads.unlisted_head(site))


def site_url(site: Site, path: str) -> str:
    """A link within the site, under the path API Gateway serves it from."""
    return f"{site.base_path}{path}"


def category_url(site: Site, slug: str) -> str:
    return site_url(site, f"/news/{quote(slug)}")


def article_url(site: Site, article_id: str) -> str:
    return site_url(site, f"/articles/{quote(article_id)}")


def format_date(site: Site, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(site.timezone)).strftime("%Y-%m-%d")


def today_text(site: Site, moment: datetime | None = None) -> str:
    labels = labels_for(site.language)
    day = (moment or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(site.timezone))
    date = labels["date_format"].format(year=day.year, month=day.month, day=day.day)
    return f"{date} {labels[f'weekday_{day.weekday()}']}"


def _render(
    site: Site,
    template: str,
    nav: Navigation | None,
    context: dict[str, Any],
    breadcrumb: list[Category],
    head: dict[str, Any] | None = None,
) -> str:
    """Render `template` with the base context and its page context, exactly as documented."""
    if set(context) != set(PAGE_CONTEXTS[template]):
        raise ValueError(f"{template} documents {sorted(PAGE_CONTEXTS[template])} but was given {sorted(context)}")
    base = {
        "site": {
            "name": site.name,
            "language": site.language,
            "today": today_text(site),
            "year": datetime.now(ZoneInfo(site.timezone)).year,
            "contact_url": site.contact_url,
            "login_url": site_url(site, "/admin"),
            "home_url": site_url(site, "/"),
        },
        "labels": labels_for(site.language),
        "menu": [{"name": c.name, "url": category_url(site, c.slug)} for c in nav.top_level()] if nav else [],
        "notices": [{"title": n.title, "url": article_url(site, n.id)} for n in nav.notices] if nav else [],
        "breadcrumb": [{"name": c.name, "url": category_url(site, c.slug)} for c in breadcrumb],
        "head": head or page_heads.unlisted_head(site),
    }
    return environment().get_template(template).render(**base, **context)


def _summary(site: Site, article: ArticleSummary) -> dict[str, Any]:
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "url": article_url(site, article.id),
        "date": format_date(site, article.published_at),
    }


def _blocks(site: Site, body: list[dict[str, Any]]) -> list[dict[str, Any]]:
    blocks = []
    photos_seen = 0
    for block in body:
        kind = block.get("type")
        if kind == "paragraph":  # its line breaks are kept: the template puts <br> between escaped lines
            blocks.append({"type": kind, "lines": LINE_BREAK.split(block.get("text") or "")})
        elif kind == "heading":
            blocks.append({"type": kind, "text": block.get("text") or ""})
        elif kind == "photo":
            blocks.append({"type": "photo", "photo": _photo(site, block, photos_seen < EAGER_PHOTOS)})
            photos_seen += 1
    return blocks


def _photo(site: Site, block: dict[str, Any], eager: bool) -> dict[str, Any]:
    """What a photo block needs to render without a layout shift or a broken image."""
    media = block.get("media") or {}
    caption = block.get("caption") or ""
    width, height = media.get("width"), media.get("height")
    photo = {
        "caption": caption,
        "alt": block.get("alt") or caption,
        "width": int(width) if width else None,
        "height": int(height) if height else None,
        "color": media.get("color") or "#e8e8e8",
        "loading": "eager" if eager else "lazy",
        "state": media.get("status", PhotoStatus.PENDING),
        "src": None,
        "sources": [],
        "srcset": None,
        "sizes": PHOTO_SIZES,
    }
    if photo["state"] != PhotoStatus.READY:
        return photo
    photo_id = quote(block.get("photo_id") or "")
    widths = sorted(int(w) for w in media.get("widths") or [])
    if not widths:  # never the original: it is private and keeps its metadata
        photo["state"] = "unavailable"
        return photo
    base = f"{site.media_base_url}/{renditions_folder(photo_id)}"
    photo["sources"] = [
        {"type": "image/webp", "srcset": ", ".join(f"{base}/{w}.webp {w}w" for w in widths)},
    ]
    photo["srcset"] = ", ".join(f"{base}/{w}.jpg {w}w" for w in widths)
    photo["src"] = f"{base}/{widths[-1]}.jpg"
    return photo
