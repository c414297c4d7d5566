"""Feeds, the sitemap, robots.txt and the site's icon: documents for machines, cached like the pages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chalice import Blueprint, Response

from chalicelib import feeds, sitemap
from chalicelib.config import get_settings
from chalicelib.routes.reader import READER_CACHE
from chalicelib.routes.responses import conditional, error_response

routes = Blueprint(__name__)

ICON_FILE = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"
ICON_CONTENT_TYPE = "image/x-icon"  # app.py adds it to the API's binary types
ICON_CACHE = "public, max-age=604800"  # a week: the icon rarely changes, and its URL cannot


def document(content_type: str) -> Callable[[Callable[..., str | bytes]], Callable[..., Response]]:
    """Decorate a route returning a document: its type, the pages' caching; errors as the site's pages."""

    def decorate(view: Callable[..., str | bytes]) -> Callable[..., Response]:
        @functools.wraps(view)
        def route(*args: Any, **kwargs: Any) -> Response:
            try:
                body = view(*args, **kwargs)
            except Exception as raised:
                return error_response(raised, "document failed")
            headers: dict[str, str | list[str]] = {
                "Content-Type": content_type,
                "Cache-Control": READER_CACHE,
                "X-Content-Type-Options": "nosniff",
            }
            return Response(body=body.decode() if isinstance(body, bytes) else body, status_code=200, headers=headers)

        return route

    return decorate


@routes.route("/feed.xml", methods=["GET", "HEAD"])
@conditional(routes)
@document(feeds.CONTENT_TYPE)
def site_feed() -> bytes:
    return feeds.site_feed()


@routes.route("/news/{category}/feed.xml", methods=["GET", "HEAD"])
@conditional(routes)
@document(feeds.CONTENT_TYPE)
def category_feed(category: str) -> bytes:
    return feeds.category_feed(category)


@routes.route("/sitemap.xml", methods=["GET", "HEAD"])
@conditional(routes)
@document(sitemap.CONTENT_TYPE)
def sitemap_index() -> bytes:
    return sitemap.sitemap()


@routes.route("/sitemaps/{name}", methods=["GET", "HEAD"])
@conditional(routes)
@document(sitemap.CONTENT_TYPE)
def sitemap_file(name: str) -> bytes:
    return sitemap.sitemap_file(name)


@routes.route("/robots.txt", methods=["GET", "HEAD"])
@conditional(routes)
@document("text/plain; charset=utf-8")
def robots() -> str:
    return sitemap.robots_txt()


@routes.route("/favicon.ico", methods=["GET", "HEAD"])
def favicon() -> Response:
    """The configured icon (SITE_ICON_URL), else the one shipped in the package."""
    configured = get_settings().site_icon_url
    if configured:
        return Response(body="", status_code=302, headers={"Location": configured, "Cache-Control": ICON_CACHE})
    headers: dict[str, str | list[str]] = {
        "Content-Type": ICON_CONTENT_TYPE,
        "Cache-Control": ICON_CACHE,
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body=_icon(), status_code=200, headers=headers)


@functools.lru_cache(maxsize=1)
def _icon() -> bytes:
    return ICON_FILE.read_bytes()
