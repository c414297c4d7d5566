"""Beacon counting in a real browser against the local stack (COUNT_MODE=beacon), and the page's HTTP caching."""

from __future__ import annotations

import gzip
import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.local_stack import ARTICLE, Stack

READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
ARTICLE_ID = ARTICLE.rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def beacon_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(tmp_path_factory.mktemp("beacon") / "data", COUNT_MODE="beacon")
    yield stack
    if stack.process.poll() is None:
        stack.stop()


def request(stack: Stack, path: str, method: str = "GET", **headers: str) -> Any:
    """urllib's answer (a 304 included), without following or decoding anything."""
    req = urllib.request.Request(stack.url + path, method=method, headers=headers)
    try:
        return urllib.request.urlopen(req, timeout=30)
    except urllib.error.HTTPError as error:
        return error


def stored_count(stack: Stack) -> int:
    """The count as the endpoint answers a crawler: it reads without adding."""
    with request(stack, f"/views/{ARTICLE_ID}", "POST", **{"User-Agent": "curl/8.5.0"}) as answer:
        assert answer.status == 200
        return int(json.loads(answer.read())["views"])


def load(browser: Any, stack: Stack, user_agent: str) -> tuple[int, str, list[str]]:
    """Open the article as `user_agent`; (the count the page ends up showing, Cache-Control, console errors)."""
    context = browser.new_context(user_agent=user_agent)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    response = page.goto(stack.url + ARTICLE)
    assert response is not None and response.status == 200
    page.wait_for_selector(".views[data-counted]")  # the script's POST was answered and shown
    shown = int(page.inner_text(".views"))
    caching = response.headers["cache-control"]
    context.close()
    return shown, caching, errors


def test_two_readers_count_two_a_reload_and_a_crawler_none(browser, beacon_site):
    before = stored_count(beacon_site)
    first, caching, errors = load(browser, beacon_site, READER)
    second, _, more_errors = load(browser, beacon_site, READER + " Edg/131.0")  # another reader, same address
    assert (first, second) == (before + 1, before + 2)  # each page shows the count its own view made
    again, _, _ = load(browser, beacon_site, READER)  # the first reader reloads: counted once a window
    assert again == before + 2 and stored_count(beacon_site) == before + 2
    assert caching == "public, max-age=60, stale-while-revalidate=60"  # a CDN may answer for the page
    assert errors == [] and more_errors == []  # no CSP refusal: the script and its POST are our own origin
    crawled, _, _ = load(browser, beacon_site, GOOGLEBOT)
    assert crawled == before + 2 and stored_count(beacon_site) == before + 2


def test_conditional_requests_are_answered_304_over_http(beacon_site):
    with request(beacon_site, ARTICLE) as first:
        etag, body = first.headers["ETag"], first.read()
    assert etag.startswith('W/"') and first.headers["Content-Encoding"] is None
    with request(beacon_site, ARTICLE, **{"If-None-Match": etag}) as again:
        assert again.status == 304 and again.read() == b"" and again.headers["ETag"] == etag
    with request(beacon_site, "/feed.xml") as feed:
        feed_tag = feed.headers["ETag"]
    with request(beacon_site, "/feed.xml", **{"If-None-Match": feed_tag}) as again:
        assert again.status == 304
    with request(beacon_site, ARTICLE, **{"If-None-Match": '"something-else"'}) as changed:
        assert changed.status == 200 and changed.read() == body


def test_pages_over_a_kilobyte_are_gzipped_when_the_client_accepts_it(beacon_site):
    with request(beacon_site, ARTICLE) as plain:
        body = plain.read()
        assert plain.headers["Content-Encoding"] is None and plain.headers["Vary"] == "Accept-Encoding"
    with request(beacon_site, ARTICLE, **{"Accept-Encoding": "gzip, deflate, br"}) as compressed:
        assert compressed.headers["Content-Encoding"] == "gzip"
        wire = compressed.read()
    assert gzip.decompress(wire) == body and len(wire) < len(body) / 3
    with request(beacon_site, ARTICLE, **{"Accept-Encoding": "gzip;q=0"}) as refused:
        assert refused.headers["Content-Encoding"] is None
    with request(
        beacon_site, f"/views/{ARTICLE_ID}", "POST", **{"Accept-Encoding": "gzip", "User-Agent": "curl/8"}
    ) as tiny:
        assert tiny.headers["Content-Encoding"] is None  # {"views": n}: under minimum_compression_size
