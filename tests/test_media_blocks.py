"""Attachment and video blocks: checked by the API, shown to readers, the CSP naming exactly the players."""

from __future__ import annotations

import re

import pytest

from tests.api_helpers import call
from tests.site import make_article

ARTICLE = {"title": "关于召开2026年会员大会的通知", "category": "industry"}
ATTACHMENT = {"type": "attachment", "attachment_id": "abc123", "filename": "报名表<b>.docx", "size": 34_567}


@pytest.mark.parametrize(
    ("url", "provider", "video_id"),
    [
        ("https://v.qq.com/x/cover/mzc00200abc/x0031abcdef.html", "qq", "x0031abcdef"),
        ("https://v.qq.com/x/page/x0031abcdef.html", "qq", "x0031abcdef"),
        ("https://v.qq.com/txp/iframe/player.html?vid=x0031abcdef", "qq", "x0031abcdef"),
        ("https://www.bilibili.com/video/BV1xx411c7mD/?spm_id_from=333", "bilibili", "BV1xx411c7mD"),
        ("https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&page=1", "bilibili", "BV1xx411c7mD"),
        ("http://v.qq.com/x/page/x0031abcdef.html", "qq", "x0031abcdef"),  # an old plain-http link
        ("https://v.qq.com/x/cover/mzc00200abc/x0031abcdeX/", "qq", "x0031abcdeX"),  # a trailing slash, no .html
    ],
)
def test_video_links_of_the_allowed_players_are_stored_by_id(client, auth, url, provider, video_id):
    created = call(client, "POST", "/api/articles", {**ARTICLE, "body": [{"type": "video", "url": url}]}, auth)
    assert created.status_code == 201, created.json
    assert created.json["body"] == [{"type": "video", "provider": provider, "video_id": video_id}]


@pytest.mark.parametrize(
    "block",
    [
        {"type": "video", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
        {"type": "video", "url": "javascript:alert(1)//v.qq.com/x/page/x0031abcdef.html"},
        {"type": "video", "url": "https://v.qq.com.evil.example/x/page/x0031abcdef.html"},
        {"type": "video", "provider": "qq", "video_id": 'x"><script>'},
        {"type": "video", "provider": "youtube", "video_id": "dQw4w9WgXcQ"},
        {"type": "video"},
    ],
)
def test_other_videos_are_refused_with_what_is_accepted(client, auth, block):
    refused = call(client, "POST", "/api/articles", {**ARTICLE, "body": [block]}, auth)
    assert refused.status_code == 400 and refused.json["code"] == "video_source"
    assert refused.json["field"].startswith("body[0].") and "v.qq.com" in refused.json["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"filename": "run.exe"}, "body[0].filename"),
        ({"filename": "clip.mp4"}, "body[0].filename"),
        ({"filename": "年" * 252 + ".pdf"}, "body[0].filename"),  # 256 characters
        ({"filename": None}, "body[0].filename"),
        ({"filename": ["a.pdf"]}, "body[0].filename"),
        ({"size": "34567"}, "body[0].size"),
        ({"size": True}, "body[0].size"),  # JSON's true is no size, though Python counts it 1
        ({"size": 34_567.0}, "body[0].size"),
        ({"size": -1}, "body[0].size"),
        ({"size": 0}, "body[0].size"),
        ({"size": 10 * 1024**3 + 1}, "body[0].size"),
        ({"attachment_id": None}, "body[0].attachment_id"),
        ({"attachment_id": "../x"}, "body[0].attachment_id"),
        ({"url": "https://x"}, "body[0].url"),
    ],
)
def test_attachment_blocks_are_checked(client, auth, change, field):
    refused = call(client, "POST", "/api/articles", {**ARTICLE, "body": [{**ATTACHMENT, **change}]}, auth)
    assert refused.status_code == 400 and refused.json["field"] == field


@pytest.mark.parametrize(
    ("block", "field"),
    [
        ({"type": "video", "url": "https://v.qq.com"}, "body[0].url"),  # no path at all
        ({"type": "video", "url": "https://[v.qq.com/x/page/x0031abcdef.html"}, "body[0].url"),  # not a web address
        ({"type": "video", "video_id": "x0031abcdef"}, "body[0].url"),  # an id without its player
        ({"type": "video", "provider": "qq", "video_id": 31}, "body[0].url"),
    ],
)
def test_a_video_neither_linked_nor_named_by_player_and_id_is_refused_on_its_link(client, auth, block, field):
    refused = call(client, "POST", "/api/articles", {**ARTICLE, "body": [block]}, auth)
    assert refused.status_code == 400 and refused.json["code"] == "video_source" and refused.json["field"] == field


def test_a_video_caption_is_text_of_at_most_1000_characters(client, auth):
    video = {"type": "video", "url": "https://v.qq.com/x/page/x0031abcdef.html"}
    taken = call(client, "POST", "/api/articles", {**ARTICLE, "body": [{**video, "caption": "会" * 1000}]}, auth)
    assert taken.status_code == 201, taken.json
    assert taken.json["body"][0]["caption"] == "会" * 1000
    for caption in ("会" * 1001, 1000):
        refused = call(client, "POST", "/api/articles", {**ARTICLE, "body": [{**video, "caption": caption}]}, auth)
        assert refused.status_code == 400, (caption, refused.json)
        assert refused.json["field"] == "body[0].caption"
        assert refused.json["message"] == "body[0].caption must be text of at most 1000"


def test_only_an_uploaded_video_has_a_poster_and_it_must_be_a_photo_id(client, auth):
    player = {"type": "video", "provider": "qq", "video_id": "x0031abcdef", "poster_photo_id": "photo1"}
    created = call(client, "POST", "/api/articles", {**ARTICLE, "body": [player]}, auth)
    assert created.status_code == 201, created.json
    assert created.json["body"] == [{"type": "video", "provider": "qq", "video_id": "x0031abcdef"}]  # no poster
    uploaded = {"type": "video", "provider": "mp4", "video_id": "vid123", "poster_photo_id": "../x"}
    refused = call(client, "POST", "/api/articles", {**ARTICLE, "body": [uploaded]}, auth)
    assert refused.status_code == 400 and refused.json["field"] == "body[0].poster_photo_id"


def test_readers_see_the_attachment_and_the_players_and_the_csp_names_exactly_them(client, auth):
    body = [
        {"type": "paragraph", "text": "请各会员单位下载报名表。"},
        ATTACHMENT,
        {"type": "video", "url": "https://v.qq.com/x/page/x0031abcdef.html", "caption": "大会现场"},
        {"type": "video", "url": "https://www.bilibili.com/video/BV1xx411c7mD"},
        {"type": "video", "provider": "mp4", "video_id": "vid123", "poster_photo_id": "photo1"},
    ]
    created = call(client, "POST", "/api/articles", {**ARTICLE, "body": body}, auth).json
    assert call(client, "POST", f"/api/articles/{created['id']}/publish", None, auth).status_code == 200
    page = client.http.get(f"/articles/{created['id']}")
    html = page.body.decode()
    assert '附件：</span><a href="/files/abc123" download rel="nofollow">报名表&lt;b&gt;.docx</a>' in html
    assert "（Word，34 KB）" in html
    assert '<iframe src="https://v.qq.com/txp/iframe/player.html?vid=x0031abcdef" title="大会现场"' in html
    bilibili = 'src="https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&amp;autoplay=0" title="视频" '
    assert bilibili in html  # no caption: the frame is named 视频, and only the captioned one has a figcaption
    assert html.count("<figcaption>") == 1 and "<figcaption>大会现场</figcaption>" in html
    assert (
        '<video controls preload="none" src="http://127.0.0.1:4566/newsroom-local-media/renditions/videos/vid123.mp4"'
        in html
    )
    assert 'poster="http://127.0.0.1:4566/newsroom-local-media/renditions/photo1/640.jpg"' in html
    csp = page.headers["Content-Security-Policy"]
    assert "frame-src https://v.qq.com https://player.bilibili.com;" in csp
    assert csp.endswith("media-src http://127.0.0.1:4566") and "default-src 'none'" in csp


def test_attachments_at_the_limits_are_taken_and_readers_see_their_sizes(client, auth):
    name = "年" * 251 + ".pdf"  # 255 characters, the longest name taken
    # 1,101,005 bytes is just over 1.05 MB (rounded up); 10 GiB is the largest size a block takes
    sizes = {1: "1 KB", 614_400: "600 KB", 1024 * 1024: "1 MB", 1_101_005: "1.1 MB", 10 * 1024**3: "10240 MB"}
    body = [
        {"type": "attachment", "attachment_id": f"file{i}", "filename": name, "size": s} for i, s in enumerate(sizes)
    ]
    created = call(client, "POST", "/api/articles", {**ARTICLE, "body": body}, auth)
    assert created.status_code == 201, created.json
    assert [b["size"] for b in created.json["body"]] == list(sizes) and created.json["body"][0]["filename"] == name
    assert call(client, "POST", f"/api/articles/{created.json['id']}/publish", None, auth).status_code == 200
    html = client.http.get(f"/articles/{created.json['id']}").body.decode()
    shown = re.findall(r'<span class="attachment-meta">(.*?)</span>', html)
    assert shown == [f"（PDF，{label}）" for label in sizes.values()]


def test_an_uploaded_video_needs_its_id_and_may_go_without_a_poster(client, auth):
    video = {"type": "video", "provider": "mp4", "video_id": "vid123"}
    created = call(client, "POST", "/api/articles", {**ARTICLE, "body": [video]}, auth)
    assert created.status_code == 201, created.json
    assert call(client, "POST", f"/api/articles/{created.json['id']}/publish", None, auth).status_code == 200
    html = client.http.get(f"/articles/{created.json['id']}").body.decode()
    player = (
        '<video controls preload="none" src="http://127.0.0.1:4566/newsroom-local-media/renditions/videos/vid123.mp4">'
    )
    assert player in html
    refused = call(client, "POST", "/api/articles", {**ARTICLE, "body": [{"type": "video", "provider": "mp4"}]}, auth)
    assert refused.status_code == 400 and refused.json["field"] == "body[0].video_id"


def test_blocks_stored_before_a_type_or_player_was_dropped_still_show_the_page(client, auth):
    """An attachment of a type no longer taken is listed without its type; a video no player takes is left out."""
    body = [
        {"type": "paragraph", "text": "会议纪要见附件。"},
        {"type": "attachment", "attachment_id": "old1", "filename": "会议纪要.wps", "size": 34_567},
        {"type": "video", "provider": "youku", "video_id": "XNDk2MzQ1"},
    ]
    make_article("stored-before", body=body)
    page = client.http.get("/articles/stored-before")
    assert page.status_code == 200
    html = page.body.decode()
    assert (
        '<a href="/files/old1" download rel="nofollow">会议纪要.wps</a><span class="attachment-meta">（，34 KB）</span>'
        in html
    )
    assert "<iframe" not in html and "<video" not in html and 'class="video"' not in html
