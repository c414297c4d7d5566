"""Server-rendered pages: the jinja2 environment and each page's context.

Templates are compiled once per process and autoescape everything; they get
plain, already-formatted values and only loop and branch.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2

from chalicelib.articles import Article, ArticleSummary, Page
from chalicelib.categories import Category
from chalicelib.config import Settings, get_settings
from chalicelib.labels import labels_for
from chalicelib.navigation import Navigation

# Beside app.py in the project, and at the top of the Lambda package through
# the vendor/templates symlink.
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
EAGER_PHOTOS = 2  # photos above the fold load at once, the rest lazily
PHOTO_SIZES = "(max-width: 860px) 100vw, 820px"


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


def render_home(nav: Navigation, channels: list[tuple[Category, list[ArticleSummary]]]) -> str:
    context = {
        "channels": [
            {"name": c.name, "url": category_url(c.slug), "articles": [_summary(a) for a in articles]}
            for c, articles in channels
        ]
    }
    return _render("home.html", nav, context, breadcrumb=[])


def render_category(nav: Navigation, category: Category, page: Page, first_page: bool) -> str:
    context = {
        "category": {"name": category.name, "url": category_url(category.slug)},
        "subcategories": [{"name": c.name, "url": category_url(c.slug)} for c in nav.children(category.slug)],
        "articles": [_summary(a) for a in page.items],
        "next_url": f"{category_url(category.slug)}?cursor={quote(page.next_cursor)}" if page.next_cursor else None,
        "first_url": None if first_page else category_url(category.slug),
    }
    return _render("category.html", nav, context, breadcrumb=nav.trail(category.slug))


def render_article(nav: Navigation, article: Article, views: int) -> str:
    settings = get_settings()
    context = {
        "article": {
            "title": article.title,
            "subtitle": article.subtitle,
            "date": format_date(article.published_at, settings),
            "source": article.source,
            "author": article.author,
            "views": views,
        },
        "blocks": _blocks(article.body, settings),
    }
    return _render("article.html", nav, context, breadcrumb=nav.trail(article.category))


def render_admin(nav: Navigation) -> str:
    return _render("admin.html", nav, {}, breadcrumb=[])


def render_error(nav: Navigation | None, status_code: int) -> str:
    kind = {404: "not_found", 400: "bad_request"}.get(status_code, "error")
    return _render("error.html", nav, {"status_code": status_code, "kind": kind}, breadcrumb=[])


def site_url(path: str) -> str:
    """A link within the site, under the path API Gateway serves it from."""
    return f"{get_settings().base_path}{path}"


def category_url(slug: str) -> str:
    return site_url(f"/news/{quote(slug)}")


def article_url(article_id: str) -> str:
    return site_url(f"/articles/{quote(article_id)}")


def format_date(moment: datetime, settings: Settings) -> str:
    return moment.astimezone(ZoneInfo(settings.site_timezone)).strftime("%Y-%m-%d")


def today_text(settings: Settings, moment: datetime | None = None) -> str:
    labels = labels_for(settings.site_language)
    day = (moment or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(settings.site_timezone))
    date = labels["date_format"].format(year=day.year, month=day.month, day=day.day)
    return f"{date} {labels[f'weekday_{day.weekday()}']}"


def _render(template: str, nav: Navigation | None, context: dict[str, Any], breadcrumb: list[Category]) -> str:
    settings = get_settings()
    base = {
        "site": {
            "name": settings.site_name,
            "language": settings.site_language,
            "today": today_text(settings),
            "year": datetime.now(ZoneInfo(settings.site_timezone)).year,
            "contact_url": settings.site_contact_url,
            "login_url": site_url("/admin"),
            "home_url": site_url("/"),
        },
        "labels": labels_for(settings.site_language),
        "menu": [{"name": c.name, "url": category_url(c.slug)} for c in nav.top_level()] if nav else [],
        "notices": [{"title": n.title, "url": article_url(n.id)} for n in nav.notices] if nav else [],
        "breadcrumb": [{"name": c.name, "url": category_url(c.slug)} for c in breadcrumb],
    }
    return environment().get_template(template).render(**base, **context)


def _summary(article: ArticleSummary) -> dict[str, Any]:
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "url": article_url(article.id),
        "date": format_date(article.published_at, get_settings()),
    }


def _blocks(body: list[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    blocks = []
    photos_seen = 0
    for block in body:
        kind = block.get("type")
        if kind in ("paragraph", "heading"):
            blocks.append({"type": kind, "text": block.get("text") or ""})
        elif kind == "photo":
            blocks.append({"type": "photo", "photo": _photo(block, photos_seen < EAGER_PHOTOS, settings)})
            photos_seen += 1
    return blocks


def _photo(block: dict[str, Any], eager: bool, settings: Settings) -> dict[str, Any]:
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
        "state": media.get("status", "pending"),
        "src": None,
        "sources": [],
        "srcset": None,
        "sizes": PHOTO_SIZES,
    }
    if photo["state"] != "ready":
        return photo
    photo_id = quote(block.get("photo_id") or "")
    widths = sorted(int(w) for w in media.get("widths") or [])
    if not widths:  # never the original: it is private and keeps its metadata
        photo["state"] = "unavailable"
        return photo
    base = f"{settings.media_base_url}/renditions/{photo_id}"
    photo["sources"] = [
        {"type": "image/webp", "srcset": ", ".join(f"{base}/{w}.webp {w}w" for w in widths)},
    ]
    photo["srcset"] = ", ".join(f"{base}/{w}.jpg {w}w" for w in widths)
    photo["src"] = f"{base}/{widths[-1]}.jpg"
    return photo
