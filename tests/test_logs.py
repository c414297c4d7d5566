"""Structured logs: a whole editor flow's lines are JSON, carry its request ids, and leak no secret."""

from __future__ import annotations

import io
import json
import logging
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import pytest
import requests
from chalice import AuthResponse, Chalice
from chalice.test import Client

from chalicelib.logs import (
    OUTSIDE_INVOCATION,
    REQUEST_ID_HEADER,
    HumanFormatter,
    JsonFormatter,
    configure,
    request_scope,
)
from chalicelib.routes import observed
from tests.api_helpers import PASSWORD, call, cheap_editor
from tests.events import s3_notification, scheduled_event, sqs_event
from tests.photo_files import camera_jpeg
from tests.site import a_reader, make_categories


class Lines:
    """What the process logs, as the JSON lines Lambda would write; `since(mark)` the lines after a mark."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    def all(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    def mark(self) -> int:
        return len(self.all())

    def since(self, mark: int) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.all()[mark:]]


@pytest.fixture
def lines() -> Iterator[Lines]:
    captured = Lines()
    handler = logging.StreamHandler(captured.stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield captured
    finally:
        root.removeHandler(handler)


def one_request(lines: Lines, response: Any, mark: int) -> list[dict[str, Any]]:
    """The lines one request logged: at least its outcome line, every one with the id its answer names."""
    logged = lines.since(mark)
    assert logged, "the request logged nothing"
    request_id = response.headers[REQUEST_ID_HEADER]
    assert {line.get("request_id") for line in logged} == {request_id}
    return logged


def test_an_editor_flow_logs_json_with_its_request_ids_and_no_secret(client, lines):
    cheap_editor("chief")
    make_categories()
    first = lines.mark()  # the lines of the flow's requests from here
    secrets: list[str] = [PASSWORD]
    seen_ids = set()

    def step(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        mark = lines.mark()
        response = call(client, method, path, body, headers)
        logged = one_request(lines, response, mark)
        assert any(line.get("route") and line["message"].startswith(method) for line in logged)
        seen_ids.add(response.headers[REQUEST_ID_HEADER])
        return response

    login = step("POST", "/api/session", {"username": "chief", "password": PASSWORD})
    token = login.json["token"]
    secrets.append(token)
    auth = {"Authorization": f"Bearer {token}"}
    article = {
        "title": "协会召开年度会员大会",
        "category": "industry",
        "body": [{"type": "paragraph", "text": "一段只在请求正文里的文字 7f3a"}],
    }
    secrets.append("一段只在请求正文里的文字 7f3a")
    created = step("POST", "/api/articles", article, auth).json

    photo = camera_jpeg(800, 600, orientation=1)
    started = step("POST", "/api/photos", {"filename": "x.jpg", "content_type": "image/jpeg", "size": len(photo)}, auth)
    upload = started.json["upload"]
    secrets += [value for name, value in upload["fields"].items() if name.lower() in ("policy", "x-amz-signature")]
    stored = requests.post(upload["url"], data=upload["fields"], files={"file": ("x.jpg", photo)}, timeout=10)
    assert stored.status_code == 204
    mark = lines.mark()
    photo_id = started.json["photo_id"]
    answer = client.lambda_.invoke("process_photos", sqs_event(s3_notification(f"uploads/{photo_id}", len(photo))))
    assert answer.payload == {"batchItemFailures": []}
    processed = lines.since(mark)
    assert len({line.get("request_id") for line in processed}) == 1 and processed[0]["request_id"]
    assert {line.get("event") for line in processed} == {"sqs"}
    assert any(line.get("PhotosProcessed") == 1 for line in processed)
    seen_ids.add(processed[0]["request_id"])

    article["body"].append({"type": "photo", "photo_id": photo_id, "caption": "会长致辞"})
    replaced = step("PUT", f"/api/articles/{created['id']}", {**article, "version": created["version"]}, auth)
    assert replaced.status_code == 200, replaced.json
    step("POST", f"/api/articles/{created['id']}/publish", {}, auth)
    preview = step("POST", f"/api/articles/{created['id']}/preview", {}, auth).json
    secrets.append(preview["url"].rsplit("/", 1)[-1])
    mark = lines.mark()
    page = client.http.get(f"/articles/{created['id']}", headers=a_reader())
    assert page.status_code == 200
    viewed = one_request(lines, page, mark)
    assert any(line.get("ArticleViews") == 1 for line in viewed)
    assert any(line.get("PagesServed") == 1 and line.get("Route") == "/articles/{article_id}" for line in viewed)
    seen_ids.add(page.headers[REQUEST_ID_HEADER])

    assert len(seen_ids) == 8, "every request has its own id"
    everything = lines.all()[first:]
    decided = [json.loads(line) for line in everything if '"event": "authorizer editor_token"' in line]
    assert len(decided) == 5 and {line["message"] for line in decided} == {"token accepted for chief"}
    assert len(everything) >= 8  # a line a request at least: its outcome, carrying its metrics
    for line in everything:
        record = json.loads(line)
        assert {"time", "level", "logger", "message"} <= set(record) and record.get("request_id"), line
        for secret in secrets:
            assert secret not in line, (secret, line)
        assert "X-Amz-Signature" not in line and "X-Amz-Credential" not in line


def test_an_error_page_and_its_lines_share_the_request_id(client, lines):
    mark = lines.mark()
    response = client.http.get("/news/a-category-that-is-not-there")
    logged = one_request(lines, response, mark)
    assert response.status_code == 404  # one_request: the header's id is every line's
    assert [line["ClientErrors"] for line in logged if "ClientErrors" in line] == [1]


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/", 200),
        ("GET", "/news/missing", 404),  # an error page
        ("GET", "/articles/missing", 404),
        ("GET", "/feed.xml", 200),
        ("GET", "/robots.txt", 200),
        ("GET", "/admin", 200),
        ("GET", "/api/articles", 401),  # refused before our code runs: no header then (API Gateway's answer)
        ("POST", "/api/session", 400),  # a JSON error
        ("DELETE", "/", 405),  # chalice's own answer
    ],
)
def test_pages_and_api_answers_carry_a_request_id(client, method, path, status):
    response = client.http.request(method, path, headers={"Content-Type": "application/json"}, body=b"{")
    assert response.status_code == status
    if status == 401:
        assert REQUEST_ID_HEADER not in response.headers
    else:
        assert len(response.headers[REQUEST_ID_HEADER]) >= 32


def test_each_request_gets_its_own_id(client):
    ids = {client.http.get("/robots.txt").headers[REQUEST_ID_HEADER] for _ in range(3)}
    assert len(ids) == 3


def test_the_human_form_shows_the_same_record_readably():
    record = logging.LogRecord("chalicelib.x", logging.WARNING, __file__, 1, "photo %s rejected", ("p1",), None)
    record.newsroom = {"request_id": "0123456789abcdef", "route": "/api/photos"}
    line = HumanFormatter().format(record)
    assert line.endswith("WARNING 01234567 /api/photos: photo p1 rejected")
    document = json.loads(JsonFormatter().format(record))
    assert document["request_id"] == "0123456789abcdef" and document["message"] == "photo p1 rejected"


def test_the_human_form_shows_when_the_record_was_made_the_event_and_the_trace():
    made = time.time() - 3 * 3600 - 17  # not the time it is formatted at
    at = time.strftime("%H:%M:%S", time.localtime(made))
    event = logging.LogRecord("chalicelib.x", logging.INFO, __file__, 1, "photo %s processed", ("p1",), None)
    event.newsroom, event.created = {"request_id": "0123456789abcdef", "event": "sqs"}, made
    assert HumanFormatter().format(event) == f"{at} INFO    01234567 sqs: photo p1 processed"
    try:
        raise ValueError("no such bucket")
    except ValueError:
        failed = logging.LogRecord("chalicelib.x", logging.ERROR, __file__, 1, "upload failed", (), sys.exc_info())
    failed.created = made  # made without `configure`'s stamp: no request fields (an ops tool's line)
    trace = "".join(traceback.format_exception(*failed.exc_info)).rstrip("\n")
    assert HumanFormatter().format(failed) == f"{at} ERROR   - chalicelib.x: upload failed\n{trace}"


@contextmanager
def only_root_handlers(*handlers: logging.Handler) -> Iterator[logging.Logger]:
    """The root logger with just `handlers` (none: a cold start outside Lambda), as `configure` finds it;
    the test session's own handlers and level are back afterwards."""
    root = logging.getLogger()
    kept, level = root.handlers[:], root.level
    root.handlers[:] = list(handlers)
    try:
        yield root
    finally:
        root.handlers[:] = kept
        root.setLevel(level)


def test_configured_where_no_handler_is_the_lines_are_json_on_stderr(monkeypatch):
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    with only_root_handlers() as root:
        configure()
        with request_scope(request_id="r-1", route="/news/{slug}"):
            logging.getLogger("chalicelib.x").info("page %s served", "news")
        handlers = root.handlers[:]
    assert len(handlers) == 1
    document = json.loads(stderr.getvalue())
    assert document["message"] == "page news served" and document["request_id"] == "r-1"
    assert document["route"] == "/news/{slug}"


def test_configured_on_lambda_the_runtimes_handler_is_kept_and_formats_for_humans_when_asked():
    stream = io.StringIO()
    runtime = logging.StreamHandler(stream)  # the Lambda runtime's handler, sending lines to CloudWatch
    with only_root_handlers(runtime) as root:
        configure(human=True)
        with request_scope(request_id="0123456789abcdef", event="sqs"):
            logging.getLogger("chalicelib.x").info("photo p1 processed")
        configure()  # again, as JSON: still the one handler
        with request_scope(request_id="0123456789abcdef", event="sqs"):
            logging.getLogger("chalicelib.x").info("photo p2 processed")
        assert root.handlers == [runtime]
    human, as_json = stream.getvalue().splitlines()
    assert human.endswith(" INFO    01234567 sqs: photo p1 processed")
    assert json.loads(as_json)["message"] == "photo p2 processed"


def test_the_authorizer_logs_its_decision_with_its_own_lambda_request_id(client, lines):
    """API Gateway calls the authorizer as its own Lambda invocation: its lines carry that invocation's id."""
    token = "not-a-token.7f3a9c"
    mark = lines.mark()
    refused = call(client, "GET", "/api/articles", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    logged = lines.since(mark)
    assert [line["message"] for line in logged] == ["token refused (token_invalid): token is invalid or expired"]
    assert logged[0]["event"] == "authorizer editor_token" and logged[0]["function"]
    assert logged[0]["request_id"] == logged[0]["lambda_request_id"] != OUTSIDE_INVOCATION
    assert token not in json.dumps(logged)


def test_every_kind_of_event_handler_logs_with_its_lambda_request_id(lines):
    """Scheduled and S3 handlers (none yet in the app) get the same scope as the SQS photo batches."""
    scratch = Chalice(app_name="scratch", configure_logs=False)
    scratch.register_blueprint(observed.routes)

    @scratch.schedule("rate(1 hour)")
    def hourly(event: Any) -> None:
        logging.getLogger("chalicelib.scratch").info("hourly work done")

    @scratch.on_s3_event(bucket="scratch-bucket")
    def uploaded(event: Any) -> None:
        logging.getLogger("chalicelib.scratch").info("saw %s", event.key)

    with Client(scratch) as test_client:
        for name, event, kind in (
            ("hourly", test_client.events.generate_cw_event("Scheduled Event", "aws.events", {}, []), "scheduled"),
            ("uploaded", test_client.events.generate_s3_event("scratch-bucket", "uploads/p1"), "s3"),
        ):
            mark = lines.mark()
            test_client.lambda_.invoke(name, event)
            logged = lines.since(mark)
            assert len(logged) == 2 and logged[-1]["message"] == f"{kind} event handled", logged
            assert {line["event"] for line in logged} == {kind}
            ids = {line["request_id"] for line in logged}
            assert len(ids) == 1 and ids == {logged[0]["lambda_request_id"]} and OUTSIDE_INVOCATION not in ids


def observed_now(name: str) -> Chalice:
    """A scratch app observed as routes/observed.py observes the app, with each event kind's observer made now:
    that module makes the app's once, at import, before any test runs (and mutation testing changes only the code
    a test runs)."""
    scratch = Chalice(app_name=name, configure_logs=False)
    for kind in observed.EVENT_TYPES:
        scratch.register_middleware(observed._event_observer(kind), kind)
    return scratch


def one_invocation(logged: list[dict[str, Any]], function: str, kind: str) -> None:
    """Every line of the invocation carries its kind and Lambda's function and request id, as its request id."""
    assert {(line["event"], line["function"]) for line in logged} == {(kind, function)}, logged
    ids = {(line["request_id"], line["lambda_request_id"]) for line in logged}
    assert len(ids) == 1 and len(set(*ids)) == 1 and OUTSIDE_INVOCATION not in set(*ids), ids


def test_an_sqs_batch_answers_what_to_deliver_again_and_says_how_many(lines):
    """Lambda redelivers exactly the messages the batch answer names (partial batch responses): the observer hands the
    handler its batch and Lambda the handler's answer, and its line counts the messages to come again."""
    scratch = observed_now("scratch-sqs")

    @scratch.on_sqs_message(queue="photos")
    def photos(event: Any) -> dict[str, Any]:
        bodies = [record.body for record in event]
        logging.getLogger("chalicelib.scratch").info("%d messages read", len(bodies))
        return {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"}]}

    with Client(scratch) as test_client:
        mark = lines.mark()
        answer = test_client.lambda_.invoke("photos", sqs_event("a", "b", "c")).payload
        logged = lines.since(mark)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"}]}
    messages = [line["message"] for line in logged]
    assert messages == ["3 messages read", "SQS batch handled: 2 to be delivered again"]
    one_invocation(logged, "photos", "sqs")


def test_an_event_handler_answering_nothing_or_a_plain_answer_is_logged_as_handled(lines):
    """A scheduled job answers nothing, a plain Lambda function its own dict: each line says its kind was handled, and
    the function's caller gets its answer."""
    scratch = observed_now("scratch-events")

    @scratch.schedule("rate(1 hour)")
    def hourly(event: Any) -> None:
        logging.getLogger("chalicelib.scratch").info("hourly work for %s", event.source)

    @scratch.lambda_function(name="plain")
    def plain(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"echo": event["key1"]}

    with Client(scratch) as test_client:
        mark = lines.mark()
        assert test_client.lambda_.invoke("hourly", scheduled_event()).payload is None
        hourly_lines = lines.since(mark)
        mark = lines.mark()
        assert test_client.lambda_.invoke("plain", {"key1": "value1"}).payload == {"echo": "value1"}
        plain_lines = lines.since(mark)
    assert [line["message"] for line in hourly_lines] == ["hourly work for aws.events", "scheduled event handled"]
    one_invocation(hourly_lines, "hourly", "scheduled")
    assert [line["message"] for line in plain_lines] == ["pure_lambda event handled"]
    one_invocation(plain_lines, "plain", "pure_lambda")


def test_a_line_outside_any_invocation_says_so_or_names_lambdas_invocation():
    outside = logging.getLogger("chalicelib.x").makeRecord("chalicelib.x", logging.INFO, __file__, 1, "x", (), None)
    assert json.loads(JsonFormatter().format(outside))["request_id"] == OUTSIDE_INVOCATION
    outside.aws_request_id = "5b1e7d4c-lambda"  # what the Lambda runtime's handler sets on every record
    assert json.loads(JsonFormatter().format(outside))["request_id"] == "5b1e7d4c-lambda"


def test_an_authorizer_that_refuses_without_saying_why_is_logged_as_a_plain_refusal(lines):
    scratch = Chalice(app_name="scratch-authorizer", configure_logs=False)

    @observed.observe_authorizer
    @scratch.authorizer()
    def gate(auth_request: Any) -> AuthResponse:
        if auth_request.token != "open-sesame":
            raise Exception("Unauthorized")  # chalice's refusal, with no cause
        return AuthResponse(routes=["*"], principal_id="guest")

    @scratch.route("/inside", authorizer=gate)
    def inside() -> dict[str, str]:
        return {"in": "yes"}

    with Client(scratch) as test_client:
        mark = lines.mark()
        assert test_client.http.get("/inside", headers={"Authorization": "wrong"}).status_code == 401
        assert [line["message"] for line in lines.since(mark)] == ["token refused"]
        mark = lines.mark()
        assert test_client.http.get("/inside", headers={"Authorization": "open-sesame"}).status_code == 200
        assert [line["message"] for line in lines.since(mark)] == ["token accepted for guest"]


def test_the_json_form_is_the_whole_record_in_one_object():
    """Every field CloudWatch Logs Insights reads, as the record had it, in UTC to the millisecond."""
    record = logging.LogRecord("chalicelib.x", logging.WARNING, __file__, 1, "照片 %s 被拒绝", ("p1",), None)
    record.created, record.msecs = 1_800_000_000.0405, 40.5  # 2027-01-15T08:00:00.040 UTC
    record.newsroom = {"request_id": "0123456789abcdef", "route": "/api/photos"}
    record.emf = {"_aws": {"Timestamp": 1}, "Requests": 1.0, "message": "the record's own words win"}
    line = JsonFormatter().format(record)
    assert "照片" in line and "\\u" not in line  # UTF-8 as written, not escaped
    assert json.loads(line) == {
        "_aws": {"Timestamp": 1},
        "Requests": 1.0,
        "time": "2027-01-15T08:00:00.040Z",
        "level": "WARNING",
        "logger": "chalicelib.x",
        "message": "照片 p1 被拒绝",
        "request_id": "0123456789abcdef",
        "route": "/api/photos",
    }


def test_the_json_form_of_a_line_outside_any_request_takes_lambdas_id_and_keeps_its_trace():
    try:
        raise ValueError("no such bucket")
    except ValueError:
        failed = logging.LogRecord("chalicelib.x", logging.ERROR, __file__, 1, "upload failed", (), sys.exc_info())
    failed.newsroom = {"request_id": OUTSIDE_INVOCATION}
    document = json.loads(JsonFormatter().format(failed))
    assert document["request_id"] == OUTSIDE_INVOCATION  # not on Lambda: said so
    assert document["exception"] == "".join(traceback.format_exception(*failed.exc_info)).rstrip("\n")
    failed.aws_request_id = "lambda-9"  # the Lambda runtime's handler sets it on its records
    assert json.loads(JsonFormatter().format(failed))["request_id"] == "lambda-9"
    failed.newsroom = {"request_id": "req-1"}  # inside a request: its id, not Lambda's
    assert json.loads(JsonFormatter().format(failed))["request_id"] == "req-1"
    plain = logging.LogRecord("chalicelib.x", logging.INFO, __file__, 1, "made before configure", (), None)
    assert set(json.loads(JsonFormatter().format(plain))) == {"time", "level", "logger", "message"}  # no fields


def test_the_json_form_writes_what_json_cannot_as_text():
    record = logging.LogRecord("chalicelib.x", logging.INFO, __file__, 1, "at", (), None)
    record.newsroom = {"request_id": "r", "moment": datetime(2027, 1, 1, tzinfo=timezone.utc)}
    assert json.loads(JsonFormatter().format(record))["moment"] == "2027-01-01 00:00:00+00:00"
