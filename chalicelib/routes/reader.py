"""Reader pages: server-rendered HTML, cached by shared caches except the article (it counts the view)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import reader
from chalicelib.routes.responses import html_page

routes = Blueprint(__name__)

READER_CACHE = "public, max-age=60"
# An article page counts every view, so shared caches must not answer for it.
ARTICLE_CACHE = "private, no-cache"
# A preview is for the editor holding the link: no cache keeps it, no search engine lists it.
PREVIEW_CACHE = "private, no-store"
NOINDEX = {"X-Robots-Tag": "noindex"}


@routes.route("/", methods=["GET"])
@html_page(READER_CACHE)
def home() -> str:
    return reader.home_page()


@routes.route("/news/{category}", methods=["GET"])
@html_page(READER_CACHE)
def category(category: str) -> str:
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    return reader.category_page(category, params.get("cursor"))


@routes.route("/articles/{article_id}", methods=["GET"])
@html_page(ARTICLE_CACHE)
def article(article_id: str) -> str:
    return reader.article_page(article_id)


@routes.route("/preview/{token}", methods=["GET"])
@html_page(PREVIEW_CACHE, NOINDEX)
def preview(token: str) -> str:
    return reader.preview_page(token)
