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
from tests.events import function_url_request
from tests.site import make_article, make_categories
from tests.test_view_counting import BROWSER, CRAWLERS, count, stored_views

SAME_HEADERS = ("Content-Type", "Cache-Control", "X-Content-Type-Options")


def handler() -> Any:
    """The function as Lambda finds it: the module and name of the handler string chalice packages."""
    from app import app

    (function,) = [f for f in app.pure_lambda_functions if f.name == "count_views"]
    module, _, name = function.handler_string.rpartition(".")
    return getattr(importlib.import_module(module), name)


def invoke(path: str, method: str = "POST", user_agent: str | None = BROWSER) -> dict[str, Any]:
    context = LambdaContext(function_name="newsroom-prod-count_views", memory_size=256, max_runtime_ms=5000)
    return handler()(function_url_request(path, method, user_agent), context)


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
