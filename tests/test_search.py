"""Site search in-process: Chinese of one, two and four characters, names, English and numbers, full-width
forms, drafts and scheduled articles, the index following publish/unpublish/delete, and bad queries."""

from __future__ import annotations

import gzip
import html
import re
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import boto3
import pytest

from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.media_keys import SEARCH_INDEX_KEY
from chalicelib.models import SEARCH_TOMBSTONE, ArticleModel
from chalicelib.photos import media_bucket_client
from chalicelib.search import pending, sqlite_backend
from chalicelib.search.sqlite_index import MAX_CHECKED, Document, SqliteIndex
from chalicelib.search.text import parse_query
from tests.api_helpers import bearer, call, make_admin
from tests.site import make_article


def paragraph(text: str) -> list[dict[str, str]]:
    return [{"type": "paragraph", "text": text}]


def found(client, query: str, page: int | None = None) -> list[str]:
    """Article ids on the search page, in order, once the scheduled fold has run (a minute has passed)."""
    pending.fold()
    return found_now(client, query, page)


def found_now(client, query: str, page: int | None = None) -> list[str]:
    """Article ids on the search page, in order, before any fold."""
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
    pending.fold()
    sqlite_backend.search(parse_query("物业"), now(), 10, 0)
    answers: list[object] = []
    thread = threading.Thread(
        target=lambda: answers.append(sqlite_backend.search(parse_query("王建国"), now(), 10, 0)), daemon=True
    )
    thread.start()
    thread.join(timeout=30)
    assert [{hit.id for hit in answer} for answer in answers] == [{"xiehui", "names"}]


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
    pending.fold()
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


def test_an_empty_page_number_is_the_first_page(client, site):
    """A form or link may send `page=` with no number: that is page 1, as with no `page` at all."""
    first = found(client, "王建国")
    assert len(first) == 2
    response = client.http.get(f"/search?q={quote('王建国')}&page=")
    assert response.status_code == 200
    assert re.findall(r'<h2[^>]*><a href="/articles/([^"]+)"', response.body.decode()) == first


def menu_links(body: str) -> list[tuple[str, str]]:
    menu = body.split('<nav class="menu"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', menu)


def search_box(body: str) -> str:
    """What the search page's own box holds."""
    box = re.search(r'<input id="search-page-q" type="search" name="q" value="([^"]*)"', body)
    assert box is not None, "the search page has its own box"
    return html.unescape(box.group(1))


MENU = [("/", "首页"), ("/news/news", "新闻中心"), ("/news/policy", "政策法规")]


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/search", ""),
        ("/search?q=", ""),
        ("/search?q=" + quote("  甲 乙\t丙  丁 戊 己 庚 辛 壬 "), "甲 乙 丙 丁 戊 己 庚 辛 壬"),
        ("/search?q=" + quote("物" * 70), "物" * 64),
    ],
)
def test_a_query_not_searched_is_given_back_in_the_box_with_the_sites_menu(client, site, path, shown):
    """The page says why (test_bad_queries_get_a_clear_answer) and hands the query back to correct: its words
    one space apart, cut at the longest query; nothing at all for no query."""
    response = client.http.get(path)
    assert response.status_code == 200
    body = response.body.decode()
    assert search_box(body) == shown
    assert menu_links(body) == MENU


def test_the_results_page_has_the_sites_menu(client, site):
    pending.fold()
    body = client.http.get(f"/search?q={quote('物业')}").body.decode()
    assert search_box(body) == "物业" and 'href="/articles/wuye"' in body
    assert menu_links(body) == MENU


def test_a_hit_in_a_category_newer_than_the_containers_menu_is_shown_without_one(client, auth):
    """A container keeps the navigation it read (CHROME_CACHE_SECONDS): an article published meanwhile in a
    category added on another container is a hit all the same, shown without a category, never a 500."""
    from chalicelib.categories import put_category
    from chalicelib.navigation import get_navigation
    from chalicelib.navigation_cache import keep_navigation

    kept = get_navigation()  # this container's copy, read before the new category
    put_category("events", "会议活动", None, 30)  # on another container: this one's copy stays as it was
    make_article("in-new", category="events", title="物业年会通知")
    make_article("in-old", title="物业年会回顾", published_at=now() - timedelta(hours=2))
    pending.fold()
    keep_navigation(kept, get_settings().chrome_cache_seconds)
    response = client.http.get(f"/search?q={quote('物业年会')}")
    assert response.status_code == 200
    body = response.body.decode()
    hits = re.findall(r'<a href="/articles/([^"]+)">.*?</h2>.*?<time>[^<]*</time>([^<]*)</p>', body, re.S)
    assert hits == [("in-new", ""), ("in-old", " · 行业动态")]


def test_twenty_results_a_page_then_the_next(client, auth):
    for n in range(23):
        make_article(f"a{n:02d}", title=f"物业简报第{n}期", published_at=now() - timedelta(hours=n + 1))
    first, second = found(client, "物业简报"), found(client, "物业简报", page=2)
    assert len(first) == 20 and len(second) == 3
    assert first[:3] == ["a00", "a01", "a02"]  # equally relevant: newest first
    assert not set(first) & set(second)
    assert 'rel="next"' in client.http.get("/search?q=物业简报").body.decode()


def test_the_previous_and_next_links_name_their_page_and_the_first_page_by_the_query_alone(client, auth, configure):
    configure(PAGE_SIZE="1")
    for n in range(3):
        make_article(f"c{n}", title=f"物业简报第{n}期", published_at=now() - timedelta(hours=n + 1))
    assert found(client, "物业简报", page=3) == ["c2"]
    query = f"/search?q={quote('物业简报')}"

    def links(page: int) -> dict[str, str]:
        body = client.http.get(f"{query}&page={page}").body.decode()
        return {rel: html.unescape(href) for href, rel in re.findall(r'<a href="([^"]*)" rel="(prev|next)">', body)}

    assert links(1) == {"next": f"{query}&page=2"}
    assert links(2) == {"prev": query, "next": f"{query}&page=3"}
    assert links(3) == {"prev": f"{query}&page=2"}


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


def base_file(tmp_path) -> SqliteIndex:
    data = boto3.client("s3").get_object(Bucket=get_settings().media_bucket, Key=SEARCH_INDEX_KEY)["Body"].read()
    path = tmp_path / "base.sqlite3"
    path.write_bytes(gzip.decompress(data))
    return SqliteIndex(path)


def marks() -> dict[str, str]:
    """Pending items (articles and tombstones) and their marks, read from the table itself."""
    items = boto3.client("dynamodb").scan(TableName=get_settings().tables["articles"])["Items"]
    return {item["id"]["S"]: item["search_pending"]["S"] for item in items if "search_pending" in item}


def test_a_write_marks_the_article_in_the_same_write_and_the_fold_clears_the_mark(client, auth, tmp_path):
    make_article("draft", title="物业草稿", publish=False)
    assert marks() == {}  # a draft's saves are not the index's business
    make_article("one", title="物业甲")
    assert set(marks()) == {"one"}
    assert found_now(client, "物业甲") == []  # not folded yet
    assert pending.fold() == 1
    assert marks() == {}
    base = base_file(tmp_path)
    assert base.contains("one") and not base.contains("draft")
    base.close()
    assert found_now(client, "物业甲") == ["one"]
    assert pending.fold() == 0


def test_unpublished_and_deleted_articles_leave_the_results_before_any_fold(client, site, tmp_path):
    assert found(client, "王建国") != []
    assert call(client, "POST", "/api/articles/names/unpublish", None, site).status_code == 200
    assert call(client, "DELETE", "/api/articles/xiehui", None, site).status_code in (200, 204)
    assert found_now(client, "王建国") == []  # the readers' check against the table
    assert set(marks()) == {"names", "xiehui"}  # deleted: in the trash, unpublished (chalicelib/trash.py)
    assert pending.fold() == 2
    assert marks() == {}
    base = base_file(tmp_path)
    assert not base.contains("names") and not base.contains("xiehui") and base.contains("wuye")
    base.close()


def test_a_save_during_the_fold_keeps_its_mark_for_the_next(client, site):
    """An editor saves between the fold's read of the article and its clearing of the mark."""
    found(client, "物业")
    current = call(client, "GET", "/api/articles/wuye", None, site).json
    change = {
        "title": "物业服务条例解读",
        "category": "industry",
        "body": paragraph("新"),
        "version": current["version"],
    }
    saved = []

    def an_editor_saves(params, **_):
        if params.get("Key") == SEARCH_INDEX_KEY and not saved:
            saved.append(call(client, "PUT", "/api/articles/wuye", change, site).status_code)

    make_article("wuye2", title="物业甲")
    events = media_bucket_client().meta.events  # botocore's hooks on the media bucket's client, not our code
    events.register("before-parameter-build.s3.PutObject", an_editor_saves)
    try:
        assert pending.fold() == 1
    finally:
        events.unregister("before-parameter-build.s3.PutObject", an_editor_saves)
    assert saved == [200] and set(marks()) == {"wuye"}
    assert found(client, "服务条例") == ["wuye"]
    assert marks() == {}


def test_a_republished_article_after_its_delete_is_found(client, site):
    """A tombstone and a new article of the same id, pending together: the article as it now is wins."""
    assert call(client, "DELETE", "/api/articles/wuye", None, site).status_code in (200, 204)
    assert call(client, "DELETE", "/api/trash/wuye", None, bearer(make_admin())).status_code == 204  # for good
    assert set(marks()) >= {f"{SEARCH_TOMBSTONE}wuye"}
    make_article("wuye", title="物业新规", category="policy")
    assert found(client, "物业新规") == ["wuye"] and found(client, "物业管理条例") == []


def test_a_candidate_check_is_bounded_for_a_phrase_that_occurs_nowhere(tmp_path):
    """Every article holds each pair of the query, none the phrase: at most MAX_CHECKED texts are read."""
    index = SqliteIndex(tmp_path / "i.sqlite3")
    moment = now()
    index.add_many(
        [Document(f"a{n}", "通知", "news", moment - timedelta(minutes=n), "安全 全检 检查 查会") for n in range(900)]
    )
    reads: list[str] = []
    index.connection.set_trace_callback(lambda statement: reads.append(statement) if "simple" in statement else None)
    assert index.search(parse_query("安全检查会"), moment, 20, 0) == []
    assert 0 < len(reads) <= MAX_CHECKED
    index.close()


def test_the_scheduled_function_folds_and_fetches_nothing_when_nothing_is_pending(client, auth, tmp_path):
    """EventBridge calls fold_search every minute: pending articles go in; a minute without costs one Scan."""
    from chalice.local import LambdaContext

    from chalicelib.routes.schedules import fold_search
    from tests.events import scheduled_event

    make_article("one", title="物业甲")
    context = LambdaContext(function_name="newsroom-prod-fold_search", memory_size=1024, max_runtime_ms=120000)
    fold_search(scheduled_event(), context)
    assert marks() == {} and found_now(client, "物业甲") == ["one"]

    operations: list[str] = []
    record = lambda model, **_: operations.append(model.name)  # noqa: E731
    # botocore's hooks on the clients the code uses (not our code): which calls the second run makes
    events = ArticleModel._get_connection().connection.client.meta.events
    s3_events = media_bucket_client().meta.events
    events.register("before-call.dynamodb", record)
    s3_events.register("before-call.s3", record)
    try:
        fold_search(scheduled_event(), context)
    finally:
        events.unregister("before-call.dynamodb", record)
        s3_events.unregister("before-call.s3", record)
    assert operations == ["Scan"]


def test_index_search_puts_back_every_published_article_after_the_index_is_lost(client, site):
    from ops.migrations import index_search

    found(client, "物业")
    boto3.client("s3").delete_object(Bucket=get_settings().media_bucket, Key=SEARCH_INDEX_KEY)
    sqlite_backend.forget_copy()
    assert found(client, "物业") == []  # as on a stage whose index file was lost
    assert index_search() == 5  # every published article, the scheduled one too; never the draft
    assert found(client, "物业") == ["wuye"]
    assert set(found(client, "王建国")) == {"xiehui", "names"}


def test_index_search_marks_each_published_article_afresh_and_never_revives_one_deleted_meanwhile(client, site):
    from chalicelib.editorial import delete_article
    from ops.migrations import index_search

    pending.fold()
    assert marks() == {}
    deleted: list[str] = []

    def delete_first(params, **_):  # an editor deletes the article index-search is about to mark
        if not deleted and params.get("TableName") == get_settings().tables["articles"]:
            deleted.append(params["Key"]["id"]["S"])
            delete_article(deleted[0])

    events = ArticleModel._get_connection().connection.client.meta.events
    events.register("before-parameter-build.dynamodb.UpdateItem", delete_first)
    try:
        assert index_search() == 4  # five published, one of them gone before its mark
    finally:
        events.unregister("before-parameter-build.dynamodb.UpdateItem", delete_first)
    published = {"wuye", "xiehui", "icp", "names", "later"}
    marked = marks()
    assert deleted and set(marked) == published - set(deleted) | {SEARCH_TOMBSTONE + deleted[0]}
    assert len(set(marked.values())) == len(marked)  # each its own mark: a save meanwhile keeps its own
    pending.fold()
    assert ArticleModel.count(deleted[0], consistent_read=True) == 0 and marks() == {}
    assert client.http.get(f"/articles/{deleted[0]}").status_code == 404


def shown(client, query: str) -> list[tuple[str, str]]:
    """Each hit's title and snippet as the page shows them (their HTML, marks included)."""
    pending.fold()
    page = client.http.get(f"/search?q={quote(query)}").body.decode()
    titles = re.findall(r'<h2[^>]*><a href="/articles/[^"]+">(.*?)</a></h2>', page)
    snippets = re.findall(r'<p style="margin:2px 0;color:#444">(.*?)</p>', page)
    return list(zip(titles, snippets, strict=True))


def test_a_long_body_shows_the_words_around_its_first_match_cut_where_it_is_cut(client, auth):
    """110 characters from 24 before the first match; … where the body goes on; its whitespace collapsed."""
    lead, rest = "甲" * 76 + "前  文\n", "乙" * 200
    make_article("middle", title="通知", body=paragraph(lead + "物业" + rest))
    make_article("start", title="公告", body=paragraph("丙" * 10 + "物业" + "丁" * 200), published_at=now())
    make_article("one_in", title="通报", body=paragraph("戊" * 25 + "物业" + "己" * 200), published_at=now())
    make_article("short", title="短讯", body=paragraph("短  文物业。"), published_at=now() - timedelta(hours=2))
    make_article("title_only", title="物业动态", body=paragraph("庚" * 200), published_at=now() - timedelta(hours=3))
    assert dict(shown(client, "物业")) == {
        "<mark>物业</mark>动态": "庚" * 110 + "…",  # no match in the body: its start
        "通知": "…" + "甲" * 20 + "前 文 <mark>物业</mark>" + "乙" * 84 + "…",
        "公告": "丙" * 10 + "<mark>物业</mark>" + "丁" * 98 + "…",
        "通报": "…" + "戊" * 24 + "<mark>物业</mark>" + "己" * 84 + "…",
        "短讯": "短 文<mark>物业</mark>。",
    }


def test_a_title_whose_folded_form_is_longer_is_marked_where_the_match_is(client, auth):
    make_article("ltd", title="㈱物业公司", body=paragraph("ﬁrst 物业"))
    assert shown(client, "物业") == [("㈱<mark>物业</mark>公司", "first <mark>物业</mark>")]


def test_a_new_container_searches_before_any_index_exists_and_writes_only_under_tmp(
    client, auth, monkeypatch, tmp_path
):
    """A container's copy starts empty; its working directory (Lambda's /var/task) is read-only, never written."""
    task = tmp_path / "task"
    task.mkdir()
    monkeypatch.chdir(task)
    monkeypatch.setattr(sqlite_backend, "_copy", sqlite_backend._Copy())  # a new container's, made at import
    assert found_now(client, "物业") == []  # no index file yet: no hits, not an error
    make_article("wuye", title="物业管理条例解读")
    pending.fold()
    monkeypatch.setattr(sqlite_backend, "_copy", sqlite_backend._Copy())
    assert found_now(client, "物业") == ["wuye"]
    assert list(task.iterdir()) == []


def test_the_index_file_is_packed_at_gzips_fastest_level(client, auth):
    """Level 1 packs three times faster than 6 for 9% more bytes (bench/search.py); the fold packs every minute."""
    make_article("wuye", title="物业管理条例解读")
    pending.fold()
    stored = boto3.client("s3").get_object(Bucket=get_settings().media_bucket, Key=SEARCH_INDEX_KEY)
    assert stored["ContentType"].lower() == "application/gzip"  # media types are case-insensitive
    packed = stored["Body"].read()
    assert packed[:3] == b"\x1f\x8b\x08" and packed[8] == 4  # RFC 1952: XFL 4, "compressor used fastest algorithm"
    assert b"SQLite format 3" in gzip.decompress(packed)[:16]


def test_a_hit_shows_its_title_and_subtitle_and_each_paragraph_apart(client, auth):
    make_article("parts", title="物业公告", subtitle="征求意见", body=paragraph("第一段") + paragraph("第二段"))
    assert shown(client, "物业") == [("<mark>物业</mark>公告 征求意见", "第一段 第二段")]
    assert shown(client, "xx") == []


def test_a_save_during_the_fold_of_the_same_article_keeps_its_mark_for_the_next(client, site):
    """The fold read the article, then its editor saved it: the fold must not clear the newer save's mark."""
    pending.fold()
    make_article("fresh", title="物业甲")
    version = call(client, "GET", "/api/articles/fresh", None, site).json["version"]
    change = {"title": "物业乙", "category": "industry", "body": paragraph("新"), "version": version}
    saved = []

    def the_editor_saves(params, **_):
        if params.get("Key") == SEARCH_INDEX_KEY and not saved:
            saved.append(call(client, "PUT", "/api/articles/fresh", change, site).status_code)

    events = media_bucket_client().meta.events
    events.register("before-parameter-build.s3.PutObject", the_editor_saves)
    try:
        assert pending.fold() == 1
    finally:
        events.unregister("before-parameter-build.s3.PutObject", the_editor_saves)
    assert saved == [200] and set(marks()) == {"fresh"}
    assert found(client, "物业乙") == ["fresh"] and found(client, "物业甲") == []


def test_a_fold_reads_the_articles_as_last_written_and_folds_at_most_its_limit(client, auth, monkeypatch):
    """DynamoDB's default read may miss the write that marked an article; a fold does a bounded amount of work."""
    for n in range(3):
        make_article(f"a{n}", title=f"物业{n}")
    reads: list[object] = []
    record = lambda params, **_: reads.extend(t.get("ConsistentRead") for t in params["RequestItems"].values())  # noqa: E731
    events = ArticleModel._get_connection().connection.client.meta.events
    events.register("before-parameter-build.dynamodb.BatchGetItem", record)
    monkeypatch.setattr(pending, "MAX_FOLD", 2)
    try:
        assert pending.fold() == 2 and len(marks()) == 1
        assert pending.fold() == 1 and marks() == {}
    finally:
        events.unregister("before-parameter-build.dynamodb.BatchGetItem", record)
    assert reads == [True, True]


def test_an_article_deleted_again_during_the_fold_leaves_the_index_with_the_next_fold(client, auth, tmp_path):
    """An id used again (an import run twice), then deleted while the fold indexes it: its tombstone stays."""
    from chalicelib.editorial import delete_article

    make_article("again", title="物业甲")
    pending.fold()
    delete_article("again")
    make_article("again", title="物业乙")  # the same id once more, published
    deleted: list[bool] = []

    def deleted_meanwhile(params, **_):
        if params.get("Key") == SEARCH_INDEX_KEY and not deleted:
            deleted.append(True)
            delete_article("again")

    events = media_bucket_client().meta.events
    events.register("before-parameter-build.s3.PutObject", deleted_meanwhile)
    try:
        pending.fold()
    finally:
        events.unregister("before-parameter-build.s3.PutObject", deleted_meanwhile)
    assert deleted and set(marks()) == {f"{SEARCH_TOMBSTONE}again"}
    assert pending.fold() == 1 and marks() == {}
    base = base_file(tmp_path)
    assert not base.contains("again")
    base.close()


def test_an_article_of_a_busy_second_is_listed_at_most_a_second_later_never_earlier(client, auth):
    """A second holds 8 row ids; a ninth article of it spills into the next second's, past the one there."""
    second = (now() - timedelta(hours=1)).replace(microsecond=0)
    make_article("next", title="物业次", published_at=second + timedelta(seconds=1, milliseconds=500))
    pending.fold()
    for n in range(9):
        make_article(f"s{n}", title=f"物业{n}", published_at=second + timedelta(milliseconds=100))
    pending.fold()  # in id order: s8 is the ninth of its second
    assert found(client, "物业") == ["s8", "next", *(f"s{n}" for n in range(7, -1, -1))]


def test_the_last_page_links_nowhere_further_and_each_page_checks_one_more_hit_than_it_shows(client, auth, configure):
    """With a page of 1, page MAX_PAGE (50) is the last one linked, however many more match; each page's
    BatchGetItem checks the page's hits and one more (whether there is a next page), no further."""
    from local.dynamodb_calls import DynamoDBRequests

    configure(PAGE_SIZE="1")
    for n in range(52):
        make_article(f"b{n:02d}", title=f"物业简报第{n}期", published_at=now() - timedelta(hours=n + 1))
    assert found(client, "物业简报", page=50) == ["b49"]
    path = f"/search?q={quote('物业简报')}&page="
    assert 'rel="next"' in client.http.get(f"{path}49").body.decode()
    with DynamoDBRequests() as sent:
        last = client.http.get(f"{path}50").body.decode()
    assert 'rel="next"' not in last
    [batch] = [params for operation, params in sent.requests if operation == "BatchGetItem"]
    assert [len(request["Keys"]) for request in batch["RequestItems"].values()] == [2]


def test_the_longest_term_is_marked_whole_whatever_the_case_of_the_query(client, auth):
    """ "iso" and "ISO9001" both match at the start of "ISO9001认证": the longer is marked, and terms typed in
    another case than the text's are marked all the same, in a title whose folding changes its length (ß is
    "ss" folded, so the title is matched as written) too."""
    make_article("iso", title="ISO9001认证", body=paragraph("通过iso审核。"))
    make_article("strasse", title="ISO9001 Straße认证", body=paragraph("iso"), published_at=now() - timedelta(hours=2))
    pending.fold()
    page = client.http.get(f"/search?q={quote('iso ISO9001')}").body.decode()
    assert "<mark>ISO9001</mark>认证" in page and "通过<mark>iso</mark>审核" in page
    assert "<mark>ISO9001</mark> Straße认证" in page


def test_before_the_next_fold_a_hit_shows_its_category_and_date_as_they_are_now(client, auth):
    """Moved to another category and published again with an earlier date after the index last saw it: the
    page shows both as the article now has them (read with its page of hits, projected to what it shows)."""
    from chalicelib.editorial import get_article, publish_article, replace_article
    from local.dynamodb_calls import DynamoDBRequests

    shanghai = ZoneInfo("Asia/Shanghai")  # the site's time zone

    make_article("moved", title="物业服务标准发布", published_at=now() - timedelta(hours=1))
    pending.fold()
    item = get_article("moved")
    fields = {"title": item.title, "category": "policy", "body": item.body or [], "version": item.version}
    replace_article("moved", fields)
    publish_article("moved", now() - timedelta(days=400))
    with DynamoDBRequests() as sent:
        page = client.http.get(f"/search?q={quote('物业服务标准')}").body.decode()
    start = page.index('href="/articles/moved"')
    shown = page[start : page.index("</li>", start)]  # the hit
    assert "政策法规" in shown and "行业动态" not in shown
    assert f"<time>{(now() - timedelta(days=400)).astimezone(shanghai):%Y-%m-%d}</time>" in shown
    [batch] = [params for operation, params in sent.requests if operation == "BatchGetItem"]
    [request] = batch["RequestItems"].values()
    names = request.get("ExpressionAttributeNames", {})
    projected = {names.get(name.strip(), name.strip()) for name in request["ProjectionExpression"].split(",")}
    assert projected == {"id", "status", "published_at", "title", "subtitle", "category"}


@pytest.mark.parametrize(("decoys", "found_it"), [(MAX_CHECKED - 1, True), (MAX_CHECKED, False)])
def test_the_candidate_checks_stop_exactly_at_their_bound(tmp_path, decoys, found_it):
    """Newer articles holding each pair of "安全检查会" but not the phrase are checked and passed over, one by one,
    up to MAX_CHECKED checks a query: the phrase in the article after MAX_CHECKED - 1 of them is found, after
    MAX_CHECKED it is not (the search is bounded, and says nothing more)."""
    index = SqliteIndex(tmp_path / "i.sqlite3")
    moment = now()
    near = [
        Document(f"d{n}", "通知", "news", moment - timedelta(minutes=n), "安全 全检 检查 查会") for n in range(decoys)
    ]
    real = Document("real", "通知", "news", moment - timedelta(days=30), "开展安全检查会")
    index.add_many([*near, real])
    hits = index.search(parse_query("安全检查会"), moment, 20, 0)
    assert [hit.id for hit in hits] == (["real"] if found_it else [])
    index.close()


def test_a_query_at_each_documented_limit_is_searched_and_one_past_it_is_refused(client, auth):
    """64 characters and 8 terms (docs/search.md) are a query; 65 and 9 get the page's sentence."""
    from chalicelib.labels import LABELS

    too_long = html.escape(LABELS["zh-CN"]["search_too_long"], quote=False)
    eight = " ".join(["甲乙", "丙丁", "戊己", "庚辛", "壬癸", "子丑", "寅卯", "辰巳"])
    for query, refused in (("物" * 64, False), ("物" * 65, True), (eight, False), (eight + " 午未", True)):
        page = client.http.get(f"/search?q={quote(query)}").body.decode()
        assert (too_long in page) is refused, (len(query), refused)


def test_traditional_text_is_folded_to_simplified_by_a_new_containers_converter(client, auth, monkeypatch):
    """Phrases OpenCC converts as phrases, not character by character (瞭解 -> 了解 while 瞭 alone stays; 乾隆
    stays while 乾 alone is 干), with the converter made afresh as in a new container."""
    from chalicelib.search import text

    monkeypatch.setattr(text, "_T2S", None)
    assert text.fold("瞭解乾隆年間") == "了解乾隆年间"
    make_article("qing", title="瞭解乾隆年間的會館")
    assert found(client, "了解乾隆") == ["qing"]


def test_a_newer_title_match_does_not_hide_the_older_body_matches(tmp_path):
    """Titles are searched first; the body pass then meets the title match again, newest first, and goes on."""
    index = SqliteIndex(tmp_path / "i.sqlite3")
    moment = now()
    index.add_many(
        [
            Document("title", "消防演练通知", "news", moment - timedelta(hours=1), "全体会员参加"),
            Document("body", "年度工作", "news", moment - timedelta(hours=2), "组织消防演练"),
        ]
    )
    assert [hit.id for hit in index.search(parse_query("消防演练"), moment, 20, 0)] == ["title", "body"]
    index.close()


def test_a_fold_that_fails_part_way_changes_nothing_in_the_index(tmp_path):
    """One transaction per fold: a change that cannot be written undoes those before it, and the error is
    the change's own."""
    index = SqliteIndex(tmp_path / "i.sqlite3")
    moment = now()
    index.add_many([Document("kept", "消防演练通知", "news", moment - timedelta(hours=1), "")])
    broken = Document("broken", "消防演练", "news", None, "")
    with pytest.raises(AttributeError):
        index.replace({"kept": None, "new": Document("new", "消防演练", "news", moment, ""), "broken": broken})
    assert [hit.id for hit in index.search(parse_query("消防演练"), moment, 20, 0)] == ["kept"]
    index.close()


def test_the_searchable_text_is_each_block_s_a_line_and_a_photo_without_a_caption_adds_none(client, auth):
    from chalicelib.search import document_of
    from tests.site import make_categories, make_photo

    make_categories()
    make_photo("p1")
    body = [
        {"type": "paragraph", "text": "大会开幕"},
        {"type": "photo", "photo_id": "p1"},
        {"type": "photo", "photo_id": "p1", "caption": "会场"},
        {"type": "list", "ordered": False, "items": [{"text": "甲"}, {"text": "乙"}]},
    ]
    make_article("indexed", body=body)
    document = document_of(ArticleModel.get("indexed"))
    assert document is not None and document.body == "大会开幕\n会场\n甲\n乙"
