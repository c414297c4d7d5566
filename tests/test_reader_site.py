"""What a Chinese association's readers expect of the site (issue 13): HEAD, the end of an article,
the home page's headlines, category totals and pages, through chalice's test client on moto."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib import editorial
from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.page_blocks import HEADLINE_SIZES
from local.dynamodb_calls import DynamoDBCalls, DynamoDBRequests
from tests.site import make_article, make_categories, make_photo

HTML = "text/html; charset=utf-8"


READERS = itertools.count()


def views(client, article_id):
    """The count on the page, read by a new reader (server mode counts each reader once)."""
    reader = {"User-Agent": f"Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0 reader/{next(READERS)}"}
    body = client.http.get(f"/articles/{article_id}", headers=reader).body.decode()
    return int(re.search(r'class="views">(\d+)<', body).group(1))


def end_of(body: str) -> str:
    return body.split('class="article-end"')[1].split("</nav>")[0]


@pytest.fixture
def category() -> list[str]:
    """Five industry articles an hour apart (oldest first), and around them what must not show."""
    make_categories()
    base = now() - timedelta(days=2)
    ids = [make_article(f"a{i}", title=f"行业第{i}篇", published_at=base + timedelta(hours=i)) for i in range(5)]
    make_article("other-category", category="policy", title="政策文章", published_at=base + timedelta(minutes=90))
    make_article("draft", title="草稿", publish=False)
    make_article("scheduled", title="定时文章", published_at=now() + timedelta(hours=3))
    return ids


@pytest.mark.parametrize("path", ["/", "/news/industry", "/articles/a2", "/admin", "/assets/reader.js"])
def test_head_answers_like_get_without_a_body(client, category, path):
    get = client.http.get(path)
    head = client.http.request("HEAD", path)
    assert get.status_code == head.status_code == 200
    assert get.body and head.body == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["Cache-Control"] == get.headers["Cache-Control"]


def test_head_answers_like_get_on_feeds_sitemap_robots_search_preview_and_old_urls(client, category):
    """Monitors and crawlers ask HEAD of every public URL, not only of pages (each was a 405)."""
    from chalicelib import auth, legacy

    legacy.remember_redirect("/a/news/20200101/7.html", "/articles/a1")
    legacy.remember_redirect(legacy.old_path("/plus/view.php", "7"), "/articles/a1")
    paths = {
        "/feed.xml": 200,
        "/news/industry/feed.xml": 200,
        "/sitemap.xml": 200,
        "/robots.txt": 200,
        "/search?q=行业": 200,
        f"/preview/{auth.issue_preview('draft')[0]}": 200,
        "/a/news/20200101/7.html": 301,
        "/plus/view.php?aid=7": 301,
        "/static/views.js": 200,
    }
    for path, status in paths.items():
        get = client.http.get(path)
        head = client.http.request("HEAD", path)
        assert (get.status_code, head.status_code) == (status, status), path
        assert (get.body or status == 301) and head.body == b"", path
        assert head.headers.get("Location") == get.headers.get("Location"), path


def test_head_on_an_article_counts_no_view_and_head_on_an_unknown_one_is_404(client, category):
    assert views(client, "a2") == 1
    client.http.request("HEAD", "/articles/a2")
    assert views(client, "a2") == 2
    missing = client.http.request("HEAD", "/articles/nope")
    assert missing.status_code == 404 and missing.body == b""


def test_the_end_of_an_article_links_its_neighbours_in_its_category_the_list_print_and_close(client, category):
    end = end_of(client.http.get("/articles/a2").body.decode())
    assert re.search(r'上一篇：<a href="/articles/a1" rel="prev">行业第1篇</a>', end)
    assert re.search(r'下一篇：<a href="/articles/a3" rel="next">行业第3篇</a>', end)
    assert '<a href="/news/industry">返回列表</a>' in end
    assert "data-print hidden>打印本页</a>" in end  # shown by the script, which alone can print
    assert '<a href="/news/industry" data-close>关闭</a>' in end  # without the script: back to the list
    related = re.findall(r'<a href="/articles/(\w+)">', end.split("相关文章")[1])
    assert related == ["a4", "a0"]  # the next ones on either side, newest first; never itself
    for hidden in ("政策文章", "草稿", "定时文章"):
        assert hidden not in end


def test_the_newest_and_oldest_articles_say_there_is_none(client, category):
    newest = end_of(client.http.get("/articles/a4").body.decode())
    assert "下一篇：没有了" in newest and 'rel="prev">行业第3篇' in newest  # the scheduled one stays hidden
    oldest = end_of(client.http.get("/articles/a0").body.decode())
    assert "上一篇：没有了" in oldest and 'rel="next">行业第1篇' in oldest


def test_a_scheduled_article_becomes_a_neighbour_once_its_time_has_come(client, category):
    editorial.publish_article("scheduled", now() - timedelta(minutes=1))
    assert 'rel="next">定时文章' in end_of(client.http.get("/articles/a4").body.decode())


def test_the_article_page_loads_its_script_and_the_csp_allows_only_our_own(client, category):
    response = client.http.get("/articles/a2")
    assert '<script src="/assets/reader.js" defer></script>' in response.body.decode()
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    script = client.http.get("/assets/reader.js")
    assert script.status_code == 200 and script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"window.print()" in script.body and b"window.close()" in script.body


def test_category_pages_show_the_total_and_go_back_and_forth(client, configure):
    configure(PAGE_SIZE="2")
    make_categories()
    base = now() - timedelta(days=1)
    for i in range(5):
        make_article(f"c{i}", title=f"第{i}条", published_at=base + timedelta(hours=i))
    make_article("later", title="定时", published_at=now() + timedelta(hours=1))
    pages, url = [], "/news/industry"
    while url:
        body = client.http.get(url).body.decode()
        assert "共 5 篇" in body  # the scheduled one is not counted
        pages.append((url, re.findall(r"第(\d)条", body), body))
        found = re.search(r'href="([^"]+)" rel="next"', body)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert [titles for _, titles, _ in pages] == [["4", "3"], ["2", "1"], ["0"]]
    assert 'rel="prev"' not in pages[0][2] and "第一页" not in pages[0][2]
    for (url, _, _), (_, _, body) in zip(pages, pages[1:], strict=False):  # each 上一页 leads to the page before
        previous = re.search(r'href="([^"]+)" rel="prev">上一页', body).group(1).replace("&amp;", "&")
        assert previous == url
        assert '<a href="/news/industry">第一页</a>' in body


def test_the_way_back_counts_an_article_published_this_very_moment(client, configure, clock):
    """A reader on page 2 when a scheduled article goes out: 上一页 leads to the two articles just above,
    the newest one (published at this very instant, so on the first page) included in the count back."""
    configure(PAGE_SIZE="2")
    make_categories()
    moment = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)
    clock(moment - timedelta(minutes=30))
    for i in range(1, 5):
        make_article(f"c{i}", title=f"第{i}条", published_at=moment - timedelta(hours=i))
    make_article("c0", title="第0条", published_at=moment)  # scheduled
    first = client.http.get("/news/industry").body.decode()
    assert re.findall(r"第(\d)条", first) == ["1", "2"]
    second_url = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    clock(moment)
    with DynamoDBRequests() as requests:
        second = client.http.get(second_url).body.decode()
    assert re.findall(r"第(\d)条", second) == ["3", "4"]
    previous = re.search(r'href="([^"]+)" rel="prev">上一页', second).group(1).replace("&amp;", "&")
    assert re.findall(r"第(\d)条", client.http.get(previous).body.decode()) == ["1", "2"]
    # each Query from the cursor asks for one page's worth (and one more to know there is a next page),
    # never for every article above it
    from_cursor = [p.get("Limit") for op, p in requests.requests if op == "Query" and "ExclusiveStartKey" in p]
    assert sorted(from_cursor) == [2, 3]


def test_a_category_page_counts_without_scanning(client, category):
    client.http.get("/news/industry")
    with DynamoDBCalls() as calls:
        assert client.http.get("/news/industry").status_code == 200
    assert calls.operations == ["Query", "Query"]  # the page, then the COUNT


def test_home_has_an_h1_and_headline_photos_of_the_newest_articles(client):
    make_categories()
    make_photo("cover")
    make_photo("inline", 1200, 800)
    base = now() - timedelta(days=1)
    make_article("no-photo", title="无图新闻", published_at=base + timedelta(hours=5))
    make_article(
        "with-cover",
        title="封面新闻",
        cover_photo_id="cover",
        published_at=base + timedelta(hours=4),
        body=[
            {"type": "photo", "photo_id": "inline", "caption": "正文图"},
            {"type": "photo", "photo_id": "cover", "caption": "封面图", "alt": "主席台全景"},
        ],
    )
    make_article(
        "first-photo",
        category="policy",
        title="正文首图新闻",
        published_at=base + timedelta(hours=3),
        body=[{"type": "paragraph", "text": "导语"}, {"type": "photo", "photo_id": "inline", "caption": "会场"}],
    )
    body = client.http.get("/").body.decode()
    assert re.search(r'<h1 class="name"><a href="/">[^<]+</a></h1>', body) and body.count("<h1") == 1
    headlines = body.split('class="headlines"')[1].split("</ul>")[0]
    items = re.findall(
        r'<li><a href="/articles/([\w-]+)"><figure>.*?<img src="([^"]+)".*?<figcaption>([^<]+)<', headlines, re.S
    )
    media = get_settings().media_base_url
    assert items == [
        ("with-cover", f"{media}/renditions/cover/1600.jpg", "封面新闻"),  # the cover, not the body's first photo
        ("first-photo", f"{media}/renditions/inline/1024.jpg", "正文首图新闻"),  # no cover: the first photo
    ]
    assert 'alt=""' in headlines and 'loading="eager"' in headlines.split("</li>")[0]
    assert headlines.count('loading="lazy"') == 1
    # captioned by its article's title: the photo's own alt would only be read twice
    assert re.findall(r'<img [^>]*alt="([^"]*)"', headlines) == ["", ""] and "主席台全景" not in headlines
    # a grid cell's width, not an article column's: phones fetch the small renditions
    assert set(re.findall(r'<img [^>]*sizes="([^"]*)"', headlines)) == {HEADLINE_SIZES}


def test_home_without_photos_has_no_headline_area(client, category):
    assert 'class="headlines"' not in client.http.get("/").body.decode()
