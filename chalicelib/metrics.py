"""Metrics in CloudWatch's Embedded Metric Format: log lines CloudWatch turns into metrics, no API calls.

Each `emit` writes one log record whose JSON line (chalicelib/logs.py) is an EMF document: the `_aws`
metadata declaring the namespace, the dimension sets and the metrics, then the dimension and metric
values as top-level members, beside the request's own log fields. Every metric has the `Stage` dimension
alone (what the alarms in infra/resources.json watch) and, when given, with one more (Route, Outcome,
Reason) for the dashboard. METRICS lists every name and unit; tests/test_alarms.py checks the alarms
against what the handlers really emit.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib import clock
from chalicelib.config import get_settings

NAMESPACE = "Newsroom"

METRICS = {
    "Requests": "Count",
    "ClientErrors": "Count",  # 4xx answers
    "ServerErrors": "Count",  # 5xx answers
    "Latency": "Milliseconds",  # from the request reaching the function to its answer
    "PagesServed": "Count",  # HTML pages answered 200, by route
    "RenderTime": "Milliseconds",  # the same pages' time
    "ArticleViews": "Count",
    "CounterWriteThrottles": "Count",  # view counts DynamoDB refused (throttled or conflicting)
    "PhotosProcessed": "Count",  # uploads that became renditions
    "PhotosRejected": "Count",  # by Reason
    "PhotoProcessingTime": "Milliseconds",
    "LoginSuccesses": "Count",
    "LoginFailures": "Count",
    "LoginThrottles": "Count",
}

log = logging.getLogger(__name__)  # not "newsroom.…": chalice keeps the app's logger to itself
_gathering: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar("newsroom_metrics", default=None)


def emit(values: dict[str, float], dimension: tuple[str, str] | None = None) -> None:
    """One EMF line: `values` (names of METRICS) under {Stage} and, if given, {Stage, dimension's name}."""
    summary = " ".join(f"{metric}={value:g}" for metric, value in values.items())
    log.info(
        "metrics %s%s",
        summary,
        "" if dimension is None else f" ({dimension[0]}={dimension[1]})",
        extra={"emf": document(values, dimension)},
    )


def document(values: dict[str, float], dimension: tuple[str, str] | None = None) -> dict[str, object]:
    """The EMF document of `values`, for a log record's `emf` (`emit`'s, or a line that says more: the
    observing middleware's one line a request carries its outcome and its metrics)."""
    dimension_sets = [["Stage"]]
    found: dict[str, object] = {"Stage": get_settings().stage}
    if dimension is not None:
        name, value = dimension
        dimension_sets.append(["Stage", name])
        found[name] = value
    found["_aws"] = {
        "Timestamp": int(clock.seconds() * 1000),  # epoch milliseconds
        "CloudWatchMetrics": [
            {
                "Namespace": NAMESPACE,
                "Dimensions": dimension_sets,
                "Metrics": [{"Name": metric, "Unit": METRICS[metric]} for metric in values],
            }
        ],
    }
    found.update(values)
    return found


def count(metric: str, dimension: tuple[str, str] | None = None) -> None:
    """One of `metric`: on the request's own line when one is `gathered`, else a line of its own."""
    gathering = _gathering.get()
    if gathering is not None and dimension is None:
        gathering[metric] = gathering.get(metric, 0) + 1
        return
    emit({metric: 1}, dimension)


@contextmanager
def gathered() -> Iterator[dict[str, float]]:
    """Counts made inside (without a dimension) gathered for one line that says more (the observing
    middleware's, one a request); what that line did not take is written on leaving (a request that raised)."""
    values: dict[str, float] = {}
    token = _gathering.set(values)
    try:
        yield values
    finally:
        _gathering.reset(token)
        if values:
            emit(values)
