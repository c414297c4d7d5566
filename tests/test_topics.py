"""专题: editors build a topic through the API; readers see its page and feed with the visible articles only."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from chalicelib import editorial, site_item, topic_directory, topics
from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.models import CategoryModel, SiteSettingsModel, TopicModel
from chalicelib.topics import PREFIX
from local.dynamodb_calls import DynamoDBCalls, DynamoDBRequests
from tests.api_helpers import call
from tests.site import make_article, make_categories, make_photo
from tests.transaction_faults import transaction_conflicts


def tables() -> Mapping[str, str]:
    return get_settings().tables


TOPIC = {"title": "2026年会员大会", "intro": "大会的全部报道<b>。", "articles": ["b", "a", "draft", "later", "gone"]}


def test_a_topic_built_by_an_editor_is_read_in_its_order(client, auth):
    make_article("a", title="大会开幕", category="industry")
    make_article("b", title="大会闭幕", category="policy")
    make_article("draft", title="草稿", publish=False)
    make_article("later", title="定时", publish=False)
    editorial.publish_article("later", now() + timedelta(days=1))
    saved = call(client, "PUT", "/api/topics/congress-2026", TOPIC, auth)
    assert saved.status_code == 200 and saved.json["articles"] == TOPIC["articles"]
    got = call(client, "GET", "/api/topics/congress-2026", headers=auth).json
    assert got == {**saved.json, "titles": {"a": "大会开幕", "b": "大会闭幕", "draft": "草稿", "later": "定时"}}
    with DynamoDBCalls() as calls:
        page = client.http.get("/topics/congress-2026")
    assert page.status_code == 200
    html = page.body.decode()
    assert "<h1>2026年会员大会</h1>" in html and "大会的全部报道&lt;b&gt;。" in html
    assert html.index("大会闭幕") < html.index("大会开幕") and "草稿" not in html and "定时" not in html
    assert "Scan" not in calls.operations and calls.operations.count("BatchGetItem") == 1
    feed = client.http.get("/topics/congress-2026/feed.xml")
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("application/atom+xml")
    body = feed.body.decode()
    assert "2026年会员大会" in body and "/articles/b" in body and "/articles/draft" not in body


def test_a_topic_page_has_the_sites_menu(client, auth):
    make_categories()
    call(client, "PUT", "/api/topics/expo", {"title": "博览会", "articles": []}, auth)
    menu = re.search(r'<nav class="menu".*?</nav>', client.http.get("/topics/expo").body.decode(), re.S)
    assert menu and re.findall(r'<a href="([^"]+)">([^<]+)</a>', menu.group(0)) == [
        ("/", "首页"),
        ("/news/news", "新闻中心"),
        ("/news/policy", "政策法规"),
    ]


def test_unknown_topics_are_the_404_page(client, auth):
    assert client.http.get("/topics/nothing").status_code == 404
    assert client.http.get("/topics/nothing/feed.xml").status_code == 404
    for slug in ("nothing", "Not_A_Slug"):
        answer = call(client, "GET", f"/api/topics/{slug}", headers=auth)
        assert (answer.status_code, answer.json) == (
            404,
            {"message": "topic not found", "code": "not_found", "topic": slug},
        )


def test_bad_topics_are_refused_and_nothing_is_stored(client, auth):
    def text(field: str, limit: int) -> dict[str, str]:
        return {"message": f"{field} must be text of at most {limit} characters", "code": "topic_text", "field": field}

    articles = {"message": "articles must be at most 100 distinct article ids", "code": "topic_articles"}
    for body, refusal in [
        ({"intro": "x"}, text("title", 120)),
        ({**TOPIC, "title": None}, text("title", 120)),
        ({**TOPIC, "title": 5}, text("title", 120)),
        ({**TOPIC, "title": "长" * 121}, text("title", 120)),
        ({**TOPIC, "title": ""}, {"message": "title must not be empty", "code": "empty", "field": "title"}),
        ({**TOPIC, "title": "   "}, {"message": "title must not be empty", "code": "empty", "field": "title"}),
        ({**TOPIC, "intro": 5}, text("intro", 2000)),
        ({**TOPIC, "intro": "长" * 2001}, text("intro", 2000)),
        ({**TOPIC, "articles": ["a", "a"]}, {**articles, "field": "articles"}),
        ({**TOPIC, "articles": "a"}, {**articles, "field": "articles"}),
        ({**TOPIC, "articles": ["../x"]}, {**articles, "field": "articles"}),
        ({**TOPIC, "articles": [5]}, {**articles, "field": "articles"}),
        ({**TOPIC, "articles": [f"a{n}" for n in range(101)]}, {**articles, "field": "articles"}),
        (
            {**TOPIC, "banner_photo_id": "../x"},
            {"message": "banner_photo_id must be a photo id", "code": "photo_id", "field": "banner_photo_id"},
        ),
        (
            {**TOPIC, "banner_photo_id": 5},
            {"message": "banner_photo_id must be a photo id", "code": "photo_id", "field": "banner_photo_id"},
        ),
        ({**TOPIC, "colour": "red"}, {"message": "unknown field: colour", "code": "unknown_field", "field": "colour"}),
    ]:
        answer = call(client, "PUT", "/api/topics/t1", body, auth)
        assert (answer.status_code, answer.json) == (400, refusal), body
    assert call(client, "GET", "/api/topics/t1", headers=auth).status_code == 404
    assert call(client, "PUT", "/api/topics/t1", TOPIC).status_code == 401


def test_a_topic_may_take_the_longest_title_and_introduction_and_a_hundred_articles(client, auth):
    longest = {"title": "长" * 120, "intro": "长" * 2000, "articles": [f"a{n}" for n in range(100)]}
    saved = call(client, "PUT", "/api/topics/t1", longest, auth)
    assert (saved.status_code, saved.json) == (200, {**longest, "slug": "t1", "banner_photo_id": None})
    bare = call(client, "PUT", "/api/topics/t2", {"title": "专题"}, auth)  # no articles yet
    assert (bare.status_code, bare.json) == (
        200,
        {"slug": "t2", "title": "专题", "intro": "", "banner_photo_id": None, "articles": []},
    )


def test_a_topic_shows_its_banner_and_a_banner_must_be_a_processed_photo(client, auth):
    make_photo("banner-1", width=1600, height=500)
    make_photo("banner-pending", status="pending")
    for photo_id in ("banner-pending", "no-such-photo"):
        answer = call(client, "PUT", "/api/topics/expo", {**TOPIC, "banner_photo_id": photo_id}, auth)
        assert (answer.status_code, answer.json["field"], answer.json["code"]) == (
            400,
            "banner_photo_id",
            "photo_not_ready",
        )
    assert call(client, "GET", "/api/topics/expo", headers=auth).status_code == 404  # nothing stored
    saved = call(client, "PUT", "/api/topics/expo", {**TOPIC, "banner_photo_id": "banner-1"}, auth)
    assert saved.status_code == 200 and saved.json["banner_photo_id"] == "banner-1"
    html = client.http.get("/topics/expo").body.decode()
    banner = re.search(r'<div class="topic-banner">.*?</div>', html, re.S)
    assert banner and "/renditions/banner-1/1600.jpg" in banner.group(0) and 'loading="eager"' in banner.group(0)
    assert 'width="1600" height="500"' in banner.group(0) and html.index("topic-banner") < html.index("<h1>")
    assert 'style="background-color: #808080"' in banner.group(0)  # the photo's colour while it loads
    call(client, "PUT", "/api/topics/expo", {**TOPIC, "banner_photo_id": None}, auth)
    assert 'class="topic-banner"' not in client.http.get("/topics/expo").body.decode()
    stored = TopicModel.get(PREFIX + "expo")
    assert (stored.banner_photo_id, stored.banner) == (None, None)  # the sizes go with the photo


def test_an_article_names_its_topics_without_a_request_of_its_own(client, auth):
    make_categories()
    make_article("a", title="大会开幕")
    make_article("c", title="别的新闻")
    call(client, "PUT", "/api/topics/congress", {"title": "会员大会", "articles": ["a"]}, auth)
    call(client, "PUT", "/api/topics/awards", {"title": "年度评选", "articles": ["c", "a"]}, auth)
    client.http.get("/articles/c")  # the site's item (settings, links, topics) and the navigation are kept
    with DynamoDBRequests() as requests:
        page = client.http.get("/articles/a").body.decode()
    topics = re.search(r'<p class="article-topics">(.*?)</p>', page, re.S)
    assert topics and re.findall(r'<a href="(/topics/[\w-]+)">([^<]+)</a>', topics.group(1)) == [
        ("/topics/congress", "会员大会"),
        ("/topics/awards", "年度评选"),
    ]  # by title
    read = [table for _, table, _ in requests.reads()]
    assert tables()["articles"] in read and tables()["categories"] not in read  # the article, no topic or item
    call(client, "PUT", "/api/topics/awards", {"title": "年度评选", "articles": ["c"]}, auth)  # this container
    assert "年度评选" not in client.http.get("/articles/a").body.decode()


def test_saving_a_topic_keeps_the_other_topics_in_the_directory(client, auth):
    for number in range(3):
        call(client, "PUT", f"/api/topics/t{number}", {"title": f"专题{number}", "articles": ["x"]}, auth)
    assert [slug for slug, _ in topic_directory.topics_of("x")] == ["t0", "t1", "t2"]
    stored = json.loads(SiteSettingsModel.get(site_item.KEY).topics or "{}")
    assert stored["t1"] == {"title": "专题1", "articles": ["x"]}


def test_the_directory_is_stored_in_order_and_readable_whatever_order_topics_were_saved_in(client, auth):
    """The site's item as ops see it in the console or a backup: topics by slug, the titles as typed (UTF-8, not
    \\u escapes, which would also take twice the bytes of the item's limit)."""
    for number in (2, 0, 1):
        call(client, "PUT", f"/api/topics/t{number}", {"title": f"专题{number}", "articles": ["x"]}, auth)
    assert SiteSettingsModel.get(site_item.KEY).topics == (
        '{"t0": {"articles": ["x"], "title": "专题0"}, '
        '"t1": {"articles": ["x"], "title": "专题1"}, '
        '"t2": {"articles": ["x"], "title": "专题2"}}'
    )


def test_editors_find_published_articles_by_title_and_see_a_topics_titles(client, auth):
    make_article("a", title="第五届会员大会开幕")
    make_article("b", title="会员大会闭幕")
    make_article("c", title="行业培训")
    make_article("d", title="会员大会筹备（草稿）", publish=False)
    found = call(client, "GET", "/api/topic-articles?q=%E4%BC%9A%E5%91%98%E5%A4%A7%E4%BC%9A", headers=auth)
    assert found.status_code == 200
    assert sorted(a["id"] for a in found.json["articles"]) == ["a", "b"]
    for query in ("", "x" * 41):
        answer = call(client, "GET", f"/api/topic-articles?q={query}", headers=auth)
        assert (answer.status_code, answer.json["field"], answer.json["code"]) == (400, "q", "topic_query")
    assert call(client, "GET", "/api/topic-articles?q=a").status_code == 401
    call(client, "PUT", "/api/topics/t", {"title": "专题", "articles": ["b", "d", "gone"]}, auth)
    got = call(client, "GET", "/api/topics/t", headers=auth).json
    assert got["titles"] == {"b": "会员大会闭幕", "d": "会员大会筹备（草稿）"}
    assert call(client, "PUT", "/api/topics/t", got, auth).status_code == 200  # what GET answers goes back


def test_found_articles_show_title_category_and_publication_and_the_query_is_read_as_typed(client, auth):
    make_article(
        "a", title="2026 年会员大会在京开幕", category="policy", published_at=datetime(2025, 3, 1, 8, 30, tzinfo=UTC)
    )
    make_article("b", title="行业培训")
    longest = "长" * 38 + "标题"  # as long as a query may be
    make_article("c", title=longest)
    found = call(client, "GET", "/api/topic-articles?q=" + quote("  2026   年会员 "), headers=auth)  # spaces as typed
    assert found.json == {
        "articles": [
            {
                "id": "a",
                "title": "2026 年会员大会在京开幕",
                "category": "policy",
                "published_at": "2025-03-01T08:30:00+00:00",
            }
        ]
    }
    found = call(client, "GET", "/api/topic-articles?q=" + quote(longest), headers=auth)
    assert found.status_code == 200 and [a["id"] for a in found.json["articles"]] == ["c"]


def test_finding_articles_reads_on_past_the_newest_hundred_and_stops_once_it_has_twenty(client, auth):
    make_article("old", title="年会闭幕回顾")  # older than the newest hundred (one Query's page)
    for n in range(100):
        make_article(f"n{n:02}", title=("年会闭幕" if n % 20 == 0 else "年会" if n % 5 == 0 else "培训") + f" {n}")

    def find(query: str) -> tuple[list[str], int]:
        with DynamoDBRequests() as requests:
            found = call(client, "GET", "/api/topic-articles?q=" + quote(query), headers=auth)
        queries = [p for op, p in requests.requests if op == "Query" and p["TableName"] == tables()["articles"]]
        return [a["id"] for a in found.json["articles"]], len(queries)

    assert find("闭幕") == (["n80", "n60", "n40", "n20", "n00", "old"], 2)  # newest first, across two pages
    assert find("年会") == ([f"n{n:02}" for n in range(95, -1, -5)], 1)  # twenty: the older ones are not read


def test_a_topics_titles_are_read_without_the_rest_of_its_articles(client, auth):
    """An article may near DynamoDB's 400 KB and a topic lists up to a hundred: its GET reads ids and titles only."""
    make_article("a", title="大会开幕", body=[{"type": "paragraph", "text": "正文。" * 2000}])
    call(client, "PUT", "/api/topics/t", {"title": "专题", "articles": ["a"]}, auth)
    with DynamoDBRequests() as requests:
        got = call(client, "GET", "/api/topics/t", headers=auth)
    assert got.json["titles"] == {"a": "大会开幕"}
    (read,) = [p["RequestItems"][tables()["articles"]] for op, p in requests.requests if op == "BatchGetItem"]
    names = read["ExpressionAttributeNames"]
    assert sorted(names[name.strip()] for name in read["ProjectionExpression"].split(",")) == ["id", "title"]


def test_a_topic_stored_with_a_banner_id_and_no_banner_sizes_is_shown_without_a_banner(client, auth):
    """As the first 专题 release stored a banner (its id only; its size and renditions are copied in since): the
    page and the API still answer, the page without the banner."""
    TopicModel(PREFIX + "expo", title="博览会", banner_photo_id="photo1", article_ids=[]).save()
    page = client.http.get("/topics/expo")
    html = page.body.decode()
    assert page.status_code == 200 and "<h1>博览会</h1>" in html and 'class="topic-banner"' not in html
    got = call(client, "GET", "/api/topics/expo", headers=auth)
    assert (got.status_code, got.json["banner_photo_id"]) == (200, "photo1")


def test_the_directory_takes_topics_up_to_its_size_and_refuses_one_byte_more(client, auth, monkeypatch):
    """The directory shares the site's item with the settings and links (DynamoDB's 400 KB): at most MAX_BYTES of
    UTF-8. The topics saved before are one long entry here, to keep the arithmetic short."""
    empty = '{"new": {"articles": [], "title": ""}, "old": {"articles": [], "title": ""}}'

    def save_new(title: str, total: int) -> tuple[int, dict]:
        """PUT topic `new` titled `title` beside an `old` one, the two taking `total` bytes (titles ASCII)."""
        old = {"old": {"title": "x" * (total - len(empty) - len(title)), "articles": []}}
        SiteSettingsModel(site_item.KEY, topics=json.dumps(old)).save()
        answer = call(client, "PUT", "/api/topics/new", {"title": title}, auth)
        return answer.status_code, answer.json

    refusal = (400, {"message": "too many topics to list", "code": "topic_articles", "field": "articles"})
    assert save_new("abc", topic_directory.MAX_BYTES + 1) == refusal
    # moto counts an attribute's old and new value together against its 405 KB (LimitedSizeDict), so it cannot
    # replace a 300 KB directory with another: the boundary's other side is shown with a smaller limit.
    monkeypatch.setattr(topic_directory, "MAX_BYTES", 1000)
    assert save_new("ab", 1000)[0] == 200
    assert json.loads(SiteSettingsModel.get(site_item.KEY).topics or "{}")["new"]["title"] == "ab"
    assert save_new("abc", 1001) == refusal
    assert call(client, "GET", "/api/topics/new", headers=auth).json["title"] == "ab"  # nothing stored


@pytest.mark.parametrize("before", [[], ["earlier"]], ids=["first-topics", "more-topics"])
def test_topics_saved_by_two_editors_at_once_are_both_in_the_directory(client, auth, before):
    """Another editor's save lands between this save's read of the directory and its write: this one's condition
    fails, it reads the directory again and keeps both."""
    for slug in before:
        call(client, "PUT", f"/api/topics/{slug}", {"title": "早先的专题", "articles": ["x"]}, auth)
    botocore = CategoryModel._get_connection().connection.client
    others: list[str] = []

    def another_editor_saves(**_: object) -> None:
        if not others:
            others.append("other")
            topics.put_topic("other", {"title": "别的专题", "articles": ["x"]})

    botocore.meta.events.register("before-call.dynamodb.TransactWriteItems", another_editor_saves)
    try:
        with DynamoDBCalls() as calls:
            saved = call(client, "PUT", "/api/topics/mine", {"title": "我的专题", "articles": ["x"]}, auth)
    finally:
        botocore.meta.events.unregister("before-call.dynamodb.TransactWriteItems", another_editor_saves)
    assert saved.status_code == 200 and calls.operations.count("TransactWriteItems") == 3  # other's, refused, again
    stored = json.loads(SiteSettingsModel.get(site_item.KEY).topics or "{}")
    assert sorted(stored) == sorted([*before, "mine", "other"])


def test_the_first_topic_is_written_on_condition_that_there_is_no_directory_yet(client, auth):
    """DynamoDB finds a comparison with a missing attribute false (moto takes the attribute for NULL, so the save
    itself cannot show it here): the first topic's write conditions on the directory's absence, the next ones on
    the directory as they read it."""
    with DynamoDBRequests() as requests:
        for slug in ("t1", "t2"):
            assert (
                call(client, "PUT", f"/api/topics/{slug}", {"title": "专题", "articles": []}, auth).status_code == 200
            )
    updates = [
        item["Update"]
        for operation, params in requests.requests
        if operation == "TransactWriteItems"
        for item in params["TransactItems"]
        if "Update" in item
    ]
    assert [(u["Key"], u["ConditionExpression"], u["ExpressionAttributeNames"]) for u in updates] == [
        ({"slug": {"S": site_item.KEY}}, "attribute_not_exists (#0)", {"#0": "topics"}),
        ({"slug": {"S": site_item.KEY}}, "#0 = :0", {"#0": "topics"}),
    ]
    assert updates[1]["ExpressionAttributeValues"][":0"] == {"S": '{"t1": {"articles": [], "title": "专题"}}'}


def test_a_topic_save_that_keeps_meeting_others_is_refused_and_nothing_is_stored(client, auth):
    with transaction_conflicts(3) as answered:
        refused = call(client, "PUT", "/api/topics/t", TOPIC, auth)
    assert (refused.status_code, refused.json) == (
        409,
        {"message": "topics were being changed; save again", "code": "conflict", "field": "articles"},
    )
    assert len(answered) == topic_directory.ATTEMPTS
    assert call(client, "GET", "/api/topics/t", headers=auth).status_code == 404
