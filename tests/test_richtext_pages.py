"""Rich text where readers meet it: the article page, its head, the Atom feed and search; hostile text stays inert."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from chalicelib.richtext.links import link_problem
from chalicelib.search import pending
from tests.security.xss_payloads import PAYLOADS
from tests.site import make_article, make_categories, make_photo

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "http://127.0.0.1:8000"  # the test stage's SITE_URL (.chalice/config.json), set while a request runs
NOTICE = [
    {
        "type": "paragraph",
        "text": "请于12月1日前报名，详见通知，或来信。",
        "marks": [
            {"type": "bold", "start": 2, "end": 8},
            {"type": "italic", "start": 5, "end": 8},
            {"type": "link", "start": 13, "end": 15, "href": "https://www.miit.gov.cn/n1/a.html?x=1&y=2"},
            {"type": "link", "start": 17, "end": 19, "href": "mailto:hui@example.org"},
        ],
    },
    {
        "type": "paragraph",
        "text": "本站链接\n第二行",
        "marks": [{"type": "link", "start": 0, "end": 4, "href": f"{SITE}/news/industry"}],
    },
    {
        "type": "list",
        "ordered": True,
        "items": [{"text": "报到签到", "items": [{"text": "领取胸卡"}]}, {"text": "大会开幕"}],
    },
    {
        "type": "table",
        "header": True,
        "rows": [
            [{"text": "时间"}, {"text": "议程"}],
            [{"text": "九点"}, {"text": "分组讨论会", "marks": [{"type": "underline", "start": 0, "end": 2}]}],
        ],
    },
    {"type": "quote", "text": "服务会员"},
]


@pytest.fixture(autouse=True)
def categories():
    make_categories()


class Tags(HTMLParser):
    """Every start tag of a page's article body, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def body_of(page: str) -> str:
    return page.split('<div class="body">', 1)[1].split('<p class="print-only"', 1)[0]


def tags_in(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_the_article_page_shows_marks_links_lists_the_table_and_the_quote(client):
    make_article("notice", body=NOTICE)
    page = client.http.get("/articles/notice").body.decode()
    assert f'<link rel="canonical" href="{SITE}/articles/notice">' in page
    body = body_of(page)
    assert "<p>请于<strong>12月</strong><strong><em>1日前</em></strong>报名" in body
    assert (
        '<a href="https://www.miit.gov.cn/n1/a.html?x=1&amp;y=2" title="https://www.miit.gov.cn/n1/a.html?x=1&amp;y=2"'
        ' rel="noopener">通知</a>' in body
    )
    assert '<a href="mailto:hui@example.org" title="mailto:hui@example.org" rel="noopener">来信</a>' in body
    assert (
        f'<a href="{SITE}/news/industry" title="{SITE}/news/industry">本站链接</a><br>第二行' in body  # no rel
    )
    assert "<ol><li>报到签到<ol><li>领取胸卡</li></ol></li><li>大会开幕</li></ol>" in body
    assert '<div class="table-scroll" role="region" tabindex="0" aria-label="表格（可左右滑动）"><table>' in body
    assert '<thead><tr><th scope="col">时间</th><th scope="col">议程</th></tr></thead>' in body
    assert "<tbody><tr><td>九点</td><td><u>分组</u>讨论会</td></tr></tbody>" in body
    assert "<blockquote><p>服务会员</p></blockquote>" in body


def test_a_table_without_a_header_row_shows_every_row_as_body_cells(client):
    rows = [[{"text": "会员单位"}, {"text": "120家"}], [{"text": "理事单位"}, {"text": "35家"}]]
    make_article("figures", body=[{"type": "table", "header": False, "rows": rows}])
    body = body_of(client.http.get("/articles/figures").body.decode())
    assert (
        "<table><tbody><tr><td>会员单位</td><td>120家</td></tr><tr><td>理事单位</td><td>35家</td></tr></tbody></table>"
        in body
    )
    assert "<thead>" not in body and "<th" not in body


def test_a_link_to_the_sites_own_host_in_any_case_is_no_external_link(client, configure):
    """Host names are case-insensitive: an editor's link typed with capitals still stays on the site."""
    configure(SITE_URL="https://news.example.org")
    text = "本站首页与另一站"
    marks = [
        {"type": "link", "start": 0, "end": 4, "href": "https://News.Example.ORG/"},
        {"type": "link", "start": 5, "end": 8, "href": "https://example.org/"},
    ]
    make_article("own-host", body=[{"type": "paragraph", "text": text, "marks": marks}])
    body = body_of(client.http.get("/articles/own-host").body.decode())
    assert '<a href="https://News.Example.ORG/" title="https://News.Example.ORG/">本站首页</a>' in body  # no rel
    assert '<a href="https://example.org/" title="https://example.org/" rel="noopener">另一站</a>' in body


def test_excerpts_open_graph_and_json_ld_are_plain_text(client):
    make_article("notice", body=NOTICE)
    page = client.http.get("/articles/notice").body.decode()
    description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert description == "请于12月1日前报名，详见通知，或来信。"
    assert re.search(r'<meta property="og:description" content="请于12月1日前报名，详见通知，或来信。"', page)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["articleBody"] == (
        "请于12月1日前报名，详见通知，或来信。\n本站链接\n第二行\n报到签到\n领取胸卡\n大会开幕\n时间\t议程\n九点\t分组讨论会\n服务会员"
    )


def test_the_feed_carries_the_body_as_escaped_html(client):
    make_article("notice", body=NOTICE)
    feed = ET.fromstring(client.http.get("/feed.xml").body)
    content = feed.find(f"{ATOM}entry/{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert "<strong>12月</strong>" in content.text and "<ol><li>报到签到" in content.text
    assert '<th scope="col">时间</th>' in content.text
    assert feed.find(f"{ATOM}entry/{ATOM}summary").text == "请于12月1日前报名，详见通知，或来信。"


def test_an_english_sites_feed_words_its_tables_in_english_and_leaves_photos_out(client, configure):
    configure(SITE_LANGUAGE="en")
    make_categories()
    make_photo("p1")
    body = [
        {"type": "photo", "photo_id": "p1", "caption": "The meeting"},
        {"type": "table", "header": True, "rows": [[{"text": "Time"}], [{"text": "Nine"}]]},
        {"type": "photo", "photo_id": "p1", "caption": "The hall"},
        {"type": "paragraph", "text": "Welcome."},
    ]
    make_article("meeting", title="Annual meeting", body=body)
    feed = ET.fromstring(client.http.get("/feed.xml").body)
    content = feed.find(f"{ATOM}entry/{ATOM}content")
    assert content is not None and content.text == (
        '<div class="table-scroll" role="region" tabindex="0" aria-label="Table (scrolls sideways)"><table>'
        '<thead><tr><th scope="col">Time</th></tr></thead><tbody><tr><td>Nine</td></tr></tbody></table></div>'
        "<p>Welcome.</p>"
    )


@pytest.mark.parametrize("words", ["领取胸卡", "分组讨论"])
def test_search_finds_the_text_of_list_items_and_table_cells(client, words):
    make_article("notice", body=NOTICE)
    pending.fold()  # the scheduled writer's run
    page = client.http.get(f"/search?q={quote(words)}").body.decode()
    assert re.findall(r'<h2[^>]*><a href="/articles/([^"]+)"', page) == ["notice"]


def hostile_body(payload: str) -> list[dict]:
    return [
        {"type": "paragraph", "text": payload, "marks": [{"type": "bold", "start": 0, "end": len(payload)}]},
        {
            "type": "paragraph",
            "text": "链接",
            "marks": [{"type": "link", "start": 0, "end": 2, "href": f"https://a.cn/?q={payload}"}],
        },
        {"type": "list", "items": [{"text": payload}]},
        {
            "type": "table",
            "header": True,
            "rows": [[{"text": payload}], [{"text": payload, "marks": [{"type": "italic", "start": 0, "end": 1}]}]],
        },
        {"type": "quote", "text": payload},
    ]


ALLOWED = {
    "p",
    "strong",
    "em",
    "u",
    "a",
    "br",
    "ol",
    "ul",
    "li",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "h2",
}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_stays_inert_on_the_page_in_the_feed_and_in_search(client, payload):
    href = f"https://a.cn/?q={payload}"
    if link_problem(href):
        href = "https://a.cn/"
    body = hostile_body(payload)
    body[1]["marks"][0]["href"] = href
    make_article("hostile", title="标题", body=body)
    page_body = body_of(client.http.get("/articles/hostile").body.decode())
    feed = ET.fromstring(client.http.get("/feed.xml").body)
    content = feed.find(f"{ATOM}entry/{ATOM}content").text
    for html in (page_body, content):
        for tag, attrs in tags_in(html):
            assert tag in ALLOWED, (tag, html)
            assert not any(name.startswith("on") or name == "style" for name in attrs), attrs
            assert tag != "a" or link_problem(attrs["href"]) is None
    pending.fold()
    search = client.http.get(f"/search?q={quote('链接')}").body.decode()
    assert "/articles/hostile" in search
    for tag, attrs in tags_in(search):
        assert tag not in ("img", "svg", "iframe") and not any(name.startswith("on") for name in attrs)
        assert tag != "script" or attrs.get("src") == "/assets/reader.js"
