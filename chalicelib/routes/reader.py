"""Reader pages: server-rendered HTML, cached by shared caches except the article (it counts the view)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import reader
from chalicelib.config import get_settings
from chalicelib.routes.responses import conditional, counting_page_csp, html_page, json_api

routes = Blueprint(__name__)

READER_CACHE = "public, max-age=60"
# In server mode an article page counts every view, so shared caches must not answer for it.
ARTICLE_CACHE = "private, no-cache"
SCRIPT_CACHE = "public, max-age=31536000, immutable"  # its URL carries its hash
# A preview is for the editor holding the link: no cache keeps it, no search engine lists it.
PREVIEW_CACHE = "private, no-store"
NOINDEX = {"X-Robots-Tag": "noindex"}


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


@routes.route("/", methods=["GET"])
@conditional(routes)
@html_page(READER_CACHE)
def home() -> str:
    return reader.home_page()


@routes.route("/news/{category}", methods=["GET"])
@conditional(routes)
@html_page(READER_CACHE)
def category(category: str) -> str:
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    return reader.category_page(category, params.get("cursor"))


@routes.route("/articles/{article_id}", methods=["GET"])
@conditional(routes)
@html_page(article_cache, csp=article_csp)
def article(article_id: str) -> str:
    return reader.article_page(article_id)


@routes.route("/views/{article_id}", methods=["POST"])
@json_api()
def count_view(article_id: str) -> dict[str, int]:
    """Beacon mode: count a view of the article (not a crawler's) and answer its count (never cached)."""
    return {"views": reader.count_view(article_id, routes.current_request.headers.get("user-agent"))}


@routes.route("/static/views.js", methods=["GET"])
def counting_script() -> Response:
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/javascript; charset=utf-8",
        "Cache-Control": SCRIPT_CACHE,
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body=reader.counting_script().decode(), status_code=200, headers=headers)


@routes.route("/preview/{token}", methods=["GET"])
@html_page(PREVIEW_CACHE, NOINDEX)
def preview(token: str) -> str:
    return reader.preview_page(token)
