"""Beacon mode's counting of one view, apart from the pages: the counting function (routes/counting.py) imports
this, not `reader.py`, so its cold start loads no templates, jinja2, Pillow or search (tests/test_counting_imports.py).
"""

from __future__ import annotations

from chalicelib.article_visibility import check_published
from chalicelib.config import get_settings
from chalicelib.counters import Client
from chalicelib.counters import count_view as count_client_view
from chalicelib.errors import NotFound


def count_view(article_id: str, client: Client) -> int:
    """Beacon mode's counting endpoint: count one view of a published article (counters.count_view's rules)
    and return its count. Unknown, unpublished and scheduled articles are a 404 and never get a counter.
    In server mode pages count themselves, so there is no endpoint (404).
    """
    if get_settings().count_mode != "beacon":
        raise NotFound("view counting is done by the page (COUNT_MODE=server)")
    return count_client_view(check_published(article_id), client)
