"""View counting: atomic under concurrency, on its own small item, guarded per client in the same request."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from chalicelib import dynamodb
from chalicelib.counters import WINDOW, Client, carry_over_views, count_view, get_views
from chalicelib.models import CounterModel
from local.dynamodb_calls import DynamoDBCalls, DynamoDBRequests, write_units


def test_concurrent_views_lose_no_increment():
    def view_100_times(reader: int) -> list[int]:  # 100 browsers behind one address each: all counted
        return [count_view("busy", Client(f"198.51.100.{reader}", f"{BROWSER} #{n}")) for n in range(100)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        seen = [count for counts in pool.map(view_100_times, range(8)) for count in counts]
    assert get_views("busy") == 800
    assert sorted(seen) == list(range(1, 801))  # every view got its own post-increment value


def test_an_article_never_viewed_has_zero_views():
    assert get_views("never") == 0


BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"


def stored(article_id: str) -> dict:
    return CounterModel._get_connection().connection.client.get_item(
        TableName=CounterModel.Meta.table_name, Key={"article_id": {"S": article_id}}
    )["Item"]


def test_a_counted_and_a_refused_view_are_one_request_each_answering_the_count(clock):
    clock(WINDOW * 100_000)
    count_view("a", Client("198.51.100.1", BROWSER))  # the counter's first guarded view makes its tallies
    with DynamoDBCalls() as calls:
        counted = count_view("a", Client("198.51.100.2", BROWSER))
        refused = count_view("a", Client("198.51.100.2", BROWSER))
    assert (counted, refused) == (2, 2)
    assert calls.operations == ["UpdateItem", "UpdateItem"]  # the refusal answers the count it kept: no GetItem
    assert get_views("a") == 2


def test_the_marks_hold_one_window_and_a_new_window_counts_again(clock):
    start = WINDOW * 100_000
    clock(start)
    for n in range(50):
        count_view("b", Client(f"198.51.100.{n}", BROWSER))
    assert write_units(stored("b")) == 1  # 50 readers' marks in a window: under 1 KB
    clock(start + WINDOW)
    assert count_view("b", Client("198.51.100.0", BROWSER)) == 51  # the same reader, the next window
    item = stored("b")
    assert item["tally0"] == {"M": {}} and "seen0" not in item  # the last window's marks are cleared
    assert len(item["seen1"]["SS"]) == 1 and len(item["tally1"]["M"]) == 1
    clock(start + 2 * WINDOW)  # back in the first slot: the marks there are from two windows ago
    assert count_view("b", Client("198.51.100.0", BROWSER)) == 52


def test_a_count_carried_over_from_the_old_site_is_guarded_from_its_first_view(clock):
    clock(WINDOW * 100_000)
    carry_over_views("c", 1234)  # an imported article's counter: `views` and no marks yet
    assert count_view("c", Client("198.51.100.1", BROWSER)) == 1235
    assert count_view("c", Client("198.51.100.1", BROWSER)) == 1235
    assert count_view("c", Client("198.51.100.1", "curl/8.5.0")) == 1235  # machines count nothing
    assert count_view("c", Client("198.51.100.1", BROWSER + " Edg/131")) == 1236  # another browser there


def test_a_view_asks_dynamodb_for_its_total_consumed_capacity_as_every_request_does(clock):
    """DynamoDB refuses any spelling but NONE, TOTAL or INDEXES (moto takes anything): the request says TOTAL."""
    clock(WINDOW * 100_000)
    with DynamoDBRequests() as requests:
        count_view("d", Client("198.51.100.1", BROWSER))  # the first view: the guarded try, then the tallies made
        count_view("d", Client("198.51.100.2", BROWSER))
        assert get_views("d") == 2  # a page from the cache's beacon, or a machine's: the count read alone
    sent = [(operation, params.get("ReturnConsumedCapacity")) for operation, params in requests.requests]
    assert sent == [("UpdateItem", "TOTAL")] * 3 + [("GetItem", "TOTAL")]


class RacingView:
    """Another view of the article counted just before this one's first request making the counter's tallies
    (two first views at once): hooked on botocore's UpdateItem, so DynamoDB sees the two in that order."""

    def __init__(self, article_id: str, client: Client) -> None:
        self.article_id, self.client, self.done = article_id, client, False

    def __enter__(self) -> RacingView:
        dynamodb.client().meta.events.register("before-parameter-build.dynamodb.UpdateItem", self.race)
        return self

    def __exit__(self, *exc: object) -> None:
        dynamodb.client().meta.events.unregister("before-parameter-build.dynamodb.UpdateItem", self.race)

    def race(self, params: dict, **_: object) -> None:
        if not self.done and "SET #tally = :tally" in params["UpdateExpression"]:
            self.done = True
            count_view(self.article_id, self.client)


def test_two_first_views_at_once_both_count_and_keep_both_addresses_tallies(clock):
    clock(WINDOW * 100_000)
    with RacingView("e", Client("198.51.100.2", BROWSER)) as other:
        assert count_view("e", Client("198.51.100.1", BROWSER)) == 2
    assert other.done and get_views("e") == 2
    assert len(stored("e")["tally0"]["M"]) == 2 and len(stored("e")["seen0"]["SS"]) == 2


def test_the_same_reader_twice_at_once_on_a_first_view_counts_once(clock):
    clock(WINDOW * 100_000)
    with RacingView("f", Client("198.51.100.1", BROWSER)) as other:
        assert count_view("f", Client("198.51.100.1", BROWSER)) == 1
    assert other.done and get_views("f") == 1


def test_a_readers_mark_and_tally_take_six_characters_each(clock):
    clock(WINDOW * 100_000)
    count_view("g", Client("198.51.100.1", BROWSER))
    item = stored("g")
    assert [len(mark) for mark in item["seen0"]["SS"]] == [6] and [len(key) for key in item["tally0"]["M"]] == [6]


def test_a_refusal_other_than_missing_tallies_is_not_retried_as_a_first_view(clock):
    """Only DynamoDB's "document path" refusal (the counter has no tallies yet) leads to the first-view
    request; any other refusal of the counted view (here the item's 400 KB limit) is raised as it came."""
    clock(WINDOW * 100_000)
    count_view("h", Client("198.51.100.1", BROWSER))  # the tallies exist
    fits, too_long = 0, 400 * 1024  # fill the item to DynamoDB's limit, to the character
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        fits, too_long = (middle, too_long) if _padded("h", middle) else (fits, middle)
    assert _padded("h", fits)
    with DynamoDBCalls() as calls, pytest.raises(ClientError) as raised:
        count_view("h", Client("198.51.100.2", BROWSER))
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert "document path" not in raised.value.response["Error"]["Message"]
    assert calls.operations == ["UpdateItem"]
    assert get_views("h") == 1


def _padded(article_id: str, length: int) -> bool:
    """Whether DynamoDB took a padding attribute of `length` characters on the counter (in place of any before)."""
    key = {"article_id": {"S": article_id}}
    dynamodb.client().update_item(TableName=CounterModel.Meta.table_name, Key=key, UpdateExpression="REMOVE padding")
    try:
        dynamodb.client().update_item(
            TableName=CounterModel.Meta.table_name,
            Key=key,
            UpdateExpression="SET padding = :padding",
            ExpressionAttributeValues={":padding": {"S": "x" * length}},
        )
    except ClientError:
        return False
    return True
