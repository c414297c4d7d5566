"""Hostile JSON that used to answer 500: deep nesting, lone surrogates, a block `type` that is not a string.

Each is a 400 naming the field, on the unauthenticated login as on the editors' routes, and nothing is stored.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from chalicelib.models import ArticleModel, CategoryModel
from tests.api_helpers import call
from tests.conftest import ROOT

DEEP = b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
SECURITY_DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
DOCUMENTED_DEPTH = re.search(r"nesting at most (\d+) levels", SECURITY_DOC)
assert DOCUMENTED_DEPTH, "docs/security.md no longer states the nesting cap in the words this test reads"
CAP = int(DOCUMENTED_DEPTH[1])


def nested(depth: int, kind: str) -> bytes:
    """A body `depth` levels deep counting the body itself: lists, objects, or both in turn, around an empty list."""
    opening = {"list": ["["], "object": ['{"a": '], "mixed": ["[", '{"a": ']}[kind]
    layers = [opening[n % len(opening)] for n in range(depth - 2)]
    closing = ["]" if layer == "[" else "}" for layer in reversed(layers)]
    return ('{"x": ' + "".join(layers) + "[]" + "".join(closing) + "}").encode()


def test_the_documented_nesting_cap_is_sixteen():
    assert CAP == 16


@pytest.mark.parametrize("kind", ["list", "object", "mixed"])
def test_bodies_nested_to_the_cap_pass_and_one_level_more_is_refused(client: Any, kind: str) -> None:
    at_cap = call(client, "POST", "/api/session", nested(CAP, kind))
    assert (at_cap.status_code, at_cap.json["field"]) == (400, "x")  # past the nesting check: the field is unknown
    deeper = call(client, "POST", "/api/session", nested(CAP + 1, kind))
    assert (deeper.status_code, deeper.json["field"], deeper.json["code"]) == (400, "body", "too_deep")
    assert deeper.json["message"] == f"request body is nested more than {CAP} levels deep"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/session"),
        ("POST", "/api/articles"),
        ("PUT", "/api/categories/culture"),
        ("POST", "/api/photos"),
    ],
)
def test_deeply_nested_json_is_a_400_without_a_traceback(
    client: Any, admin_auth: dict[str, str], caplog: pytest.LogCaptureFixture, method: str, path: str
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = call(client, method, path, DEEP, admin_auth)  # an admin: categories are theirs
    assert response.status_code == 400
    assert (response.json["field"], response.json["code"]) == ("body", "too_deep")
    assert response.json["message"] == f"request body is nested more than {CAP} levels deep"
    assert not [r for r in caplog.records if r.exc_info], "no traceback is logged for bad input"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "a\ud800b", "category": "news", "body": []}, "title"),
        ({"title": "t", "category": "news", "author": "\udfff", "body": []}, "author"),
        ({"title": "t", "category": "news", "body": [{"type": "paragraph", "text": "x\udc00"}]}, "body[0].text"),
        (
            {"title": "t", "category": "news", "body": [{"type": "photo", "photo_id": "photo1", "caption": "\ud800"}]},
            "body[0].caption",
        ),
    ],
)
def test_a_lone_surrogate_is_a_400_naming_the_field(
    client: Any, auth: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = call(client, "POST", "/api/articles", body, auth)  # json.dumps writes "\ud800" as an escape
    assert response.status_code == 400
    assert response.json["field"] == field and response.json["code"] == "bad_characters"
    assert response.json["message"] == f"{field} contains an unpaired UTF-16 surrogate"
    assert list(ArticleModel.scan()) == []


def test_a_lone_surrogate_in_a_key_or_on_login_is_a_400(client: Any, admin_auth: dict[str, str]) -> None:
    auth = admin_auth  # categories are admins' to change
    login = call(client, "POST", "/api/session", {"username": "\ud800", "password": "x"})
    assert login.status_code == 400
    assert login.json["field"] == "username"
    keyed = call(client, "PUT", "/api/categories/culture", {"name": "文化", "\ud800": 1}, auth)
    assert keyed.status_code == 400
    words = "a field name contains an unpaired UTF-16 surrogate"
    assert keyed.json == {"message": words, "field": "body", "code": "bad_characters"}
    block = {"type": "paragraph", "text": "正文", "\udfff": 1}
    nested = call(client, "POST", "/api/articles", {"title": "t", "category": "news", "body": [block]}, auth)
    assert nested.json == {"message": words, "field": "body[0]", "code": "bad_characters"}  # the object holding it
    category = call(client, "PUT", "/api/categories/culture", {"name": "文\udbff化"}, auth)
    assert category.status_code == 400
    assert category.json["field"] == "name"
    assert CategoryModel.count("culture") == 0


@pytest.mark.parametrize("kind", [["paragraph"], {"paragraph": 1}, 1, None, True])
def test_a_block_type_that_is_not_a_string_is_a_400(client: Any, auth: dict[str, str], kind: Any) -> None:
    body = {"title": "t", "category": "news", "body": [{"type": kind, "text": "x"}]}
    response = call(client, "POST", "/api/articles", body, auth)
    assert response.status_code == 400
    assert response.json["field"] == "body[0].type"
