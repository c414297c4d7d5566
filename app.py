"""Newsroom's Chalice app: routes and event handlers, wired to chalicelib."""

from chalice import Chalice

from chalicelib import reader
from chalicelib.responses import html_page

app = Chalice(app_name="newsroom")

READER_CACHE = "public, max-age=60"
# An article page counts every view, so shared caches must not answer for it.
ARTICLE_CACHE = "private, no-cache"


@app.route("/", methods=["GET"])
@html_page(READER_CACHE)
def home() -> str:
    return reader.home_page()


@app.route("/news/{category}", methods=["GET"])
@html_page(READER_CACHE)
def category(category: str) -> str:
    params = app.current_request.query_params or {}
    return reader.category_page(category, params.get("cursor"))


@app.route("/articles/{article_id}", methods=["GET"])
@html_page(ARTICLE_CACHE)
def article(article_id: str) -> str:
    return reader.article_page(article_id)
