"""Benchmark 1's other designs, measured on the same article: the count on the article item (naive), issue 27's
guard item with the ADD in one transaction, and the marks a busy window leaves on our counter item."""

from __future__ import annotations

from typing import Any

from bench.dynamodb_cost import Call, read_units, write_units_of


def naive_view(article_id: str) -> list[Call]:
    """The design we avoid: GetItem the article, then ADD views on the article item itself.

    Done on a copy of the article so the real one keeps its shape; views is in no GSI
    projection, so DynamoDB writes no index for it and the WCU is the item's size.
    """
    import boto3

    from chalicelib.config import get_settings

    table = get_settings().tables["articles"]
    dynamodb = boto3.client("dynamodb")
    item = dynamodb.get_item(TableName=table, Key={"id": {"S": article_id}})["Item"]
    copy_key = {"id": {"S": f"{article_id}-naive"}}
    dynamodb.put_item(TableName=table, Item={**item, **copy_key})
    read = dynamodb.get_item(TableName=table, Key=copy_key)["Item"]
    updated = dynamodb.update_item(
        TableName=table,
        Key=copy_key,
        UpdateExpression="ADD #views :one",
        ExpressionAttributeNames={"#views": "views"},
        ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="ALL_NEW",
    )["Attributes"]
    return [
        Call("GetItem", table, None, read_units=read_units([read], consistent=False)),
        Call("UpdateItem", table, None, write_units=write_units_of(updated)),
    ]


def transaction_view(article_id: str, guard: dict[str, Any]) -> list[Call]:
    """The alternative to the guard on the counter item: issue 27's guard item (a tag set per address and window
    in the logins table) and the ADD in one TransactWriteItems (2 WCU per KB of each item), and, since a
    transaction answers no count, the count read with the article in one BatchGetItem (each item rounded up)."""
    import boto3

    from chalicelib.config import get_settings

    tables = get_settings().tables
    dynamodb = boto3.client("dynamodb")
    read = dynamodb.batch_get_item(
        RequestItems={
            tables["articles"]: {"Keys": [{"id": {"S": article_id}}]},
            tables["counters"]: {"Keys": [{"article_id": {"S": article_id}}]},
        }
    )["Responses"]
    items = [item for found in read.values() for item in found]
    return [
        Call(
            "BatchGetItem", tables["articles"], None, read_units=sum(read_units([i], consistent=False) for i in items)
        ),
        Call("TransactWriteItems", tables["logins"], None, write_units=2 * (write_units_of(guard) + 1)),
    ]


def marks_of_readers(readers: int) -> int:
    """The WCU of a view once `readers` readers from as many addresses were counted in one window."""
    import boto3

    from chalicelib.config import get_settings
    from chalicelib.counters import Client, count_view

    for n in range(readers):
        count_view("bench-spread", Client(f"10.0.{n // 256}.{n % 256}", "Mozilla/5.0 Firefox/133.0"))
    table = get_settings().tables["counters"]
    item = boto3.client("dynamodb").get_item(TableName=table, Key={"article_id": {"S": "bench-spread"}})["Item"]
    return write_units_of(item)
