"""Reader pages through chalice's test client, with DynamoDB on moto."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import boto3
import pytest

from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.page_blocks import PHOTO_SIZES
from local.dynamodb_calls import DynamoDBCalls, write_units
from tests.site import a_reader, make_article, make_categories, make_photo

HTML = "text/html; charset=utf-8"
SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def get_with_shanghai_dates(client, path: str):
    """The response, and the readers' dates (Shanghai) just before and just after it was served.

    The page may be rendered on either side of a midnight that falls during the
    request, so a test accepts the date before or the date after, and only then
    more than one: the two are equal unless midnight passed.
    """
    before = datetime.now(timezone.utc).astimezone(SHANGHAI).date()
    response = client.http.get(path, headers=a_reader())
    after = datetime.now(timezone.utc).astimezone(SHANGHAI).date()
    return response, {before, after}


def views_shown(body: str) -> int:
    match = re.search(r'class="views">(\d+)<', body)
    assert match, "view count missing"
    return int(match.group(1))


@pytest.fixture
def site() -> None:
    make_categories()
    make_photo("p1")
    make_photo("p2", 1200, 1600)
    make_article("notice-1", category="policy", title="关于开展信用评价工作的通知", notice=True)
    make_article(
        "long-read",
        title="行业高质量发展论坛召开",
        subtitle="凝聚行业力量",
        source="协会秘书处",
        author="宣传部",
        published_at=datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc),
        body=[
            {"type": "paragraph", "text": "第一段：大会隆重召开。"},
            {"type": "photo", "photo_id": "p1", "caption": "协会会长致辞"},
            {"type": "heading", "text": "论坛"},
            {"type": "photo", "photo_id": "p2", "caption": "会场", "alt": "会场全景，四百名代表"},
            {"type": "paragraph", "text": "第二段：圆满闭幕。"},
        ],
    )


def test_home_shows_notices_and_latest_per_top_level_category(client, site):
    response = client.http.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == HTML
    body = response.body.decode()
    assert '<html lang="zh-CN">' in body
    notices = body.split('class="notices"')[1].split("</section>")[0]
    assert "关于开展信用评价工作的通知" in notices and "行业高质量发展论坛" not in notices
    channels = re.findall(r'<h2><a href="/news/(\w+)">', body)
    assert channels == ["news", "policy"]  # top level only, by position
    news = body.split('<h2><a href="/news/news">')[1].split("</section>")[0]
    assert "行业高质量发展论坛召开" in news  # a child category's article shows in its channel


def test_article_page_has_every_element_of_the_reference_page(client, site):
    response, days = get_with_shanghai_dates(client, "/articles/long-read")
    assert response.status_code == 200
    body = response.body.decode()
    welcome = re.search(r"<span>欢迎您，今天是 ([^<]*)</span>", body)
    assert welcome, "the date line is missing"
    assert welcome.group(1) in {f"{d.year}年{d.month}月{d.day}日 {WEEKDAYS[d.weekday()]}" for d in days}
    assert re.search(r"© (\d{4}) ", body).group(1) in {str(d.year) for d in days}
    assert "编辑登录" in body and "联系我们" in body
    assert "重要通知" in body and "/articles/notice-1" in body
    crumbs = re.findall(
        r"<li><a href=\"([^\"]+)\">([^<]+)</a></li>", body.split('class="crumbs"')[1].split("</nav>")[0]
    )
    assert crumbs == [("/", "首页"), ("/news/news", "新闻中心"), ("/news/industry", "行业动态")]
    assert "<h1>行业高质量发展论坛召开——凝聚行业力量</h1>" in body
    # 17:30 UTC is the next day in Shanghai; full-width colons, as in the top bar's "欢迎您，"
    assert '发布：<time datetime="2026-03-02T01:30:00+08:00">2026-03-02</time>' in body
    assert "文章来源：协会秘书处" in body and "作者：宣传部" in body
    assert '查看：<span class="views">1</span>次' in body
    text = body.split('<div class="body">')[1]  # the head's JSON-LD holds the text too (articleBody)
    order = [text.index(s) for s in ("第一段", "协会会长致辞", "<h2>论坛</h2>", "会场全景", "第二段")]
    assert order == sorted(order)
    # An alt that would repeat the caption is empty (screen readers read the figcaption once)
    assert 'alt=""' in body and "<figcaption>协会会长致辞</figcaption>" in body and 'alt="协会会长致辞"' not in body
    assert 'alt="会场全景，四百名代表"' in body and "<figcaption>会场</figcaption>" in body
    assert 'width="1200" height="1600"' in body  # no layout shift
    assert body.count('loading="eager"') == 1 and "<footer>" in body and "版权所有" in body
    assert body.count('fetchpriority="high"') == 1  # the first screen's photo is fetched first (LCP)
    assert 'loading="eager" fetchpriority="high"' in body


def test_a_ready_photo_offers_every_rendition_in_webp_and_jpeg_at_the_column_width(client, site):
    """The browser picks the rendition it needs: a WebP source and the JPEG img, each listing every width."""
    make_photo("wide")
    make_article("renditions", body=[{"type": "photo", "photo_id": "wide", "caption": "会场"}])
    figure = client.http.get("/articles/renditions").body.decode().split("<figure>")[1].split("</figure>")[0]
    base = f"{get_settings().media_base_url}/renditions/wide"
    webp = ", ".join(f"{base}/{w}.webp {w}w" for w in (320, 640, 1024, 1600))
    jpeg = ", ".join(f"{base}/{w}.jpg {w}w" for w in (320, 640, 1024, 1600))
    assert f'<source type="image/webp" srcset="{webp}" sizes="{PHOTO_SIZES}">' in figure
    assert f'<img src="{base}/1600.jpg" srcset="{jpeg}" sizes="{PHOTO_SIZES}"' in figure


@pytest.mark.parametrize(
    ("before", "first"),
    [
        ([], "eager"),  # a photo at the top
        ([("paragraph", 60), ("heading", 20), ("list", 40)], "eager"),  # 120 characters: a phone's first screen
        ([("paragraph", 60), ("heading", 20), ("list", 41)], "lazy"),
        ([("paragraph", 121)], "lazy"),
    ],
)
def test_only_a_first_photo_with_at_most_120_characters_above_it_loads_at_once(client, site, before, first):
    """Text above the first photo pushes it below a phone's first screen; a later photo is never fetched first."""
    made = {
        "paragraph": lambda n: {"type": "paragraph", "text": "字" * n},
        "heading": lambda n: {"type": "heading", "text": "题" * n},
        "list": lambda n: {"type": "list", "ordered": False, "items": [{"text": "项" * n}]},
    }
    body = [made[kind](n) for kind, n in before]
    body += [
        {"type": "photo", "photo_id": "p1"},
        {"type": "paragraph", "text": "后"},
        {"type": "photo", "photo_id": "p2"},
    ]
    make_article("photos", body=body)
    page = client.http.get("/articles/photos").body.decode().split('<div class="body">')[1]
    loading = re.findall(r'<img [^>]*loading="(\w+)"', page)
    assert loading == [first, "lazy"]
    assert page.count('fetchpriority="high"') == (first == "eager")


def test_a_photo_not_yet_processed_is_a_placeholder_with_its_caption(client, site):
    make_photo("slow", status="pending")
    make_article("pending", body=[{"type": "photo", "photo_id": "slow", "caption": "合影"}])
    figure = client.http.get("/articles/pending").body.decode().split("<figure>")[1].split("</figure>")[0]
    assert "<img" not in figure and "图片处理中" in figure and "<figcaption>合影</figcaption>" in figure


def test_a_photo_without_caption_colour_or_renditions(client, site):
    """No caption is no figcaption; no dominant colour is the grey placeholder behind the image; a ready photo
    with no rendition (never its original: private, with its metadata) is shown as unavailable, not broken."""
    from chalicelib.models import PhotoModel

    make_photo("grey")
    make_photo("bare")
    PhotoModel("grey").update(actions=[PhotoModel.color.remove()])
    PhotoModel("bare").update(actions=[PhotoModel.renditions.set([])])
    make_article("plain-photos", body=[{"type": "photo", "photo_id": "grey"}, {"type": "photo", "photo_id": "bare"}])
    page = client.http.get("/articles/plain-photos").body.decode()
    grey, bare = (f.split("</figure>")[0] for f in page.split("<figure>")[1:])
    assert '<img src="' in grey and 'style="background-color: #e8e8e8"' in grey
    assert "<img" not in bare and "<picture>" not in bare and "图片暂不可用" in bare
    assert "<figcaption>" not in grey and "<figcaption>" not in bare


def test_empty_source_is_hidden(client, site):
    make_article("no-source", source="", author="宣传部")
    response = client.http.get("/articles/no-source")
    assert response.status_code == 200
    body = response.body.decode()
    assert "作者：宣传部" in body  # the meta line is there, without the source
    assert "文章来源" not in body


def test_every_view_counts_once_and_shows_the_new_count(client, site):
    readers = [a_reader() for _ in range(3)]
    counts = [views_shown(client.http.get("/articles/long-read", headers=r).body.decode()) for r in readers]
    assert counts == [1, 2, 3]
    assert views_shown(client.http.get("/articles/long-read", headers=readers[0]).body.decode()) == 3  # again


def test_drafts_and_scheduled_articles_are_invisible_and_uncounted(client, site):
    make_article("draft", publish=False)
    make_article("later", published_at=now() + timedelta(hours=2))
    for article_id in ("draft", "later"):
        response = client.http.get(f"/articles/{article_id}")
        assert response.status_code == 404
        assert "页面未找到" in response.body.decode()
    response = client.http.get("/news/industry")
    assert response.status_code == 200
    industry = response.body.decode()
    assert 'href="/articles/long-read"' in industry  # the listing lists published articles
    assert "/articles/draft" not in industry and "/articles/later" not in industry
    counters = boto3.client("dynamodb").scan(TableName=get_settings().tables["counters"])["Items"]
    assert {c["article_id"]["S"] for c in counters} == set()


@pytest.mark.parametrize("path", ["/articles/unknown", "/articles/UPPER", "/articles/" + "a" * 300, "/news/nowhere"])
def test_unknown_pages_are_404_in_the_site_design(client, site, path):
    response = client.http.get(path)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == HTML
    body = response.body.decode()
    assert "页面未找到" in body and "返回首页" in body and "新闻中心" in body  # menu still there


def test_stored_text_is_escaped(client, site):
    make_photo("p9")
    make_article(
        "xss",
        title="<script>alert(1)</script>",
        source='"><img src=x onerror=alert(2)>',
        body=[{"type": "photo", "photo_id": "p9", "caption": '" onload="alert(3)'}],
    )
    response = client.http.get("/articles/xss")
    assert response.status_code == 200
    body = response.body.decode()
    assert "<script>alert(1)" not in body and "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in body
    assert "<img src=x" not in body and "文章来源：&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in body
    assert 'onload="alert(3)' not in body and "<figcaption>&#34; onload=&#34;alert(3)</figcaption>" in body


def test_category_listing_is_newest_first_and_paginates_with_a_cursor(client, site):
    base = now() - timedelta(days=30)
    for i in range(23):
        make_article(f"item-{i:02d}", title=f"第{i:02d}条", published_at=base + timedelta(hours=i))
    first = client.http.get("/news/industry").body.decode()
    titles = re.findall(r"第(\d\d)条", first)
    assert len(titles) == 20 and titles == sorted(titles, reverse=True)
    next_url = re.search(r'href="(/news/industry\?cursor=[^"]+)" rel="next"', first).group(1)
    second = client.http.get(next_url).body.decode()
    rest = re.findall(r"第(\d\d)条", second)
    assert rest == ["02", "01", "00"] and 'rel="next"' not in second
    assert set(titles).isdisjoint(rest)


@pytest.mark.parametrize("cursor", ["zzz", "e30", "eyJpZCI6MX0", "eyJpZCI6ImEiLCJwdWJsaXNoZWRfYXQiOiJub3QgYSBkYXRlIn0"])
def test_a_bad_cursor_is_a_400_page_not_a_500(client, site, cursor):
    response = client.http.get(f"/news/industry?cursor={cursor}")
    assert response.status_code == 400
    assert "请求无效" in response.body.decode()


def test_parent_listing_includes_children_and_child_listing_does_not_include_parent(client, site):
    make_article("parent-only", category="news", title="新闻中心直属文章")
    parent = client.http.get("/news/news").body.decode()
    child = client.http.get("/news/industry").body.decode()
    assert "新闻中心直属文章" in parent and "行业高质量发展论坛召开" in parent
    assert "新闻中心直属文章" not in child and "行业高质量发展论坛召开" in child


def links_in(body: str, start: str, end: str) -> list[tuple[str, str]]:
    """The (href, text) of the links between `start` and the next `end`."""
    part = body.split(start, 1)[1].split(end, 1)[0]
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', part)


def test_a_category_page_has_the_menu_notices_its_trail_and_only_its_own_subcategories(client, site):
    """The channel lists its sub-categories under its name, a sub-category lists none (not the channels);
    both carry the site's menu and notices, and the breadcrumb leads from home through the channel."""
    menu = [("/", "首页"), ("/news/news", "新闻中心"), ("/news/policy", "政策法规")]
    notices = [("/articles/notice-1", "关于开展信用评价工作的通知")]
    home = ("/", "首页")
    pages = {path: client.http.get(path).body.decode() for path in ("/news/news", "/news/industry", "/news/policy")}
    for body in pages.values():
        assert links_in(body, '<nav class="menu"', "</nav>") == menu
        assert links_in(body, '<section class="notices"', "</section>") == notices
    assert links_in(pages["/news/news"], '<nav class="crumbs"', "</nav>") == [home, ("/news/news", "新闻中心")]
    assert links_in(pages["/news/industry"], '<nav class="crumbs"', "</nav>") == [
        home,
        ("/news/news", "新闻中心"),
        ("/news/industry", "行业动态"),
    ]
    assert links_in(pages["/news/policy"], '<nav class="crumbs"', "</nav>") == [home, ("/news/policy", "政策法规")]
    assert links_in(pages["/news/news"], "</h1>", '<ul class="list">') == [("/news/industry", "行业动态")]
    assert links_in(pages["/news/industry"], "</h1>", '<ul class="list">') == []
    assert links_in(pages["/news/policy"], "</h1>", '<ul class="list">') == []


def test_article_view_costs_one_read_and_one_small_write(client, site):
    """The write: the count, guarded per client on the counter item itself (counters.py)."""
    paragraphs = [{"type": "paragraph", "text": "长" * 2000} for _ in range(10)]  # a ~60 KB article
    make_article("big", body=paragraphs)
    client.http.get("/articles/big", headers=a_reader())  # warms the navigation, the window and the counter's marks
    settings = get_settings()
    key = {"id": {"S": "big"}}
    stored = boto3.client("dynamodb").get_item(TableName=settings.tables["articles"], Key=key)["Item"]
    with DynamoDBCalls() as calls:
        response = client.http.get("/articles/big", headers=a_reader())
    assert response.status_code == 200
    assert [(op, table) for op, table, _ in calls.calls] == [
        ("GetItem", settings.tables["articles"]),
        ("UpdateItem", settings.tables["counters"]),
    ]  # 上一篇/下一篇 and related articles from the window (tests/test_neighbours.py)
    dynamodb = boto3.client("dynamodb")
    counter = dynamodb.get_item(TableName=settings.tables["counters"], Key={"article_id": {"S": "big"}})["Item"]
    article = dynamodb.get_item(TableName=settings.tables["articles"], Key={"id": {"S": "big"}})["Item"]
    assert write_units(counter) == 1
    assert dynamodb.scan(TableName=settings.tables["logins"])["Items"] == []  # no guard item elsewhere
    assert article == stored and "views" not in article  # untouched: rewriting ~60 KB would cost 60 WCU a view


READER_PAGES = {"/": 200, "/news/news": 200, "/news/industry": 200, "/articles/long-read": 200, "/articles/nope": 404}


def test_reader_pages_never_scan(client, site):
    statuses = {}
    with DynamoDBCalls() as calls:
        for path in READER_PAGES:
            statuses[path] = client.http.get(path).status_code
    assert statuses == READER_PAGES
    assert {"GetItem", "Query"} <= set(calls.operations) and "Scan" not in calls.operations


def test_a_failing_database_gives_the_error_page_without_a_trace(client, site):
    dynamodb = boto3.client("dynamodb")
    table = get_settings().tables["counters"]
    description = dynamodb.describe_table(TableName=table)["Table"]
    dynamodb.delete_table(TableName=table)
    try:
        response = client.http.get("/articles/long-read")
    finally:
        dynamodb.create_table(
            TableName=table,
            KeySchema=description["KeySchema"],
            AttributeDefinitions=description["AttributeDefinitions"],
            BillingMode="PAY_PER_REQUEST",
        )
    body = response.body.decode()
    assert response.status_code == 500
    assert "服务暂时不可用" in body
    assert "Traceback" not in body and "ResourceNotFound" not in body


def test_pages_carry_security_headers(client, site):
    headers = client.http.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert client.http.get("/articles/long-read").headers["Cache-Control"] == "private, no-cache"


def test_the_login_link_leads_to_the_editors_app(client, site):
    body = client.http.get("/").body.decode()
    login = re.search(r'<a href="([^"]+)">编辑登录</a>', body).group(1)
    response = client.http.get(login)
    assert response.status_code == 200 and '/app.js"' in response.body.decode()


def test_the_date_line_and_the_footers_year_are_the_readers_own_across_new_year(client, site, clock):
    """At 16:30 UTC on New Year's Eve it is already 2027 in Beijing, where the readers are."""
    clock(datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc))
    body = client.http.get("/articles/long-read", headers=a_reader()).body.decode()
    assert re.search(r"<span>欢迎您，今天是 ([^<]*)</span>", body).group(1) == "2027年1月1日 星期五"
    assert re.search(r"© (\d{4}) ", body).group(1) == "2027"
