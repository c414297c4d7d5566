"""The import tests' MariaDB (one server for the session) with the two sites loaded, and their web root."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.migration import sites
from tests.migration.mariadb import MariaDB


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MariaDB]:
    server = MariaDB(tmp_path_factory.mktemp("mariadb"))
    try:
        with server.connect() as db:
            sites.load_site(db, "dede_utf8", "utf8mb4", sites.CHANNELS, sites.utf8_articles())
            sites.load_site(db, "dede_gbk", "gbk", sites.GBK_CHANNELS, sites.gbk_articles())
        with server.connect(charset="latin1") as db:  # as PHP with `SET NAMES latin1` wrote
            sites.load_site(db, "dede_latin1", "latin1", sites.GBK_CHANNELS, sites.gbk_articles(), stored_as="gbk")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wwwroot")
    sites.write_uploads(root)
    return root


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
