"""Whether readers may see an article now, from its stored status and publication time alone: the counting
function's check (it shows nothing of the article), one GetItem through dynamodb.py's client, no pynamodb."""

from __future__ import annotations

from datetime import datetime

from chalicelib import clock, dynamodb
from chalicelib.errors import NotFound
from chalicelib.ids import ID as ARTICLE_ID
from chalicelib.statuses import ArticleStatus

_VISIBILITY = {"#status": "status", "#published_at": "published_at"}


def check_published(article_id: str) -> str:
    """The id of an article readers may see now (published, its time come), else NotFound."""
    item = _visibility(article_id) if ARTICLE_ID.match(article_id) else None
    published = item is not None and item.get("status", {}).get("S") == ArticleStatus.PUBLISHED
    moment = (item or {}).get("published_at", {}).get("S")
    # pynamodb's UTCDateTimeAttribute: ISO 8601 with microseconds and +0000, which fromisoformat reads
    if published and moment and datetime.fromisoformat(moment) <= clock.now():
        return article_id
    raise NotFound("article not found", code="article_not_found", article_id=article_id)


def _visibility(article_id: str) -> dict[str, dict[str, str]] | None:
    answer = dynamodb.client().get_item(
        TableName=dynamodb.table_name("articles"),
        Key={"id": {"S": article_id}},
        ProjectionExpression=", ".join(_VISIBILITY),
        ExpressionAttributeNames=_VISIBILITY,
        ReturnConsumedCapacity="TOTAL",  # as pynamodb asks for it on every request (tests count by table)
    )
    item: dict[str, dict[str, str]] | None = answer.get("Item")
    return item
