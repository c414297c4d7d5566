"""The API's JSON answers: `json_api` (routes/responses.py) on the editors' routes and `json_call` (answers.py) on the
counting function. The app's routes are decorated at import, before any test runs; these tests decorate views
here, as the routes are decorated, and check what a client gets."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.answers import json_call
from chalicelib.errors import InvalidInput
from chalicelib.routes.responses import json_api


def view(slug: str) -> dict[str, Any] | None:
    """A view answering data, nothing (an empty slug) or a refusal naming the field."""
    if slug == "bad":
        raise InvalidInput("slug is not valid", field="slug")
    return {"slug": slug} if slug else None


def test_a_route_under_json_api_answers_its_data_as_200_json_never_cached():
    route = json_api()(view)
    answered = route("news")
    assert (answered.status_code, json.loads(answered.body)) == (200, {"slug": "news"})
    assert answered.headers["Content-Type"] == "application/json; charset=utf-8"
    assert answered.headers["Cache-Control"] == "no-store"
    assert (route("").status_code, route("").body) == (204, "")
    refused = route("bad")
    assert (refused.status_code, json.loads(refused.body)["field"]) == (400, "slug")
    assert json_api(201)(view)("news").status_code == 201  # a route that creates says so


def test_the_counting_functions_decorator_answers_as_the_api_does():
    """json_call() (the counting function's answer_view) and json_api() (the API route's) give one answer."""
    for slug in ("news", "", "bad"):
        answer, response = json_call()(view)(slug), json_api()(view)(slug)
        assert (answer.status_code, answer.body, answer.headers) == (
            response.status_code,
            response.body,
            response.headers,
        ), slug
    assert json_call()(view)("news").status_code == 200


def test_a_json_answer_is_utf_8_text_never_sniffed_as_anything_else():
    """Chinese travels as itself (a third of the bytes of \\uXXXX escapes), and no browser may sniff the JSON of
    an answer echoing an editor's text into HTML."""
    answered = json_api()(view)("新闻<b>")
    assert answered.body == '{"slug": "新闻<b>"}'
    assert answered.headers["X-Content-Type-Options"] == "nosniff"
    refused = json_api()(view)("bad")
    assert refused.headers["X-Content-Type-Options"] == "nosniff"
    assert refused.headers["Content-Type"] == "application/json; charset=utf-8"
