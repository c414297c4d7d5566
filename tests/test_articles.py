"""What readers see of articles: listings, the notices bar, pagination and visibility."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import boto3
import pytest

from chalicelib.articles import is_visible, list_category, list_notices, now
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel
from chalicelib.pagination import encode_cursor
from local.dynamodb_calls import DynamoDBCalls
from tests.api_helpers import bearer, call, make_editor
from tests.site import make_article, make_categories


@pytest.fixture
def auth():
    make_editor()
    make_categories()
    return bearer()


def notices_bar(page: str) -> str:
    return page.split('class="notices"')[1].split("</section>")[0] if 'class="notices"' in page else ""


def channel_section(page: str, slug: str) -> str:
    return page.split(f'<h2><a href="/news/{slug}">')[1].split("</section>")[0]


def listed_ids(page: str) -> list[str]:
    listing = page.split('<ul class="list">')[1].split("</ul>")[0] if '<ul class="list">' in page else ""
    return re.findall(r'href="/articles/([^"]+)"', listing)


def next_link(page: str) -> str | None:
    match = re.search(r'href="([^"]+)" rel="next"', page)
    return match.group(1).replace("&amp;", "&") if match else None


def all_pages(client, path: str | None) -> list[list[str]]:
    """The ids on each page of a listing, following its next links."""
    pages = []
    while path:
        body = client.http.get(path).body.decode()
        pages.append(listed_ids(body))
        path = next_link(body)
    return pages


def everywhere(client, article_id: str) -> dict[str, bool]:
    home = client.http.get("/").body.decode()
    link = f"/articles/{article_id}"
    return {
        "category": article_id in listed_ids(client.http.get("/news/industry").body.decode()),
        "channel": article_id in listed_ids(client.http.get("/news/news").body.decode()),
        "home": link in channel_section(home, "news"),
        "notices": link in notices_bar(home),
    }


def test_a_published_notice_shows_in_its_category_channel_home_and_notices_bar_at_once(client, auth):
    article_id = call(client, "POST", "/api/articles", {"title": "通知", "category": "industry", "notice": True}, auth)
    article_id = article_id.json["id"]
    assert everywhere(client, article_id) == dict.fromkeys(("category", "channel", "home", "notices"), False)
    call(client, "POST", f"/api/articles/{article_id}/publish", None, auth)
    assert everywhere(client, article_id) == dict.fromkeys(("category", "channel", "home", "notices"), True)


def test_an_unpublished_article_leaves_its_category_channel_home_and_notices_bar(client, auth):
    make_article("leaving", notice=True)
    assert everywhere(client, "leaving") == dict.fromkeys(("category", "channel", "home", "notices"), True)
    assert call(client, "POST", "/api/articles/leaving/unpublish", None, auth).status_code == 200
    assert everywhere(client, "leaving") == dict.fromkeys(("category", "channel", "home", "notices"), False)


def test_a_deleted_article_leaves_the_notices_bar_at_once(client, auth):
    make_article("gone", notice=True)
    assert everywhere(client, "gone")["notices"]
    assert call(client, "DELETE", "/api/articles/gone", None, auth).status_code == 204
    assert everywhere(client, "gone") == dict.fromkeys(("category", "channel", "home", "notices"), False)


def test_removing_the_notice_flag_takes_it_off_the_notices_bar_only(client, auth):
    make_article("was-notice", notice=True)
    data = call(client, "GET", "/api/articles/was-notice", headers=auth).json
    edit = {k: data[k] for k in ("title", "category", "body", "version")}
    assert call(client, "PUT", "/api/articles/was-notice", {**edit, "notice": False}, auth).status_code == 200
    assert everywhere(client, "was-notice") == {"category": True, "channel": True, "home": True, "notices": False}


def test_an_article_moved_to_another_category_is_listed_only_there(client, auth):
    make_article("moving", notice=True)
    data = call(client, "GET", "/api/articles/moving", headers=auth).json
    edit = {k: data[k] for k in ("title", "body", "version", "notice")}
    assert call(client, "PUT", "/api/articles/moving", {**edit, "category": "policy"}, auth).status_code == 200
    assert everywhere(client, "moving") == {"category": False, "channel": False, "home": False, "notices": True}
    assert listed_ids(client.http.get("/news/policy").body.decode()) == ["moving"]


@pytest.mark.parametrize("count", [20, 40])
def test_an_exactly_full_last_page_does_not_link_to_an_empty_page(client, auth, count):
    base = now() - timedelta(days=10)
    for i in range(count):
        make_article(f"item-{i:02d}", published_at=base + timedelta(hours=i))
    pages = all_pages(client, "/news/industry")
    assert [len(p) for p in pages] == [20] * (count // 20)
    assert sum(pages, []) == [f"item-{i:02d}" for i in reversed(range(count))]


def test_a_channel_pages_through_its_own_and_its_sub_categories_articles_once_each(client, auth):
    base = now() - timedelta(days=10)
    for i in range(30):
        make_article(f"item-{i:02d}", category="news" if i % 2 else "industry", published_at=base + timedelta(hours=i))
    make_article("elsewhere", category="policy", published_at=base + timedelta(hours=5, minutes=30))
    pages = all_pages(client, "/news/news")
    assert [len(p) for p in pages] == [20, 10]
    assert sum(pages, []) == [f"item-{i:02d}" for i in reversed(range(30))]
    industry = all_pages(client, "/news/industry")
    assert sum(industry, []) == [f"item-{i:02d}" for i in reversed(range(0, 30, 2))]


def test_an_article_is_visible_from_exactly_its_publication_time():
    moment = now() + timedelta(days=1)
    item = ArticleModel("timed", status="published", published_at=moment)
    assert is_visible(item, at=moment)
    assert not is_visible(item, at=moment - timedelta(microseconds=1))
    assert not is_visible(item)  # not yet
    assert is_visible(ArticleModel("past", status="published", published_at=now() - timedelta(seconds=1)))
    assert not is_visible(ArticleModel("draft", status="draft", published_at=moment), at=moment)


@pytest.mark.parametrize("article_id", ["x", "with-dash-1", "a" * 64])
def test_any_id_of_the_url_alphabet_is_readable(client, auth, article_id):
    make_article(article_id, title="可读的文章")
    assert "可读的文章" in client.http.get(f"/articles/{article_id}").body.decode()


@pytest.mark.parametrize("article_id", ["UPPER", "-dash", "a" * 65, "under_score", "x.y"])
def test_ids_outside_the_url_alphabet_are_404_without_a_database_read(client, auth, article_id):
    make_article(article_id)  # even if such an id were stored
    client.http.get("/")  # the navigation is read once per container
    with DynamoDBCalls() as calls:
        response = client.http.get(f"/articles/{article_id}")
    assert response.status_code == 404 and "页面未找到" in response.body.decode()
    assert "GetItem" not in calls.operations and "UpdateItem" not in calls.operations


def test_a_cursor_beyond_now_is_a_400_and_reveals_no_scheduled_article(client, auth):
    make_article("later", title="尚未发布的文章", published_at=now() + timedelta(days=2))
    make_article("earlier")
    beyond = ArticleModel.published_at.serialize(now() + timedelta(days=3))
    for path in ("/news/industry", "/news/news"):
        response = client.http.get(f"{path}?cursor={encode_cursor({'id': 'later', 'published_at': beyond})}")
        assert response.status_code == 400 and "尚未发布的文章" not in response.body.decode()


@contextmanager
def start_keys_sent() -> Iterator[list[tuple[str, set[str], set[str]]]]:
    """(index, attributes of the ExclusiveStartKey, the key attributes DynamoDB requires) of each Query sent.

    DynamoDB rejects a start key that is not exactly the table's and the index's key; moto does not check.
    """
    client = ArticleModel._get_connection().connection.client
    indexes = {
        index["IndexName"]: {k["AttributeName"] for k in index["KeySchema"]}
        for index in boto3.client("dynamodb").describe_table(TableName=get_settings().tables["articles"])["Table"][
            "GlobalSecondaryIndexes"
        ]
    }
    sent: list[tuple[str, set[str], set[str]]] = []

    def record(params, **_):
        if "ExclusiveStartKey" in params and params["TableName"] == get_settings().tables["articles"]:
            index = params["IndexName"]
            sent.append((index, set(params["ExclusiveStartKey"]), indexes[index] | {"id"}))

    client.meta.events.register("before-parameter-build.dynamodb.Query", record)
    try:
        yield sent
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb.Query", record)


def test_later_pages_ask_dynamodb_from_a_start_key_it_accepts(client, auth):
    base = now() - timedelta(days=10)
    for i in range(45):
        make_article(
            f"item-{i:02d}", category="news" if i % 3 == 0 else "industry", published_at=base + timedelta(hours=i)
        )
    with start_keys_sent() as sent:
        assert [len(p) for p in all_pages(client, "/news/news")] == [20, 20, 5]
        assert [len(p) for p in all_pages(client, "/news/industry")] == [20, 10]
    # each later page: its own Query and the 上一页 cursor's, both from the cursor's key
    assert [index for index, _, _ in sent] == ["by-channel"] * 4 + ["by-category"] * 2
    for _, given, required in sent:
        assert given == required


def test_an_article_is_listed_from_the_very_instant_of_its_publication(clock):
    """With the clock stopped, one published at this instant is in its category and the notices; one a
    microsecond later is not yet."""
    make_categories()
    moment = now()
    make_article("on-time", published_at=moment, notice=True)
    make_article("just-after", published_at=moment + timedelta(microseconds=1), notice=True)
    clock(moment)
    listed = [item.id for item in list_category("industry", channel=False, cursor=None, limit=10).items]
    assert listed == ["on-time"]
    assert [item.id for item in list_notices(10)] == ["on-time"]
