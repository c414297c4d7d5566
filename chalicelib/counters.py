"""View counting: the one rule every counting path calls (`count_view`), and the count itself (one ADD).

A view counts unless the client is a machine (crawlers.py), the same client (address and User-Agent) was
counted for the article in this WINDOW already, or its address has had CEILING views counted in it. Both
rules are one conditional UpdateItem on a small item per address and window in the throttle table (TTL
removes it), holding a 6-character tag per client and article counted: 1 WCU while under ~160 tags (every
reader's own address), 2 WCU for an office's shared one near the ceiling. So a counted view costs 2 WCU
(guard + ADD: $2.50 a million on demand instead of $1.25) and a refused one 1 WCU + a 0.5 RCU read.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from pynamodb.exceptions import UpdateError

from chalicelib import clock, metrics
from chalicelib.crawlers import is_crawler
from chalicelib.errors import BUSY_CODES
from chalicelib.models import CounterModel, LoginAttemptModel
from chalicelib.write_conditions import condition_failed

WINDOW = 300  # seconds: one count per client and article in each
CEILING = 300  # counted views per address in a window (an office behind one address reads a notice at once)


@dataclass(frozen=True)
class Client:
    """Who asks to count: `address` from client_address.py (API Gateway's or the CDN's, never the client's claim)."""

    address: str
    user_agent: str | None


def count_view(article_id: str, client: Client) -> int:
    """Count the view if the rules above allow it; the article's count either way."""
    if is_crawler(client.user_agent) or not _admitted(article_id, client):
        return get_views(article_id)
    return record_view(article_id)


def _admitted(article_id: str, client: Client) -> bool:
    """One conditional write: this client's first view of the article in the window, under the address's ceiling."""
    window = int(clock.seconds()) // WINDOW
    tag = _tag(f"{article_id}\n{client.user_agent}")
    counted, seen = LoginAttemptModel.attempts, LoginAttemptModel.seen
    try:
        LoginAttemptModel(f"views/{window}/{client.address}").update(
            actions=[counted.add(1), seen.add({tag}), LoginAttemptModel.expires.set((window + 2) * WINDOW)],
            condition=(counted.does_not_exist() | (counted < CEILING)) & ~seen.contains(tag),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def _tag(text: str) -> str:
    return base64.b64encode(hashlib.blake2b(text.encode(), digest_size=4).digest()).decode()[:6]


# What DynamoDB answers when it refuses a write under load (S3's SlowDown never comes from it) or a concurrent
# transaction holds the item.
REFUSED = BUSY_CODES | {"TransactionConflictException"}


def record_view(article_id: str) -> int:
    """Count one view and return the count including it.

    A single UpdateItem with ADD is atomic in DynamoDB, so concurrent views
    never lose an increment; the counter item stays under 1 KB, so 1 WCU.
    """
    counter = CounterModel(article_id)
    try:
        counter.update(actions=[CounterModel.views.add(1)])
    except UpdateError as error:
        if error.cause_response_code in REFUSED:
            metrics.count("CounterWriteThrottles")
        raise
    metrics.count("ArticleViews")
    return int(counter.views)


def get_views(article_id: str) -> int:
    try:
        return int(CounterModel.get(article_id).views)
    except CounterModel.DoesNotExist:
        return 0


def views_of(article_ids: list[str]) -> dict[str, int]:
    """The counts of many articles (0 for none yet): one BatchGetItem per 100, not a GetItem each."""
    if not article_ids:
        return {}
    counts = {counter.article_id: int(counter.views) for counter in CounterModel.batch_get(sorted(set(article_ids)))}
    return {article_id: counts.get(article_id, 0) for article_id in article_ids}


def carry_over_views(article_id: str, views: int) -> bool:
    """Set an imported article's count to the old site's, unless it already counts more.

    A SET, not an ADD: importing again does not double the count, and views counted here since the
    first import are not lost. False when the count was already at least `views`.
    """
    current = CounterModel.views
    try:
        CounterModel(article_id).update(
            actions=[current.set(views)], condition=current.does_not_exist() | (current < views)
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True
