"""上一篇/下一篇 and related articles from the container's window of the category (chalicelib/neighbours.py),
with the window warm: every editorial write around an article shows on its next view, a scheduled article
becomes a neighbour at its time with no write, and a steady-state view makes no Query."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from chalicelib import editorial, neighbours
from chalicelib.articles import get_published_article, now
from chalicelib.articles import neighbours as queried_neighbours
from chalicelib.config import get_settings
from local.dynamodb_calls import DynamoDBCalls, DynamoDBRequests
from tests.site import a_reader, make_article, make_categories


def end_of(client, article_id: str) -> str:
    body = client.http.get(f"/articles/{article_id}").body.decode()
    return body.split('class="article-end"')[1].split("</nav>")[0]


def links(end: str) -> tuple[str | None, str | None, list[str]]:
    """(上一篇, 下一篇, related) ids shown at the end of an article."""
    older = re.search(r'<a href="/articles/(\w+)" rel="prev">', end)
    newer = re.search(r'<a href="/articles/(\w+)" rel="next">', end)
    related = re.findall(r'<a href="/articles/(\w+)">', end.split("相关文章")[1]) if "相关文章" in end else []
    return (older and older.group(1), newer and newer.group(1), related)


@pytest.fixture
def base():
    """Five industry articles an hour apart, a2 in the middle; the moment of a0."""
    make_categories()
    start = now() - timedelta(days=2)
    for i in range(5):
        make_article(f"a{i}", title=f"行业第{i}篇", published_at=start + timedelta(hours=i))
    return start


def test_a_steady_state_view_makes_no_query(client, base):
    client.http.get("/articles/a2", headers=a_reader())  # warms the navigation, the window and the counter's marks
    settings = get_settings()
    with DynamoDBCalls() as calls:
        body = client.http.get("/articles/a2", headers=a_reader()).body.decode()
    assert links(body.split('class="article-end"')[1].split("</nav>")[0]) == ("a1", "a3", ["a4", "a0"])
    assert [(op, table) for op, table, _ in calls.calls] == [
        ("GetItem", settings.tables["articles"]),
        ("UpdateItem", settings.tables["counters"]),  # the count, guarded per client (counters.py, issue 27)
    ]


def test_publishing_between_an_article_and_its_neighbour_shows_at_once(client, base):
    assert links(end_of(client, "a2"))[1] == "a3"
    make_article("new", title="新发布", published_at=base + timedelta(hours=2, minutes=30))
    assert links(end_of(client, "a2")) == ("a1", "new", ["a4", "a3", "a0"])
    assert links(end_of(client, "a3"))[0] == "new"


def test_an_unpublished_neighbour_leaves_at_once(client, base):
    assert links(end_of(client, "a2"))[0] == "a1"
    editorial.unpublish_article("a1")
    assert links(end_of(client, "a2")) == ("a0", "a3", ["a4"])


def test_a_neighbour_moved_to_another_category_leaves_and_its_new_title_shows(client, base):
    assert links(end_of(client, "a2")) == ("a1", "a3", ["a4", "a0"])
    moved = editorial.get_article("a3")
    fields = {"title": moved.title, "category": "policy", "body": moved.body, "version": moved.version}
    editorial.replace_article("a3", fields)
    assert links(end_of(client, "a2")) == ("a1", "a4", ["a0"])
    renamed = editorial.get_article("a1")
    fields = {"title": "改过的标题", "category": "industry", "body": renamed.body, "version": renamed.version}
    editorial.replace_article("a1", fields)
    assert 'rel="prev">改过的标题</a>' in end_of(client, "a2")


def test_an_article_moved_into_the_category_between_neighbours_joins_at_once(client, base):
    make_article("elsewhere", category="policy", title="政策文章", published_at=base + timedelta(hours=2, minutes=30))
    assert links(end_of(client, "a2")) == ("a1", "a3", ["a4", "a0"])  # the window is warm, without it
    moved = editorial.get_article("elsewhere")
    fields = {"title": moved.title, "category": "industry", "body": moved.body, "version": moved.version}
    editorial.replace_article("elsewhere", fields)
    assert links(end_of(client, "a2")) == ("a1", "elsewhere", ["a4", "a3", "a0"])
    assert links(end_of(client, "a3"))[0] == "elsewhere"


def test_a_deleted_neighbour_leaves_at_once(client, base):
    assert links(end_of(client, "a4"))[0] == "a3"
    editorial.delete_article("a3")  # published: deleting takes it out of the index as well
    assert links(end_of(client, "a4")) == ("a2", None, ["a1", "a0"])


def test_a_scheduled_article_becomes_a_neighbour_at_its_time_with_no_write(client, base, clock):
    due = now() + timedelta(hours=3)
    make_article("scheduled", title="定时文章", published_at=due)
    clock(due - timedelta(seconds=1))
    assert links(end_of(client, "a4")) == ("a3", None, ["a2", "a1"])  # warms the window, scheduled entry included
    clock(due)
    with DynamoDBCalls() as calls:
        assert links(end_of(client, "a4")) == ("a3", "scheduled", ["a2", "a1"])
    assert "Query" not in calls.operations


def test_the_window_finds_what_the_queries_find_and_older_articles_are_queried(client, base, monkeypatch):
    make_article("same-moment", published_at=base + timedelta(hours=2))  # a2's instant: no neighbour of it
    make_article("later", published_at=now() + timedelta(hours=1))  # scheduled: in the window, not shown
    monkeypatch.setattr(neighbours, "WINDOW", 5)  # the five newest: later, a4, a3, a2 and same-moment
    for article_id in ("a0", "a1", "a2", "same-moment", "a3", "a4"):
        article = get_published_article(article_id)
        assert neighbours.neighbours_of(article) == queried_neighbours(article), article_id
    window = neighbours.category_window("industry")
    assert [e.id for e in window.entries][:3] == ["later", "a4", "a3"] and not window.complete
    with DynamoDBCalls() as calls:
        neighbours.neighbours_of(get_published_article("a4"))  # three older ones in the window
    assert calls.operations == ["GetItem"]
    with DynamoDBCalls() as calls:
        neighbours.neighbours_of(get_published_article("a1"))  # older than the window
    assert calls.operations == ["GetItem", "Query", "Query"]


def test_an_article_older_than_the_window_has_its_neighbours_queried(client, base, monkeypatch):
    """Past the window (here every article) the two Queries find them: the newer ones in order up to now."""
    make_article("later", title="定时文章", published_at=now() + timedelta(hours=1))  # scheduled: not shown
    monkeypatch.setattr(neighbours, "WINDOW", 1)  # the window holds `later` only: the rest are queried
    assert links(end_of(client, "a0")) == (None, "a1", ["a3", "a2"])
    assert links(end_of(client, "a1")) == ("a0", "a2", ["a4", "a3"])
    assert links(end_of(client, "a2")) == ("a1", "a3", ["a4", "a0"])
    assert links(end_of(client, "a3")) == ("a2", "a4", ["a1", "a0"])
    assert links(end_of(client, "a4")) == ("a3", None, ["a2", "a1"])


def test_a_queried_article_of_the_same_instant_is_no_neighbour(client, base, monkeypatch):
    make_article("twin", title="同一时刻", published_at=base + timedelta(hours=3))  # a3's instant
    monkeypatch.setattr(neighbours, "WINDOW", 1)
    assert links(end_of(client, "a3")) == ("a2", "a4", ["a1", "a0"])
    assert links(end_of(client, "twin")) == ("a2", "a4", ["a1", "a0"])


def test_an_article_of_the_same_instant_takes_no_newer_neighbours_place(client, base, monkeypatch):
    """The newer ones' Query reads past this article's instant, so a twin there uses none of its entries."""
    make_article("twin", title="同一时刻", published_at=base + timedelta(hours=1))  # a1's instant
    monkeypatch.setattr(neighbours, "WINDOW", 1)
    assert links(end_of(client, "a1")) == ("a0", "a2", ["a4", "a3"])
    assert links(end_of(client, "twin")) == ("a0", "a2", ["a4", "a3"])


def test_the_window_reads_only_the_categorys_newest_entries(base, monkeypatch):
    """However long the category, the window's Query reads `WINDOW` entries, and knows it may have missed some."""
    monkeypatch.setattr(neighbours, "WINDOW", 3)
    with DynamoDBRequests() as requests:
        window = neighbours.category_window("industry")
    assert [params.get("Limit") for operation, params in requests.requests if operation == "Query"] == [3]
    assert [entry.id for entry in window.entries] == ["a4", "a3", "a2"] and not window.complete


def test_the_newer_neighbours_are_read_a_few_entries_at_a_time(base):
    """However many articles came after, the Query for the newer ones reads a handful of entries."""
    for i in range(12):
        make_article(f"b{i}", title=f"后来第{i}篇", published_at=base + timedelta(hours=5 + i))
    with DynamoDBRequests() as requests:
        found = queried_neighbours(get_published_article("a1"))
    assert (found.older.id, found.newer.id, [r.id for r in found.related]) == ("a0", "a2", ["a4", "a3"])
    limits = [params.get("Limit") for operation, params in requests.requests if operation == "Query"]
    assert len(limits) == 2 and all(limit is not None and limit <= 5 for limit in limits), limits


def test_an_article_seen_at_its_very_instant_of_publication_queries_no_newer_ones(client, clock):
    make_categories()
    make_article("older", title="旧文", published_at=now() - timedelta(hours=1))
    moment = now()
    clock(moment)
    make_article("just-now", title="刚发布", published_at=moment)
    article = get_published_article("just-now")
    with DynamoDBRequests() as requests:
        found = queried_neighbours(article)
    assert (found.older.id, found.newer, found.related) == ("older", None, [])
    assert [operation for operation, _ in requests.requests] == ["Query"]  # only the older ones' Query
