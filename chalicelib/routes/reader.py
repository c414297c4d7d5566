"""Reader pages: server-rendered HTML, cached by shared caches except the article (it counts the view)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Response

from chalicelib import pages, reader
from chalicelib.config import get_settings
from chalicelib.pages import CURSOR_PATH, SCRIPT_PATH
from chalicelib.routes.counting import client_of
from chalicelib.routes.responses import conditional, counting_page_csp, html_page

routes = Blueprint(__name__)

# HEAD answers like GET without a body (monitors and crawlers ask it); API Gateway and chalice local
# would otherwise send the body, so head_without_body drops it. A HEAD on an article counts no view.
PAGE_METHODS = ["GET", "HEAD"]
READER_CACHE = "public, max-age=60"
# In server mode an article page counts every view, so shared caches must not answer for it.
ARTICLE_CACHE = "private, no-cache"
COUNTING_SCRIPT_CACHE = "public, max-age=31536000, immutable"  # its URL carries its hash
# A preview is for the editor holding the link: no cache keeps it, no search engine lists it.
PREVIEW_CACHE = "private, no-store"
NOINDEX = {"X-Robots-Tag": "noindex"}
SCRIPT_CACHE = "public, max-age=3600"
# Search results: short enough that an unpublished article leaves them within a minute (with the index's
# own refresh, SEARCH_REFRESH_SECONDS); not for search engines' indexes.
SEARCH_CACHE = "public, max-age=30"


@routes.middleware("http")
def head_without_body(event: Any, get_response: Callable[[Any], Response]) -> Response:
    response = get_response(event)
    if event.method == "HEAD":
        response.body = ""
    return response


def article_cache() -> str:
    """Server mode: ARTICLE_CACHE. Beacon mode: shared caches keep the page PAGE_CACHE_SECONDS, and may answer
    with it for as long again while they fetch a fresh one (the count on it is as of the render; the script
    shows the current one)."""
    settings = get_settings()
    if settings.count_mode != "beacon":
        return ARTICLE_CACHE
    seconds = settings.page_cache_seconds
    return f"public, max-age={seconds}, stale-while-revalidate={seconds}"


def article_csp() -> str | None:
    return counting_page_csp() if get_settings().count_mode == "beacon" else None


@routes.route("/", methods=PAGE_METHODS)
@conditional(routes)
@html_page(READER_CACHE)
def home() -> str:
    return reader.home_page()


@routes.route("/news/{category}", methods=PAGE_METHODS)
@conditional(routes)
@html_page(READER_CACHE)
def category(category: str) -> str:
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    return reader.category_page(category, params.get("cursor"))


@routes.route("/articles/{article_id}", methods=PAGE_METHODS)
@conditional(routes)
@html_page(article_cache, csp=article_csp)
def article(article_id: str) -> str:
    request = routes.current_request
    client = client_of(request.headers, request.context) if request.method != "HEAD" else None
    return reader.article_page(article_id, client)


@routes.route("/static/views.js", methods=["GET", "HEAD"])
def counting_script() -> Response:
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/javascript; charset=utf-8",
        "Cache-Control": COUNTING_SCRIPT_CACHE,
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body=reader.counting_script().decode(), status_code=200, headers=headers)


@routes.route("/preview/{token}", methods=["GET", "HEAD"])
@html_page(PREVIEW_CACHE, NOINDEX)
def preview(token: str) -> str:
    return reader.preview_page(token)


@routes.route("/search", methods=["GET", "HEAD"])
@html_page(SEARCH_CACHE, NOINDEX)
def search() -> str:
    """In the API function with every other route: chalice gives one function to all of an app's routes
    (docs/search.md says why that does not slow article pages)."""
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    return reader.search_page(params.get("q"), params.get("page"))


@routes.route(SCRIPT_PATH, methods=PAGE_METHODS)
def script() -> Response:
    """The reader pages' one small script, from the package (CSP script-src 'self')."""
    return Response(
        body=pages.reader_script(),
        status_code=200,
        headers={
            "Content-Type": "text/javascript; charset=utf-8",
            "Cache-Control": SCRIPT_CACHE,
            "X-Content-Type-Options": "nosniff",
        },
    )


@routes.route(CURSOR_PATH, methods=PAGE_METHODS)
def cursor() -> Response:
    """关怀模式's extra-large cursor, from the package."""
    return Response(
        body=pages.care_cursor(),
        status_code=200,
        headers={"Content-Type": "image/svg+xml", "Cache-Control": SCRIPT_CACHE, "X-Content-Type-Options": "nosniff"},
    )
