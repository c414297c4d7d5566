"""Atom feeds, the sitemap, robots.txt and the icon, read by a real feed parser and ElementTree."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import feedparser
import pytest

from chalicelib.articles import now
from chalicelib.editorial import unpublish_article
from chalicelib.feeds import xml_chars
from chalicelib.models import ArticleModel
from tests.api_helpers import call
from tests.site import make_article, make_categories

SHANGHAI = ZoneInfo("Asia/Shanghai")
ORIGIN = "http://127.0.0.1:8000"  # the local stage's SITE_URL
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 4287's elements, link attributes and registered link relations: XML is case-sensitive, feedparser is not.
ATOM_ELEMENTS = {
    *("feed", "entry", "id", "title", "subtitle", "updated", "published", "link", "author", "contributor"),
    *("name", "uri", "email", "generator", "summary", "content", "category", "rights", "icon", "logo", "source"),
}
LINK_ATTRIBUTES = {"rel", "href", "type", "hreflang", "title", "length"}
LINK_RELATIONS = {"alternate", "self", "related", "enclosure", "via"}
W3C_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)")


@pytest.fixture
def site() -> None:
    make_categories()
    make_article(
        "forum",
        title="行业高质量发展论坛召开",
        author="宣传部",
        published_at=datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc),
        body=[{"type": "heading", "text": "开幕"}, {"type": "paragraph", "text": "第一段：大会隆重召开。\x0b"}],
    )
    make_article("rules", category="policy", title="《物业管理条例》修订", subtitle="征求意见", body=[])
    make_article("old", title="较早的文章", published_at=datetime(2025, 12, 31, 20, tzinfo=timezone.utc))
    make_article("draft", title="草稿", publish=False)
    make_article("later", title="定时发布", published_at=now() + timedelta(hours=2))
    make_article("withdrawn", title="已撤回")
    unpublish_article("withdrawn")


def parsed_feed(client, path: str) -> feedparser.FeedParserDict:
    response = client.http.get(path)
    assert response.status_code == 200, path
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    feed = feedparser.parse(response.body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert_rfc_4287_names(response.body)
    return feed


def assert_rfc_4287_names(body: bytes) -> None:
    """What feedparser forgives (it folds names to lower case): every element and link named as RFC 4287
    names them, and the elements it requires of a feed and of each entry present."""
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for element in root.iter():
        assert element.tag.startswith(ATOM) and element.tag.removeprefix(ATOM) in ATOM_ELEMENTS, element.tag
        if element.tag == f"{ATOM}link":
            assert set(element.attrib) <= LINK_ATTRIBUTES and element.get("href"), element.attrib
            assert element.get("rel") in LINK_RELATIONS, element.attrib
    for required in ("id", "title", "updated", "author/{atom}name", "generator"):
        assert root.find(f"{ATOM}{required}".replace("{atom}", ATOM)) is not None, required
    for entry in root.iter(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "published", "summary"):
            assert entry.find(f"{ATOM}{required}") is not None, required


def assert_complete(entry: feedparser.FeedParserDict) -> None:
    for field in ("title", "link", "id", "updated", "summary", "author", "published"):
        assert entry.get(field), (entry.get("id"), field)
    assert entry.link.startswith(f"{ORIGIN}/articles/") and entry.id == entry.link


def test_the_site_feed_has_every_visible_article_complete(client, site):
    feed = parsed_feed(client, "/feed.xml")
    assert feed.feed.title == "城市物业管理行业协会" and feed.feed.link == f"{ORIGIN}/"
    assert feed.feed.id == f"{ORIGIN}/feed.xml"
    assert [e.title for e in feed.entries] == ["《物业管理条例》修订", "行业高质量发展论坛召开", "较早的文章"]
    for entry in feed.entries:
        assert_complete(entry)
    forum = feed.entries[1]
    assert forum.link == f"{ORIGIN}/articles/forum" and forum.author == "宣传部"
    assert forum.summary == "第一段：大会隆重召开。"  # the first paragraph, the control character dropped
    assert forum.published == "2026-03-02T01:30:00+08:00"
    assert forum.updated_parsed >= forum.published_parsed
    rules = feed.entries[0]
    assert rules.summary == "征求意见" and rules.author == "城市物业管理行业协会"  # no body, no author: fallbacks


def test_a_category_feed_follows_its_page(client, site):
    news = parsed_feed(client, "/news/news/feed.xml")  # a channel: its sub-categories' articles too
    assert [e.title for e in news.entries] == ["行业高质量发展论坛召开", "较早的文章"]
    assert news.feed.title == "新闻中心 - 城市物业管理行业协会" and news.feed.link == f"{ORIGIN}/news/news"
    assert [e.title for e in parsed_feed(client, "/news/policy/feed.xml").entries] == ["《物业管理条例》修订"]
    for entry in news.entries:
        assert_complete(entry)
    missing = client.http.get("/news/nope/feed.xml")
    assert missing.status_code == 404 and "页面未找到" in missing.body.decode()


def assert_addresses(feed: feedparser.FeedParserDict, self_path: str, page_path: str) -> None:
    """A feed names itself (its id and `self` link) and the page it follows (`alternate`), absolutely."""
    links = {link.rel: (link.href, link.type) for link in feed.feed.links}
    assert feed.feed.id == f"{ORIGIN}{self_path}"
    assert links == {
        "self": (f"{ORIGIN}{self_path}", "application/atom+xml"),
        "alternate": (f"{ORIGIN}{page_path}", "text/html"),
    }


def test_every_feed_names_its_own_address_and_its_page(client, site, auth):
    assert_addresses(parsed_feed(client, "/feed.xml"), "/feed.xml", "/")
    assert_addresses(parsed_feed(client, "/news/news/feed.xml"), "/news/news/feed.xml", "/news/news")
    assert_addresses(parsed_feed(client, "/news/industry/feed.xml"), "/news/industry/feed.xml", "/news/industry")
    topic = {"title": "年会专题", "intro": "年会报道", "articles": ["forum", "rules"]}
    assert call(client, "PUT", "/api/topics/congress", topic, auth).status_code == 200
    feed = parsed_feed(client, "/topics/congress/feed.xml")
    assert_addresses(feed, "/topics/congress/feed.xml", "/topics/congress")
    assert feed.feed.title == "年会专题 - 城市物业管理行业协会"
    assert [e.link for e in feed.entries] == [f"{ORIGIN}/articles/forum", f"{ORIGIN}/articles/rules"]


def test_a_feed_says_who_made_it_in_which_language_and_when_it_last_changed(client, site):
    declaration = client.http.get("/feed.xml").body.split(b"?>", 1)[0].decode("ascii") + "?>"
    assert re.fullmatch(r"<\?xml version='1.0' encoding='(?i:utf-8)'\?>", declaration), declaration
    feed = parsed_feed(client, "/feed.xml")
    assert feed.feed.generator == "Newsroom" and feed.feed.language == "zh-CN"
    assert (
        feed.feed.subtitle == "城市物业管理行业协会官方网站：协会新闻、行业动态与政策法规。"
    )  # the site's description
    assert feed.feed.author_detail == {"name": "城市物业管理行业协会", "href": f"{ORIGIN}/"}
    assert feed.feed.updated_parsed == max(e.updated_parsed for e in feed.entries)
    forum = feed.entries[1]
    assert forum.links == [{"rel": "alternate", "href": f"{ORIGIN}/articles/forum", "type": "text/html"}]
    assert [(c.type, c.value) for c in forum.content] == [("text/html", "<h2>开幕</h2>\n<p>第一段：大会隆重召开。</p>")]
    atom = "{http://www.w3.org/2005/Atom}"
    contents = ET.fromstring(client.http.get("/feed.xml").body).iter(f"{atom}content")
    assert {c.get("type") for c in contents} == {"html"}  # RFC 4287 3.1.1: exactly "html", else a media type


def test_a_category_without_articles_has_a_valid_empty_feed(client, site):
    from chalicelib import categories

    categories.put_category("empty", "空栏目")
    feed = parsed_feed(client, "/news/empty/feed.xml")
    assert feed.entries == [] and feed.feed.title == "空栏目 - 城市物业管理行业协会" and feed.feed.updated


def test_the_feed_holds_the_latest_fifty(client):
    make_categories()
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for n in range(52):
        make_article(f"n{n:02d}", category="policy" if n % 2 else "industry", published_at=start + timedelta(hours=n))
    entries = parsed_feed(client, "/feed.xml").entries
    assert [e.link.rsplit("/", 1)[1] for e in entries] == [f"n{n:02d}" for n in range(51, 1, -1)]


def test_titles_stay_text_in_the_feed(client, site):
    title = '</title><script>alert(1)</script> & "引号"'
    make_article("hostile", title=title, category="policy")
    feed = parsed_feed(client, "/news/policy/feed.xml")
    assert feed.entries[0].title == title  # feedparser read it back as the text it was, not markup


def sitemap_urls(client, path: str, root: str) -> list[tuple[str, str | None]]:
    response = client.http.get(path)
    assert response.status_code == 200, path
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    document = ET.fromstring(response.body)
    assert document.tag == f"{SITEMAP}{root}"
    item = "url" if root == "urlset" else "sitemap"
    urls = []
    for element in document:
        assert element.tag == f"{SITEMAP}{item}"
        loc = element.findtext(f"{SITEMAP}loc")
        lastmod = element.findtext(f"{SITEMAP}lastmod")
        assert loc and loc.startswith(f"{ORIGIN}/"), loc
        assert lastmod is None or W3C_DATETIME.fullmatch(lastmod), lastmod
        urls.append((loc, lastmod))
    return urls


def test_the_sitemap_lists_home_categories_and_visible_articles(client, site):
    urls = dict(sitemap_urls(client, "/sitemap.xml", "urlset"))
    articles = {f"{ORIGIN}/articles/{a}" for a in ("forum", "rules", "old")}
    categories = {f"{ORIGIN}/news/{c}" for c in ("news", "industry", "policy")}
    assert set(urls) == {f"{ORIGIN}/"} | categories | articles
    assert urls[f"{ORIGIN}/articles/forum"] == "2026-03-01T17:30:00+00:00"
    assert all(urls[a] for a in articles) and urls[f"{ORIGIN}/"] == urls[f"{ORIGIN}/news/policy"]


def test_past_its_limit_the_sitemap_is_an_index_of_months(client, site, configure):
    configure(SITEMAP_MAX_URLS="5")
    files = [loc for loc, _ in sitemap_urls(client, "/sitemap.xml", "sitemapindex")]
    rules_month = f"{ORIGIN}/sitemaps/{(now() - timedelta(hours=1)).astimezone(SHANGHAI):%Y-%m}.xml"
    assert files[0] == f"{ORIGIN}/sitemaps/pages.xml"
    # Months in Shanghai: 2025-12-31 20:00 UTC is already January there.
    assert set(files[1:]) == {rules_month, f"{ORIGIN}/sitemaps/2026-03.xml", f"{ORIGIN}/sitemaps/2026-01.xml"}
    assert len(files) == len(set(files))
    listed = set()
    for file in files[1:]:
        listed |= {loc for loc, _ in sitemap_urls(client, file.removeprefix(ORIGIN), "urlset")}
    assert listed == {f"{ORIGIN}/articles/{a}" for a in ("forum", "rules", "old")}
    pages = {loc for loc, _ in sitemap_urls(client, "/sitemaps/pages.xml", "urlset")}
    assert pages == {f"{ORIGIN}/", *(f"{ORIGIN}/news/{c}" for c in ("news", "industry", "policy"))}
    for name in ("2025-12.xml", "2026-13.xml", "pages", "..%2Fx"):
        assert client.http.get(f"/sitemaps/{name}").status_code == 404, name


def test_the_sitemap_is_one_file_up_to_its_limit_exactly(client, site, configure):
    configure(SITEMAP_MAX_URLS="7")  # home, 3 categories, 3 articles
    assert len(sitemap_urls(client, "/sitemap.xml", "urlset")) == 7
    configure(SITEMAP_MAX_URLS="6")
    assert len(sitemap_urls(client, "/sitemap.xml", "sitemapindex")) == 4  # pages and three months


def test_each_month_file_of_the_index_says_when_its_newest_article_came(client, site, configure):
    configure(SITEMAP_MAX_URLS="5")
    make_article("late", title="月末", published_at=datetime(2026, 3, 25, 2, tzinfo=timezone.utc))  # channel news
    make_article("mid", category="policy", published_at=datetime(2026, 3, 5, 2, tzinfo=timezone.utc))
    files = dict(sitemap_urls(client, "/sitemap.xml", "sitemapindex"))
    assert files[f"{ORIGIN}/sitemaps/2026-03.xml"] == "2026-03-25T02:00:00+00:00"  # of either channel
    assert files[f"{ORIGIN}/sitemaps/2026-01.xml"] == "2025-12-31T20:00:00+00:00"
    march = dict(sitemap_urls(client, "/sitemaps/2026-03.xml", "urlset"))
    assert march == {
        f"{ORIGIN}/articles/forum": "2026-03-01T17:30:00+00:00",
        f"{ORIGIN}/articles/late": "2026-03-25T02:00:00+00:00",
        f"{ORIGIN}/articles/mid": "2026-03-05T02:00:00+00:00",
    }


def test_a_site_without_articles_yet_has_a_sitemap_of_its_pages(client, configure):
    make_categories()
    pages = {f"{ORIGIN}/", *(f"{ORIGIN}/news/{c}" for c in ("news", "industry", "policy"))}
    assert dict(sitemap_urls(client, "/sitemap.xml", "urlset")) == dict.fromkeys(pages)  # nothing changed yet
    configure(SITEMAP_MAX_URLS="2")
    assert sitemap_urls(client, "/sitemap.xml", "sitemapindex") == [(f"{ORIGIN}/sitemaps/pages.xml", None)]
    assert dict(sitemap_urls(client, "/sitemaps/pages.xml", "urlset")) == dict.fromkeys(pages)


def test_every_sitemap_declares_itself_utf8_xml_as_its_header_does(client, site, configure):
    """The protocol's files are UTF-8; a copy saved without its HTTP header still says so."""
    configure(SITEMAP_MAX_URLS="5")
    for path in ("/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/2026-03.xml"):
        response = client.http.get(path)
        declaration = response.body.split(b"?>", 1)[0].decode("ascii") + "?>"
        assert re.fullmatch(r"<\?xml version='1.0' encoding='(?i:utf-8)'\?>", declaration), (path, declaration)
        assert response.headers["Content-Type"].endswith("charset=utf-8")


@contextmanager
def items_read() -> Iterator[list[dict]]:
    """Every article DynamoDB's Query answers carry, as it sent them."""
    connection = ArticleModel._get_connection().connection.client
    items: list[dict] = []

    def record(parsed, **_):
        items.extend(item for item in parsed.get("Items", []) if "published_at" in item)  # not categories

    connection.meta.events.register("after-call.dynamodb.Query", record)
    try:
        yield items
    finally:
        connection.meta.events.unregister("after-call.dynamodb.Query", record)


def test_a_sitemap_reads_only_the_keys_of_the_articles_it_lists(client, site, configure):
    """Its cost follows its size: a month's file reads that month's articles, and of each only id and time."""
    configure(SITEMAP_MAX_URLS="5")
    with items_read() as january:
        assert len(sitemap_urls(client, "/sitemaps/2026-01.xml", "urlset")) == 1
    assert [item["id"]["S"] for item in january] == ["old"]  # not every article published since
    with items_read() as everything:
        sitemap_urls(client, "/sitemap.xml", "sitemapindex")
    assert sorted(item["id"]["S"] for item in everything) == ["forum", "old", "rules"]
    assert all(set(item) <= {"id", "published_at", "listed_channel"} for item in january + everything), everything


def test_robots_txt_points_at_the_sitemap(client):
    response = client.http.get("/robots.txt")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.body.decode().splitlines()
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in lines and "Disallow: /api/" in lines and "User-agent: *" in lines


def test_the_icon_is_shipped_or_configured(client, configure):
    response = client.http.get("/favicon.ico", headers={"Accept": "image/avif,image/webp,image/*,*/*;q=0.8"})
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/x-icon"
    assert response.body[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert response.headers["Cache-Control"] == "public, max-age=604800"
    configure(SITE_ICON_URL="https://cdn.example.test/icon.png")
    redirect = client.http.get("/favicon.ico")
    assert redirect.status_code == 302 and redirect.headers["Location"] == "https://cdn.example.test/icon.png"


def test_feeds_keep_exactly_the_characters_xml_1_0_allows():
    """Every code point against the spec's Char production: nothing XML cannot hold survives, nothing else goes."""
    allowed = [(0x9, 0x9), (0xA, 0xA), (0xD, 0xD), (0x20, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF)]
    everything = "".join(map(chr, range(0x110000)))
    expected = "".join(c for c in everything if any(low <= ord(c) <= high for low, high in allowed))
    assert xml_chars(everything) == expected


def test_an_entrys_summary_is_its_first_paragraph_cut_at_200_characters(client, auth):
    make_categories()
    make_article("long", title="长文", body=[{"type": "paragraph", "text": "协" * 500}])
    [entry] = parsed_feed(client, "/feed.xml").entries
    assert entry.summary == "协" * 199 + "…"  # SUMMARY_CHARS, the ellipsis included


def test_a_feed_reads_of_each_article_only_what_its_entry_shows(client, site):
    """The BatchGetItem for the entries' bodies is projected: no revisions, review record or search text."""
    from local.dynamodb_calls import DynamoDBRequests

    with DynamoDBRequests() as sent:
        parsed_feed(client, "/feed.xml")
    [batch] = [params for operation, params in sent.requests if operation == "BatchGetItem"]
    [request] = batch["RequestItems"].values()
    names = request.get("ExpressionAttributeNames", {})
    projected = {names.get(name.strip(), name.strip()) for name in request["ProjectionExpression"].split(",")}
    assert projected == {"id", "status", "published_at", "updated_at", "author", "body"}


def test_an_entry_edited_after_publication_is_updated_when_it_was_edited(client, clock):
    from chalicelib import article_body
    from chalicelib.editorial import get_article, replace_article

    published = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
    make_categories()
    clock(published)
    make_article("fixed", title="更正前", published_at=published)
    clock(published + timedelta(hours=2))
    body = article_body.from_json([{"type": "paragraph", "text": "更正后的正文。"}])
    version = get_article("fixed").version
    replace_article("fixed", {"title": "更正后", "category": "industry", "body": body, "version": version})
    clock(published + timedelta(days=1))
    [entry] = parsed_feed(client, "/feed.xml").entries
    assert entry.published == "2026-03-01T17:00:00+08:00"  # the site's time zone
    assert entry.updated == "2026-03-01T19:00:00+08:00" and entry.summary == "更正后的正文。"
