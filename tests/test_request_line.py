"""The one line each request logs (chalicelib/observing.py): its outcome in words, its metrics, its ids.

`observe_request` is called as the counting function calls it (routes/counting.py): a plain request object
and an `Answer`. The runbook and the alarms read these lines, so every field is pinned here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from chalicelib import metrics, observing
from chalicelib.answers import Answer
from chalicelib.logs import REQUEST_ID_HEADER
from chalicelib.metrics import NAMESPACE
from tests.test_logs import Lines, lines  # noqa: F401 (the fixture)

HTML, JSON = "text/html; charset=utf-8", "application/json"


@pytest.fixture
def quarter_second(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each request takes 250 ms exactly on observing's clock."""
    readings: Iterator[float] = iter([100.0, 100.25])
    monkeypatch.setattr(time, "perf_counter", lambda: next(readings, 100.25))  # the module observing reads


def request(
    method: str = "GET",
    context: dict[str, Any] | None = None,
    lambda_context: Any = None,
    headers: dict[str, str] | None = None,
) -> SimpleNamespace:
    if context is None:
        identity = {"sourceIp": "203.0.113.9"}
        context = {"requestId": "req-1", "resourcePath": "/articles/{article_id}", "identity": identity}
    return SimpleNamespace(method=method, headers=headers or {}, context=context, lambda_context=lambda_context)


def answered(captured: Lines, asked: SimpleNamespace, status: int, content_type: str = JSON) -> tuple[Any, list[dict]]:
    """The answer and the lines one observed request logged; the handler is handed the request itself."""
    mark = captured.mark()
    handed: list[Any] = []

    def handle(given: Any) -> Answer:
        handed.append(given)
        return Answer("", status, {"Content-Type": content_type})

    response = observing.observe_request(asked, handle)
    assert handed == [asked]
    return response, captured.since(mark)


@pytest.mark.parametrize(
    "case",  # (status, Content-Type, outcome, ClientErrors, ServerErrors, a page served)
    [
        (200, HTML, "ok", 0, 0, True),  # a page served: counted, with its render time
        (200, JSON, "ok", 0, 0, False),
        (304, HTML, "ok", 0, 0, False),
        (399, JSON, "ok", 0, 0, False),
        (400, JSON, "client error", 1, 0, False),
        (404, HTML, "client error", 1, 0, False),  # an error page is no page served
        (499, JSON, "client error", 1, 0, False),
        (500, JSON, "server error", 0, 1, False),
        (503, HTML, "server error", 0, 1, False),
    ],
)
def test_the_line_says_the_outcome_in_words_and_carries_the_metrics(lines, quarter_second, case):  # noqa: F811
    status, content_type, outcome, client_errors, server_errors, page = case
    response, logged = answered(lines, request(), status, content_type)
    (line,) = logged
    assert line["message"] == f"GET /articles/{{article_id}} answered {status} ({outcome}) in 250 ms"
    assert (line["level"], line["logger"]) == ("INFO", "chalicelib.observing")
    expected = {"Requests": 1.0, "Latency": 250.0, "ClientErrors": client_errors, "ServerErrors": server_errors}
    if page:
        expected |= {"PagesServed": 1.0, "RenderTime": 250.0}
    assert {name: line[name] for name in expected} == expected
    assert ("PagesServed" in line, "RenderTime" in line) == (page, page)
    (declared,) = line["_aws"]["CloudWatchMetrics"]
    assert declared["Namespace"] == NAMESPACE and [m["Name"] for m in declared["Metrics"]] == list(expected)
    assert declared["Dimensions"] == [["Stage"], ["Stage", "Route"]] and line["Route"] == "/articles/{article_id}"
    assert response.headers[REQUEST_ID_HEADER] == "req-1" == line["request_id"]
    assert (line["route"], line["method"], line["client"]) == ("/articles/{article_id}", "GET", "203.0.113.9")


def test_an_answer_without_a_content_type_is_no_page(lines, quarter_second):  # noqa: F811
    mark = lines.mark()
    response = observing.observe_request(request(), lambda _: Answer("", 200, {}))
    (line,) = lines.since(mark)
    assert response.status_code == 200 and "PagesServed" not in line and line["message"].endswith("(ok) in 250 ms")


def test_what_the_request_counted_rides_on_its_line_alone(lines, quarter_second):  # noqa: F811
    mark = lines.mark()

    def counts(_: Any) -> Answer:
        metrics.count("ArticleViews")
        metrics.count("ArticleViews")
        return Answer("", 200, {"Content-Type": JSON})

    observing.observe_request(request(method="POST"), counts)
    (line,) = lines.since(mark)
    assert line["ArticleViews"] == 2 and line["message"].startswith("POST /articles/{article_id} answered 200")


def test_the_request_id_is_api_gateways_then_lambdas_then_a_new_one(lines):  # noqa: F811
    invocation = SimpleNamespace(function_name="newsroom-prod-api", aws_request_id="lambda-7")
    response, (line,) = answered(lines, request(lambda_context=invocation), 200)
    assert response.headers[REQUEST_ID_HEADER] == "req-1" == line["request_id"]
    assert (line["function"], line["lambda_request_id"]) == ("newsroom-prod-api", "lambda-7")  # still on the line
    bare = {"resourcePath": "/api/articles"}
    response, (line,) = answered(lines, request(context=bare, lambda_context=invocation), 200)
    assert response.headers[REQUEST_ID_HEADER] == "lambda-7" == line["request_id"]
    response, (line,) = answered(lines, request(context=bare), 200)
    made = response.headers[REQUEST_ID_HEADER]
    assert made == line["request_id"] and len(made) == 32 and int(made, 16) >= 0
    assert "function" not in line and "lambda_request_id" not in line  # no Lambda: no fields of its


def test_a_request_without_a_route_or_a_client_says_so(lines, quarter_second):  # noqa: F811
    response, (line,) = answered(lines, request(context={}), 404)
    assert line["message"] == "GET unknown answered 404 (client error) in 250 ms"
    assert (line["route"], line["Route"], line["client"]) == ("unknown", "unknown", "unknown")


def test_the_client_is_the_one_the_trusted_proxy_names(lines, configure):  # noqa: F811
    configure(TRUSTED_PROXY_HOPS="1")  # a CDN in front: it appends the client it saw to X-Forwarded-For
    asked = request(headers={"x-forwarded-for": "198.51.100.20"})
    _, (line,) = answered(lines, asked, 200)
    assert line["client"] == "198.51.100.20"  # not the CDN's own address, which API Gateway saw
