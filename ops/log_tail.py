"""`make logs STAGE=… [REQUEST=…]`: the recent log lines of all the stage's functions, oldest first, readably.

FilterLogEvents on each function's log group (the names `chalice deploy` gives them), merged by time. With a
request id, CloudWatch Logs matches it as a term and only the lines whose `request_id` (or Lambda's id) is
that id are shown: every line of one request, from the X-Request-Id of its answer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

import boto3
from botocore.exceptions import ClientError

from chalicelib.config import Settings, endpoint_url
from ops.infra import function_names


def log_groups(stage: str) -> list[str]:
    return [f"/aws/lambda/{name}" for name, _ in function_names(stage).values()]


def recent_lines(settings: Settings, minutes: float = 15, request_id: str | None = None) -> list[str]:
    logs = boto3.client("logs", region_name=settings.region, endpoint_url=endpoint_url())
    start = int((time.time() - minutes * 60) * 1000)
    events: list[tuple[int, str, str]] = []
    for group in log_groups(settings.stage):
        arguments: dict[str, Any] = {"logGroupName": group, "startTime": start}
        if request_id:
            arguments["filterPattern"] = json.dumps(request_id)  # a quoted term
        try:
            for page in logs.get_paginator("filter_log_events").paginate(**arguments):
                events += [(e["timestamp"], group.rsplit("/", 1)[-1], e["message"]) for e in page["events"]]
        except ClientError as error:
            if error.response["Error"]["Code"] != "ResourceNotFoundException":  # a function never run yet
                raise
    return list(readable(sorted(events), request_id))


def readable(events: Iterable[tuple[int, str, str]], request_id: str | None) -> Iterable[str]:
    """Each event as `time function level request-id: message` (Lambda's own lines as they are)."""
    for timestamp, function, message in events:
        when = datetime.fromtimestamp(timestamp / 1000, timezone.utc).strftime("%H:%M:%S")
        try:
            record = json.loads(message)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            if request_id is None or request_id in message:
                yield f"{when} {function} {message.rstrip()}"
            continue
        if request_id is not None and request_id not in (record.get("request_id"), record.get("lambda_request_id")):
            continue
        line = (
            f"{when} {function} {record.get('level', '-')} {record.get('request_id', '-')}: {record.get('message', '')}"
        )
        if record.get("exception"):
            line += "\n" + record["exception"]
        yield line
