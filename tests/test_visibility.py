"""What readers and crawlers may see of a scheduled article, on every surface, a second before its time and
at it; feeds that a strict XML parser reads whatever an editor pasted; `updated` never before `published`.

The clock (chalicelib.clock) is set, not waited for. The article is scheduled for midnight on the 1st in
the site's time zone, where a month's sitemap ends and the next one's begins.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from chalicelib import categories, editorial
from chalicelib.models import ArticleModel
from chalicelib.search import pending, sqlite_backend
from tests.site import make_article, make_categories

ZONE = ZoneInfo("Asia/Shanghai")  # the local stage's SITE_TIMEZONE
MIDNIGHT = datetime(2026, 4, 1, tzinfo=ZONE)  # 2026-03-31 16:00 UTC
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ORIGIN = "http://127.0.0.1:8000"  # the local stage's SITE_URL
# Every character XML 1.0 cannot hold that an editor or a configuration could paste (C0 controls but tab and
# line ends, and the two non-characters); surrogates cannot reach us (tests/security/test_bad_json.py).
EVERY_CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\ufffe\uffff"


def strict(body: bytes) -> Any:
    """The document as lxml reads it without recovering from anything (a malformed feed raises)."""
    return etree.fromstring(body, etree.XMLParser(recover=False, resolve_entities=False))


def get(client, path: str) -> str:
    response = client.http.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.body.decode()


def feed_ids(client, path: str) -> list[str]:
    feed = strict(get(client, path).encode())
    return [e.findtext(f"{ATOM}id").rsplit("/", 1)[-1] for e in feed.iter(f"{ATOM}entry")]


def sitemap_locs(client, path: str) -> list[str]:
    return [loc.text for loc in strict(get(client, path).encode()).iter(f"{SITEMAP}loc")]


def searched(client, query: str) -> list[str]:
    """Search results once the scheduled fold has run, in a container that has fetched the new file."""
    pending.fold()
    sqlite_backend.forget_copy()
    return re.findall(r'<h2[^>]*><a href="/articles/([^"]+)"', get(client, f"/search?q={query}"))


@pytest.fixture
def scheduled(clock, configure) -> None:
    configure(SITEMAP_MAX_URLS="3")  # the sitemap is an index of months
    clock(MIDNIGHT - timedelta(hours=2))
    make_categories()
    make_article("march", title="三月会议纪要", published_at=MIDNIGHT - timedelta(days=2))
    make_article("midnight", title="四月会议预告", published_at=MIDNIGHT)


def test_a_second_before_its_time_no_reader_surface_shows_a_scheduled_article(client, scheduled, clock):
    clock(MIDNIGHT - timedelta(seconds=1))
    assert "共 1 篇" in get(client, "/news/industry") and "共 1 篇" in get(client, "/news/news")
    assert "四月会议预告" not in get(client, "/articles/march")  # no neighbour, no related article
    assert "四月会议预告" not in get(client, "/")
    assert client.http.get("/articles/midnight").status_code == 404
    assert searched(client, "会议") == ["march"]
    for feed in ("/feed.xml", "/news/news/feed.xml", "/news/industry/feed.xml"):
        assert feed_ids(client, feed) == ["march"], feed
    months = sitemap_locs(client, "/sitemap.xml")
    assert f"{ORIGIN}/sitemaps/2026-04.xml" not in months and f"{ORIGIN}/sitemaps/2026-03.xml" in months
    assert client.http.get("/sitemaps/2026-04.xml").status_code == 404
    assert sitemap_locs(client, "/sitemaps/2026-03.xml") == [f"{ORIGIN}/articles/march"]


def test_at_its_time_every_surface_shows_it_in_exactly_one_month(client, scheduled, clock):
    clock(MIDNIGHT)
    assert "共 2 篇" in get(client, "/news/industry") and "共 2 篇" in get(client, "/news/news")
    assert "四月会议预告" in get(client, "/articles/march")
    assert client.http.get("/articles/midnight").status_code == 200
    assert searched(client, "会议") == ["midnight", "march"]
    for feed in ("/feed.xml", "/news/news/feed.xml", "/news/industry/feed.xml"):
        assert feed_ids(client, feed) == ["midnight", "march"], feed
    months = sitemap_locs(client, "/sitemap.xml")[1:]  # after pages.xml, newest first, in the site's time zone
    assert months == [f"{ORIGIN}/sitemaps/2026-04.xml", f"{ORIGIN}/sitemaps/2026-03.xml"]
    assert sitemap_locs(client, "/sitemaps/2026-04.xml") == [f"{ORIGIN}/articles/midnight"]
    assert sitemap_locs(client, "/sitemaps/2026-03.xml") == [f"{ORIGIN}/articles/march"]  # not in two months


def test_an_article_unpublished_between_the_feeds_query_and_its_batch_get_leaves_the_feed(client, scheduled, clock):
    clock(MIDNIGHT)
    connection = ArticleModel._get_connection().connection.client
    unpublished: list[str] = []

    def unpublish_first(params, **_):  # the feed has queried; its BatchGetItem is about to be sent
        if not unpublished:
            unpublished.append("midnight")
            editorial.unpublish_article("midnight")

    connection.meta.events.register("before-parameter-build.dynamodb.BatchGetItem", unpublish_first)
    try:
        ids = feed_ids(client, "/feed.xml")
    finally:
        connection.meta.events.unregister("before-parameter-build.dynamodb.BatchGetItem", unpublish_first)
    assert unpublished and ids == ["march"]


def test_a_scheduled_article_edited_before_its_time_is_never_updated_before_it_was_published(client, scheduled, clock):
    clock(MIDNIGHT - timedelta(hours=1))
    item = ArticleModel.get("midnight")
    fields = {"title": "四月会议预告（修订）", "category": "industry", "body": item.body, "version": item.version}
    editorial.replace_article("midnight", fields)
    clock(MIDNIGHT + timedelta(minutes=5))
    entry = next(
        e
        for e in strict(get(client, "/feed.xml").encode()).iter(f"{ATOM}entry")
        if "修订" in str(e.findtext(f"{ATOM}title"))
    )
    published = datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert published == MIDNIGHT and datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) >= published
    page = get(client, "/articles/midnight")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert datetime.fromisoformat(ld["dateModified"]) >= datetime.fromisoformat(ld["datePublished"]) == MIDNIGHT


def test_feeds_with_control_characters_in_every_text_field_are_well_formed_xml(client, configure, clock):
    dirty = f"甲{EVERY_CONTROL}乙"
    in_env = EVERY_CONTROL.replace("\x00", "")  # an environment variable cannot hold NUL
    configure(SITE_NAME=f"协会{in_env}网", SITE_DESCRIPTION=f"简介{in_env}")
    clock(MIDNIGHT)
    make_categories()
    categories.put_category("industry", f"行业{EVERY_CONTROL}动态", "news", 11)
    make_article(
        "dirty",
        title=dirty,
        subtitle=dirty,
        author=dirty,
        body=[{"type": "paragraph", "text": dirty}],
        published_at=MIDNIGHT - timedelta(hours=1),
    )
    make_article("bare", title=dirty, subtitle=dirty, body=[], published_at=MIDNIGHT - timedelta(hours=2))
    for path in ("/feed.xml", "/news/news/feed.xml", "/news/industry/feed.xml", "/sitemap.xml"):
        document = strict(client.http.get(path).body)  # raises on a single character XML 1.0 cannot hold
        texts = "".join(document.itertext())
        assert not set(texts) & set(EVERY_CONTROL), path
    feed = strict(client.http.get("/news/industry/feed.xml").body)
    assert feed.findtext(f"{ATOM}title") == "行业动态 - 协会网"
    assert feed.findtext(f"{ATOM}subtitle") == "简介"
    for field, expected in (("title", {"甲乙"}), ("summary", {"甲乙"}), (f"author/{ATOM}name", {"甲乙", "协会网"})):
        found = {re.sub(r"\s", "", e.findtext(f"{ATOM}{field}")) for e in feed.iter(f"{ATOM}entry")}
        assert found == expected, field
