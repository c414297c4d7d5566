"""Property: whatever JSON reaches the intake routes and the attachment and video blocks, never a 500.

The same strategies and check as test_api_fuzz.py: a 2xx or a 4xx with a message, and a 4xx stores nothing.
No example reaches the network: every URL is refused by the fetcher's host allowlist before any lookup, or
(a pasted image's, which may be on any public host) is an internal address or scheme refused before any.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.security.test_api_fuzz import ARTICLE, BODIES, FUZZ, check, objects, plausible

MEDIA_BLOCK = st.fixed_dictionaries(
    {},
    optional={
        "type": plausible(st.sampled_from(["attachment", "video"])),
        "attachment_id": plausible(st.sampled_from(["abc123", "Bad/Id"])),
        "filename": plausible(st.sampled_from(["报名表.pdf", "a.exe", "clip.mp4", ".pdf"])),
        "size": plausible(st.sampled_from([1, 0, 10**12])),
        "url": plausible(st.sampled_from(["https://v.qq.com/x/page/x0031abcdef.html", "https://evil.example/v"])),
        "provider": plausible(st.sampled_from(["qq", "bilibili", "mp4", "youtube"])),
        "video_id": plausible(st.sampled_from(["x0031abcdef", "BV1xx411c7mD", "abc"])),
        "poster_photo_id": plausible(st.sampled_from(["photo1", "BAD"])),
        "caption": plausible(st.just("说明")),
    },
)
URLS = st.sampled_from(["https://mp.weixin.qq.com.evil.example/s/x", "http://169.254.169.254/", "file:///etc/passwd"])
IMAGE_URLS = st.sampled_from(
    ["http://169.254.169.254/", "http://[::1]/a.jpg", "https://10.0.0.7/a.jpg", "file:///etc/passwd"]
)


@FUZZ
@given(body=st.one_of(objects({**ARTICLE, "body": st.lists(plausible(MEDIA_BLOCK), max_size=3)}), BODIES))
def test_articles_with_attachment_and_video_blocks(client: Any, auth: dict[str, str], body: Any) -> None:
    check(client, "POST", "/api/articles", body, auth)


@FUZZ
@given(body=st.one_of(objects({"filename": st.just("报名表.pdf"), "size": st.just(1000)}), BODIES))
def test_start_attachment(client: Any, auth: dict[str, str], body: Any) -> None:
    check(client, "POST", "/api/attachments", body, auth)


@FUZZ
@given(body=st.one_of(objects({"url": IMAGE_URLS}), BODIES))
def test_fetch_photo(client: Any, auth: dict[str, str], body: Any) -> None:
    check(client, "POST", "/api/photos/fetch", body, auth)


@FUZZ
@given(
    body=st.one_of(
        objects({"url": URLS, "html": st.just("<p>正文</p>"), "category": st.just("nope"), "title": st.just("标题")}),
        BODIES,
    )
)
def test_import_wechat(client: Any, auth: dict[str, str], body: Any) -> None:
    check(client, "POST", "/api/imports/wechat", body, auth)


@FUZZ
@given(body=st.one_of(objects({"attachment_id": st.just("abc123"), "category": st.just("industry")}), BODIES))
def test_import_word(client: Any, auth: dict[str, str], body: Any) -> None:
    check(client, "POST", "/api/imports/word", body, auth, audited=False)  # not an audited route
