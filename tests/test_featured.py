"""Article flags (头条, 幻灯, 推荐) and the home page's sections from one Query on the sparse index."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from chalicelib import editorial
from chalicelib.articles import now
from chalicelib.featured import FEATURED, LOOKED_AT
from chalicelib.models import ArticleModel
from chalicelib.page_blocks import CAROUSEL_SIZES, HEADLINE_SIZES
from local.dynamodb_calls import DynamoDBCalls
from ops.dedecms.importer import dede_flags
from tests.api_helpers import call
from tests.site import make_article, make_photo


def photo_body(photo_id: str) -> list[dict[str, str]]:
    return [{"type": "paragraph", "text": "正文。"}, {"type": "photo", "photo_id": photo_id, "caption": "图"}]


def carousel_titles(page: str) -> list[str]:
    block = re.search(r'<ul class="headlines"[^>]*>(.*?)</ul>', page, re.S)
    return re.findall(r"<figcaption>([^<]*)</figcaption>", block.group(1)) if block else []


def headline_sizes(page: str) -> set[str]:
    """The `sizes` of the headline photos: the widths the browser picks a rendition for."""
    block = re.search(r'<ul class="headlines"[^>]*>(.*?)</ul>', page, re.S)
    return set(re.findall(r'<img [^>]*sizes="([^"]*)"', block.group(1))) if block else set()


def section(page: str, name: str) -> str:
    found = re.search(rf'<section class="{name}"(.*?)</section>', page, re.S)
    return found.group(1) if found else ""


def test_the_api_takes_and_answers_flags_and_refuses_others(client, auth):
    body = {"title": "头条新闻", "category": "industry", "flags": ["recommended", "headline", "headline"]}
    created = call(client, "POST", "/api/articles", body, auth)
    assert created.status_code == 201, created.json
    assert created.json["flags"] == ["headline", "recommended"] and created.json["pinned_until"] is None
    for flags in (["top"], "headline", [1]):
        refused = call(client, "POST", "/api/articles", {**body, "flags": flags}, auth)
        assert refused.status_code == 400 and (refused.json["field"], refused.json["code"]) == ("flags", "flags")
        assert refused.json["message"] == "flags must be a list of headline, carousel, recommended"
    pinned = call(client, "POST", "/api/articles", {**body, "pinned_until": "2027-01-01T08:00:00+08:00"}, auth)
    assert pinned.status_code == 201 and pinned.json["pinned_until"] == "2027-01-01T08:00:00+08:00"
    site_time = call(client, "POST", "/api/articles", {**body, "pinned_until": "2027-01-01T08:00:00"}, auth)
    assert site_time.status_code == 201 and site_time.json["pinned_until"] == "2027-01-01T08:00:00+08:00"  # Shanghai
    unflagged = call(client, "POST", "/api/articles", {**body, "flags": [], "pinned_until": "2027-01-01T08:00"}, auth)
    assert unflagged.status_code == 201 and unflagged.json["pinned_until"] is None  # pinned leads no section


def test_the_home_page_shows_the_headline_the_carousel_and_the_recommended_list(client, auth):
    for index in range(4):
        make_photo(f"c{index}")
    hours = iter(range(1, 100))
    make_article("plain", title="最新普通文章", body=photo_body("c3"), published_at=now() - timedelta(minutes=5))
    for index in range(3):
        make_article(
            f"s{index}",
            title=f"幻灯{index}",
            body=photo_body(f"c{index}"),
            flags=["carousel"],
            published_at=now() - timedelta(hours=next(hours)),
        )
    make_article("nophoto", title="无图幻灯", flags=["carousel"], published_at=now() - timedelta(hours=next(hours)))
    make_article("h-new", title="新头条", flags=["headline"], published_at=now() - timedelta(hours=next(hours)))
    make_article(
        "h-pinned",
        title="置顶头条",
        flags=["headline", "recommended"],
        published_at=now() - timedelta(days=3),
        pinned_until=now() + timedelta(days=1),
    )
    make_article("r1", title="推荐一", flags=["recommended"], published_at=now() - timedelta(hours=next(hours)))
    make_article("later", title="定时推荐", flags=["recommended"], publish=False)
    editorial.publish_article("later", now() + timedelta(days=1))  # scheduled: not yet
    make_article("draft", title="草稿推荐", flags=["recommended"], publish=False)
    page = client.http.get("/").body.decode()
    assert carousel_titles(page) == ["幻灯0", "幻灯1", "幻灯2"]  # flagged, with a photo, newest first
    assert page.count("data-carousel") == 1  # reader.js makes it a carousel
    assert headline_sizes(page) == {CAROUSEL_SIZES}  # one slide the column's width, not a grid's cell
    assert "置顶头条" in section(page, "headline") and "新头条" not in section(page, "headline")  # pinned leads
    recommended = re.findall(r'<a href="/articles/([\w-]+)"', section(page, "recommended"))
    assert recommended == ["h-pinned", "r1"]
    editorial.unpublish_article("h-pinned")
    page = client.http.get("/").body.decode()
    assert "新头条" in section(page, "headline") and "h-pinned" not in section(page, "recommended")


def test_a_headline_stays_however_many_plain_articles_are_published_after_it(client, auth):
    """Only flagged articles enter the featured index, so the one Query of its newest LOOKED_AT (30) reaches the
    headline behind any number of newer ordinary articles."""
    make_article("h", title="协会头条", flags=["headline"], published_at=now() - timedelta(days=2))
    for index in range(LOOKED_AT):
        make_article(f"plain{index}", title=f"普通{index}", published_at=now() - timedelta(hours=index + 1))
    assert "协会头条" in section(client.http.get("/").body.decode(), "headline")
    assert [item.id for item in ArticleModel.featured.query(FEATURED)] == ["h"]


def test_without_flags_the_home_page_is_as_before(client, auth):
    make_photo("c0")
    make_article("plain", title="最新普通文章", body=photo_body("c0"))
    page = client.http.get("/").body.decode()
    assert carousel_titles(page) == ["最新普通文章"] and 'class="headline"' not in page
    assert "data-carousel" not in page  # the newest photos: a grid that never moves
    assert headline_sizes(page) == {HEADLINE_SIZES}
    assert 'class="recommended"' not in page


def test_the_flags_cost_the_home_page_one_query_and_no_scan(client, auth):
    make_photo("c0")
    make_article("s0", title="幻灯", body=photo_body("c0"), flags=["carousel", "headline"])
    client.http.get("/")  # the navigation is kept from here on
    with DynamoDBCalls() as calls:
        client.http.get("/")
    channels = 2  # news and policy: one Query each, as before
    assert "Scan" not in calls.operations
    assert calls.operations.count("Query") == channels + 1


def test_the_home_page_reads_one_page_of_the_newest_thirty_flagged_articles(client, auth):
    """However many articles were ever flagged (the DedeCMS import brings years of them), the home page's
    sections come from one Query of at most 30 items, newest first, not from reading them all."""
    from local.dynamodb_calls import DynamoDBRequests

    make_article("h0", title="头条", flags=["headline"])
    with DynamoDBRequests() as requests:
        assert client.http.get("/").status_code == 200
    featured = [
        (params.get("Limit"), params.get("ScanIndexForward"))
        for operation, params in requests.requests
        if operation == "Query" and params.get("IndexName") == ArticleModel.featured.Meta.index_name
    ]
    assert featured == [(30, False)]


def test_the_home_pages_photos_read_only_the_articles_cover_and_body(client, auth):
    """The carousel's photos come from one BatchGetItem of the candidates' bodies: only the attributes it needs,
    not whole articles (their search text, review and history would multiply the read's size)."""
    from local.dynamodb_calls import DynamoDBRequests

    make_photo("c0")
    make_article("s0", title="幻灯", body=photo_body("c0"), flags=["carousel"])
    with DynamoDBRequests() as requests:
        page = client.http.get("/").body.decode()
    assert carousel_titles(page) == ["幻灯"]
    batches = [params for operation, params in requests.requests if operation == "BatchGetItem"]
    articles = ArticleModel.Meta.table_name
    read = [request for batch in batches for table, request in batch["RequestItems"].items() if table == articles]
    assert len(read) == 1
    names = read[0].get("ExpressionAttributeNames", {})
    projected = {names.get(name, name) for name in read[0].get("ProjectionExpression", "").split(", ")}
    assert projected == {"id", "cover_photo_id", "body"}


def test_an_article_published_this_very_moment_is_already_featured(client, auth, clock):
    moment = datetime(2030, 3, 1, 8, 0, tzinfo=timezone.utc)
    clock(moment)
    make_article("h-old", title="旧头条", flags=["headline"], published_at=moment - timedelta(hours=1))
    make_article("h-now", title="此刻的头条", flags=["headline"], published_at=moment)
    headline = section(client.http.get("/").body.decode(), "headline")
    assert "此刻的头条" in headline and "旧头条" not in headline


def test_dedecms_flags_map_to_the_articles_flags():
    assert dede_flags("h,f,p") == ["headline", "carousel"]
    assert dede_flags("c") == ["recommended"]
    assert dede_flags("") == [] and dede_flags("a,s,b,j") == []


def test_a_pin_ends_at_its_moment(client, auth, clock):
    until = datetime(2030, 3, 1, 8, 0, tzinfo=timezone.utc)  # an editor's "pinned until 16:00" in Shanghai
    clock(until - timedelta(hours=2))
    make_article("h-new", title="新头条", flags=["headline"], published_at=now() - timedelta(hours=1))
    make_article(
        "h-pinned", title="置顶头条", flags=["headline"], published_at=now() - timedelta(days=3), pinned_until=until
    )
    clock(until - timedelta(microseconds=1))
    assert "置顶头条" in section(client.http.get("/").body.decode(), "headline")  # pinned leads until then
    clock(until)
    headline = section(client.http.get("/").body.decode(), "headline")
    assert "新头条" in headline and "置顶头条" not in headline  # at that moment the newest leads again
