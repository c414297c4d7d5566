"""Attachment and video blocks: checked by the API, shown to readers, the CSP naming exactly the players."""

from __future__ import annotations

import pytest

from tests.api_helpers import call

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
        ({"size": -1}, "body[0].size"),
        ({"attachment_id": "../x"}, "body[0].attachment_id"),
        ({"url": "https://x"}, "body[0].url"),
    ],
)
def test_attachment_blocks_are_checked(client, auth, change, field):
    refused = call(client, "POST", "/api/articles", {**ARTICLE, "body": [{**ATTACHMENT, **change}]}, auth)
    assert refused.status_code == 400 and refused.json["field"] == field


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
    assert 'src="https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&amp;autoplay=0"' in html
    assert (
        '<video controls preload="none" src="http://127.0.0.1:4566/newsroom-local-media/renditions/videos/vid123.mp4"'
        in html
    )
    assert 'poster="http://127.0.0.1:4566/newsroom-local-media/renditions/photo1/640.jpg"' in html
    csp = page.headers["Content-Security-Policy"]
    assert "frame-src https://v.qq.com https://player.bilibili.com;" in csp
    assert csp.endswith("media-src http://127.0.0.1:4566") and "default-src 'none'" in csp
