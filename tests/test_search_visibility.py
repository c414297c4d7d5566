"""What search shows readers, through `GET /search` once the scheduled fold has run: scheduled articles
from their time on, the editor's saves, a full page without an empty next page, full-width queries folded;
and a container's copy of the index kept for production's refresh interval (20 s), not the local 0."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest

from chalicelib.config import get_settings
from chalicelib.media_keys import SEARCH_INDEX_KEY
from chalicelib.search import pending, sqlite_backend
from tests.api_helpers import call
from tests.site import make_article

MOMENT = datetime(2026, 3, 31, 23, 59, 58, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def refreshing_like_production(configure):
    configure(SEARCH_REFRESH_SECONDS="20")


def search(client, query: str, page: int | None = None) -> tuple[list[str], str]:
    """Article ids on the search page, in order, and the page's HTML, once the fold has run and the
    container has fetched the new file (as one does within the refresh interval)."""
    pending.fold()
    sqlite_backend.forget_copy()
    return search_now(client, query, page)


def search_now(client, query: str, page: int | None = None) -> tuple[list[str], str]:
    """The same from this container's copy of the index, however old."""
    path = f"/search?q={quote(query)}" + (f"&page={page}" if page else "")
    response = client.http.get(path)
    assert response.status_code == 200, response.body
    body = response.body.decode()
    return re.findall(r'<h2[^>]*><a href="/articles/([^"]+)"', body), body


def found(client, query: str) -> list[str]:
    return search(client, query)[0]


def test_a_scheduled_article_is_found_from_its_time_on_and_not_a_moment_before(client, auth, clock):
    clock(MOMENT)
    make_article("soon", title="物业年会通知", published_at=MOMENT + timedelta(seconds=2))
    make_article("now", title="物业年会筹备", published_at=MOMENT)
    assert found(client, "物业年会") == ["now"]
    clock(MOMENT + timedelta(seconds=1.999))
    assert found(client, "物业年会") == ["now"]
    clock(MOMENT + timedelta(seconds=2))
    assert found(client, "物业年会") == ["soon", "now"]


def test_the_editors_own_save_is_found_by_their_next_search(client, auth):
    make_article("first", title="绿色物业示范")
    assert found(client, "绿色物业") == ["first"]  # the container now holds its copy of the index
    created = call(
        client,
        "POST",
        "/api/articles",
        {"title": "绿色物业第二批", "category": "industry", "body": [{"type": "paragraph", "text": "节能"}]},
        auth,
    ).json
    assert call(client, "POST", f"/api/articles/{created['id']}/publish", None, auth).status_code == 200
    assert found(client, "绿色物业") == [created["id"], "first"]
    edited = {"title": "节能示范第二批", "category": "industry", "body": [], "version": created["version"] + 1}
    assert call(client, "PUT", f"/api/articles/{created['id']}", edited, auth).status_code == 200
    assert found(client, "绿色物业") == ["first"] and found(client, "节能示范") == [created["id"]]
    assert call(client, "POST", f"/api/articles/{created['id']}/unpublish", None, auth).status_code == 200
    assert found(client, "节能示范") == []


def test_an_exactly_full_page_does_not_link_to_an_empty_next_page(client, auth):
    size = get_settings().page_size
    for n in range(size):
        make_article(f"full{n}", title=f"年会纪要{n}", published_at=MOMENT - timedelta(minutes=n))
    ids, body = search(client, "年会纪要")
    assert len(ids) == size and 'rel="next"' not in body
    make_article("one-more", title="年会纪要补充", published_at=MOMENT - timedelta(days=1))
    ids, body = search(client, "年会纪要")
    assert len(ids) == size and 'rel="next"' in body
    assert search(client, "年会纪要", page=2)[0] == ["one-more"]


@pytest.mark.parametrize("query", ["ＩＣＰ备案", "ｉｃｐ备案", "２０２４年底", "ICP　备案"])
def test_full_width_queries_find_what_half_width_text_says(client, auth, query):
    make_article("icp", title="网站ICP备案提醒", body=[{"type": "paragraph", "text": "请于2024年底前完成。"}])
    assert found(client, query) == ["icp"]


def test_a_container_answers_from_its_copy_until_the_refresh_interval_has_passed(client, auth, clock):
    clock(MOMENT)
    make_article("autumn", title="秋季消防演练", published_at=MOMENT - timedelta(hours=1))
    assert found(client, "消防演练") == ["autumn"]  # this container fetched the file at MOMENT
    make_article("winter", title="冬季消防演练", published_at=MOMENT - timedelta(minutes=1))
    pending.fold()
    for seconds in (0, 0.5, 1, 19.9):
        clock(MOMENT + timedelta(seconds=seconds))
        assert search_now(client, "消防演练")[0] == ["autumn"], seconds
    clock(MOMENT + timedelta(seconds=20))
    assert search_now(client, "消防演练")[0] == ["winter", "autumn"]
    clock(MOMENT - timedelta(hours=1))  # a clock set back: the copy is not trusted to be fresh
    make_article("spring", title="春季消防演练", published_at=MOMENT - timedelta(hours=2))
    pending.fold()
    assert search_now(client, "消防演练")[0] == ["autumn", "spring"]


def test_after_the_interval_an_unchanged_index_costs_one_conditional_request_and_no_download(client, auth, clock):
    """The container asks S3 for the file only if it changed (If-None-Match its ETag): 304, nothing downloaded."""
    from chalicelib.photos import media_bucket_client

    clock(MOMENT)
    make_article("autumn", title="秋季消防演练", published_at=MOMENT - timedelta(hours=1))
    assert found(client, "消防演练") == ["autumn"]
    sent: list[dict[str, object]] = []

    def record(params: dict[str, object], **_: object) -> None:
        sent.append(dict(params))

    events = media_bucket_client().meta.events
    events.register("before-parameter-build.s3.GetObject", record)
    try:
        clock(MOMENT + timedelta(seconds=10))
        assert search_now(client, "消防演练")[0] == ["autumn"] and sent == []  # within the interval: none
        clock(MOMENT + timedelta(seconds=20))
        assert search_now(client, "消防演练")[0] == ["autumn"]
    finally:
        events.unregister("before-parameter-build.s3.GetObject", record)
    stored = media_bucket_client().head_object(Bucket=get_settings().media_bucket, Key=SEARCH_INDEX_KEY)["ETag"]
    assert len(sent) == 1 and sent[0].get("IfNoneMatch") == stored


def test_an_article_due_later_in_the_current_second_is_not_found_before_its_millisecond(client, auth, clock, configure):
    """The first article of a second takes that second's first row id: it too is held back until its time,
    by the index itself, so a page of one still finds the two visible ones and links to the second."""
    configure(SEARCH_REFRESH_SECONDS="20", PAGE_SIZE="1")
    clock(MOMENT + timedelta(seconds=0.2))
    make_article("older", title="物业年会筹备", published_at=MOMENT - timedelta(hours=2))
    make_article("old", title="物业年会通知", published_at=MOMENT - timedelta(hours=1))
    make_article("due", title="物业年会开幕", published_at=MOMENT + timedelta(seconds=0.7))
    ids, page = search(client, "物业年会")
    assert ids == ["old"] and 'rel="next"' in page
    clock(MOMENT + timedelta(seconds=0.699))
    assert search(client, "物业年会")[0] == ["old"]
    clock(MOMENT + timedelta(seconds=0.7))
    assert search(client, "物业年会")[0] == ["due"]
