"""Beacon mode's counting of one view, apart from the pages: the counting function (routes/counting.py) imports
this, not `reader.py`, so its cold start loads no templates, jinja2, Pillow or search (tests/test_counting_imports.py).
"""

from __future__ import annotations

from chalicelib.articles import get_published_article
from chalicelib.config import get_settings
from chalicelib.counters import get_views, record_view
from chalicelib.crawlers import is_crawler
from chalicelib.errors import NotFound


def count_view(article_id: str, user_agent: str | None) -> int:
    """Beacon mode's counting endpoint: count one view of a published article and return its count.

    Unknown, unpublished and scheduled articles are a 404 and never get a counter; a crawler gets the count
    without adding to it. In server mode pages count themselves, so there is no endpoint (404).
    """
    if get_settings().count_mode != "beacon":
        raise NotFound("view counting is done by the page (COUNT_MODE=server)")
    article = get_published_article(article_id)
    return get_views(article.id) if is_crawler(user_agent) else record_view(article.id)
