"""Page heads for search engines and link previews, read with the stdlib's HTML parser."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest

from tests.api_helpers import call
from tests.site import make_article, make_categories, make_photo

ORIGIN = "http://127.0.0.1:8000"  # the local stage's SITE_URL
DESCRIPTION = "城市物业管理行业协会官方网站：协会新闻、行业动态与政策法规。"  # the site's own


class Head(HTMLParser):
    """The <head>'s meta and link tags and its JSON-LD, as a crawler reads them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self.scripts = 0
        self._in_json = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a["content"]
        elif tag == "link":
            self.links.append(a)
        elif tag == "script":
            self.scripts += "src" not in a  # inline ones: the page's own script (reader.js) is loaded by src
            self._in_json = a.get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_ld.append(data)

    def link(self, rel: str) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == rel]


def head_of(client, path: str) -> Head:
    response = client.http.get(path)
    assert response.status_code == 200, path
    return Head(response.body.decode())


@pytest.fixture
def site() -> None:
    make_categories()
    make_photo("p1")
    make_photo("cover", 800, 600)
    make_article(
        "long-read",
        title="行业高质量发展论坛召开",
        author="宣传部",
        cover_photo_id="cover",
        published_at=datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc),
        body=[
            {"type": "heading", "text": "开幕"},
            {"type": "paragraph", "text": "  第一段：大会\n隆重召开。" + "会" * 200},
            {"type": "photo", "photo_id": "p1", "caption": "协会会长致辞"},
            {"type": "photo", "photo_id": "cover", "caption": "会场"},
            {"type": "paragraph", "text": "第二段。"},
        ],
    )


def test_the_article_head(client, site):
    head = head_of(client, "/articles/long-read?utm_source=wechat&from=timeline")
    canonical = f"{ORIGIN}/articles/long-read"
    assert head.link("canonical") == [canonical]  # the query string is not part of the page
    assert head_of(client, "/articles/long-read/").link("canonical") == [canonical]  # nor a trailing slash
    description = head.meta["description"]
    assert description.startswith("第一段：大会 隆重召开。会") and description.endswith("…") and len(description) == 120
    assert head.meta["og:description"] == head.meta["twitter:description"] == description
    assert head.meta["og:title"] == head.meta["twitter:title"] == "行业高质量发展论坛召开"
    assert head.meta["og:type"] == "article" and head.meta["og:url"] == canonical
    assert head.meta["og:site_name"] == "城市物业管理行业协会" and head.meta["og:locale"] == "zh_CN"
    media = "http://127.0.0.1:4566/newsroom-local-media/renditions"
    # The cover photo first (an 800 px photo: renditions 320 and 640), at its widest rendition.
    assert head.meta["og:image"] == head.meta["twitter:image"] == f"{media}/cover/640.jpg"
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("640", "480")
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["article:published_time"] == "2026-03-02T01:30:00+08:00"
    modified = datetime.fromisoformat(head.meta["article:modified_time"])
    assert modified >= datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc)  # published later than it was edited
    assert head.link("alternate") == [f"{ORIGIN}/feed.xml"] and head.link("icon") == ["/favicon.ico"]
    assert "robots" not in head.meta and head.scripts == 1
    (data,) = [json.loads(text) for text in head.json_ld]
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "行业高质量发展论坛召开" and data["mainEntityOfPage"] == data["url"] == canonical
    assert data["description"] == description and data["inLanguage"] == "zh-CN"
    assert '"headline":"行业高质量发展论坛召开"' in head.json_ld[0]  # as written, no padding: half the bytes
    assert data["datePublished"] == "2026-03-02T01:30:00+08:00"
    assert data["dateModified"] == head.meta["article:modified_time"]
    assert data["image"] == [f"{media}/cover/640.jpg", f"{media}/p1/1024.jpg"]  # 1024: the widest up to 1200
    assert data["author"] == [{"@type": "Person", "name": "宣传部"}]
    assert data["publisher"] == {"@type": "Organization", "name": "城市物业管理行业协会", "url": f"{ORIGIN}/"}


def test_an_article_without_photos_or_author(client, site):
    make_article("plain", title="通知", body=[{"type": "heading", "text": "只有标题"}])
    head = head_of(client, "/articles/plain")
    assert head.meta["twitter:card"] == "summary" and "og:image" not in head.meta
    assert head.meta["description"].startswith("城市物业管理行业协会官方网站")  # no paragraph: the site's
    (data,) = [json.loads(text) for text in head.json_ld]
    assert data["image"] == [] and data["author"] == [data["publisher"]]


def test_an_article_edited_after_it_went_out_is_dated_modified_when_it_was_edited(client, site, clock):
    """Search engines show the edit's date: an article published on 2 March and edited on 5 March."""
    clock(datetime(2026, 3, 5, 2, 0, tzinfo=timezone.utc))
    make_article("edited", published_at=datetime(2026, 3, 2, 1, 30, tzinfo=timezone.utc))
    head = head_of(client, "/articles/edited")
    assert head.meta["article:published_time"] == "2026-03-02T09:30:00+08:00"
    assert head.meta["article:modified_time"] == "2026-03-05T10:00:00+08:00"
    (data,) = [json.loads(text) for text in head.json_ld]
    assert (data["datePublished"], data["dateModified"]) == ("2026-03-02T09:30:00+08:00", "2026-03-05T10:00:00+08:00")


def test_json_ld_holds_the_whole_text_of_a_notice_and_cuts_a_long_page_at_5000_characters(client, site):
    """articleBody is the article's text, not the 120-character description; only a very long page is cut."""
    notice = "关于召开年度会员大会的通知。" * 30  # 420 characters
    make_article("notice", body=[{"type": "paragraph", "text": notice}, {"type": "paragraph", "text": "秘书处"}])
    make_article("long", body=[{"type": "paragraph", "text": "长" * 6_000}])
    (data,) = [json.loads(text) for text in head_of(client, "/articles/notice").json_ld]
    assert data["articleBody"] == notice + "\n秘书处"
    (data,) = [json.loads(text) for text in head_of(client, "/articles/long").json_ld]
    assert data["articleBody"] == "长" * 4_999 + "…"


def test_home_and_category_heads(client, site):
    home = head_of(client, "/?utm_campaign=x")
    assert home.link("canonical") == [f"{ORIGIN}/"] and home.meta["og:type"] == "website"
    assert home.meta["description"] == DESCRIPTION
    (website,) = [json.loads(text) for text in home.json_ld]
    assert website == {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "城市物业管理行业协会",
        "url": f"{ORIGIN}/",
        "description": DESCRIPTION,
        "inLanguage": "zh-CN",
    }
    assert home.meta["og:title"] == home.meta["twitter:title"] == "城市物业管理行业协会"  # the site's name alone
    news = head_of(client, "/news/news?utm_source=a")
    assert news.link("canonical") == [f"{ORIGIN}/news/news"] and news.link("prev") == news.link("next") == []
    assert head_of(client, "/news/news/").link("canonical") == [f"{ORIGIN}/news/news"]
    assert news.meta["og:title"] == "新闻中心 - 城市物业管理行业协会"
    description = f"新闻中心 - {DESCRIPTION}"  # the category's name before the site's description
    assert news.meta["description"] == news.meta["og:description"] == news.meta["twitter:description"] == description
    assert news.link("alternate") == [f"{ORIGIN}/feed.xml", f"{ORIGIN}/news/news/feed.xml"]
    assert news.json_ld == []


def test_category_pages_link_prev_and_next_and_keep_their_cursor_canonical(client, configure_page_size):
    make_categories()
    for day in range(1, 4):
        make_article(f"a{day}", published_at=datetime(2026, 1, day, tzinfo=timezone.utc))
    first = head_of(client, "/news/industry")
    (next_url,) = first.link("next")
    assert next_url.startswith(f"{ORIGIN}/news/industry?cursor=") and first.link("prev") == []
    second = head_of(client, next_url.removeprefix(ORIGIN) + "&utm_source=x")
    assert second.link("canonical") == [next_url]  # its own page, the tracking parameter dropped
    assert second.link("prev") == [f"{ORIGIN}/news/industry"]  # the second page's previous is the first


def test_topic_and_links_heads(client, site, auth):
    intro = "第五届会员大会暨行业博览会的全部报道。" + "会" * 120
    call(client, "PUT", "/api/topics/expo", {"title": "博览会", "intro": intro, "articles": []}, auth)
    topic = head_of(client, "/topics/expo?utm_source=wechat")
    assert topic.link("canonical") == [f"{ORIGIN}/topics/expo"] and topic.meta["og:url"] == f"{ORIGIN}/topics/expo"
    assert topic.meta["og:title"] == topic.meta["twitter:title"] == "博览会 - 城市物业管理行业协会"
    assert topic.meta["description"] == topic.meta["og:description"] == intro[:120]  # its intro's first 120
    assert "robots" not in topic.meta and topic.meta["og:type"] == "website"
    call(client, "PUT", "/api/topics/brief", {"title": "简报", "articles": []}, auth)
    assert head_of(client, "/topics/brief").meta["description"] == DESCRIPTION  # no intro: the site's
    links = head_of(client, "/links")
    assert links.link("canonical") == [f"{ORIGIN}/links"] and links.meta["og:url"] == f"{ORIGIN}/links"
    assert links.meta["og:title"] == "友情链接 - 城市物业管理行业协会" and links.meta["description"] == DESCRIPTION
    assert "robots" not in links.meta


@pytest.fixture
def configure_page_size(configure):
    configure(PAGE_SIZE="1")


def test_nothing_an_editor_writes_escapes_its_place(client, site):
    title = "</script><script>alert(1)</script> \"引号\" & '单' <b>"
    make_article("hostile", title=title, author="</script>", body=[{"type": "paragraph", "text": title}])
    page = client.http.get("/articles/hostile").body.decode()
    head = Head(page)
    assert head.scripts == 1  # the title opened no script element of its own
    assert "<script>alert" not in page and "</script><script>" not in page
    assert head.meta["og:title"] == title and head.meta["description"] == title
    (data,) = [json.loads(text) for text in head.json_ld]
    assert data["headline"] == title and data["author"] == [{"@type": "Person", "name": "</script>"}]
    (raw,) = head.json_ld
    assert "<" not in raw and ">" not in raw and "&" not in raw


def test_error_and_login_pages_are_not_indexed(client, site):
    for path, status in [("/articles/nope", 404), ("/admin", 200)]:
        response = client.http.get(path)
        assert response.status_code == status
        head = Head(response.body.decode())
        assert head.meta["robots"] == "noindex" and head.link("canonical") == [] and head.json_ld == []


def test_the_preview_image_is_the_widest_rendition_up_to_1200_with_the_photos_words(client, site):
    from chalicelib.imaging import rendition_widths
    from chalicelib.models import PhotoModel

    make_photo("wide", 1200, 900)  # as the pipeline leaves it: renditions 320, 640, 1024 and 1200 itself
    PhotoModel.get("wide").update(
        actions=[
            PhotoModel.renditions.set(
                [{"width": w, "height": w * 3 // 4, "format": "jpeg", "url": "u"} for w in rendition_widths(1200)]
            )
        ]
    )
    make_photo("bare", 640, 480)
    media = "http://127.0.0.1:4566/newsroom-local-media/renditions"
    photo = {"type": "photo", "photo_id": "wide", "caption": "会场全景", "alt": "主席台与座席"}
    make_article("wide", body=[photo])
    head = head_of(client, "/articles/wide")
    assert head.meta["og:image"] == f"{media}/wide/1200.jpg"  # 1200 itself is not too wide
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "900")
    assert head.meta["og:image:alt"] == "主席台与座席"  # the alt text, not the caption
    assert head_of(client, "/articles/long-read").meta["og:image:alt"] == "会场"  # no alt: the caption
    make_article("bare", body=[{"type": "photo", "photo_id": "bare"}])
    bare = head_of(client, "/articles/bare")
    assert bare.meta["og:image"] == f"{media}/bare/640.jpg" and "og:image:alt" not in bare.meta  # no words: none


@pytest.mark.parametrize(("language", "locale"), [("zh-CN", "zh_CN"), ("en", "en_US"), ("zh-TW", "zh_TW")])
def test_the_open_graph_locale_follows_the_sites_language(client, configure, language, locale):
    """A language the labels do not have (zh-TW, set by ops) still names its own locale to link previews."""
    configure(SITE_LANGUAGE=language)
    assert head_of(client, "/").meta["og:locale"] == locale
