"""Atomic view counting: one DynamoDB ADD on a small item per article."""

from __future__ import annotations

from chalicelib.models import CounterModel


def record_view(article_id: str) -> int:
    """Count one view and return the count including it.

    A single UpdateItem with ADD is atomic in DynamoDB, so concurrent views
    never lose an increment; the counter item stays under 1 KB, so 1 WCU.
    """
    counter = CounterModel(article_id)
    counter.update(actions=[CounterModel.views.add(1)])
    return int(counter.views)


def get_views(article_id: str) -> int:
    try:
        return int(CounterModel.get(article_id).views)
    except CounterModel.DoesNotExist:
        return 0
