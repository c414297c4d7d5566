"""Cursors round-trip, and anything else is a clean InvalidInput."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.articles import list_category, now
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput
from chalicelib.models import ArticleModel
from chalicelib.pagination import decode_cursor, encode_cursor
from tests.api_helpers import bearer, call, make_editor
from tests.site import make_article, make_categories

FIELDS = ("id", "published_at")
values = st.text(min_size=1, max_size=100)


@given(values, values)
def test_cursors_round_trip(article_id, published_at):
    key = {"id": article_id, "published_at": published_at}
    assert decode_cursor(encode_cursor(key), FIELDS) == key


@given(st.text(max_size=200))
def test_any_other_text_is_rejected_cleanly(text):
    try:
        key = decode_cursor(text, FIELDS)
    except InvalidInput as error:
        assert error.field == "cursor"
    else:
        assert key is None or set(key) == set(FIELDS)


def test_a_cursor_with_other_fields_is_rejected():
    with pytest.raises(InvalidInput):
        decode_cursor(encode_cursor({"id": "a", "listed_category": "x"}), FIELDS)


# Through the pages readers and editors see


def cursor_of(key) -> str:
    """A cursor as a client could forge one: base64url JSON."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def listing(client, cursor=None):
    return client.http.get("/news/industry" + (f"?cursor={cursor}" if cursor else ""))


def titles_on(response) -> list[str]:
    return re.findall(r"第(\d\d)条", response.body.decode())


def next_cursor_on(response) -> str | None:
    match = re.search(r'href="/news/industry\?cursor=([^"]+)" rel="next"', response.body.decode())
    return match.group(1) if match else None


@pytest.fixture
def listed():
    make_categories()


def publish_items(count):
    base = now() - timedelta(days=30)
    for i in range(count):
        make_article(f"item-{i:02d}", title=f"第{i:02d}条", published_at=base + timedelta(hours=i))


A_DATE = "2026-01-01T00:00:00.000000+0000"


@pytest.mark.parametrize(
    "cursor",
    [
        cursor_of({"id": "item-01"}),  # a key missing
        cursor_of({"id": "item-01", "published_at": A_DATE, "category": "industry"}),  # a key too many
        cursor_of({"id": "item-01", "created_at": A_DATE}),  # another listing's key
        cursor_of({"id": 1, "published_at": A_DATE}),
        cursor_of({"id": "item-01", "published_at": None}),
        cursor_of({"id": ["item-01"], "published_at": A_DATE}),
        cursor_of({"id": "", "published_at": A_DATE}),
        cursor_of({"id": "x" * 513, "published_at": A_DATE}),
        cursor_of({"id": "item-01", "published_at": "yesterday"}),
        cursor_of({"id": "item-01", "published_at": "2026-01-01"}),
        cursor_of(["item-01", A_DATE]),
        cursor_of("item-01"),
        base64.urlsafe_b64encode(b"{not json").decode(),
        base64.urlsafe_b64encode(b'{"id": "\xff"}').decode(),
        "not base64!",
        "a",
    ],
)
def test_a_tampered_cursor_is_a_400_page_never_a_500(client, listed, cursor):
    response = listing(client, cursor)
    assert response.status_code == 400
    assert "请求无效" in response.body.decode()


def test_a_cursor_beyond_the_present_is_refused(client, listed):
    publish_items(1)
    future = (now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%f+0000")
    assert listing(client, cursor_of({"id": "item-00", "published_at": future})).status_code == 400


def test_a_listing_refuses_a_cursor_beyond_the_present_itself_before_dynamodb_sees_it(listed):
    """DynamoDB refuses a start key outside the query's range condition (a ValidationException: a 500 page);
    moto reads it, and the page path checks the same cursor again for its previous link. So the listing's own
    check is asked for directly: no Query goes out with such a key."""
    publish_items(1)
    future = (now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%f+0000")
    with pytest.raises(InvalidInput) as refused:
        list_category("industry", channel=False, cursor=cursor_of({"id": "item-00", "published_at": future}), limit=20)
    assert (refused.value.field, refused.value.code) == ("cursor", "bad_cursor")


@pytest.mark.parametrize("length", [1, 512])
def test_cursor_values_of_1_to_512_characters_are_read(client, listed, length):
    publish_items(3)
    past = (now() - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%S.%f+0000")
    response = listing(client, cursor_of({"id": "x" * length, "published_at": past}))
    assert response.status_code == 200


def test_an_exactly_full_last_page_has_no_next_link(client, listed):
    publish_items(get_settings().page_size)
    response = listing(client)
    assert len(titles_on(response)) == 20 and next_cursor_on(response) is None


def test_the_next_page_starts_right_after_the_last_item_shown(client, listed):
    publish_items(get_settings().page_size + 1)
    first = listing(client)
    assert titles_on(first) == [f"{i:02d}" for i in range(20, 0, -1)]
    second = listing(client, next_cursor_on(first))
    assert titles_on(second) == ["00"] and next_cursor_on(second) is None


def test_a_page_reads_one_item_more_than_it_shows(client, listed):
    publish_items(3)
    limits = []

    def record(params, **_):
        limits.append(params.get("Limit"))

    events = ArticleModel._get_connection().connection.client.meta.events
    events.register("provide-client-params.dynamodb.Query", record)
    try:
        assert listing(client).status_code == 200
    finally:
        events.unregister("provide-client-params.dynamodb.Query", record)
    assert get_settings().page_size + 1 in limits  # the listing's Query; the others fill the navigation


@pytest.mark.parametrize(
    "cursor",
    [
        cursor_of({"id": "a", "created_at": 5}),
        cursor_of({"id": "a", "created_at": "not a date"}),
        cursor_of({"id": "a", "published_at": A_DATE}),
        "%25%25",
    ],
)
def test_editors_get_a_400_naming_the_cursor_for_a_tampered_one(client, cursor):
    response = call(client, "GET", f"/api/articles?cursor={cursor}", headers=bearer(make_editor()))
    assert response.status_code == 400 and response.json == {
        "message": "cursor is not valid",
        "field": "cursor",
        "code": "bad_cursor",
    }


def test_a_next_page_link_is_short_and_needs_no_escaping(client, listed):
    """The cursor is the last item's key as compact JSON in URL-safe base64 without padding."""
    publish_items(21)
    cursor = next_cursor_on(listing(client))
    assert cursor and re.fullmatch(r"[A-Za-z0-9_-]+", cursor), cursor
    key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    compact = base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")
    assert len(cursor) <= len(compact)
    assert titles_on(listing(client, cursor)) == ["00"]
