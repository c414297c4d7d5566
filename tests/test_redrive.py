"""redrive-photos: dead-lettered photo messages go back to the photo queue, all of them, once."""

from __future__ import annotations

import boto3

from chalicelib.config import get_settings
from ops.redrive import dead_letter_queue_name, redrive_photos


def queue_url(name: str) -> str:
    return boto3.client("sqs").get_queue_url(QueueName=name)["QueueUrl"]


def drain(name: str) -> list[str]:
    sqs, url, bodies = boto3.client("sqs"), queue_url(name), []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        bodies += [m["Body"] for m in messages]
        sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
        )
    return bodies


def test_every_dead_letter_moves_back_to_the_photo_queue_once():
    settings = get_settings()
    dead = dead_letter_queue_name(settings)
    drain(dead), drain(settings.photo_queue)
    sqs = boto3.client("sqs")
    bodies = [f'{{"Records": [{{"n": {i}}}]}}' for i in range(23)]  # more than two batches
    for body in bodies:
        sqs.send_message(QueueUrl=queue_url(dead), MessageBody=body)
    assert redrive_photos(settings) == 23
    assert sorted(drain(settings.photo_queue)) == sorted(bodies)
    assert drain(dead) == []


def test_a_limit_moves_at_most_that_many():
    settings = get_settings()
    dead = dead_letter_queue_name(settings)
    drain(dead), drain(settings.photo_queue)
    for i in range(3):
        boto3.client("sqs").send_message(QueueUrl=queue_url(dead), MessageBody=str(i))
    assert redrive_photos(settings, limit=2) == 2
    assert len(drain(settings.photo_queue)) == 2 and len(drain(dead)) == 1
