"""The suite's own set-up: each test starts on empty tables and an empty bucket (tests/conftest.py), whatever the
test before wrote, and the local stacks' demo site is seeded once a run (tests/local_stack.py)."""

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


def test_the_demo_site_is_seeded_once_a_run_and_under_make_mutation_only_by_the_code_as_it_is(tmp_path):
    from tests.local_stack import demo_site_folder

    base, mutmut = tmp_path / "pytest-7" / "popen-gw0", tmp_path / "mutants"
    assert demo_site_folder(base, {}, mutmut) == base  # one process: its own
    assert demo_site_folder(base, {"PYTEST_XDIST_WORKER": "gw0"}, mutmut) == base.parent  # shared by xdist's
    shared = mutmut / "mutmut-demo-site"
    for unmutated in ("stats", ""):  # mutmut's runs of the code as it is seed it
        assert demo_site_folder(base, {"MUTANT_UNDER_TEST": unmutated}, mutmut) == shared
    mutant = {"MUTANT_UNDER_TEST": "chalicelib.auth.x_log_in__mutmut_3"}
    assert demo_site_folder(base, mutant, mutmut) == base  # none yet: a mutant's session seeds its own
    (shared / "demo-site").mkdir(parents=True)
    assert demo_site_folder(base, mutant, mutmut) == shared  # then every mutant's session restores it
