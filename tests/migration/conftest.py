"""The import tests' photo queue starts empty; their MariaDB and web root are tests/conftest.py's (shared with
tests/e2e/test_dedecms_migration.py: one server for the session)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def empty_photo_queue(empty_aws: None) -> None:
    """Earlier tests' upload notifications are not this test's: the queue starts empty, like the tables."""
    import boto3

    from chalicelib.config import get_settings

    sqs = boto3.client("sqs")
    queue = sqs.get_queue_url(QueueName=get_settings().photo_queue)["QueueUrl"]
    while messages := sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:  # PurgeQueue is allowed once a minute
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
