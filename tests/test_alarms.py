"""Every alarm watches a metric that exists: one the handlers emit (checked by running them) or one AWS publishes."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from chalicelib.config import get_settings
from ops.infra import function_names, load_template, parameter_values, resolve
from ops.merge import profile_template
from tests.api_helpers import call, cheap_editor
from tests.aws_refusals import refuse
from tests.test_logs import Lines, lines  # noqa: F401 (the fixture)
from tests.test_metrics import published

# What AWS publishes, with the dimension each alarm must name (AWS's metric documentation per service).
AWS_METRICS = {
    ("AWS/SQS", "ApproximateNumberOfMessagesVisible"): "QueueName",
    ("AWS/Lambda", "Errors"): "FunctionName",
    ("AWS/Lambda", "Throttles"): "FunctionName",
    ("AWS/Lambda", "Duration"): "FunctionName",
    ("AWS/DynamoDB", "ReadThrottleEvents"): "TableName",
    ("AWS/DynamoDB", "WriteThrottleEvents"): "TableName",
}


def resolved_alarms() -> dict[str, dict[str, Any]]:
    """The alarms of a site with every function: the global profile's (its CDN counts through count_views)."""
    template = profile_template("function")
    values = {k: v["Default"] for k, v in template["Parameters"].items() if "Default" in v}
    values.update(parameter_values(get_settings()))
    resources = resolve(template["Resources"], values)
    return {name: r["Properties"] for name, r in resources.items() if r["Type"] == "AWS::CloudWatch::Alarm"}


def watched(alarm: dict[str, Any]) -> list[tuple[str, str, frozenset[tuple[str, str]]]]:
    """(namespace, metric, dimensions) of each metric an alarm reads, alone or in its metric math."""
    if "MetricName" in alarm:
        metrics = [
            {"Namespace": alarm["Namespace"], "MetricName": alarm["MetricName"], "Dimensions": alarm["Dimensions"]}
        ]
    else:
        metrics = [query["MetricStat"]["Metric"] for query in alarm["Metrics"] if "MetricStat" in query]
    return [
        (m["Namespace"], m["MetricName"], frozenset((d["Name"], d["Value"]) for d in m["Dimensions"])) for m in metrics
    ]


def emitted_by_the_handlers(client: Any, lines: Lines, monkeypatch: pytest.MonkeyPatch) -> set[Any]:  # noqa: F811
    """Run what each of our alarms is about: a wrong password, a page, a page failing."""
    cheap_editor("chief")
    assert call(client, "POST", "/api/session", {"username": "chief", "password": "wrong"}).status_code == 401
    assert client.http.get("/robots.txt").status_code == 200
    refuse(monkeypatch, RuntimeError("simulated fault in botocore"))
    assert client.http.get("/").status_code == 500
    monkeypatch.undo()
    return published(lines)


def test_every_alarm_watches_a_metric_the_handlers_emit_or_aws_publishes(client, lines, monkeypatch):  # noqa: F811
    emitted = emitted_by_the_handlers(client, lines, monkeypatch)
    settings = get_settings()
    template = profile_template("function")
    resources = resolve(template["Resources"], parameter_values(settings))
    dead_letters = resources["PhotoDeadLetterQueue"]["Properties"]["QueueName"]
    assert resources["PhotoQueue"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["PhotoDeadLetterQueue", "Arn"]
    }
    functions = {name for name, _ in function_names(settings.stage).values()}  # every function chalice deploys
    known_values = {"QueueName": {dead_letters}, "TableName": set(settings.tables.values()), "FunctionName": functions}
    alarms = resolved_alarms()
    covered: dict[str, set[str]] = {"QueueName": set(), "TableName": set(), "FunctionName": set()}
    ours = set()
    for name, alarm in alarms.items():
        metrics = watched(alarm)
        assert metrics, name  # an alarm on metric math alone would watch nothing checked here
        for query in alarm.get("Metrics", []):
            if "Expression" in query:  # its math reads only the alarm's own metrics
                ids = {q["Id"] for q in alarm["Metrics"] if "MetricStat" in q}
                assert set(re.findall(r"[a-z]\w*", query["Expression"])) <= ids, (name, query["Expression"])
        for namespace, metric, dimensions in metrics:
            if namespace.startswith("AWS/"):
                dimension = AWS_METRICS[(namespace, metric)]
                assert {d for d, _ in dimensions} == {dimension}, name
                value = dict(dimensions)[dimension]
                assert value in known_values[dimension], (name, dimensions)
                covered[dimension].add(value)
            else:
                assert (namespace, metric, dimensions) in emitted, (name, metric, dimensions)
                ours.add(metric)
    assert covered == known_values, "the dead letters, every table and every function have an alarm"
    assert ours == {"ServerErrors", "Requests", "LoginFailures"}  # the 5xx rate, and login failures spiking


def test_every_alarm_mails_the_topic_and_says_what_to_do():
    template = load_template()
    for name, alarm in resolved_alarms().items():
        assert alarm["AlarmActions"] == [{"Ref": "AlertTopic"}] == alarm["OKActions"], name
        assert len(alarm["AlarmDescription"]) > 80 and alarm["AlarmDescription"].endswith("."), name
    subscription = template["Resources"]["AlertSubscription"]
    assert subscription["Condition"] == "HasAlertEmail" and subscription["Properties"]["Protocol"] == "email"
    assert parameter_values(get_settings())["AlertEmail"] == ""  # the local stage mails no one


def test_the_processor_duration_alarm_fires_before_its_timeout():
    from ops.site import chalice_config, load

    for site in ("example-global", "example-china"):
        stage = chalice_config(load(site))["stages"][site]
        timeout = stage["lambda_functions"]["process_photos"]["lambda_timeout"]
        assert resolved_alarms()["PhotoDurationAlarm"]["Threshold"] < timeout * 1000
        assert stage["environment_variables"]["ALERT_EMAIL"]


def test_the_dashboard_shows_metrics_that_exist():
    from chalicelib.metrics import METRICS, NAMESPACE

    body, variables = load_template()["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    assert set(variables) == {"ApiFunction", "PhotoFunction"}
    widgets = json.loads(body)["widgets"]
    shown = [row for widget in widgets for row in widget["properties"]["metrics"]]
    ours = {row[1] for row in shown if row[0] == NAMESPACE}
    assert (
        ours <= set(METRICS) and {"ArticleViews", "Latency", "ServerErrors", "PhotosProcessed", "LoginFailures"} <= ours
    )
    assert {(row[0], row[1]) for row in shown if row[0] != NAMESPACE} <= set(AWS_METRICS)
    for row in shown:  # every metric is emitted with the Stage dimension alone (chalicelib/metrics.py)
        dimensions = row[2:-1]
        if row[0] == NAMESPACE:
            assert dimensions == ["Stage", "${Stage}"], row
        else:
            assert dimensions[0] == AWS_METRICS[(row[0], row[1])] and len(dimensions) == 2, row
    stats = {row[-1]["stat"] for row in shown if row[1] == "Latency"}
    assert stats == {"p50", "p99"}
