"""Each test starts on empty tables and an empty bucket (tests/conftest.py), whatever the test before wrote."""

from __future__ import annotations

import boto3

from chalicelib.config import get_settings
from local.snapshot import tables_of
from tests.conftest import empty_tables_and_bucket


def test_every_table_and_the_bucket_are_emptied():
    settings = get_settings()
    dynamodb = boto3.client("dynamodb")
    for table in tables_of(settings):
        described = dynamodb.describe_table(TableName=table)["Table"]
        types = {a["AttributeName"]: a["AttributeType"] for a in described["AttributeDefinitions"]}
        for n in range(30):
            item = {key["AttributeName"]: {types[key["AttributeName"]]: str(n)} for key in described["KeySchema"]}
            dynamodb.put_item(TableName=table, Item=item)
    boto3.client("s3").put_object(Bucket=settings.media_bucket, Key="left/over.jpg", Body=b"x")

    empty_tables_and_bucket()

    for table in tables_of(settings):
        assert dynamodb.scan(TableName=table, Select="COUNT")["Count"] == 0, table
        assert dynamodb.describe_table(TableName=table)["Table"]["ItemCount"] == 0, table
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=settings.media_bucket)
