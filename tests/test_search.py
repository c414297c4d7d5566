"""Site search in-process: Chinese of one, two and four characters, names, English and numbers, full-width
forms, drafts and scheduled articles, the index following publish/unpublish/delete, and bad queries."""

from __future__ import annotations

import gzip
import html
import json
import re
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import boto3
import pytest

from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.media_keys import SEARCH_CHANGES_KEY, SEARCH_INDEX_KEY
from chalicelib.photos import media_bucket_client
from chalicelib.search import sqlite_backend
from chalicelib.search.sqlite_index import Document, SqliteIndex
from chalicelib.search.text import parse_query
from tests.api_helpers import call
from tests.site import make_article


def paragraph(text: str) -> list[dict[str, str]]:
    return [{"type": "paragraph", "text": text}]


def found(client, query: str, page: int | None = None) -> list[str]:
    """Article ids on the search page, in order."""
    path = f"/search?q={quote(query)}" + (f"&page={page}" if page else "")
    response = client.http.get(path)
    assert response.status_code == 200, response.body
    return re.findall(r'<h2[^>]*><a href="/articles/([^"]+)"', response.body.decode())


@pytest.fixture
def site(auth):
    make_article(
        "wuye", title="物业管理条例解读", body=paragraph("新修订的物业管理条例自2024年起施行，业主委员会职责更明确。")
    )
    make_article("xiehui", title="协会召开年度会员大会", body=paragraph("会长王建国作年度工作报告，李明当选副会长。"))
    make_article(
        "icp", title="网站ICP备案提醒", body=paragraph("请各会员单位于2024年底前完成ICP备案。"), category="policy"
    )
    make_article("names", title="表彰先进个人", body=paragraph("欧阳娜娜、王建国等同志获表彰。"))
    make_article("draft", title="物业协会草稿", body=paragraph("物业管理 ICP 2024 王建国"), publish=False)
    make_article(
        "later",
        title="物业协会明日通知",
        body=paragraph("物业管理 ICP 2024 王建国"),
        published_at=now() + timedelta(days=1),
    )
    return auth


def test_two_and_four_character_chinese_queries(client, site):
    assert found(client, "物业") == ["wuye"]
    assert set(found(client, "协会")) == {"xiehui"}
    assert found(client, "物业管理") == ["wuye"]
    assert found(client, "管理物业") == []  # the characters in another order are another word


def test_names_of_one_two_and_four_characters(client, site):
    assert set(found(client, "王")) == {"xiehui", "names"}
    assert found(client, "李明") == ["xiehui"]
    assert set(found(client, "王建国")) == {"xiehui", "names"}
    assert found(client, "欧阳娜娜") == ["names"]


def test_english_words_and_numbers_mixed_with_chinese(client, site):
    assert found(client, "ICP") == ["icp"]
    assert found(client, "icp") == ["icp"]
    assert set(found(client, "2024")) == {"wuye", "icp"}
    assert found(client, "ICP备案 2024") == ["icp"]
    assert found(client, "物业 2024") == ["wuye"]


def test_full_width_forms_find_the_half_width_text(client, site):
    assert found(client, "ＩＣＰ") == ["icp"]
    assert set(found(client, "２０２４")) == {"wuye", "icp"}


def test_half_width_queries_find_full_width_text(client, auth):
    make_article("fw", title="ＩＳＯ９００１认证通过", body=paragraph("ＡＢＣ物业公司"))
    assert found(client, "ISO9001") == ["fw"]
    assert found(client, "iso9001") == ["fw"]
    assert found(client, "abc") == ["fw"]


def test_traditional_and_simplified_find_each_other(client, auth):
    make_article("trad", title="物業管理條例", body=paragraph("業主委員會的職責。"))
    make_article("simp", title="物业管理办法", body=paragraph("业主大会"), published_at=now() - timedelta(hours=2))
    assert found(client, "物业管理") == ["trad", "simp"]
    assert found(client, "物業管理") == ["trad", "simp"]
    assert found(client, "委员会") == ["trad"]
    assert found(client, "業") == ["trad", "simp"]
    page = client.http.get(f"/search?q={quote('物业管理')}").body.decode()
    assert "<mark>物業管理</mark>條例" in page  # marked in the text as written


def test_single_characters_anywhere_in_a_run_even_its_last(client, site):
    assert found(client, "读") == ["wuye"]  # the title's last character: a token of its own
    assert found(client, "例") == ["wuye"]
    assert found(client, "解") == ["wuye"]


def test_a_term_of_three_or_more_characters_is_matched_as_written_not_as_its_bigrams(client, auth):
    # 物业, 业管 and 管理 all occur (物业公司, 行业管理), 物业管理 does not: the text check refuses it
    make_article("apart", title="物业公司", body=paragraph("行业管理部门检查"))
    make_article("whole", title="通知", body=paragraph("物业管理"), published_at=now() - timedelta(hours=3))
    assert found(client, "物业管理") == ["whole"]
    assert found(client, "业管理") == ["apart", "whole"]


def test_searches_from_other_threads_use_the_same_copy(site):
    """The local stack answers each request on a new thread: the copy made by one is used by the next."""
    sqlite_backend.search(parse_query("物业"), now(), 10, 0)
    answers: list[object] = []
    thread = threading.Thread(
        target=lambda: answers.append(sqlite_backend.search(parse_query("王建国"), now(), 10, 0)), daemon=True
    )
    thread.start()
    thread.join(timeout=30)
    assert [{hit.id for hit in answer} for answer in answers] == [{"xiehui", "names"}]  # type: ignore[attr-defined]


def test_opencc_is_imported_by_search_only():
    code = (
        "import sys, app\n"
        "assert 'opencc' not in sys.modules, 'imported with the app'\n"
        "from chalicelib.search import parse_query\n"
        "parse_query('物業')\n"
        "assert 'opencc' in sys.modules\n"
    )
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_a_title_match_comes_before_a_body_match(client, auth):
    make_article("body", title="年度工作安排", body=paragraph("本年度将修订物业服务标准。"))
    make_article(
        "title", title="物业服务标准发布", body=paragraph("详见附件。"), published_at=now() - timedelta(days=3)
    )
    assert found(client, "物业服务") == ["title", "body"]


def test_drafts_and_scheduled_articles_never_appear(client, site):
    for query in ("物业协会", "草稿", "明日通知"):
        assert found(client, query) == []


def test_a_scheduled_article_appears_when_its_time_comes(client, auth, clock):
    moment = now()
    clock(moment)
    make_article("soon", title="物业年会", published_at=moment + timedelta(seconds=2))
    assert found(client, "物业年会") == []
    clock(moment + timedelta(seconds=2))  # the clock stepped, not waited for
    assert found(client, "物业年会") == ["soon"]


def test_results_follow_publish_unpublish_change_and_delete(client, site):
    assert found(client, "王建国") != []
    created = call(
        client,
        "POST",
        "/api/articles",
        {"title": "绿色物业示范项目", "category": "industry", "body": paragraph("节能")},
        site,
    )
    article_id = created.json["id"]
    assert found(client, "绿色物业") == []
    assert call(client, "POST", f"/api/articles/{article_id}/publish", None, site).status_code == 200
    assert found(client, "绿色物业") == [article_id]

    current = call(client, "GET", f"/api/articles/{article_id}", None, site).json
    change = {
        "title": "低碳物业示范项目",
        "category": "industry",
        "body": paragraph("节能"),
        "version": current["version"],
    }
    assert call(client, "PUT", f"/api/articles/{article_id}", change, site).status_code == 200
    assert found(client, "绿色物业") == []
    assert found(client, "低碳物业") == [article_id]

    assert call(client, "POST", f"/api/articles/{article_id}/unpublish", None, site).status_code == 200
    assert found(client, "低碳物业") == []
    assert call(client, "DELETE", "/api/articles/xiehui", None, site).status_code in (200, 204)
    assert found(client, "王建国") == ["names"]


def test_the_page_shows_title_date_category_and_a_marked_escaped_snippet(client, auth):
    make_article("x", title="<b>物业</b>公告", body=paragraph("前文<script>alert(1)</script>物业费标准调整。"))
    page = client.http.get("/search?q=物业").body.decode()
    assert "<mark>物业</mark>" in page
    assert "&lt;b&gt;<mark>物业</mark>&lt;/b&gt;公告" in page
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "行业动态" in page  # the category's name
    assert re.search(r"<time>\d{4}-\d{2}-\d{2}</time>", page)


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("", "search_empty"),
        ("   ", "search_empty"),
        ("物" * 65, "search_too_long"),
        ("甲 乙 丙 丁 戊 己 庚 辛 壬", "search_too_long"),
        ('"*()', "search_no_words"),
        ("^:-+", "search_no_words"),
    ],
)
def test_bad_queries_get_a_clear_answer(client, site, query, label):
    from chalicelib.labels import LABELS

    response = client.http.get(f"/search?q={quote(query)}")
    assert response.status_code == 200
    assert html.escape(LABELS["zh-CN"][label], quote=False) in response.body.decode()


@pytest.mark.parametrize("query", ['物业"', "物业 OR 协会", "NEAR(物业 协会)", "物业*", "tp:物业", "(物业", "AND", "'"])
def test_query_syntax_is_searched_for_as_text_never_an_error(client, site, query):
    response = client.http.get(f"/search?q={quote(query)}")
    assert response.status_code == 200


def test_fts_operators_are_words_like_any_other(client, auth):
    make_article("near", title="NEAR OR AND NOT 物业", body=paragraph("x"))
    assert found(client, "near or") == ["near"]


def test_a_page_number_that_is_not_one_is_a_400_page(client, site):
    for page in ("0", "x", "51", "-1", "１"):
        assert client.http.get(f"/search?q=物业&page={quote(page)}").status_code == 400


def test_twenty_results_a_page_then_the_next(client, auth):
    for n in range(23):
        make_article(f"a{n:02d}", title=f"物业简报第{n}期", published_at=now() - timedelta(hours=n + 1))
    first, second = found(client, "物业简报"), found(client, "物业简报", page=2)
    assert len(first) == 20 and len(second) == 3
    assert first[:3] == ["a00", "a01", "a02"]  # equally relevant: newest first
    assert not set(first) & set(second)
    assert 'rel="next"' in client.http.get("/search?q=物业简报").body.decode()


def test_every_page_has_a_labelled_search_form(client, auth):
    make_article("one")
    for path in ("/", "/news/news", "/articles/one", "/search?q=x"):
        page = client.http.get(path).body.decode()
        assert '<form class="search" role="search" aria-label="搜索本站" method="get" action="/search"' in page
        assert 'for="site-search"' in page and '<input id="site-search" type="search" name="q"' in page


def test_the_search_page_is_not_for_search_engines_and_cached_briefly(client, site):
    response = client.http.get("/search?q=物业")
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Cache-Control"] == "public, max-age=30"


def changes_list() -> dict:
    data = boto3.client("s3").get_object(Bucket=get_settings().media_bucket, Key=SEARCH_CHANGES_KEY)["Body"].read()
    return json.loads(gzip.decompress(data))


def base_file(tmp_path) -> SqliteIndex:
    data = boto3.client("s3").get_object(Bucket=get_settings().media_bucket, Key=SEARCH_INDEX_KEY)["Body"].read()
    path = tmp_path / "base.sqlite3"
    path.write_bytes(gzip.decompress(data))
    return SqliteIndex(path)


def test_a_save_appends_one_change_and_leaves_the_base_alone(client, auth):
    make_article("one", title="物业甲")
    s3, bucket = boto3.client("s3"), get_settings().media_bucket
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix=SEARCH_INDEX_KEY)  # no base yet
    assert [(c["id"], c["doc"]["title"]) for c in changes_list()["changes"]] == [("one", "物业甲")]
    make_article("draft", title="物业草稿", publish=False)
    assert len(changes_list()["changes"]) == 1  # a draft's saves are not the index's business
    assert found(client, "物业") == ["one"]
    assert call(client, "POST", "/api/articles/one/unpublish", None, auth).status_code == 200
    assert call(client, "DELETE", "/api/articles/one", None, auth).status_code in (200, 204)
    assert [(c["id"], c["doc"] is None) for c in changes_list()["changes"]] == [("one", False), ("one", True)]
    assert found(client, "物业") == []


def test_concurrent_saves_do_not_lose_each_others_changes(auth):
    """Another container appends its change between this one's read of the list and its write."""
    make_article("first", title="物业甲")
    raced = []

    def another_container_saves(params, **_):
        if params.get("Key") == SEARCH_CHANGES_KEY and not raced:
            raced.append(True)
            sqlite_backend.index_document(Document("theirs", "物业乙", "industry", now() - timedelta(hours=2), ""))

    events = media_bucket_client().meta.events  # botocore's hooks on the media bucket's client, not our code
    events.register("before-parameter-build.s3.PutObject", another_container_saves)
    try:
        make_article("mine", title="物业丙")
    finally:
        events.unregister("before-parameter-build.s3.PutObject", another_container_saves)
    assert raced
    assert [c["id"] for c in changes_list()["changes"]] == ["first", "theirs", "mine"]
    ids = [hit.id for hit in sqlite_backend.search(parse_query("物业"), now(), 10, 0)]
    assert sorted(ids) == ["first", "mine", "theirs"]


def test_a_fold_moves_the_changes_into_the_base_and_readers_with_an_old_base_follow(client, auth, tmp_path):
    other = sqlite_backend._Copy()  # another container's view, read before the fold
    make_article("one", title="物业甲", published_at=now() - timedelta(hours=3))
    make_article("two", title="物业乙", published_at=now() - timedelta(hours=2))
    assert [h.id for h in other.fresh(0).search(parse_query("物业"), now(), 10, 0)] == ["two", "one"]

    assert sqlite_backend.fold()
    listed = changes_list()
    assert listed["changes"] == [] and listed["base"] == 2
    base = base_file(tmp_path)
    assert base.watermark == 2 and base.contains("one") and base.contains("two")
    base.close()
    assert not sqlite_backend.fold()  # nothing left to fold

    assert call(client, "POST", "/api/articles/one/unpublish", None, auth).status_code == 200
    make_article("three", title="物业丙")
    assert found(client, "物业") == ["three", "two"]  # the base's "one" hidden by a change after it
    assert [h.id for h in other.fresh(0).search(parse_query("物业"), now(), 10, 0)] == ["three", "two"]
    other.forget()


def test_the_save_that_makes_the_list_long_folds_it(client, auth, tmp_path):
    for n in range(sqlite_backend.FOLD_AFTER):
        sqlite_backend.index_document(Document(f"a{n}", f"协会通知{n}", "news", now() - timedelta(minutes=n + 1), ""))
    assert changes_list()["changes"] == []
    assert base_file(tmp_path).count() == sqlite_backend.FOLD_AFTER
    assert len(found(client, "协会通知")) == 20


def test_the_scheduled_function_folds_the_changes_and_fetches_no_base_when_there_are_none(client, auth, tmp_path):
    """EventBridge calls fold_search every few minutes: the list becomes the base; an empty list costs one GET."""
    from chalice.local import LambdaContext

    from chalicelib.routes.schedules import fold_search
    from tests.events import scheduled_event

    make_article("one", title="物业甲")
    assert [c["id"] for c in changes_list()["changes"]] == ["one"]
    context = LambdaContext(function_name="newsroom-prod-fold_search", memory_size=1024, max_runtime_ms=120000)
    fold_search(scheduled_event(), context)
    assert changes_list()["changes"] == []
    base = base_file(tmp_path)
    assert base.contains("one")
    base.close()
    assert found(client, "物业甲") == ["one"]

    keys: list[str] = []
    events = media_bucket_client().meta.events  # botocore's hooks: which objects the second run reads
    record = lambda params, **_: keys.append(params["Key"])  # noqa: E731
    events.register("before-parameter-build.s3.GetObject", record)
    try:
        fold_search(scheduled_event(), context)
    finally:
        events.unregister("before-parameter-build.s3.GetObject", record)
    assert keys == [SEARCH_CHANGES_KEY]


def test_index_search_puts_back_every_published_article_after_the_index_is_lost(client, site):
    from ops.migrations import index_search

    s3 = boto3.client("s3")
    s3.delete_object(Bucket=get_settings().media_bucket, Key=SEARCH_INDEX_KEY)
    s3.delete_object(Bucket=get_settings().media_bucket, Key=SEARCH_CHANGES_KEY)
    sqlite_backend.forget_copy()
    assert found(client, "物业") == []  # as on a stage upgraded to search, or after failed updates
    assert index_search() == 5  # every published article, the scheduled one too; never the draft
    sqlite_backend.forget_copy()
    assert found(client, "物业") == ["wuye"]
    assert set(found(client, "王建国")) == {"xiehui", "names"}
