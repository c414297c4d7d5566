"""The event Lambda's SQS trigger hands the photo function, written once.

local/worker.py builds it from ReceiveMessage results, as Lambda's event source
mapping does; the tests build it through tests/events/, which fills in the
values from the samples AWS documents (JSON kept under tests/events/ as test
data only). local/ never imports tests/, so the shape both need lives here, and
tests/test_events.py checks it against the documented sample.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any


def sqs_record(
    body: str,
    *,
    message_id: str,
    receipt_handle: str,
    queue_arn: str,
    region: str,
    attributes: dict[str, str] | None = None,
    message_attributes: dict[str, Any] | None = None,
    md5_of_body: str | None = None,
) -> dict[str, Any]:
    """One record of an SQS-triggered Lambda event; the body's MD5 is computed unless given."""
    return {
        "messageId": message_id,
        "receiptHandle": receipt_handle,
        "body": body,
        "attributes": attributes or {},
        "messageAttributes": message_attributes or {},
        "md5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest()
        if md5_of_body is None
        else md5_of_body,
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def sqs_event(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"Records": list(records)}


def event_from_received(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """The Lambda event for messages as ReceiveMessage returned them."""
    return sqs_event(
        sqs_record(
            m["Body"],
            message_id=m["MessageId"],
            receipt_handle=m["ReceiptHandle"],
            queue_arn=queue_arn,
            region=region,
            attributes=m.get("Attributes", {}),
            message_attributes=m.get("MessageAttributes", {}),
            md5_of_body=m["MD5OfBody"],
        )
        for m in messages
    )
