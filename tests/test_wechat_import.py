"""WeChat import, by link and by paste, against a fixture server in the real page's structure."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from chalicelib import wechat
from chalicelib.models import ArticleModel, PhotoModel
from tests import wechat_fixtures as fx
from tests.api_helpers import call
from tests.fixture_server import FixtureServer, loopback_allowed, serving

PERMANENT = "/s?__biz=MzA5NjAxMjM0NQ==&mid=2650000001&idx=1&sn=abc123"


@contextmanager
def wechat_site(photos: int = 3, missing: tuple[int, ...] = ()) -> Iterator[FixtureServer]:
    """mp.weixin.qq.com and mmbiz.qpic.cn, both played by one fixture server the fetcher is allowed to reach."""
    with serving() as server, loopback_allowed(server.pair):
        server.routes.update(fx.routes(server.origin, photos, missing))
        yield server


def import_link(client, auth, url: str):
    return call(client, "POST", "/api/imports/wechat", {"url": url, "category": "industry"}, auth)


def test_an_article_by_link_becomes_a_draft_with_localised_captioned_photos_a_video_and_its_links(client, auth):
    with wechat_site() as site:
        answer = import_link(client, auth, site.origin + PERMANENT)
    assert answer.status_code == 201, answer.json
    data = answer.json
    article = data["article"]
    assert (article["title"], article["author"], article["source"]) == (fx.TITLE, fx.AUTHOR, fx.ACCOUNT)
    assert article["status"] == "draft" and data["link_kind"] == "permanent" and data["failed_images"] == []
    assert data["original_published_at"] == "2026-12-05T02:00:00+00:00"
    body = article["body"]
    photos = [b for b in body if b["type"] == "photo"]
    assert [p["caption"] for p in photos] == [fx.caption(n) for n in (1, 2, 3)]
    assert len({p["photo_id"] for p in photos}) == 3
    assert all(PhotoModel.get(p["photo_id"]).status == "pending" for p in photos)  # the processor's turn
    texts = [b.get("text", "") for b in body]
    assert texts[0] == "第1段：12月5日，协会召开年度会员大会，全体理事出席。\n会议审议了工作报告。"
    assert body[0]["marks"] == [{"type": "bold", "start": 21, "end": 25}]
    assert {"type": "video", "provider": "qq", "video_id": fx.VID} in body
    assert any(b["type"] == "table" for b in body)
    last = body[-1]
    assert last["text"].startswith("原文链接：https://www.example.org/notice/2026-12.html\nhttp://mp.weixin.qq.com/s?")
    assert [m["href"] for m in last["marks"]][0] == "https://www.example.org/notice/2026-12.html"
    assert not any("mmbiz" in str(b) or "127.0.0.1" in str(b) for b in body[:-1])  # nothing hotlinked
    images_fetched = [headers for path, headers in site.seen if path.startswith("/mmbiz_jpg/")]
    assert len(images_fetched) == 3 and not any("referer" in h for h in images_fetched)


def test_a_photo_that_cannot_be_fetched_is_named_and_the_article_still_imported(client, auth):
    with wechat_site(missing=(2,)) as site:
        answer = import_link(client, auth, site.origin + "/s/AbCdEfGh123")
    assert answer.status_code == 201 and answer.json["link_kind"] == "short"
    failed = answer.json["failed_images"]
    assert len(failed) == 1 and failed[0]["code"] == "fetch_status" and failed[0]["caption"] == fx.caption(2)
    assert failed[0]["src"].endswith(fx.image_path(2)) and failed[0]["position"] == 3
    body = answer.json["article"]["body"]
    assert [b["caption"] for b in body if b["type"] == "photo"] == [fx.caption(1), fx.caption(3)]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/s/deleted", "wechat_deleted"),
        ("/s/captcha", "wechat_verification"),
        ("/s?src=11&timestamp=1700000000&ver=1&signature=abc", "wechat_expired"),
        ("/nothing-here", "fetch_status"),
    ],
)
def test_pages_that_are_not_articles_get_clear_answers_and_nothing_is_stored(client, auth, path, code):
    with wechat_site() as site:
        answer = import_link(client, auth, site.origin + path)
    assert answer.status_code == 400 and answer.json["code"] == code and answer.json["field"] == "url"
    assert list(ArticleModel.scan()) == []


def test_a_link_that_is_not_wechat_is_refused_before_any_fetch(client, auth):
    with serving() as elsewhere:
        answer = import_link(client, auth, elsewhere.origin + PERMANENT)  # loopback, not listed
        other = import_link(client, auth, "https://www.example.com/news/1.html")
    assert (answer.json["code"], other.json["code"]) == ("wechat_not_article", "wechat_not_article")
    assert elsewhere.seen == []


def test_pasted_content_is_converted_and_its_images_localised_the_same_way(client, auth):
    with wechat_site() as site:
        page = fx.article_page(site.origin)
        content = page[page.index('<div class="rich_media_content') : page.index("<script")]
        answer = call(client, "POST", "/api/imports/wechat", {"html": content, "category": "industry"}, auth)
    assert answer.status_code == 201, answer.json
    body = answer.json["article"]["body"]
    assert [b["caption"] for b in body if b["type"] == "photo"] == [fx.caption(n) for n in (1, 2, 3)]
    assert (
        answer.json["article"]["title"] == "第1段：12月5日，协会召开年度会员大会，全体理事出席。"
    )  # no title: the first line
    assert answer.json["link_kind"] is None
    again = call(
        client, "POST", "/api/imports/wechat", {"html": content, "category": "industry", "title": "通知"}, auth
    )
    assert again.json["article"]["title"] == "通知" and len(list(PhotoModel.scan())) == 3 + 1  # + photo1; same content


def test_link_kinds_are_told_apart():
    assert wechat.link_kind("https://mp.weixin.qq.com/s?__biz=Mz==&mid=1&idx=1&sn=ab&chksm=x#rd") == "permanent"
    assert wechat.link_kind("https://mp.weixin.qq.com/s/AbCdEfGh123") == "short"
    assert wechat.link_kind("https://mp.weixin.qq.com/s?src=11&timestamp=1&ver=1&signature=x") == "temporary"
    assert wechat.link_kind("https://mp.weixin.qq.com/") == "other"


def test_an_unknown_category_is_refused_before_anything_is_fetched_or_stored(client, auth):
    with wechat_site() as site:
        answer = call(client, "POST", "/api/imports/wechat", {"url": site.origin + PERMANENT, "category": "nope"}, auth)
        assert answer.status_code == 400 and answer.json["field"] == "category" and site.seen == []
    assert [p.photo_id for p in PhotoModel.scan()] == ["photo1"]


def test_pasted_self_closing_tags_and_character_references_come_through_as_written(client, auth):
    """Editors' copies hold XHTML-style `<img ... />`, `<br/>` and `<strong/>`, numeric and named references."""
    with wechat_site(photos=1) as site:
        content = (
            "<section><p>&#20013;&#x56FD;物业&amp;管理&lt;协会&gt;<strong/>年会</p>"
            f'<p style="text-align: center;"><img data-src="{site.origin}{fx.image_path(1)}" src="{fx.PLACEHOLDER}" />'
            f'</p><p style="text-align: center;"><span>{fx.caption(1)}</span></p>'
            "<p>第一行<br/>第二行</p></section>"
        )
        answer = call(client, "POST", "/api/imports/wechat", {"html": content, "category": "industry"}, auth)
    assert answer.status_code == 201, answer.json
    body = answer.json["article"]["body"]
    assert body[0] == {"type": "paragraph", "text": "中国物业&管理<协会>年会"}  # `<strong/>` holds nothing
    assert body[1]["type"] == "photo" and body[1]["caption"] == fx.caption(1)
    assert body[2] == {"type": "paragraph", "text": "第一行\n第二行"}
    assert [path for path, _ in site.seen] == [fx.image_path(1)]


def paste(client, auth, content: str, **fields):
    return call(client, "POST", "/api/imports/wechat", {"html": content, "category": "industry", **fields}, auth)


def test_a_pasted_page_source_gives_its_script_variables_unescaped_and_its_links_made_absolute(client, auth):
    """Without <meta> tags, the title, account and link come from the page's script, JavaScript-escaped
    (`\\x3c`, `\\x3E`, `\\x26amp;`, `\\/`) as WeChat writes them; relative links resolve against that link."""
    page = r"""<html><head><meta charset="utf-8"></head><body>
<div id="js_content"><p>详见<a href="/s/AbCdEfGh123">上一篇</a>。</p></div>
<script>
var nickname = htmlDecode("物业\x26amp;设施协会");
var msg_title = '协会\x3c年会\x3E\x26quot;通知\x26quot;'.html(false);
var msg_link = "http:\/\/mp.weixin.qq.com\/s?__biz=MzA5Nj==\x26amp;mid=265\x26amp;idx=1\x26amp;sn=abc123#rd";
</script></body></html>"""
    answer = paste(client, auth, page)
    assert answer.status_code == 201, answer.json
    article = answer.json["article"]
    assert (article["title"], article["source"]) == ('协会<年会>"通知"', "物业&设施协会")
    link = "http://mp.weixin.qq.com/s?__biz=MzA5Nj==&mid=265&idx=1&sn=abc123#rd"
    first, last = article["body"][0], article["body"][-1]
    assert first["text"] == "详见上一篇。"
    assert first.get("marks") == [
        {"type": "link", "start": 2, "end": 5, "href": "http://mp.weixin.qq.com/s/AbCdEfGh123"}
    ]
    assert last == {
        "type": "paragraph",
        "text": f"原文链接：{link}",
        "marks": [{"type": "link", "start": 5, "end": 5 + len(link), "href": link}],
    }


def test_a_paste_without_a_title_is_named_by_its_first_line_else_a_word_for_an_account_article(client, auth):
    first_line = paste(client, auth, "<p>2026 年会 通知<br>第二行</p>")
    assert first_line.status_code == 201 and first_line.json["article"]["title"] == "2026 年会 通知"
    video = '<iframe class="video_iframe" data-src="https://v.qq.com/iframe/preview.html?vid=x0031abcdef"></iframe>'
    untitled = paste(client, auth, f"<section>{video}</section>")  # no line of text to name it by
    assert untitled.status_code == 201, untitled.json
    assert untitled.json["article"]["title"] == "公众号文章"
    assert untitled.json["article"]["body"] == [{"type": "video", "provider": "qq", "video_id": "x0031abcdef"}]


def test_images_are_fetched_a_few_at_a_time(client, auth):
    """Eight photos are fetched in parallel, but never more than four at once from WeChat's image host."""

    class Held(dict):
        """The answers, each held back a moment so that fetches overlap; the most at once is kept in `peak`."""

        def __init__(self, answers):
            super().__init__(answers)
            self.lock, self.active, self.peak = threading.Lock(), 0, 0

        def get(self, path, default=None):
            with self.lock:
                self.active += 1
                self.peak = max(self.peak, self.active)
            time.sleep(0.3)
            with self.lock:
                self.active -= 1
            return super().get(path, default)

    with wechat_site(photos=8) as site:
        site.routes = Held(site.routes)
        answer = import_link(client, auth, site.origin + PERMANENT)
    assert answer.status_code == 201, answer.json
    assert len([b for b in answer.json["article"]["body"] if b["type"] == "photo"]) == 8
    assert 1 < site.routes.peak <= 4


def image(site: FixtureServer, n: int, alt: str | None = None) -> str:
    alt_attribute = "" if alt is None else f' alt="{alt}"'
    return f'<p><img data-src="{site.origin}{fx.image_path(n)}" src="{fx.PLACEHOLDER}"{alt_attribute}></p>'


def caption_line(text: str) -> str:
    return f'<p style="text-align: center;"><span>{text}</span></p>'


def without_ids(body: list[dict]) -> list[dict]:
    return [{k: v for k, v in block.items() if k != "photo_id"} for block in body]


def test_a_photos_alt_text_is_kept_when_it_says_something_its_caption_does_not(client, auth):
    with wechat_site(photos=5) as site:
        content = (
            image(site, 1, alt="主席台全景")
            + caption_line(fx.caption(1))
            + "<p>第一段</p>"
            + image(site, 2, alt=fx.caption(2))  # the caption again: nothing more to say
            + caption_line(fx.caption(2))
            + image(site, 3, alt="甲" * 1000)  # the longest a photo's alt may be
            + image(site, 4, alt="乙" * 1001)  # too long for an alt: left out rather than refused
            + image(site, 5)
        )
        answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    assert without_ids(answer.json["article"]["body"]) == [
        {"type": "photo", "caption": fx.caption(1), "alt": "主席台全景"},
        {"type": "paragraph", "text": "第一段"},
        {"type": "photo", "caption": fx.caption(2)},
        {"type": "photo", "alt": "甲" * 1000},
        {"type": "photo"},
        {"type": "photo"},
    ]


def test_a_long_centred_line_under_a_photo_is_text_not_its_caption(client, auth):
    with wechat_site(photos=2) as site:
        content = image(site, 1) + caption_line("说" * 60) + image(site, 2) + caption_line("明" * 61)
        answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    assert without_ids(answer.json["article"]["body"]) == [
        {"type": "photo", "caption": "说" * 60},
        {"type": "photo"},
        {"type": "paragraph", "text": "明" * 61},
    ]


def test_a_localised_photo_is_named_by_its_address_and_its_type(client, auth):
    """WeChat's image addresses end in a number: the photo's name takes `wx_fmt`, else the image's own type."""
    with wechat_site(photos=1) as site:
        site.routes["/mmbiz_png/AbCd009/0"] = (200, {"Content-Type": "image/png"}, fx.photo_bytes(9))  # a JPEG
        content = image(site, 1) + f'<p><img data-src="{site.origin}/mmbiz_png/AbCd009/0"></p>'
        answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    photo_ids = [b["photo_id"] for b in answer.json["article"]["body"]]
    names = [call(client, "GET", f"/api/photos/{photo_id}", headers=auth).json["filename"] for photo_id in photo_ids]
    assert names == ["640.jpeg", "0.jpg"]


def test_a_linked_page_without_its_own_link_ends_with_the_address_it_was_imported_from(client, auth):
    page = b'<html><body><div id="js_content"><p>\xe6\xad\xa3\xe6\x96\x87\xe3\x80\x82</p></div></body></html>'
    with wechat_site() as site:
        site.routes["/s/NoLinkHere"] = (200, {"Content-Type": "text/html; charset=utf-8"}, page)
        url = site.origin + "/s/NoLinkHere"
        answer = import_link(client, auth, url)
    assert answer.status_code == 201, answer.json
    assert answer.json["article"]["body"] == [
        {"type": "paragraph", "text": "正文。"},
        {
            "type": "paragraph",
            "text": f"原文链接：{url}",
            "marks": [{"type": "link", "start": 5, "end": 5 + len(url), "href": url}],
        },
    ]


def test_content_with_nothing_to_import_is_refused_and_nothing_is_stored(client, auth):
    answer = paste(client, auth, "<p><br></p>")
    assert answer.status_code == 400
    assert (answer.json["code"], answer.json["field"]) == ("wechat_empty", "html")
    assert answer.json["message"] == "the article has no content that could be imported"
    assert list(ArticleModel.scan()) == []


def test_an_overlong_author_and_account_are_cut_to_what_an_article_holds(client, auth):
    page = f"""<html><head><meta name="author" content="{"作" * 250}"></head><body>
<div id="js_content"><p>正文<script>alert(1)</script></p></div>
<script>var nickname = htmlDecode("{"号" * 250}");</script></body></html>"""
    answer = paste(client, auth, page)
    assert answer.status_code == 201, answer.json
    article = answer.json["article"]
    assert (article["author"], article["source"]) == ("作" * 200, "号" * 200)
    assert answer.json["dropped"] == [{"code": "script", "count": 1}]  # the body's script (the page's is not read)


def test_marker_text_in_a_paste_is_not_taken_for_a_video(client, auth):
    """The importer marks each video with an invisible separator and an index; pasted text that holds the same
    characters (with no index, one past the article's videos, or not a number) is left out, not made a video or
    an error."""

    def video(vid: str) -> str:
        return f'<iframe class="video_iframe" data-src="https://v.qq.com/iframe/preview.html?vid={vid}"></iframe>'

    marker = wechat.VIDEO_MARKER
    content = f"<p>开幕</p>{video('x0031abcdef')}<p>{marker}</p>{video('y0031abcdef')}<p>{marker}2</p><p>{marker}x</p><p>{marker}1 更多</p><p>闭幕</p>"
    answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    assert answer.json["article"]["body"] == [
        {"type": "paragraph", "text": "开幕"},
        {"type": "video", "provider": "qq", "video_id": "x0031abcdef"},
        {"type": "video", "provider": "qq", "video_id": "y0031abcdef"},
        {"type": "paragraph", "text": "闭幕"},
    ]
