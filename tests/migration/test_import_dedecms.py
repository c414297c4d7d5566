"""`import-dedecms` against a real MariaDB holding DedeCMS's tables, into moto, photos through the real pipeline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib import categories, counters, legacy
from chalicelib.article_body import to_json
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel, PhotoModel
from ops.dedecms.images import Images
from ops.dedecms.importer import Options, import_site
from ops.dedecms.report import Report
from ops.dedecms.source import Connection, Source
from tests.events import sqs_event
from tests.migration import sites
from tests.migration.mariadb import MariaDB


def run_import(mariadb: MariaDB, web_root: Path, database: str = "dede_utf8", **options: Any) -> Report:
    stored_as = options.pop("stored_as", None)
    source = Source(Connection.from_url(mariadb.url(database), stored_as=stored_as))
    try:
        dry_run = options.get("dry_run", False)
        return import_site(source, Images(web_root, dry_run=dry_run), Options(**options))
    finally:
        source.close()


def process_uploads(client: Any) -> int:
    """Hand the queue's upload notifications to the deployed photo handler, as Lambda's trigger would."""
    sqs = boto3.client("sqs")
    queue = sqs.get_queue_url(QueueName=get_settings().photo_queue)["QueueUrl"]
    handled = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return handled
        result = client.lambda_.invoke("process_photos", sqs_event(*(m["Body"] for m in messages))).payload
        assert result == {"batchItemFailures": []}
        for message in messages:
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
        handled += len(messages)


def article(aid: int) -> ArticleModel:
    return ArticleModel.get(f"dede-{aid}", consistent_read=True)


def test_categories_keep_names_order_and_one_level_of_nesting(mariadb, web_root):
    report = run_import(mariadb, web_root)
    tree = [(c.slug, c.name, c.parent) for c in categories.list_categories()]
    assert tree == [
        ("news", "新闻中心", None),
        ("tongzhi", "通知公告", None),
        ("industry", "行业动态", "news"),
        ("hui-yuan", "会员风采", "news"),
    ]
    assert ("channel 5 协会官网", "a link to another site, not a list of articles") in report.skipped
    assert any("channel 3 地方动态: nested three levels deep, its articles go to news" in w for w in report.warnings)
    assert article(102).category == "news"  # the third level's article, in its top-level category


def test_articles_arrive_with_dates_authors_counts_and_status(mariadb, web_root):
    report = run_import(mariadb, web_root)
    congress = article(101)
    assert (congress.title, congress.category, congress.author, congress.source) == (
        "协会召开2023年度会员大会",
        "industry",
        "王伟",
        "协会秘书处",
    )
    assert congress.status == "published"
    assert congress.published_at == datetime(2023, 3, 15, 1, 30, tzinfo=UTC)  # 09:30 in Beijing
    assert counters.get_views("dede-101") == 1234 and counters.get_views("dede-104") == 789
    assert article(103).status == "draft" and article(103).listed_category is None
    skipped = dict(report.skipped)
    assert skipped["article 105 已删除的文章"] == "in the recycle bin"
    assert skipped["article 106 大会图集"] == "not an article (content model 2)"
    assert sorted(report.created) == [
        f"article {a} {t}"
        for a, t in sorted((a["id"], a["title"]) for a in sites.utf8_articles() if a["id"] in (101, 102, 103, 104, 107))
    ]


def test_the_body_becomes_the_blocks_an_editor_would_write(mariadb, web_root):
    run_import(mariadb, web_root)
    body = to_json(article(101).body)
    intro = "3月15日，协会2023年度会员大会在北京召开。\n来自全国各地的300余名会员代表参加会议。"
    assert body[0] == {"type": "paragraph", "text": intro}
    assert body[1] == {"type": "heading", "text": "一、大会议程"}
    assert body[2] == {"type": "paragraph", "text": "大会审议通过了理事会工作报告和财务报告。"}
    photos = [b for b in body if b["type"] == "photo"]
    assert len(photos) == sites.PHOTOS
    assert [p["caption"] for p in photos] == [sites.caption(n) for n in range(1, sites.PHOTOS + 1)]
    assert all("alt" not in p for p in photos)  # "from clipboard" is no description
    assert {"type": "heading", "text": "二、表彰先进"} in body
    assert body[-1] == {"type": "paragraph", "text": "大会在热烈的掌声中闭幕。"}
    assert len(body) == 3 + sites.PHOTOS + 2


def test_photos_go_through_the_pipeline_once_per_content(mariadb, web_root, client):
    report = run_import(mariadb, web_root)
    assert report.photos_uploaded == sites.PHOTOS + 1  # the 24, the cover; the notice reuses photo 1
    assert process_uploads(client) == sites.PHOTOS + 1
    congress = article(101)
    photo_ids = [b["photo_id"] for b in to_json(congress.body) if b["type"] == "photo"]
    for photo_id in photo_ids + [congress.cover_photo_id]:
        photo = PhotoModel.get(photo_id, consistent_read=True)
        assert photo.status == "ready" and photo.renditions, photo_id
    assert all(b["media"]["status"] == "ready" for b in to_json(congress.body) if b["type"] == "photo")  # refreshed
    notice = [b for b in to_json(article(104).body) if b["type"] == "photo"]
    assert notice == [{**notice[0], "photo_id": photo_ids[0], "alt": "大会会场全景"}]  # same file, same photo
    page = client.http.get("/articles/dede-101")
    assert page.status_code == 200 and page.body.decode().count("<picture") == sites.PHOTOS


def test_what_could_not_come_over_is_reported(mariadb, web_root):
    report = run_import(mariadb, web_root)
    notice = to_json(article(104).body)
    assert notice[0] == {"type": "paragraph", "text": "关于开展2023年会员单位年检工作的通知\n各会员单位："}
    rows = [[{"text": "事项"}, {"text": "截止日期"}], [{"text": "提交年检材料"}, {"text": "4月30日"}]]
    assert {"type": "table", "rows": rows} in notice  # a table, without a header row (stored without "header")
    assert notice[-1] == {"type": "paragraph", "text": "中国某某行业协会\n2023年4月1日"}
    warnings = [w for w in report.warnings if w.startswith("article 104")]
    missing = "photo left out: /uploads/allimg/230401/missing.jpg: missing file (caption: 此图已丢失)"
    assert any(missing in w for w in warnings)


def test_a_second_run_changes_nothing(mariadb, web_root, client):
    run_import(mariadb, web_root)
    process_uploads(client)
    versions = {a.id: (a.version, a.updated_at) for a in ArticleModel.scan()}
    photos = {p.photo_id for p in PhotoModel.scan()}
    again = run_import(mariadb, web_root)
    assert not again.changed(), again.lines()
    assert len(again.unchanged) == 5 and again.photos_reused == sites.PHOTOS + 2
    assert {a.id: (a.version, a.updated_at) for a in ArticleModel.scan()} == versions
    assert {p.photo_id for p in PhotoModel.scan()} == photos
    assert process_uploads(client) == 0
    assert counters.get_views("dede-101") == 1234  # set, not added


def test_a_change_on_the_old_site_updates_the_article_and_keeps_newer_views(mariadb, web_root):
    run_import(mariadb, web_root)
    reader = counters.Client("203.0.113.7", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0")
    counters.count_view("dede-102", reader)  # read once here since the first import
    with mariadb.connect("dede_utf8") as db, db.cursor() as cursor:
        cursor.execute("UPDATE dede_archives SET title = '地方协会走访会员企业（更新）' WHERE id = 102")
    try:
        report = run_import(mariadb, web_root)
    finally:
        with mariadb.connect("dede_utf8") as db, db.cursor() as cursor:
            cursor.execute("UPDATE dede_archives SET title = '地方协会新年走访会员企业' WHERE id = 102")
    assert report.updated == ["article 102 地方协会走访会员企业（更新）"]
    assert article(102).title == "地方协会走访会员企业（更新）"
    assert article(102).version == 3  # created, published, edited
    assert counters.get_views("dede-102") == 57


def test_old_urls_are_stored_against_the_new_pages(mariadb, web_root):
    run_import(mariadb, web_root)
    assert legacy.redirect_for("/a/news/industry/20230315/101.html") == "/articles/dede-101"
    assert legacy.redirect_for("/plus/view.php?aid=101") == "/articles/dede-101"
    assert legacy.redirect_for("/a/news/industry/local/20230101/102.html") == "/articles/dede-102"  # Beijing's day
    assert legacy.redirect_for("/a/news/Hui_Yuan/mouji.html") == "/articles/dede-107"
    assert legacy.redirect_for("/a/news/industry") == "/news/industry"
    assert legacy.redirect_for("/a/news/industry/local") == "/news/news"
    assert legacy.redirect_for("/plus/view.php?aid=103") is None  # a draft has no public page


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(mariadb, web_root):
    report = run_import(mariadb, web_root, dry_run=True)
    assert categories.list_categories() == [] and list(ArticleModel.scan()) == []
    assert list(PhotoModel.scan()) == [] and legacy.redirect_for("/plus/view.php?aid=101") is None
    lines = report.lines()
    assert "articles would be imported: 5, would be updated: 0, unchanged: 0, skipped: 3" in lines  # + a channel
    assert f"photos would be uploaded: {sites.PHOTOS + 1}, already there: 1" in lines
    assert "  would be created: article 101 协会召开2023年度会员大会" in lines


@pytest.mark.parametrize(("database", "stored_as"), [("dede_gbk", None), ("dede_latin1", "gbk")])
def test_a_gbk_site_arrives_without_mojibake(mariadb, web_root, database, stored_as):
    with mariadb.connect(database) as db, db.cursor() as cursor:  # the fixture really holds GBK bytes
        cursor.execute("SELECT HEX(CAST(title AS BINARY)) FROM dede_archives WHERE id = 201")
        stored = bytes.fromhex(cursor.fetchone()[0])
    assert stored == "朱镕基同志题词展在京开幕".encode("gbk")
    report = run_import(mariadb, web_root, database, stored_as=stored_as)
    assert report.skipped == [] and not [w for w in report.warnings if "latin1" in w]
    imported = article(201)
    assert (imported.title, imported.author) == ("朱镕基同志题词展在京开幕", "张堃")
    assert to_json(imported.body)[0] == {"type": "paragraph", "text": "展览由陈喆主持，展出题词手迹三十余幅。"}
    assert to_json(imported.body)[1]["caption"] == "展厅一角"
    assert [c.name for c in categories.list_categories()] == ["协会新闻"]


def test_latin1_tables_read_without_their_real_charset_warn_ops_and_the_import_goes_on(mariadb, web_root):
    report = run_import(mariadb, web_root, "dede_latin1")
    assert "the tables are latin1: if Chinese text arrives garbled, run again with --stored-as gbk" in report.warnings
    assert report.skipped == [] and article(201).title != "朱镕基同志题词展在京开幕"  # garbled, as warned


def test_a_wrong_stored_as_charset_replaces_what_it_cannot_read_and_the_import_goes_on(mariadb, web_root):
    """GBK bytes read as UTF-8 (ops guessed wrong): U+FFFD where they do not decode, never a traceback."""
    report = run_import(mariadb, web_root, "dede_latin1", stored_as="utf-8")
    assert report.skipped == [] and "\ufffd" in article(201).title
