"""Property: whatever JSON reaches any field of any editors' route, the answer is never a 500.

Arbitrary JSON values and shapes (deep lists and objects, NaN and Infinity, lone surrogates, huge numbers)
in every field of every route with a body or query: the answer is a 2xx or a 4xx with a JSON `message`,
and a 4xx stores nothing (the tables are compared before and after; conftest empties them per test
function, not per hypothesis example, so each example compares against its own snapshot). The audit table
is the exception by design (issue 25: failures are recorded too): an audited route's 4xx appends exactly one
record, a failure, and changes no other record; an unaudited route's 4xx appends none.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import boto3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.config import get_settings
from local.snapshot import tables_of
from tests.api_helpers import call
from tests.site import make_article

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: `make test` stays fast and repeatable
)

SURROGATES = st.sampled_from(["\ud800", "a\udfffb", "\udbff\udbff", "文\ud83d"])
TEXT = st.one_of(st.text(max_size=20), SURROGATES, st.characters(categories=["Cs"]))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),  # NaN and ±Infinity too: json.dumps writes them, json.loads reads them back
    TEXT,
)
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8
)
DEEP = st.integers(min_value=17, max_value=200).map(lambda n: _nested(n))


def plausible(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly hostile values, sometimes a good one, so later fields are reached too."""
    return st.one_of(value, JSON, DEEP)


def objects(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with any subset of the route's fields, each good or hostile, and now and then an unknown one."""
    known = st.fixed_dictionaries({}, optional={name: plausible(good) for name, good in fields.items()})
    return st.one_of(known, st.dictionaries(TEXT, JSON, max_size=3).map(lambda extra: extra or {"x": 1}) | known)


BLOCK = st.fixed_dictionaries(
    {},
    optional={
        "type": plausible(st.sampled_from(["paragraph", "heading", "photo"])),
        "text": plausible(st.just("段落")),
        "photo_id": plausible(st.sampled_from(["photo1", "nophoto"])),
        "caption": plausible(st.just("说明")),
        "alt": plausible(st.just("alt")),
    },
)
ARTICLE = {
    "title": st.just("标题"),
    "subtitle": st.just("副标题"),
    "category": st.sampled_from(["news", "industry", "nope"]),
    "source": st.just("来源"),
    "author": st.just("作者"),
    "notice": st.booleans(),
    "cover_photo_id": st.sampled_from(["photo1", "nophoto"]),
    "body": st.lists(plausible(BLOCK), max_size=3),
}
BODIES = st.one_of(JSON, st.binary(max_size=40))


def stored() -> dict[str, list[Any]]:
    """Every table's items, the audit table's included (check() compares it apart from the others)."""
    dynamodb = boto3.client("dynamodb")
    return {
        table: sorted(json.dumps(i, sort_keys=True) for i in _scan(dynamodb, table))
        for table in tables_of(get_settings())
        if not table.endswith(("editors", "logins"))  # login attempts are recorded there by design (throttling)
    }


def check(
    client: Any, method: str, path: str, body: Any, headers: dict[str, str] | None = None, audited: bool = True
) -> Any:
    """`audited`: the route records each call in the audit trail (routes/audited.py), refusals included."""
    audit_table = get_settings().tables["audit"]
    before = stored()
    response = call(client, method, path, body, headers)
    assert response.status_code < 500, (method, path, body, response.body)
    if response.status_code >= 400:
        assert isinstance(response.json, dict) and isinstance(response.json.get("message"), str), response.body
        after = stored()
        audit_before, audit_after = before.pop(audit_table), after.pop(audit_table)
        assert after == before, f"a {response.status_code} changed the tables"
        added = [json.loads(i) for i in audit_after if i not in set(audit_before)]
        assert set(audit_before) <= set(audit_after), "a refused call changed or removed an audit record"
        assert len(added) == (1 if audited else 0), (response.status_code, added)
        assert all(i["result"] == {"S": "failure"} for i in added), added
    return response


@FUZZ
@given(body=st.one_of(objects({"username": st.just("editor"), "password": st.just("wrong")}), BODIES))
def test_login(client: Any, body: Any) -> None:
    check(client, "POST", "/api/session", body)


@FUZZ
@given(body=st.one_of(objects(ARTICLE), BODIES))
def test_create_article(client: Any, auth: dict[str, str], body: Any) -> None:
    check(client, "POST", "/api/articles", body, auth)


@FUZZ
@given(body=st.one_of(objects({**ARTICLE, "version": st.just(1)}), BODIES))
def test_replace_article(client: Any, auth: dict[str, str], body: Any) -> None:
    if not list(_articles()):
        make_article("fuzzed", publish=False)
    check(client, "PUT", "/api/articles/fuzzed", body, auth)


@FUZZ
@given(body=st.one_of(objects({"published_at": st.just("2026-01-01T08:00:00+08:00")}), BODIES))
def test_publish(client: Any, auth: dict[str, str], body: Any) -> None:
    if not list(_articles()):
        make_article("fuzzed", publish=False)
    check(client, "POST", "/api/articles/fuzzed/publish", body, auth)


@FUZZ
@given(
    slug=st.one_of(st.sampled_from(["culture", "news", "industry"]), st.text(min_size=1, max_size=8)),
    body=st.one_of(
        objects({"name": st.just("文化"), "parent": st.sampled_from(["news", "x"]), "position": st.just(3)}),
        BODIES,
    ),
)
def test_put_category(client: Any, admin_auth: dict[str, str], slug: str, body: Any) -> None:
    auth = admin_auth  # categories are admins' to change: an editor's 403 would prove nothing
    check(client, "PUT", f"/api/categories/{quote(slug.encode('utf-8', 'surrogatepass'), safe='')}", body, auth)


@FUZZ
@given(
    body=st.one_of(
        objects(
            {
                "filename": st.just("会场.jpg"),
                "content_type": st.just("image/jpeg"),
                "size": st.just(1000),
                "article_id": st.just("nope"),
            }
        ),
        BODIES,
    )
)
def test_start_upload(client: Any, auth: dict[str, str], body: Any) -> None:
    check(client, "POST", "/api/photos", body, auth)


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["status", "category", "cursor", "other"]), TEXT, max_size=3))
def test_list_query_parameters(client: Any, auth: dict[str, str], params: dict[str, str]) -> None:
    query = urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in params.items()})
    check(client, "GET", f"/api/articles?{query}", None, auth, audited=False)


def _scan(dynamodb: Any, table: str) -> list[Any]:
    """All of a table's items: a scan answers at most 1 MB a page, and the audit table grows per example."""
    items, query = [], {"TableName": table}
    while True:
        page = dynamodb.scan(**query)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def _articles() -> Any:
    from chalicelib.models import ArticleModel

    return ArticleModel.scan(limit=1)
