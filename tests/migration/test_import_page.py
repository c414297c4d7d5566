"""`import-page`: a saved DedeCMS page (GB2312, its 24 photos in `*_files/`) -> the article an editor would write."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from chalicelib import categories, counters, legacy
from chalicelib.article_body import to_json
from chalicelib.fetching import Fetcher, FetchRefused
from chalicelib.models import ArticleModel, PhotoModel
from ops.dedecms.pages import decode, import_page, old_site, parse_page
from tests.fixture_server import loopback_allowed
from tests.migration import sites
from tests.migration.test_import_dedecms import process_uploads, run_import

INTRO = "3月15日，协会2023年度会员大会在北京召开。\n来自全国各地的300余名会员代表参加会议。"


def test_a_saved_gbk_page_becomes_the_article_with_its_captioned_photos(tmp_path, client):
    categories.put_category("news", "新闻中心", None, 10)
    categories.put_category("industry", "行业动态", "news", 20)
    page = sites.saved_page(tmp_path)
    assert "协会".encode("gb2312") in page.read_bytes() and "协会".encode() not in page.read_bytes()
    report = import_page(page, None)
    assert report.created == [f"page {page.name}"] and report.skipped == []
    assert report.photos_uploaded == sites.PHOTOS
    assert process_uploads(client) == sites.PHOTOS
    article = ArticleModel.get("dede-101", consistent_read=True)  # the page names its DedeCMS id
    assert (article.title, article.category, article.source, article.author) == (
        "协会召开2023年度会员大会",
        "industry",  # from the breadcrumb
        "协会秘书处",
        "王伟",
    )
    assert article.status == "published" and article.published_at == datetime(2023, 3, 15, 1, 30, tzinfo=UTC)
    assert counters.get_views("dede-101") == 1234
    photos = [b for b in to_json(article.body) if b["type"] == "photo"]
    assert [b["type"] for b in to_json(article.body)[:3]] == ["paragraph", "heading", "paragraph"]
    assert to_json(article.body)[0]["text"] == INTRO and to_json(article.body)[1]["text"] == "一、大会议程"
    assert [p["caption"] for p in photos] == [sites.caption(n) for n in range(1, sites.PHOTOS + 1)]
    assert all(PhotoModel.get(p["photo_id"]).status == "ready" and p["media"]["status"] == "ready" for p in photos)
    assert "------分隔线" not in str(to_json(article.body))  # the template around the body stays out


def test_the_page_of_an_imported_article_is_that_article_unchanged(mariadb, web_root, tmp_path):
    run_import(mariadb, web_root)
    version = ArticleModel.get("dede-101").version
    report = import_page(sites.saved_page(tmp_path), None)
    assert report.unchanged == [f"page {sites.PAGE_NAME}.html"] and not report.changed(), report.lines()
    assert report.photos_reused == sites.PHOTOS  # same files, same photos
    assert ArticleModel.get("dede-101").version == version


def test_a_page_without_a_known_category_is_skipped_with_the_reason(tmp_path):
    report = import_page(sites.saved_page(tmp_path, aid=None), None)
    assert report.skipped == [
        (f"page {sites.PAGE_NAME}.html", "no category: its breadcrumb names none here; give --category")
    ]
    assert list(ArticleModel.scan()) == []


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_page_at_a_url_brings_its_photos_only_when_remote_images_are_allowed(tmp_path):
    categories.put_category("news", "新闻中心", None, 10)
    categories.put_category("industry", "行业动态", "news", 20)
    page = sites.saved_page(tmp_path)
    server = serve(tmp_path)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{quote(page.name)}"
        with loopback_allowed(f"127.0.0.1:{server.server_address[1]}"):
            without = import_page(url, None, dry_run=True)
            assert sum("on another site (allow with --remote-images)" in w for w in without.warnings) == sites.PHOTOS
            report = import_page(url, None, allow_remote=True)
        with pytest.raises(FetchRefused, match="private or local address"):  # not listed: never fetched
            import_page(url, None, allow_remote=True)
        with pytest.raises(FetchRefused, match="private or local address"):  # an https address is fetched too
            import_page(f"https://127.0.0.1:{server.server_address[1]}/{quote(page.name)}", None)
    finally:
        server.shutdown()
    assert report.created == [f"page {url}"] and report.photos_uploaded == sites.PHOTOS
    body = to_json(ArticleModel.get("dede-101", consistent_read=True).body)
    assert [b["caption"] for b in body if b["type"] == "photo"] == [sites.caption(n) for n in range(1, 25)]


def test_the_old_site_named_is_reached_on_whatever_port_it_answers_and_nothing_else_is():
    """The ops person named the old site: on port 8000 it is fetched; another host never, a web port or not."""
    public = lambda host, port: ["93.184.216.34"]  # noqa: E731 (the old site's public address)
    fetcher = Fetcher(old_site("http://www.old-association.org.cn:8000/a/1.html", 1024), resolver=public)
    assert fetcher.check("http://www.old-association.org.cn:8000/a/2.html")[2] == 8000
    assert fetcher.check("http://www.old-association.org.cn:7001/a/2.html")[2] == 7001
    for url in ("http://elsewhere.example:8000/a", "http://elsewhere.example/a"):
        with pytest.raises(FetchRefused) as refused:
            fetcher.check(url)
        assert refused.value.code == "fetch_host"


def test_the_charset_comes_from_the_pages_meta():
    assert decode('<meta charset="gbk"><p>镕</p>'.encode("gbk")).endswith("镕</p>")
    assert decode('<meta http-equiv="Content-Type" content="text/html; charset=utf-8"><p>镕</p>'.encode()).endswith(
        "镕</p>"
    )
    assert decode("\ufeff<p>协会</p>".encode()) == "<p>协会</p>"


def test_a_gb2312_page_is_read_as_gb18030_and_other_charsets_as_declared():
    """镕 is in GBK, not GB2312: pages that say gb2312 are written by editors whose input methods type GBK."""
    assert decode('<meta charset="GB2312"><p>朱镕基</p>'.encode("gbk")).endswith("<p>朱镕基</p>")
    assert decode('<meta charset="big5"><p>協會</p>'.encode("big5")).endswith("<p>協會</p>")  # not in the table


def test_a_page_without_a_charset_is_read_as_utf8():
    assert decode("<html><p>协会</p></html>".encode()) == "<html><p>协会</p></html>"


def test_only_the_pages_first_4096_bytes_are_searched_for_its_charset():
    """A declaration whose charset name starts at byte 4096 is past them: the page is read as UTF-8."""
    head = b"<html><head><title>" + b" " * 4096
    head = head[: 4096 - len(b'</title><meta charset="')] + b'</title><meta charset="'
    assert len(head) == 4096
    page = head + 'gbk"></head><body><p>协会</p></body></html>'.encode()
    assert decode(page).endswith("<p>协会</p></body></html>")


@pytest.mark.parametrize("head", [b"\xef\xbb\xbf", b'<meta charset="utf-8">', b""])
def test_bytes_that_are_not_the_charsets_are_replaced_and_the_rest_is_read(head):
    """A page cut off or mangled in the middle of a character still imports: the broken bytes read as U+FFFD."""
    page = head + "<p>协会".encode() + "会员".encode()[:-1] + b"</p>"
    assert decode(page).endswith("<p>协会会\ufffd</p>")


def test_a_page_dated_year_one_is_reported_and_imported_as_a_draft(tmp_path):
    """Issue 27: 0001-01-01 (what some DedeCMS rows hold) crashed the import; it is reported and the import goes on."""
    categories.put_category("news", "新闻中心", None, 10)
    categories.put_category("industry", "行业动态", "news", 20)
    page = sites.saved_page(tmp_path)
    page.write_bytes(page.read_bytes().replace(b"2023-03-15 09:30", b"0001-01-01 00:00"))
    report = import_page(page, None)
    assert report.created == [f"page {page.name}"] and report.skipped == []
    assert f"page {page.name}: no usable date on the page: left as a draft" in report.warnings
    article = ArticleModel.get("dede-101", consistent_read=True)
    assert article.status == "draft" and article.published_at is None


@pytest.mark.parametrize(
    "body, title",
    [
        ('<h1>协会网</h1><div class="title"><h1>会员大会召开</h1></div>', "会员大会召开"),  # the logo's h1 comes first
        ('<div class="title"><h1>会员大会召开</h1><h2>大会通知</h2></div>', "大会通知"),
        ("<h1>会员大会召开</h1>", "会员大会召开"),  # no title block: the page's heading
        ("<p>会员大会召开</p>", "网站首页"),  # no heading: the window title before its site name
    ],
)
def test_a_pages_title_is_its_title_blocks_heading_before_any_other(body, title):
    page = f"<html><head><title>网站首页_协会网</title></head><body>{body}</body></html>"
    assert parse_page(page, "Asia/Shanghai").title == title


def write_page(folder: Path, body: str) -> Path:
    """A page saved as UTF-8, `body` inside its `<body>`."""
    page = folder / "page.html"
    page.write_text(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>', encoding="utf-8")
    return page


def only_article() -> ArticleModel:
    (article,) = ArticleModel.scan(consistent_read=True)
    return article


PLACE = (
    "<div class=\"place\"><strong>当前位置:</strong> <a href='/'>主页</a> > <a href='/a/news/'>新闻中心</a> > "
    "<a href='/a/news/industry/'>行业动态</a> > </div>"
)


def test_the_breadcrumbs_deepest_old_channel_address_names_the_category_it_was_imported_as(tmp_path):
    """行业动态 was imported as `trade` and renamed 行业资讯 here: its old address still names it, before the
    shallower 新闻中心, which is a category by its name."""
    categories.put_category("news", "新闻中心", None, 10)
    categories.put_category("trade", "行业资讯", "news", 20)
    legacy.remember_redirect(legacy.old_path("/a/news/industry/"), "/news/trade")
    report = import_page(write_page(tmp_path, PLACE + '<div class="title"><h2>会员大会召开</h2></div>'), None)
    assert report.created == ["page page.html"] and report.skipped == []
    assert only_article().category == "trade"


def test_a_page_with_only_a_heading_is_imported_as_an_empty_draft(tmp_path):
    """No info line (date, source, author, views) and no body block: the article has the title and nothing else."""
    categories.put_category("news", "新闻中心", None, 10)
    report = import_page(write_page(tmp_path, "<h1>会员大会召开</h1>"), "news")
    assert report.created == ["page page.html"] and report.skipped == []
    assert report.warnings == ["page page.html: no usable date on the page: left as a draft"]
    article = only_article()
    assert (article.title, to_json(article.body), article.source, article.author, article.status) == (
        "会员大会召开",
        [],
        None,
        None,
        "draft",
    )


def test_a_page_without_any_title_is_skipped_with_the_reason(tmp_path):
    """Neither a heading nor a window title: nothing to call the article, so it is not imported."""
    categories.put_category("news", "新闻中心", None, 10)
    (tmp_path / "a.jpg").write_bytes(sites.jpeg(64, 48, (9, 9, 9)))
    body = '<div class="content"><p>正文</p><p><img src="a.jpg" alt=""></p></div>'
    report = import_page(write_page(tmp_path, body), "news")
    assert report.created == [] and report.skipped == [
        ("page page.html", "no title: neither a heading nor a window title")
    ]
    assert report.warnings == []  # not "left as a draft": nothing was left at all
    assert list(ArticleModel.scan()) == [] and list(PhotoModel.scan()) == []


def test_text_the_body_shows_as_written_keeps_its_chinese_characters(tmp_path):
    """`<xmp>` (an old page's notice or code, shown as written) reads 第一条, not its character references."""
    categories.put_category("news", "新闻中心", None, 10)
    body = '<div class="title"><h2>协会章程</h2></div><div class="content"><p>章程如下：</p><xmp>第一条 本会名称</xmp>'
    import_page(write_page(tmp_path, body + "</div>"), "news")
    assert to_json(only_article().body) == [
        {"type": "paragraph", "text": "章程如下："},
        {"type": "paragraph", "text": "第一条 本会名称"},
    ]


def test_a_breadcrumb_in_a_position_block_names_the_category(tmp_path):
    """Some DedeCMS templates call the breadcrumb `.position` (the default one `.place`)."""
    categories.put_category("news", "新闻中心", None, 10)
    position = "<div class='left position'>您的位置: <a href='/'>主页</a> > <a href='/a/news/'>新闻中心</a></div>"
    report = import_page(write_page(tmp_path, position + '<div class="title"><h2>会员大会召开</h2></div>'), None)
    assert report.created == ["page page.html"] and report.skipped == []
    assert only_article().category == "news"


def test_a_pages_date_keeps_its_seconds_and_its_views_start_at_zero_without_a_count(tmp_path):
    categories.put_category("news", "新闻中心", None, 10)
    info = '<div class="info">时间: 2023-03-15 09:30:45 来源: 协会秘书处</div>'  # no 点击: no count shown
    report = import_page(write_page(tmp_path, '<div class="title"><h2>会员大会召开</h2></div>' + info), "news")
    assert report.warnings == []
    article = only_article()
    assert article.status == "published" and article.published_at == datetime(2023, 3, 15, 1, 30, 45, tzinfo=UTC)
    assert counters.get_views(article.id) == 0


def test_a_page_dated_1970_the_empty_date_of_dedecms_is_imported_as_a_draft(tmp_path):
    """DedeCMS shows an article without a date as 1970-01-01 08:00 (0 in Beijing): not a date to publish from."""
    categories.put_category("news", "新闻中心", None, 10)
    page = write_page(tmp_path, '<h1>会员大会召开</h1><div class="info">时间: 1970-01-01 08:00</div>')
    report = import_page(page, "news")
    assert report.warnings == ["page page.html: no usable date on the page: left as a draft"]
    article = only_article()
    assert article.status == "draft" and article.published_at is None


def test_a_pages_date_does_not_depend_on_the_time_zone_of_the_machine_importing_it(tmp_path, configure, monkeypatch):
    """Ops import from their own machines, here in Beijing, a site in UTC: its last possible date (hours before
    year 10000 in Beijing) is its date all the same, not an unusable one."""
    configure(SITE_TIMEZONE="UTC")
    categories.put_category("news", "新闻中心", None, 10)
    page = write_page(tmp_path, '<h1>会员大会召开</h1><div class="info">时间: 9999-12-31 20:00</div>')
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert time.localtime().tm_gmtoff == 8 * 3600  # the zone reached the process: the test means something
        report = import_page(page, "news")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert report.created == ["page page.html"] and report.warnings == []
    article = only_article()
    assert article.status == "published" and article.published_at == datetime(9999, 12, 31, 20, 0, tzinfo=UTC)


def test_only_the_counters_script_names_the_pages_dedecms_id(tmp_path):
    """A sidebar image whose address holds `aid=` (another article's QR code) does not make the page that
    article: without the counter, the page is an article of its own."""
    categories.put_category("news", "新闻中心", None, 10)
    body = '<div class="title"><h2>会员大会召开</h2></div><img src="/plus/qrcode.php?type=arc&aid=7">'
    report = import_page(write_page(tmp_path, body), "news")
    assert report.created == ["page page.html"]
    assert only_article().id.startswith("page-")


def test_a_page_at_a_url_keeps_its_relative_links_read_against_its_address(tmp_path):
    """上一篇 links `/a/news/2.html`: from a URL, that is the old site's page; from a file it could be anything."""
    categories.put_category("news", "新闻中心", None, 10)
    body = '<h1>会员大会召开</h1><div class="content"><p>详见<a href="/a/news/2.html">上次大会</a>报道。</p></div>'
    server = serve(tmp_path)
    try:
        port = server.server_address[1]
        with loopback_allowed(f"127.0.0.1:{port}"):
            report = import_page(f"http://127.0.0.1:{port}/{write_page(tmp_path, body).name}", "news")
    finally:
        server.shutdown()
    assert report.warnings == [f"page http://127.0.0.1:{port}/page.html: no usable date on the page: left as a draft"]
    (paragraph,) = to_json(only_article().body)
    assert paragraph["marks"] == [
        {"type": "link", "start": 2, "end": 6, "href": f"http://127.0.0.1:{port}/a/news/2.html"}
    ]


def test_a_pages_photos_are_held_to_the_sites_upload_limit(tmp_path, configure):
    """The site takes photos of up to MAX_UPLOAD_BYTES; a larger one on a page is left out with its size, not sent."""
    configure(MAX_UPLOAD_BYTES=str(1024 * 1024))
    categories.put_category("news", "新闻中心", None, 10)
    (tmp_path / "big.jpg").write_bytes(sites.jpeg(64, 48, (9, 9, 9)) + b"\0" * (1024 * 1024))
    body = '<h1>会员大会召开</h1><div class="content"><p>正文</p><p><img src="big.jpg" alt=""></p></div>'
    report = import_page(write_page(tmp_path, body), "news")
    assert report.created == ["page page.html"] and report.photos_uploaded == 0
    assert "page page.html: photo left out: big.jpg: larger than 1 MB" in report.warnings, report.warnings
    assert to_json(only_article().body) == [{"type": "paragraph", "text": "正文"}]
