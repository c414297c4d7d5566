"""Replaying the photo dead-letter queue after a fix: its messages go back on the photo queue.

SQS's own StartMessageMoveTask would do it server-side, but moto (the local stack and the tests) does not
implement it, so the messages are moved in batches of ten: received from the dead-letter queue, sent to the
photo queue, and only then deleted. A crash between sending and deleting leaves a message in both; the
processor is idempotent (an upload already done is recognised by its ETag), so that costs nothing.
"""

from __future__ import annotations

from typing import Any

import boto3

from chalicelib.config import Settings, endpoint_url

BATCH = 10  # SQS's most per receive and per batch call


def dead_letter_queue_name(settings: Settings) -> str:
    """The photo queue's dead-letter queue (`PhotoDeadLetterQueue` in infra/resources.json)."""
    return f"{settings.photo_queue}-dlq"


def redrive_photos(settings: Settings, limit: int | None = None) -> int:
    """Move the dead-lettered photo messages (at most `limit`) back to the photo queue; returns how many moved."""
    sqs = boto3.client("sqs", region_name=settings.region, endpoint_url=endpoint_url())
    source = sqs.get_queue_url(QueueName=dead_letter_queue_name(settings))["QueueUrl"]
    target = sqs.get_queue_url(QueueName=settings.photo_queue)["QueueUrl"]
    moved = 0
    while limit is None or moved < limit:
        wanted = BATCH if limit is None else min(BATCH, limit - moved)
        messages = sqs.receive_message(
            QueueUrl=source,
            MaxNumberOfMessages=wanted,
            WaitTimeSeconds=1,
            VisibilityTimeout=60,
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            break
        moved += _move(sqs, messages, source, target)
    return moved


def _move(sqs: Any, messages: list[dict[str, Any]], source: str, target: str) -> int:
    entries = []
    for i, message in enumerate(messages):
        entry: dict[str, Any] = {"Id": str(i), "MessageBody": message["Body"]}
        if message.get("MessageAttributes"):
            entry["MessageAttributes"] = message["MessageAttributes"]
        entries.append(entry)
    sent = sqs.send_message_batch(QueueUrl=target, Entries=entries)
    done = {entry["Id"] for entry in sent.get("Successful", [])}
    if sent.get("Failed"):
        raise RuntimeError(f"SQS refused {len(sent['Failed'])} messages: {sent['Failed'][0].get('Message')}")
    sqs.delete_message_batch(
        QueueUrl=source,
        Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages) if str(i) in done],
    )
    return len(done)
