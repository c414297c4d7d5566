"""`make status` and `make logs` against moto: what a stage's operator reads."""

from __future__ import annotations

import json
import time

import boto3

from chalicelib.config import get_settings
from chalicelib.models import CounterModel
from ops.log_tail import log_groups, recent_lines
from ops.redrive import dead_letter_queue_name
from ops.status import stage_status
from tests.test_redrive import drain


def test_status_names_the_alarms_in_alarm_the_dead_letters_the_deploy_and_the_tables(tmp_path):
    settings = get_settings()
    cloudwatch = boto3.client("cloudwatch")
    for name in ("photo-dead-letters", "login-failures"):
        cloudwatch.put_metric_alarm(
            AlarmName=f"newsroom-{settings.stage}-{name}",
            MetricName="LoginFailures",
            Namespace="Newsroom",
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=50,
            ComparisonOperator="GreaterThanThreshold",
        )
    cloudwatch.set_alarm_state(
        AlarmName=f"newsroom-{settings.stage}-login-failures", StateValue="ALARM", StateReason="62 failures"
    )
    sqs = boto3.client("sqs")
    dead = sqs.get_queue_url(QueueName=dead_letter_queue_name(settings))["QueueUrl"]
    drain(dead_letter_queue_name(settings))
    sqs.send_message(QueueUrl=dead, MessageBody="{}")
    CounterModel("a1", views=3).save()
    (tmp_path / ".chalice" / "deployed").mkdir(parents=True)
    (tmp_path / ".chalice" / "deployed" / f"{settings.stage}.json").write_text("{}")
    try:
        status = stage_status(settings, tmp_path)
    finally:
        cloudwatch.delete_alarms(
            AlarmNames=[f"newsroom-{settings.stage}-{n}" for n in ("photo-dead-letters", "login-failures")]
        )
        drain(dead_letter_queue_name(settings))
    assert status.alarms == [(f"newsroom-{settings.stage}-login-failures", "62 failures")]
    assert status.dead_letters == 1
    assert [d.split("  ", 1)[1] for d in status.deploys] == [
        f"chalice deploy from this checkout ({settings.stage}.json)",
        f"stack newsroom-{settings.stage}-resources: CREATE_COMPLETE",
    ]  # the file was written after the session's stack: most recent first
    assert set(status.items) == set(settings.tables.values())
    text = "\n".join(status.lines())
    assert "login-failures: 62 failures" in text and "photo dead letters: 1" in text


def test_logs_merge_the_functions_lines_by_time_and_follow_one_request():
    settings = get_settings()
    logs = boto3.client("logs")
    api, _, photos, counter, fold = log_groups(settings.stage)
    assert counter == f"/aws/lambda/newsroom-{settings.stage}-count_views"  # behind the CDN, views are counted there
    assert fold == f"/aws/lambda/newsroom-{settings.stage}-fold_search"
    now = int(time.time() * 1000)
    lines = {
        api: [
            (now - 3000, {"level": "INFO", "request_id": "r1", "message": "GET / answered 200"}),
            (now - 1000, {"level": "ERROR", "request_id": "r2", "message": "page failed", "exception": "Traceback…"}),
        ],
        photos: [(now - 2000, {"level": "INFO", "request_id": "r3", "message": "SQS batch handled"})],
    }
    for group, events in lines.items():
        logs.create_log_group(logGroupName=group)
        logs.create_log_stream(logGroupName=group, logStreamName="s")
        logs.put_log_events(
            logGroupName=group,
            logStreamName="s",
            logEvents=[{"timestamp": t, "message": json.dumps(m)} for t, m in events],
        )
    logs.put_log_events(
        logGroupName=api, logStreamName="s", logEvents=[{"timestamp": now - 500, "message": "END RequestId: r2"}]
    )
    try:
        everything = recent_lines(settings, minutes=5)
        one = recent_lines(settings, minutes=5, request_id="r2")
    finally:
        for group in lines:
            logs.delete_log_group(logGroupName=group)
    assert [line.split(" ", 1)[1] for line in everything] == [
        f"newsroom-{settings.stage} INFO r1: GET / answered 200",
        f"newsroom-{settings.stage}-process_photos INFO r3: SQS batch handled",
        f"newsroom-{settings.stage} ERROR r2: page failed\nTraceback…",
        f"newsroom-{settings.stage} END RequestId: r2",
    ]
    assert [line.split(" ", 1)[1] for line in one] == [
        f"newsroom-{settings.stage} ERROR r2: page failed\nTraceback…",
        f"newsroom-{settings.stage} END RequestId: r2",
    ]
