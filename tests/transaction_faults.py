"""DynamoDB refusing transactions, at botocore's boundary (the shared client's before-call hook): a conflict with
another transaction, or throttling with botocore's retries spent. No request reaches moto for a refused one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.awsrequest import AWSResponse

from chalicelib.models import CategoryModel


@contextmanager
def transaction_conflicts(times: int) -> Iterator[list[str]]:
    """DynamoDB cancels the next `times` transactions because another one touched the same items."""
    reasons = [{"Code": "None"}, {"Code": "TransactionConflict"}]
    with transactions_refused("TransactionCanceledException", times, reasons) as answered:
        yield answered


@contextmanager
def transactions_refused(code: str, times: int, reasons: list[dict[str, str]] | None = None) -> Iterator[list[str]]:
    """DynamoDB answers the next `times` transactions with the error `code` (botocore's retries spent)."""
    client = CategoryModel._get_connection().connection.client
    answered: list[str] = []

    def refuse(**_):
        if len(answered) >= times:
            return None
        answered.append(code)
        body: dict[str, Any] = {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": 400}}
        if reasons is not None:
            body["CancellationReasons"] = reasons
        return AWSResponse("https://dynamodb", 400, {}, None), body

    client.meta.events.register("before-call.dynamodb.TransactWriteItems", refuse)
    try:
        yield answered
    finally:
        client.meta.events.unregister("before-call.dynamodb.TransactWriteItems", refuse)
