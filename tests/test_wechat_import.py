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


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com/news/1.html",  # another host
        "http://mp.weixin.qq.com/s/AbCdEfGh123",  # WeChat's host, not over https
        "ftp://mp.weixin.qq.com/s/AbCdEfGh123",  # no web address
        "https://mp.weixin.qq.com:99999/s/AbCdEfGh123",  # no valid port
    ],
)
def test_a_link_the_fetcher_will_not_reach_is_answered_as_no_wechat_article_link(client, auth, url):
    answer = import_link(client, auth, url)
    assert answer.status_code == 400
    assert answer.json == {"message": "not a WeChat article link", "code": "wechat_not_article", "field": "url"}
    assert list(ArticleModel.scan()) == []


TEMPORARY = "/s?src=11&timestamp=1600000000&ver=1&signature=gone"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        (TEMPORARY, 404, "wechat_expired"),
        (TEMPORARY, 403, "wechat_expired"),
        (TEMPORARY, 500, "fetch_status"),
        ("/s?timestamp=1600000000&signature=gone", 404, "wechat_expired"),  # signed, no src
        ("/s?src=3&ver=1", 403, "wechat_expired"),  # src, unsigned
        (PERMANENT, 404, "fetch_status"),
        ("/s/AbCdEfGh123", 403, "fetch_status"),
    ],
)
def test_a_temporary_link_answered_403_or_404_has_expired_other_failures_name_the_status(
    client, auth, path, status, code
):
    with wechat_site() as site:
        site.routes[path] = (status, HTML, b"<html><body>gone</body></html>")
        answer = import_link(client, auth, site.origin + path)
    assert answer.status_code == 400
    message = f"{site.origin}{path}: HTTP {status}"
    assert answer.json == {"message": message, "code": code, "field": "url", "status": status}
    assert list(ArticleModel.scan()) == []


def test_a_temporary_link_to_a_page_that_is_no_article_has_expired(client, auth):
    with wechat_site() as site:
        site.routes[TEMPORARY] = (200, HTML, "<html><body><p>城市物业管理行业协会</p></body></html>".encode())
        answer = import_link(client, auth, site.origin + TEMPORARY)
    assert answer.status_code == 400
    assert answer.json == {
        "message": "this temporary link has expired; open the article and copy its permanent link",
        "code": "wechat_expired",
        "field": "url",
    }
    assert list(ArticleModel.scan()) == []


def test_a_page_with_bytes_that_are_not_utf8_is_imported_with_a_replacement_character(client, auth):
    with wechat_site() as site:
        site.routes["/s/latin1"] = (
            200,
            HTML,
            ARTICLE_ONLY.replace("正文", "正文 caf\udce9").encode("utf-8", "surrogateescape"),
        )
        answer = import_link(client, auth, site.origin + "/s/latin1")
    assert answer.status_code == 201, answer.json
    assert answer.json["article"]["body"][0]["text"] == "正文 caf\ufffd"


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


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://mp.weixin.qq.com/s/A", "short"),  # any id after /s/, however short
        ("https://mp.weixin.qq.com/s/", "other"),  # no id
        ("https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=Mz==", "other"),  # the account's page
        ("https://mp.weixin.qq.com/mp/appmsg/show?__biz=Mz==&mid=1&idx=1&sn=ab", "permanent"),
        ("https://mp.weixin.qq.com/s?timestamp=1&signature=x", "temporary"),  # signed, nothing else
        ("https://mp.weixin.qq.com/s?src=3&ver=1", "temporary"),  # src alone
        ("https://mp.weixin.qq.com/s?timestamp=1&ver=1", "other"),  # not signed
    ],
)
def test_a_short_link_needs_an_id_and_a_temporary_one_a_signature_or_src(url, kind):
    assert wechat.link_kind(url) == kind


def test_an_unknown_category_is_refused_before_anything_is_fetched_or_stored(client, auth):
    with wechat_site() as site:
        answer = call(client, "POST", "/api/imports/wechat", {"url": site.origin + PERMANENT, "category": "nope"}, auth)
        assert answer.status_code == 400 and site.seen == []
    assert answer.json == {"message": "unknown category: nope", "code": "unknown_category", "field": "category"}
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
    content = (
        f"<p>开幕</p>{video('x0031abcdef')}<p>{marker}</p>{video('y0031abcdef')}<p>{marker}2</p>"
        f"<p>{marker}x</p><p>{marker}1 更多</p><p>闭幕</p>"
    )
    answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    assert answer.json["article"]["body"] == [
        {"type": "paragraph", "text": "开幕"},
        {"type": "video", "provider": "qq", "video_id": "x0031abcdef"},
        {"type": "video", "provider": "qq", "video_id": "y0031abcdef"},
        {"type": "paragraph", "text": "闭幕"},
    ]


HTML = {"Content-Type": "text/html; charset=utf-8"}
ARTICLE_ONLY = '<html><body><div class="rich_media_content" id="js_content"><p>正文</p></div></body></html>'


def test_a_page_that_is_no_article_nor_a_known_notice_is_refused_as_not_an_article(client, auth):
    with wechat_site() as site:
        site.routes["/s/profile"] = (200, HTML, "<html><body><p>城市物业管理行业协会</p></body></html>".encode())
        answer = import_link(client, auth, site.origin + "/s/profile")
    assert answer.status_code == 400
    assert answer.json == {"message": "not a WeChat article", "code": "wechat_not_article", "field": "url"}
    assert list(ArticleModel.scan()) == []


def test_an_article_page_without_metadata_links_to_the_address_it_was_fetched_from(client, auth):
    with wechat_site() as site:
        site.routes["/s/bare"] = (200, HTML, ARTICLE_ONLY.encode())
        answer = import_link(client, auth, site.origin + "/s/bare")
    assert answer.status_code == 201, answer.json
    article = answer.json["article"]
    assert (article["title"], article["author"], article["source"]) == ("正文", None, None)
    url = site.origin + "/s/bare"
    assert article["body"] == [
        {"type": "paragraph", "text": "正文"},
        {
            "type": "paragraph",
            "text": f"原文链接：{url}",
            "marks": [{"type": "link", "start": 5, "end": 5 + len(url), "href": url}],
        },
    ]


def test_the_meta_tags_come_before_the_script_variables_and_the_heading(client, auth):
    page = """<html><head><meta property="og:title" content="分享标题"><meta name="author" content="署名作者">
<meta property="og:url" content="http://mp.weixin.qq.com/s/ShareLink"></head><body>
<h1 class="rich_media_title" id="activity-name">页面标题</h1>
<div id="js_content"><p>正文</p></div>
<script>var msg_title = '脚本标题'.html(false); var author = "脚本作者";
var msg_link = "http://mp.weixin.qq.com/s/ScriptLink";</script></body></html>"""
    article = paste(client, auth, page).json["article"]
    assert (article["title"], article["author"]) == ("分享标题", "署名作者")
    assert article["body"][-1]["text"] == "原文链接：http://mp.weixin.qq.com/s/ShareLink"


def test_meta_tags_without_a_value_give_way_to_the_script_variables(client, auth):
    page = """<html><head><meta property="og:title"><meta name="author" content=""><meta property="og:url" content="">
</head><body><div id="js_content"><p>正文</p></div>
<script>var msg_title = '脚本标题'.html(false); var author = "脚本作者";
var msg_link = "http://mp.weixin.qq.com/s/ScriptLink";</script></body></html>"""
    article = paste(client, auth, page).json["article"]
    assert (article["title"], article["author"]) == ("脚本标题", "脚本作者")
    assert article["body"][-1]["text"] == "原文链接：http://mp.weixin.qq.com/s/ScriptLink"


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ('<h1 id="activity-name">{}</h1>', '<a id="js_name">{}</a>'),
        ('<h2 class="rich_media_title">{}</h2>', '<strong id="js_name">{}</strong>'),
        ('<div class="rich_media_title title_large">{}</div>', '<span id="js_name">{}</span>'),
    ],
)
def test_without_meta_tags_or_script_the_title_and_account_are_the_pages_heading_and_name(client, auth, heading, name):
    """Each is read to its element's end (with what it holds), and nothing after it."""
    page = (
        heading.format("协会<em>年会</em>通知")
        + "<p>导语</p>"
        + name.format("物业<em>设施</em>&amp;服务协会")
        + '<p>简介</p><div id="js_content"><p>正文</p></div>'
    )
    answer = paste(client, auth, page)
    assert answer.status_code == 201, answer.json
    assert (answer.json["article"]["title"], answer.json["article"]["source"]) == ("协会年会通知", "物业设施&服务协会")


def test_only_the_article_body_is_imported_not_what_follows_it_on_the_page(client, auth):
    page = (
        '<div class="rich_media_area_primary"><div class="rich_media_content" id="js_content">'
        "<section><p>正文</p></section></div><p>阅读原文</p><div>喜欢此内容的人还喜欢</div></div>"
    )
    assert paste(client, auth, page).json["article"]["body"] == [{"type": "paragraph", "text": "正文"}]


def test_escaped_markup_and_top_level_inline_tags_in_a_paste_come_through_as_written(client, auth):
    answer = paste(client, auth, "<h2>小标题</h2><p>写作 &lt;b&gt;粗体&lt;/b&gt; 即可</p><strong>加粗</strong>正文")
    assert answer.json["article"]["body"] == [
        {"type": "heading", "text": "小标题"},
        {"type": "paragraph", "text": "写作 <b>粗体</b> 即可"},
        {"type": "paragraph", "text": "加粗正文", "marks": [{"type": "bold", "start": 0, "end": 2}]},
    ]


def test_markup_an_xmp_shows_as_text_stays_text_its_images_and_videos_are_not_fetched(client, auth):
    """`<xmp>` shows its content as written (an association's note on how to embed its logo): the importer
    neither rewrites nor fetches what is inside it, and the words come through as the page shows them."""
    with wechat_site(photos=1) as site:
        inside = (
            f'<img data-src="{site.origin}{fx.image_path(1)}"> &amp; <iframe data-src="https://v.qq.com/x?vid=abc">'
        )
        answer = paste(client, auth, f"<p>说明：</p><xmp>{inside}</iframe></xmp><p>后文</p>")
    assert answer.status_code == 201, answer.json
    assert answer.json["article"]["body"] == [
        {"type": "paragraph", "text": "说明："},
        {"type": "paragraph", "text": f"{inside}</iframe>"},
        {"type": "paragraph", "text": "后文"},
    ]
    assert site.seen == []


def shown(body: list[dict]) -> list[dict]:
    """The body with each photo's id left out (they are new ids)."""
    return [{k: v for k, v in b.items() if k != "photo_id"} for b in body]


def test_a_photos_caption_is_the_first_centred_line_after_it_a_paragraph_section_or_span(client, auth):
    centred = 'style="text-align: center;"'
    with wechat_site() as site:
        content = (
            f"<p {centred}>协会年会<br><br>2026年12月5日</p>"  # centred, but no photo before it: text
            f'<p><img data-src="{site.origin}{fx.image_path(1)}"></p>\n<section {centred}>{fx.caption(1)}</section>'
            "<p>正文一</p>"
            f'<p><img data-src="{site.origin}{fx.image_path(2)}"></p><span {centred}>{fx.caption(2)}</span>'
            f"<p {centred}>居中正文</p>"  # a second centred line: text
            f'<p><img data-src="{site.origin}{fx.image_path(3)}"></p><p>正文二</p>'
            f"<p {centred}>居中一<br><br>居中二</p>"  # text came between: not its caption
        )
        answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    assert shown(answer.json["article"]["body"]) == [
        {"type": "paragraph", "text": "协会年会"},
        {"type": "paragraph", "text": "2026年12月5日"},
        {"type": "photo", "caption": fx.caption(1)},
        {"type": "paragraph", "text": "正文一"},
        {"type": "photo", "caption": fx.caption(2)},
        {"type": "paragraph", "text": "居中正文"},
        {"type": "photo"},  # no caption
        {"type": "paragraph", "text": "正文二"},
        {"type": "paragraph", "text": "居中一"},
        {"type": "paragraph", "text": "居中二"},
    ]


def test_an_empty_centred_line_under_a_photo_is_a_spacer_and_the_caption_is_the_line_after_it(client, auth):
    """WeChat's editor often leaves an empty centred line (a spacer) between a photo and its caption."""
    centred = 'style="text-align: center;"'
    with wechat_site() as site:
        content = (
            f'<p><img data-src="{site.origin}{fx.image_path(1)}"></p><p {centred}><br></p>'
            f"<section {centred}><span>&nbsp;</span></section><p {centred}><span>{fx.caption(1)}</span></p>"
            f'<p><img data-src="{site.origin}{fx.image_path(2)}"></p><p {centred}><br></p><p>正文</p>'
        )
        answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    assert shown(answer.json["article"]["body"]) == [
        {"type": "photo", "caption": fx.caption(1)},
        {"type": "photo"},  # a spacer, then text that is not centred: no caption
        {"type": "paragraph", "text": "正文"},
    ]


def test_a_centred_line_under_a_photo_holding_only_a_video_is_the_video_not_the_photos_caption(client, auth):
    """A centred line with no text under a photo is no caption, whatever it holds: its video stays a video."""
    preview = "https://v.qq.com/iframe/preview.html?vid="
    with wechat_site() as site:
        content = (
            f'<p><img data-src="{site.origin}{fx.image_path(1)}"></p>'
            f'<section style="text-align: center;"><iframe src="{preview}x0031abcdef"></iframe></section><p>正文</p>'
        )
        answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    assert shown(answer.json["article"]["body"]) == [
        {"type": "photo"},
        {"type": "video", "provider": "qq", "video_id": "x0031abcdef"},
        {"type": "paragraph", "text": "正文"},
    ]


def test_an_end_tag_of_no_open_element_loses_nothing_after_it(client, auth):
    """A stray end tag (a paste cut from the middle of a page, a page with a typo) is dropped, as browsers drop
    it; the paragraphs after it still come through, in a paste and inside a page's article body."""
    answer = paste(client, auth, "<p>第一段</p></div></section><p>第二段</p></span><p>第三段</p>")
    assert answer.status_code == 201, answer.json
    assert answer.json["article"]["body"] == [
        {"type": "paragraph", "text": "第一段"},
        {"type": "paragraph", "text": "第二段"},
        {"type": "paragraph", "text": "第三段"},
    ]
    page = (
        '<html><body><div id="js_content"><section><p>正文一</p></span></section><p>正文二</p></div>'
        "<p>页面底部</p></body></html>"
    )
    with wechat_site() as site:
        site.routes["/s/StrayEndTag"] = (200, HTML, page.encode())
        answer = import_link(client, auth, site.origin + "/s/StrayEndTag")
    assert answer.status_code == 201, answer.json
    assert [b["text"] for b in answer.json["article"]["body"]][:2] == ["正文一", "正文二"]
    assert "页面底部" not in str(answer.json["article"]["body"])


def test_a_photos_alt_text_comes_along_as_written_and_an_empty_one_is_none(client, auth):
    with wechat_site() as site:
        content = (
            f'<p><img data-src="{site.origin}{fx.image_path(1)}" alt="全体理事&quot;合影&quot;"></p>'
            f'<p><img data-src="{site.origin}{fx.image_path(2)}" alt=""></p>'
            f'<p><img data-src="{site.origin}{fx.image_path(3)}"></p>'
        )
        answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    assert [b.get("alt") for b in answer.json["article"]["body"]] == ['全体理事"合影"', None, None]


def test_a_protocol_relative_image_is_fetched_over_https_and_a_placeholder_alone_is_no_image(client, auth):
    content = (
        f'<p><img src="{fx.PLACEHOLDER}"></p><p style="text-align: center;">居中</p>'
        '<p><img data-src="//img.example.org/mmbiz_jpg/AbCd/640?wx_fmt=jpeg"></p>'
    )
    answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    assert answer.json["article"]["body"] == [{"type": "paragraph", "text": "居中"}]
    assert answer.json["failed_images"] == [
        {
            "position": 1,
            "src": "https://img.example.org/mmbiz_jpg/AbCd/640?wx_fmt=jpeg",
            "caption": "",
            "code": "fetch_host",
        }
    ]
    assert answer.json["dropped"] == [{"code": "style_attribute", "count": 1}]


def test_videos_are_read_from_an_iframe_an_mpvideo_or_a_video_iframe_element_and_other_frames_are_left_out(
    client, auth
):
    preview = "https://v.qq.com/iframe/preview.html?vid="
    content = (
        f'<section><iframe src="{preview}x0031abcdef"></iframe><mpvideo data-mpvid="x0032abcdef"></mpvideo>'
        f'<span class="js_video video_iframe" data-src="{preview}x0033abcdef"></span>'
        '<iframe src="https://map.example.org/embed?q=1"></iframe></section>'
    )
    answer = paste(client, auth, content)
    assert answer.status_code == 201, answer.json
    assert answer.json["article"]["body"] == [
        {"type": "video", "provider": "qq", "video_id": vid} for vid in ("x0031abcdef", "x0032abcdef", "x0033abcdef")
    ]


def test_inline_styles_and_colspans_are_kept_for_the_converter(client, auth):
    content = (
        '<p><span style="font-weight: bold; color: red;">加粗</span>正文</p>'
        '<table><tr><td colspan="2">议程</td><td>地点</td></tr>'
        "<tr><td>开幕</td><td>9:00</td><td>主会场</td></tr></table>"
    )
    answer = paste(client, auth, content)
    assert answer.json["article"]["body"] == [
        {"type": "paragraph", "text": "加粗正文", "marks": [{"type": "bold", "start": 0, "end": 2}]},
        {
            "type": "table",
            "rows": [
                [{"text": "议程"}, {"text": ""}, {"text": "地点"}],
                [{"text": "开幕"}, {"text": "9:00"}, {"text": "主会场"}],
            ],
        },
    ]
    assert answer.json["dropped"] == [{"code": "style_attribute", "count": 1}]
