"""`make destroy`'s second half: after `chalice delete` removed the functions, roles, triggers, schedule and API,
say what was kept, or, asked twice (`DATA=delete` and the stage's name typed), delete the data too.

    python -m ops.destroy --stage STAGE [--data delete]

Kept by default: the resources stack (tables, media bucket, queues, alarms, alert topic), so a later
`make deploy` finds everything as it was. With `--data delete`, after the confirmation: the stack, then
the tables and the bucket it retains (DeletionPolicy Retain), the bucket emptied first.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chalicelib.config import endpoint_url


def kept(settings: Any) -> str:
    tables = ", ".join(settings.tables.values())
    return f"kept the data: tables {tables} and bucket {settings.media_bucket}"


def delete_data(settings: Any, session: Any) -> list[str]:
    """Delete the resources stack, its retained tables and its bucket with every object; returns what went."""
    from ops.infra import stack_name

    cfn = session.client("cloudformation", endpoint_url=endpoint_url())
    name = stack_name(settings)
    cfn.delete_stack(StackName=name)
    cfn.get_waiter("stack_delete_complete").wait(StackName=name, WaiterConfig={"Delay": 2})
    gone = [f"stack {name}"]
    dynamodb = session.client("dynamodb", endpoint_url=endpoint_url())
    existing = set(dynamodb.list_tables()["TableNames"])  # up to 100: one stage has 7
    for table in settings.tables.values():
        if table in existing:
            dynamodb.delete_table(TableName=table)
            gone.append(f"table {table}")
    bucket = session.resource("s3", endpoint_url=endpoint_url()).Bucket(settings.media_bucket)
    if bucket.creation_date is not None:
        bucket.object_versions.delete()
        bucket.objects.all().delete()
        bucket.delete()
        gone.append(f"bucket {settings.media_bucket}")
    cloudwatch = session.client("cloudwatch", endpoint_url=endpoint_url())
    prefix = f"newsroom-{settings.stage}-"  # alarms the stack did not make (ops.alarms), if any are left
    left = [a["AlarmName"] for a in cloudwatch.describe_alarms(AlarmNamePrefix=prefix)["MetricAlarms"]]
    if left:
        cloudwatch.delete_alarms(AlarmNames=left)
        gone.append(f"{len(left)} alarms")
    return gone


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.destroy", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--data", choices=["keep", "delete"], default="keep")
    args = parser.parse_args(argv)
    from ops.cli import enter_stage

    enter_stage(args.stage)
    from chalicelib.config import get_settings

    settings = get_settings()
    if args.data == "keep":
        print(f"{kept(settings)} (make destroy SITE={args.stage} DATA=delete deletes them)")
        return 0
    print(
        f"This deletes every article, account and photo of {args.stage}: tables {', '.join(settings.tables.values())}"
        f" and bucket {settings.media_bucket}. Type the stage's name to go on: ",
        end="",
        flush=True,
    )
    answer = sys.stdin.readline().strip()
    if answer != args.stage:
        print(f"\nnothing deleted: {answer!r} is not {args.stage!r}; {kept(settings)}", file=sys.stderr)
        return 2
    import boto3

    gone = delete_data(settings, boto3.session.Session(region_name=settings.region))
    print("\ndeleted: " + ", ".join(gone))
    return 0


if __name__ == "__main__":
    sys.exit(main())
