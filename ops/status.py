"""`make status STAGE=…`: is the stage well? Alarms firing, dead letters, the last deploy, table sizes.

Only cheap reads: DescribeAlarms, GetQueueAttributes, DescribeStacks and DescribeTable (whose item counts
DynamoDB refreshes about every six hours; a Scan would read, and pay for, every item).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from chalicelib.config import PROJECT_DIR, Settings, endpoint_url
from ops.infra import stack_name
from ops.redrive import dead_letter_queue_name


@dataclass(frozen=True)
class Status:
    alarms: list[tuple[str, str]]  # (name, reason) of each alarm in ALARM
    dead_letters: int
    deploys: list[str]  # what was deployed when, most recent first
    items: dict[str, int]  # table -> approximate item count

    def lines(self) -> list[str]:
        out = [f"alarms in ALARM: {len(self.alarms) or 'none'}"]
        out += [f"  {name}: {reason}" for name, reason in self.alarms]
        out.append(
            f"photo dead letters: {self.dead_letters}" + (" (redrive-photos after a fix)" if self.dead_letters else "")
        )
        out += ["last deploy:"] + [f"  {deploy}" for deploy in self.deploys or ["never"]]
        out += ["table items (DescribeTable, refreshed about every 6 hours):"]
        out += [f"  {table}: {count}" for table, count in self.items.items()]
        return out


def stage_status(settings: Settings, project_dir: Path = PROJECT_DIR) -> Status:
    def client(service: str) -> Any:
        return boto3.client(service, region_name=settings.region, endpoint_url=endpoint_url())

    cloudwatch = client("cloudwatch")
    alarms = [
        (alarm["AlarmName"], alarm.get("StateReason", ""))
        for page in cloudwatch.get_paginator("describe_alarms").paginate(
            AlarmNamePrefix=f"newsroom-{settings.stage}-", StateValue="ALARM"
        )
        for alarm in page["MetricAlarms"] + page.get("CompositeAlarms", [])
        if alarm["StateValue"] == "ALARM"  # moto ignores StateValue beside a prefix
    ]
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=dead_letter_queue_name(settings))["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    dynamodb = client("dynamodb")
    items = {
        name: int(dynamodb.describe_table(TableName=name)["Table"].get("ItemCount", 0))
        for name in settings.tables.values()
    }
    return Status(
        alarms,
        int(attributes["ApproximateNumberOfMessages"]),
        _deploys(client("cloudformation"), settings, project_dir),
        items,
    )


def _deploys(cloudformation: Any, settings: Settings, project_dir: Path) -> list[str]:
    """The resources stack's last change (CloudFormation), and `chalice deploy`'s record of the functions."""
    found: list[tuple[datetime, str]] = []
    for name in (stack_name(settings), f"newsroom-{settings.stage}"):  # `make deploy`'s stack; `make package`'s
        try:
            stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
        except ClientError:
            continue
        when = stack.get("LastUpdatedTime") or stack["CreationTime"]
        found.append((when, f"{when:%Y-%m-%d %H:%M} UTC  stack {name}: {stack['StackStatus']}"))
    deployed = project_dir / ".chalice" / "deployed" / f"{settings.stage}.json"
    if deployed.exists():
        when = datetime.fromtimestamp(deployed.stat().st_mtime, timezone.utc)
        found.append((when, f"{when:%Y-%m-%d %H:%M} UTC  chalice deploy from this checkout ({deployed.name})"))
    return [text for _, text in sorted(found, key=lambda item: item[0], reverse=True)]
