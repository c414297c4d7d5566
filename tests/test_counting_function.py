"""The counting function behind the CDN (chalicelib/routes/counting.py): a function URL's event in, the API route's
answer out, counted by the same service against moto, as Lambda runs it (the handler string chalice declares)."""

from __future__ import annotations

import importlib
import json
import re
import time
from datetime import timedelta
from typing import Any

import pytest
from chalice.local import LambdaContext

from chalicelib.articles import now
from chalicelib.client_address import client_address
from chalicelib.routes import beacon as beacon_routes
from tests.events import function_url_request
from tests.site import make_article, make_categories
from tests.test_logs import lines  # noqa: F401 (the fixture)
from tests.test_view_counting import BROWSER, CRAWLERS, count, stored_views

SAME_HEADERS = ("Content-Type", "Cache-Control", "X-Content-Type-Options")


def handler() -> Any:
    """The function as Lambda finds it: the module and name of the handler string chalice packages."""
    from app import app

    (function,) = [f for f in app.pure_lambda_functions if f.name == "count_views"]
    module, _, name = function.handler_string.rpartition(".")
    return getattr(importlib.import_module(module), name)


def lambda_context() -> LambdaContext:
    """What Lambda hands the function: its name and the invocation's own request id."""
    return LambdaContext(function_name="newsroom-prod-count_views", memory_size=256, max_runtime_ms=5000)


def invoke(path: str, method: str = "POST", user_agent: str | None = BROWSER) -> dict[str, Any]:
    return handler()(function_url_request(path, method, user_agent), lambda_context())


def request_line(logged: list[dict[str, Any]]) -> dict[str, Any]:
    """The one line a request logs with its outcome and its metrics."""
    (line,) = [line for line in logged if "Requests" in line]
    return line


@pytest.fixture
def beacon(configure) -> None:
    configure(COUNT_MODE="beacon")
    make_categories()
    make_article("live")


def test_the_handler_is_the_counting_module_alone():
    """Lambda imports chalicelib.routes.counting for it, not app.py with every page route."""
    from app import app

    (function,) = [f for f in app.pure_lambda_functions if f.name == "count_views"]
    assert function.handler_string == "chalicelib.routes.counting.count_views"


@pytest.mark.parametrize(
    "door, registered", [("function", ["function"]), ("api", ["api"]), ("page", []), ("any", ["function", "api"])]
)
def test_a_site_registers_only_its_own_counting_door(configure, door, registered):
    """VIEWS_DOOR (the site file's `counting`) decides what app.py registers, so what `chalice package` deploys: a
    global site the count_views function and no POST /views route on its API, a China site that route and no
    function, a site whose pages count neither; the local stack and the tests (any) both."""
    configure(VIEWS_DOOR=door)
    blueprints = {"function": beacon_routes.function, "api": beacon_routes.routes}
    assert beacon_routes.doors() == [blueprints[name] for name in registered]


def test_a_view_through_the_function_url_is_counted_and_answered_as_the_api_route_answers(client, beacon, clock):
    clock(time.time())  # one counting window throughout
    answers = [invoke("/views/live", user_agent=f"{BROWSER} reader/{n}") for n in range(2)]  # two readers
    assert [(a["statusCode"], json.loads(a["body"])) for a in answers] == [(200, {"views": 1}), (200, {"views": 2})]
    assert json.loads(invoke("/views/live", user_agent=f"{BROWSER} reader/1")["body"]) == {"views": 2}  # again
    api = count(client, "live")
    assert json.loads(api.body) == {"views": 3}  # one counter, whichever door
    answer = invoke("/views/live", user_agent=f"{BROWSER} reader/3")
    assert answer["body"] == api.body.decode().replace("3", "4") and answer["isBase64Encoded"] is False
    assert {h: answer["headers"][h] for h in SAME_HEADERS} == {h: api.headers[h] for h in SAME_HEADERS}
    assert answer["headers"]["Cache-Control"] == "no-store"
    assert answer["headers"]["X-Request-Id"] == "id-of-the-request-0001"  # the function URL's request id
    assert all(isinstance(value, str) for value in answer["headers"].values())  # payload 2.0: no lists
    assert stored_views("live") == 4


def test_an_invocation_without_any_request_id_is_answered_with_a_fresh_one(client, beacon, clock):
    """Neither the function URL nor Lambda named the request (never on AWS): it gets an id of its own, 128 bits."""
    clock(time.time())  # one counting window throughout
    event = function_url_request("/views/live")
    del event["requestContext"]["requestId"]
    answers = [handler()(event, None) for _ in range(2)]
    assert [a["statusCode"] for a in answers] == [200, 200] and stored_views("live") == 1  # one reader
    ids = [a["headers"]["X-Request-Id"] for a in answers]
    assert all(re.fullmatch(r"[0-9a-f]{32}", request_id) for request_id in ids), ids
    assert ids[0] != ids[1]


@pytest.mark.parametrize("user_agent", [*CRAWLERS, None])
def test_crawlers_get_the_count_without_adding_to_it(client, beacon, user_agent):
    invoke("/views/live")
    answer = invoke("/views/live", user_agent=user_agent)
    assert answer["statusCode"] == 200 and json.loads(answer["body"]) == {"views": 1}
    assert stored_views("live") == 1


def test_unknown_unpublished_and_scheduled_articles_are_the_api_routes_404_without_a_counter(client, beacon):
    make_article("draft", publish=False)
    make_article("later", published_at=now() + timedelta(days=1))
    for article_id in ("draft", "later", "nope", "bad%20id"):
        answer = invoke(f"/views/{article_id}")
        api = count(client, article_id)
        assert (answer["statusCode"], answer["body"]) == (404, api.body.decode()), article_id
        assert json.loads(answer["body"])["message"] == "article not found"
    assert [stored_views(a) for a in ("draft", "later", "nope")] == [None, None, None]


def test_other_paths_and_methods_are_refused_with_json(client, beacon):
    for path in ("/views/live/extra", "/views/", "/articles/live"):
        answer = invoke(path)
        assert answer["statusCode"] == 404 and json.loads(answer["body"]) == {"message": "not found"}, path
    for method in ("GET", "PUT", "DELETE"):
        answer = invoke("/views/live", method)
        assert answer["statusCode"] == 405 and answer["headers"]["Allow"] == "POST", method
        assert json.loads(answer["body"]) == {"message": "method not allowed"}
    assert stored_views("live") is None


def test_in_server_mode_the_function_counts_nothing(client, configure):
    configure(COUNT_MODE="server")
    make_categories()
    make_article("live")
    answer = invoke("/views/live")
    assert answer["statusCode"] == 404 and stored_views("live") is None
    assert json.loads(answer["body"])["message"] == "view counting is done by the page (COUNT_MODE=server)"


def test_the_functions_request_line_tells_ops_what_the_api_routes_line_tells(client, beacon, configure, lines):  # noqa: F811
    """Behind the CDN (TRUSTED_PROXY_HOPS=1) the function's one line a request carries the API route's fields: the
    route (the metrics' dimension too), the method, the reader's address as the CDN forwarded it, the function URL's
    request id with Lambda's function and invocation id beside it, and the view it counted."""
    configure(TRUSTED_PROXY_HOPS="1")
    context = lambda_context()
    mark = lines.mark()
    answer = handler()(function_url_request("/views/live"), context)
    assert answer["statusCode"] == 200 and json.loads(answer["body"]) == {"views": 1}
    line = request_line(lines.since(mark))
    assert line["message"].startswith("POST /views/{article_id} answered 200 (ok) in ")
    fields = ("route", "Route", "method", "client", "request_id", "function", "lambda_request_id", "ArticleViews")
    assert {field: line.get(field) for field in fields} == {
        "route": "/views/{article_id}",
        "Route": "/views/{article_id}",
        "method": "POST",
        "client": "203.0.113.7",  # the sample's X-Forwarded-For: the viewer, as CloudFront saw it
        "request_id": "id-of-the-request-0001",
        "function": "newsroom-prod-count_views",
        "lambda_request_id": context.aws_request_id,
        "ArticleViews": 1,
    }


@pytest.mark.parametrize(
    ("hops", "forwarded", "reader"),
    [
        ("0", "203.0.113.7", "15.158.0.1"),  # no CDN hop trusted: the function URL's sourceIp
        ("1", "203.0.113.7, 15.158.0.1", "203.0.113.7"),  # the sourceIp's own entry last: the one before it
    ],
)
def test_the_functions_line_names_the_reader_it_counted(client, beacon, configure, lines, hops, forwarded, reader):  # noqa: F811
    """The line's client is the address the count was kept for (the sample's sourceIp is 15.158.0.1), not a guess
    from the headers alone."""
    configure(TRUSTED_PROXY_HOPS=hops)
    event = function_url_request("/views/live")
    event["headers"]["x-forwarded-for"] = forwarded
    mark = lines.mark()
    assert handler()(event, lambda_context())["statusCode"] == 200
    assert request_line(lines.since(mark))["client"] == reader
    counted = client_address(event["headers"], {"identity": event["requestContext"]["http"]})  # as _answer counts
    assert counted == reader


def test_an_event_that_is_no_function_urls_request_is_a_json_404_logged_as_it_came(client, beacon, lines):  # noqa: F811
    """The Lambda console's test event (no path, no method, no request id): a 404 in JSON, counting nothing, its line
    under the counting route with the method it had (none) and Lambda's invocation id."""
    context = lambda_context()
    mark = lines.mark()
    answer = handler()({"key1": "value1", "key2": "value2", "key3": "value3"}, context)
    assert (answer["statusCode"], json.loads(answer["body"])) == (404, {"message": "not found"})
    line = request_line(lines.since(mark))
    assert line["message"].startswith(" /views/{article_id} answered 404 (client error) in ")
    assert (line["method"], line["route"], line["client"]) == ("", "/views/{article_id}", "unknown")
    assert line["request_id"] == line["lambda_request_id"] == context.aws_request_id
    assert answer["headers"]["X-Request-Id"] == context.aws_request_id
    assert stored_views("live") is None


def test_without_a_cdn_hop_the_reader_is_the_function_urls_source_address(client, beacon, clock):
    """TRUSTED_PROXY_HOPS=0: the address is the function URL's sourceIp, so the same browser at two addresses is two
    readers, and at one address one reader."""
    clock(time.time())  # one counting window throughout
    answers = []
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.1"):
        event = function_url_request("/views/live")
        event["requestContext"]["http"]["sourceIp"] = address
        answers.append(json.loads(handler()(event, lambda_context())["body"]))
    assert answers == [{"views": 1}, {"views": 2}, {"views": 2}]
    assert stored_views("live") == 2
