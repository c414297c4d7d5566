"""Atomic view counting: one DynamoDB ADD on a small item per article."""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from chalicelib import metrics
from chalicelib.article_updates import _condition_failed
from chalicelib.errors import BUSY_CODES
from chalicelib.models import CounterModel

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
        if _condition_failed(error):
            return False
        raise
    return True
