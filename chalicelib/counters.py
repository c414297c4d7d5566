"""View counting: the one rule every counting path calls (`count_view`), and the count itself (one ADD).

A view counts unless the client is a machine (crawlers.py), the same client (address and User-Agent) was
counted for the article in this WINDOW already, or its address has had CEILING views of the article counted in
it. The rules live on the article's counter item, so a counted view is one conditional UpdateItem that also
ADDs the view and returns the count, and a refused one the same request answering the count it kept
(ReturnValuesOnConditionCheckFailure): 1 WCU while the window's marks stay under 1 KB (~60 readers of the
article in a window), a KB more per ~60 more (bench/RESULTS.md weighs it against a transaction, 4 WCU).

The marks are window-stamped hashes in two slots by the window's parity: a view fills its window's slot and
clears the other one, so the item holds about one window's readers and old marks never match a new window.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from chalicelib import clock, dynamodb, metrics
from chalicelib.crawlers import is_crawler
from chalicelib.errors import BUSY_CODES
from chalicelib.write_conditions import CONDITION_FAILED, condition_failed

WINDOW = 300  # seconds: one count per client and article in each
CEILING = (
    300  # counted views of an article per address in a window (an office behind one address reads a notice at once)
)


@dataclass(frozen=True)
class Client:
    """Who asks to count: `address` from client_address.py (API Gateway's or the CDN's, never the client's claim)."""

    address: str
    user_agent: str | None


# What DynamoDB answers when it refuses a write under load (S3's SlowDown never comes from it) or a concurrent
# transaction holds the item.
REFUSED = BUSY_CODES | {"TransactionConflictException"}

# The counted view: its client's mark into this window's slot, its address's tally there, the other slot cleared.
COUNTED = (
    "ADD #views :one, #seen :marks SET #tally.#address = if_not_exists(#tally.#address, :zero) + :one, "
    "#old_tally = :nothing REMOVE #old_seen"
)
ONCE = "NOT contains(#seen, :mark) AND (attribute_not_exists(#tally.#address) OR #tally.#address < :ceiling)"
# The counter's first guarded view: updating #tally.#address needs the map to exist.
FIRST = "ADD #views :one, #seen :marks SET #tally = :tally, #old_tally = :nothing"


def count_view(article_id: str, client: Client) -> int:
    """Count the view if the rules above allow it; the article's count either way."""
    if is_crawler(client.user_agent):
        return get_views(article_id)
    try:
        answer = _count_once(article_id, client)
    except ClientError as error:
        code = _code(error)
        if code == CONDITION_FAILED:  # not counted: the count as it was
            return int((error.response.get("Item") or {}).get("views", {}).get("N", "0"))
        if code in REFUSED:
            metrics.count("CounterWriteThrottles")
        raise
    metrics.count("ArticleViews")
    return int(answer["Attributes"]["views"]["N"])


def _count_once(article_id: str, client: Client) -> Any:
    """The conditional ADD; ClientError ConditionalCheckFailedException (with the item) when the rules refuse."""
    window = int(clock.seconds()) // WINDOW
    slot, other = window % 2, 1 - window % 2
    mark, address = _tag(f"{window}\n{client.address}\n{client.user_agent}"), _tag(f"{window}\n{client.address}")
    names = {"#views": "views", "#seen": f"seen{slot}", "#tally": f"tally{slot}", "#old_tally": f"tally{other}"}
    values: dict[str, Any] = {":one": {"N": "1"}, ":marks": {"SS": [mark]}, ":nothing": {"M": {}}}
    guarded = {**names, "#address": address, "#old_seen": f"seen{other}"}
    checked = {**values, ":zero": {"N": "0"}, ":mark": {"S": mark}, ":ceiling": {"N": str(CEILING)}}
    try:
        return _update(article_id, COUNTED, ONCE, guarded, checked)
    except ClientError as error:
        if not _no_tallies(error):
            raise
    try:
        return _update(
            article_id, FIRST, "attribute_not_exists(#tally)", names, {**values, ":tally": {"M": {address: {"N": "1"}}}}
        )
    except ClientError as error:
        if _code(error) != CONDITION_FAILED:
            raise
    return _update(article_id, COUNTED, ONCE, guarded, checked)  # another view made the tallies first


def _update(article_id: str, update: str, condition: str, names: dict[str, str], values: dict[str, Any]) -> Any:
    """One UpdateItem on the counter, answering the new count, or on refusal the item as it was."""
    return dynamodb.client().update_item(
        TableName=dynamodb.table_name("counters"),
        Key={"article_id": {"S": article_id}},
        UpdateExpression=update,
        ConditionExpression=condition,
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
        ReturnValues="UPDATED_NEW",
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
        ReturnConsumedCapacity="TOTAL",  # as pynamodb asks for it on every request (tests count by table)
    )


def _no_tallies(error: ClientError) -> bool:
    """DynamoDB's answer to updating inside a map the item does not have yet."""
    return _code(error) == "ValidationException" and "document path" in str(error.response["Error"].get("Message"))


def _code(error: ClientError) -> str | None:
    code = error.response.get("Error", {}).get("Code")
    return str(code) if code is not None else None


def _tag(text: str) -> str:
    return base64.b64encode(hashlib.blake2b(text.encode(), digest_size=4).digest()).decode()[:6]


def get_views(article_id: str) -> int:
    """The article's count (0 before its first view): one GetItem of `views` alone."""
    item = (
        dynamodb.client()
        .get_item(
            TableName=dynamodb.table_name("counters"),
            Key={"article_id": {"S": article_id}},
            ProjectionExpression="#views",
            ExpressionAttributeNames={"#views": "views"},
            ReturnConsumedCapacity="TOTAL",  # as pynamodb asks for it on every request (tests count by table)
        )
        .get("Item")
    )
    return int(item["views"]["N"]) if item and "views" in item else 0


def views_of(article_ids: list[str]) -> dict[str, int]:
    """The counts of many articles (0 for none yet): one BatchGetItem per 100, not a GetItem each."""
    from chalicelib.models import CounterModel

    if not article_ids:
        return {}
    counts = {counter.article_id: int(counter.views) for counter in CounterModel.batch_get(sorted(set(article_ids)))}
    return {article_id: counts.get(article_id, 0) for article_id in article_ids}


def carry_over_views(article_id: str, views: int) -> None:
    """Set an imported article's count to the old site's, unless it already counts more.

    A SET, not an ADD: importing again does not double the count, and views counted here since the
    first import are not lost.
    """
    from pynamodb.exceptions import UpdateError

    from chalicelib.models import CounterModel

    current = CounterModel.views
    try:
        CounterModel(article_id).update(
            actions=[current.set(views)], condition=current.does_not_exist() | (current < views)
        )
    except UpdateError as error:
        if not condition_failed(error):  # else it counts at least `views` already
            raise
