"""The reader's pages: what each one reads, in what order, then renders.

Budget per article view: one GetItem for the article, one UpdateItem for its
counter (beacon mode: a GetItem of the counter per render, and the counting
request's GetItem and UpdateItem). Its neighbours (上一篇/下一篇 and related
articles) come from the container's window of its category (`neighbours.py`:
two small Queries only for an article older than the window); categories and
notices from the container's navigation copy. A category page: its page
Query, a COUNT Query for the total, and past the first page one Query for the
previous page's cursor. Home: one Query per channel and one BatchGetItem for
the headline photos.
Pages are rendered for the site the settings describe (`get_site()`).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from chalicelib import pages
from chalicelib.articles import (
    count_category,
    first_photos,
    get_article_for_preview,
    get_published_article,
    list_category,
    previous_page_cursor,
)
from chalicelib.config import get_settings
from chalicelib.counters import Client, get_views
from chalicelib.counters import count_view as count_client_view
from chalicelib.errors import InvalidInput, NotFound, Unauthorized
from chalicelib.featured import CAROUSEL, features
from chalicelib.navigation import get_navigation
from chalicelib.neighbours import neighbours_of
from chalicelib.site_settings import get_site, site_without_reading
from chalicelib.topic_directory import topics_of

HEADLINES = 4  # the home page's headline photos
CAROUSEL_LOOKED_AT = 10  # the newest 幻灯 articles looked at for a photo (the same BatchGetItem)
HEADLINE_CANDIDATES = 8  # the newest articles looked at for them (their bodies are read in one BatchGetItem)


def home_page() -> str:
    nav = get_navigation()
    limit = get_settings().home_page_size
    channels = [
        (category, list_category(category.slug, channel=True, cursor=None, limit=limit).items)
        for category in nav.top_level()
    ]
    newest = sorted({a.id: a for _, items in channels for a in items}.values(), key=lambda a: a.published_at)
    candidates = list(reversed(newest))[:HEADLINE_CANDIDATES]
    flagged = features()  # 头条, 幻灯, 推荐: one Query on the sparse index
    photos = first_photos(list(dict.fromkeys([a.id for a in flagged.carousel[:CAROUSEL_LOOKED_AT] + candidates])))
    carousel = [(a, photos[a.id]) for a in flagged.carousel[:CAROUSEL_LOOKED_AT] if a.id in photos][:CAROUSEL]
    headlines = carousel or [(a, photos[a.id]) for a in candidates if a.id in photos][:HEADLINES]
    site, recommended = get_site(), tuple(flagged.recommended)
    return pages.render_home(site, nav, headlines, channels, flagged.headline, recommended, carousel=bool(carousel))


def category_page(slug: str, cursor: str | None) -> str:
    nav = get_navigation()
    category = nav.find(slug)
    if category is None:
        raise NotFound("category not found", code="category_not_found", category=slug)
    channel = category.parent is None
    size = get_settings().page_size
    page = list_category(slug, channel=channel, cursor=cursor, limit=size)
    previous = previous_page_cursor(slug, channel=channel, cursor=cursor, limit=size) if cursor else None
    total = count_category(slug, channel=channel)
    return pages.render_category(get_site(), nav, category, page, cursor, previous_cursor=previous, total=total)


COUNTING_SCRIPT = "/static/views.js"  # served by routes/reader.py; the page adds ?v={its hash}


def article_page(article_id: str, client: Client | None) -> str:
    """The article. In server mode this render counts the view by counters.count_view's rules (the page is
    never cached); in beacon mode it shows the count as it is and the page's script counts
    (`view_counts.count_view`): a CDN may answer with the page for a minute. `client` None (a HEAD) reads the
    count without adding to it."""
    article = get_published_article(article_id)
    beacon = get_settings().count_mode == "beacon"
    views = count_client_view(article.id, client) if client and not beacon else get_views(article.id)
    script = counting_script_path() if beacon else None
    site, topics = get_site(), topics_of(article.id)  # both from the site's item, read once a container
    return pages.render_article(site, get_navigation(), article, views, neighbours_of(article), script, topics)


def counting_script() -> bytes:
    """The counting script, shipped in the package (chalicelib/static/views.js)."""
    return _counting_script()[0]


def counting_script_path() -> str:
    """The script's path with its content's hash, so it can be cached for a year and still change."""
    return f"{COUNTING_SCRIPT}?v={_counting_script()[1]}"


@functools.cache
def _counting_script() -> tuple[bytes, str]:
    body = (Path(__file__).resolve().parent / "static" / "views.js").read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:16]


def preview_page(token: str) -> str:
    """An article as saved, for editors holding a preview link; never counts a view.

    Any bad, expired or foreign token is the site's 404, like an unknown page.
    """
    from chalicelib.auth import preview_claims

    try:
        article_id, key = preview_claims(token)
    except Unauthorized:
        raise NotFound("preview link not found", code="preview_not_found") from None
    article = get_article_for_preview(article_id, key)
    return pages.render_preview(get_site(), get_navigation(), article)


def search_page(raw_query: str | None, raw_page: str | None) -> str:
    """Search results, or a clear word on why the query was not searched (never an error page for it)."""
    from chalicelib import search

    page = _page_number(raw_page)
    nav = get_navigation()
    try:
        query = search.parse_query(raw_query)
    except search.QueryProblem as problem:
        shown = " ".join((raw_query or "").split())[: search.MAX_QUERY_CHARS]
        return pages.render_search(get_site(), nav, shown, problem.reason, None)
    return pages.render_search(get_site(), nav, query.text, None, search.search(query, page))


def _page_number(raw: str | None) -> int:
    from chalicelib.search import MAX_PAGE

    if raw is None or raw == "":
        return 1
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise InvalidInput(f"page must be a number from 1 to {MAX_PAGE}", field="page", code="bad_page")
    return int(raw)


def error_page(status_code: int) -> str:
    """The error page in the site's design; still renders if the navigation can't be read."""
    nav = None
    if status_code != 503:  # DynamoDB just did not answer: asking it again would only add to the wait
        try:
            nav = get_navigation()
        except Exception:  # the error page must not fail because DynamoDB did
            nav = None
    if status_code == 503:
        return pages.render_error(site_without_reading(), nav, status_code)
    try:
        site = get_site()
    except Exception:  # likewise
        site = site_without_reading()
    return pages.render_error(site, nav, status_code)
