"""Metrics: the handlers' EMF lines are valid documents and publish what each event should."""

from __future__ import annotations

import json
import time

import pytest

from chalicelib import metrics
from tests.api_helpers import PASSWORD, call, cheap_editor
from tests.aws_refusals import client_error, refuse
from tests.emf import metrics_of
from tests.test_logs import Lines, lines  # noqa: F401 (the fixture)


def published(captured: Lines, mark: int = 0) -> set[tuple[str, str, frozenset[tuple[str, str]]]]:
    found = set()
    for line in captured.all()[mark:]:
        document = json.loads(line)
        if "_aws" in document:
            found |= metrics_of(document)
    return found


def names(found: set[tuple[str, str, frozenset[tuple[str, str]]]]) -> set[str]:
    return {metric for _, metric, _ in found}


def test_logins_count_successes_failures_and_throttles(client, lines):  # noqa: F811
    cheap_editor("chief")
    answers = [
        call(client, "POST", "/api/session", {"username": "chief", "password": p}).status_code
        for p in [PASSWORD, "wrong", "wrong", "wrong", "wrong", "wrong", "wrong"]
    ]
    assert answers == [200, 401, 401, 401, 401, 401, 429]
    found = published(lines)
    stage = frozenset({("Stage", "local")})
    counted = {
        metric: sum(1 for line in map(json.loads, lines.all()) if line.get(metric))
        for metric in ("LoginSuccesses", "LoginFailures", "LoginThrottles")
    }
    assert counted == {"LoginSuccesses": 1, "LoginFailures": 5, "LoginThrottles": 1}
    assert {("Newsroom", m, stage) for m in counted} <= found
    assert ("Newsroom", "ClientErrors", stage | {("Route", "/api/session")}) in found


def test_a_server_error_counts_as_one_on_its_route(client, lines, monkeypatch):  # noqa: F811
    refuse(monkeypatch, RuntimeError("simulated fault in botocore"))  # a third-party boundary
    response = client.http.get("/")
    assert response.status_code == 500
    documents = [json.loads(line) for line in lines.all()]
    errors = [d for d in documents if "ServerErrors" in d]
    assert [(d["ServerErrors"], d["ClientErrors"], d["Route"]) for d in errors] == [(1, 0, "/")]
    assert any(d.get("exception") and d.get("request_id") == response.headers["X-Request-Id"] for d in documents)


def test_every_metric_has_a_unit_cloudwatch_knows():
    assert set(metrics.METRICS.values()) <= {"Count", "Milliseconds"}


def test_photos_count_once_when_processed_and_by_reason_when_rejected(client, lines):  # noqa: F811
    from tests.events import s3_notification
    from tests.photo_files import camera_jpeg
    from tests.test_processing import deliver, upload

    good = upload(client, camera_jpeg(640, 480, orientation=1))
    bad = upload(client, b"<html></html>")
    for _ in range(2):  # the second delivery is a duplicate: nothing more to count
        deliver(client, s3_notification(f"uploads/{good}", 1), s3_notification(f"uploads/{bad}", 1))
    documents = [json.loads(line) for line in lines.all()]
    assert sum(d.get("PhotosProcessed", 0) for d in documents) == 1
    assert [d["Reason"] for d in documents if "PhotosRejected" in d] == ["not an image"]
    assert all(d["PhotoProcessingTime"] > 0 for d in documents if "PhotosProcessed" in d)


class Stopwatch:
    """The time module as chalicelib.processing reads it, its perf_counter giving `readings` in turn."""

    def __init__(self, *readings: float) -> None:
        self.readings = list(readings)

    def perf_counter(self) -> float:
        return self.readings.pop(0)

    def __getattr__(self, name: str) -> object:
        return getattr(time, name)


def test_a_photo_s_processing_time_is_its_milliseconds_from_start_to_finish(client, lines, monkeypatch):  # noqa: F811
    from chalicelib import processing
    from tests.events import s3_notification
    from tests.photo_files import camera_jpeg
    from tests.test_processing import deliver, upload

    photo_id = upload(client, camera_jpeg(640, 480, orientation=1))
    monkeypatch.setattr(processing, "time", Stopwatch(1000.0, 1000.25))
    deliver(client, s3_notification(f"uploads/{photo_id}", 1))
    documents = [json.loads(line) for line in lines.all()]
    assert [d["PhotoProcessingTime"] for d in documents if "PhotosProcessed" in d] == [250.0]


def test_a_rejection_without_a_kind_of_its_own_counts_as_other(client, lines):  # noqa: F811
    from tests.events import s3_notification
    from tests.test_processing import deliver, tall_png, upload

    data = tall_png(40, 16384)  # too tall for the web: the metric's few kinds leave it out
    photo_id = upload(client, data, "image/png")
    deliver(client, s3_notification(f"uploads/{photo_id}", len(data)))
    documents = [json.loads(line) for line in lines.all()]
    assert [d["Reason"] for d in documents if "PhotosRejected" in d] == ["other"]


def test_a_throttled_view_count_is_counted_as_such(client, lines, monkeypatch):  # noqa: F811
    from chalicelib.config import get_settings
    from tests.site import a_reader, make_article, make_categories

    make_categories()
    make_article("a1")
    throttled = client_error("ProvisionedThroughputExceededException", "slow down")  # DynamoDB's answer under load
    refuse(monkeypatch, throttled, operation="UpdateItem", table=get_settings().tables["counters"])
    client.http.get("/articles/a1", headers=a_reader())  # a reader's view: a machine's counts nothing
    documents = [json.loads(line) for line in lines.all()]
    assert [d["CounterWriteThrottles"] for d in documents if "CounterWriteThrottles" in d] == [1]
    assert not any("ArticleViews" in d for d in documents)


@pytest.mark.parametrize(
    ("code", "throttles"),
    [
        ("ProvisionedThroughputExceededException", [1]),
        ("TransactionConflictException", [1]),
        ("ValidationException", []),
    ],
)
def test_a_view_counted_outside_a_request_counts_a_refused_write_as_a_throttle(lines, monkeypatch, code, throttles):  # noqa: F811
    from botocore.exceptions import ClientError

    from chalicelib.config import get_settings
    from chalicelib.counters import Client, count_view

    refuse(monkeypatch, client_error(code), operation="UpdateItem", table=get_settings().tables["counters"])
    with pytest.raises(ClientError):
        count_view("a1", Client("203.0.113.7", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0"))
    documents = [json.loads(line) for line in lines.all()]
    assert [d["CounterWriteThrottles"] for d in documents if "CounterWriteThrottles" in d] == throttles
    assert not any("ArticleViews" in d for d in documents)
    if throttles:
        assert ("Newsroom", "CounterWriteThrottles", frozenset({("Stage", "local")})) in published(lines)


def test_a_counted_article_view_logs_one_line_with_its_outcome_and_its_count(client, lines):  # noqa: F811
    from tests.site import a_reader, make_article, make_categories

    make_categories()
    make_article("a1")
    client.http.get("/articles/a1", headers=a_reader())  # the counter's first view (it makes the window's marks)
    mark = lines.mark()
    assert client.http.get("/articles/a1", headers=a_reader()).status_code == 200
    (line,) = lines.since(mark)  # CloudWatch Logs bills by the byte: no line of its own for the count
    assert line["ArticleViews"] == 1 and line["PagesServed"] == 1 and line["Route"] == "/articles/{article_id}"
    declared = {m["Name"] for m in line["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert {"ArticleViews", "PagesServed", "Requests", "Latency"} <= declared


def test_counts_gathered_for_a_line_that_never_came_are_written_on_their_own(lines):  # noqa: F811
    try:
        with metrics.gathered():
            metrics.count("ArticleViews")
            raise RuntimeError("the request failed before its line")
    except RuntimeError:
        pass
    (line,) = lines.since(0)
    assert line["ArticleViews"] == 1 and "_aws" in line


def test_a_metrics_line_says_its_values_in_words_for_someone_reading_the_log(lines):  # noqa: F811
    """Beside the EMF members, the line's message names each value and the dimension, as ops read it in the
    console or in an alarm's log link."""
    metrics.emit({"PhotosProcessed": 2, "PhotoProcessingTime": 12.5})
    metrics.emit({"PhotosRejected": 1}, ("Reason", "too_large"))
    first, second = (line for line in lines.since(0) if "_aws" in line)
    assert first["message"] == "metrics PhotosProcessed=2 PhotoProcessingTime=12.5"
    assert second["message"] == "metrics PhotosRejected=1 (Reason=too_large)"
    assert (second["Reason"], second["PhotosRejected"]) == ("too_large", 1)


def test_a_metric_document_is_stamped_in_epoch_milliseconds_on_the_one_clock(clock):
    clock(1_800_000_000.25)
    document = metrics.document({"Requests": 1.0}, ("Route", "/"))
    assert document["_aws"]["Timestamp"] == 1_800_000_000_250
    assert (document["Stage"], document["Route"], document["Requests"]) == ("local", "/", 1.0)
