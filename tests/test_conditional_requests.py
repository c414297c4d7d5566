"""ETags and 304s on reader pages and feeds (responses.conditional)."""

from __future__ import annotations

import pytest
from chalice import Response

from chalicelib.routes.responses import not_modified
from tests.site import make_article, make_categories


@pytest.fixture
def site() -> None:
    make_categories()
    make_article("live")


@pytest.mark.parametrize("path", ["/", "/news/news", "/feed.xml", "/news/news/feed.xml", "/robots.txt"])
def test_a_matching_if_none_match_is_a_304_without_a_body(client, site, path):
    first = client.http.get(path)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('W/"') and len(etag) == 36
    again = client.http.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.body == b""
    assert "Content-Type" not in again.headers  # RFC 9110 15.4.5: no representation metadata without a body
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == first.headers["Cache-Control"]
    listed = client.http.get(path, headers={"If-None-Match": f'"other", {etag.removeprefix("W/")}'})
    assert listed.status_code == 304  # weak comparison, in a list
    packed = client.http.get(path, headers={"If-None-Match": f'"other",{etag}'})
    assert packed.status_code == 304  # a list without spaces
    assert client.http.get(path, headers={"If-None-Match": "*"}).status_code == 304  # any version at all
    stale = client.http.get(path, headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.body == first.body


def test_a_changed_page_has_a_new_etag(client, site):
    before = client.http.get("/news/news").headers["ETag"]
    make_article("second", title="第二篇文章")
    after = client.http.get("/news/news", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before and "第二篇文章" in after.body.decode()


def test_errors_and_previews_carry_no_validators(client, site):
    missing = client.http.get("/articles/nope", headers={"If-None-Match": "*"})
    assert missing.status_code == 404 and "ETag" not in missing.headers


def test_if_modified_since_is_answered_only_where_the_response_says_when_it_changed():
    dated = {"Last-Modified": "Sat, 28 Nov 2026 10:00:00 GMT", "Content-Type": "text/html"}
    later = {"if-modified-since": "Sat, 28 Nov 2026 11:00:00 GMT"}
    earlier = {"if-modified-since": "Sat, 28 Nov 2026 09:00:00 GMT"}
    assert not_modified(Response(body="x", status_code=200, headers=dict(dated)), later).status_code == 304
    assert not_modified(Response(body="x", status_code=200, headers=dict(dated)), earlier).status_code == 200
    same = {"if-modified-since": dated["Last-Modified"]}  # what a browser sends back: unchanged since then
    assert not_modified(Response(body="x", status_code=200, headers=dict(dated)), same).status_code == 304
    assert not_modified(Response(body="x", status_code=200, headers={}), later).status_code == 200
    garbage = {"if-modified-since": "yesterday"}
    assert not_modified(Response(body="x", status_code=200, headers=dict(dated)), garbage).status_code == 200
    # If-None-Match wins over If-Modified-Since
    both = {**later, "if-none-match": '"other"'}
    assert not_modified(Response(body="x", status_code=200, headers=dict(dated)), both).status_code == 200
