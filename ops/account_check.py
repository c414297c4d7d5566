"""Read an account back after `make deploy` and say how it differs from what the deploy should have left.

`problems(session, expected, rest_api_id)` lists every difference as one sentence (none: the account
holds the stage as expected); `snapshot` is the state a redeploy should leave unchanged. The rehearsal
runs both against moto's server; they use only read calls, so they work against a real account too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from ops.expectations import Expected

BATCH_FAILURES = "ReportBatchItemFailures"


def problems(session: Any, expected: Expected, rest_api_id: str | None) -> list[str]:
    """Every way the account differs from `expected` (empty: none found)."""
    account = session.client("sts").get_caller_identity()["Account"]
    arn = _arns(expected, account)
    found: list[str] = []
    found += _function_problems(session, expected, arn)
    found += _role_problems(session, expected)
    found += _trigger_problems(session, expected, arn)
    found += _api_problems(session, expected, arn, rest_api_id)
    found += _bucket_problems(session, expected, arn)
    found += _alarm_problems(session, expected, arn)
    found += _review_topic_problems(session, expected)
    return found


def _arns(expected: Expected, account: str) -> dict[str, str]:
    p, r = expected.partition, expected.region
    return {
        "function": f"arn:{p}:lambda:{r}:{account}:function:",
        "role": f"arn:{p}:iam::{account}:role/",
        "queue": f"arn:{p}:sqs:{r}:{account}:",
        "topic": f"arn:{p}:sns:{r}:{account}:",
        "integration": f"arn:{p}:apigateway:{r}:lambda:path/2015-03-31/functions/",
    }


def _function_problems(session: Any, expected: Expected, arn: dict[str, str]) -> list[str]:
    client = session.client("lambda")
    found = []
    for name, function in expected.functions.items():
        try:
            config = client.get_function_configuration(FunctionName=function.name)
        except ClientError:
            found.append(f"function {function.name} ({name}) does not exist")
            continue
        wanted = {
            "Runtime": expected.runtime,
            "Handler": function.handler,
            "MemorySize": function.memory,
            "Timeout": function.timeout,
            "Role": arn["role"] + function.role,
        }
        for key, value in wanted.items():
            if config.get(key) != value:
                found.append(f"function {function.name}: {key} is {config.get(key)!r}, not {value!r}")
        environment = config.get("Environment", {}).get("Variables", {})
        if environment != expected.environment:
            changed = sorted(set(environment.items()) ^ set(expected.environment.items()))
            found.append(f"function {function.name}: environment differs in {sorted({k for k, _ in changed})}")
    return found


def _role_problems(session: Any, expected: Expected) -> list[str]:
    iam = session.client("iam")
    found = []
    for function in expected.functions.values():
        role = function.role
        try:
            names = iam.list_role_policies(RoleName=role)["PolicyNames"]
        except ClientError:
            found.append(f"role {role} does not exist")
            continue
        wanted = {role: function.policy, **expected.extra_role_policies.get(role, {})}
        if set(names) != set(wanted):
            found.append(f"role {role} has the inline policies {sorted(names)}, not {sorted(wanted)}")
        for name in set(names) & set(wanted):
            document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
            document = json.loads(document) if isinstance(document, str) else document
            if document != wanted[name]:
                found.append(f"role {role}: policy {name} is not the generated one")
            found += [
                f"role {role}: {bad} is not in partition {expected.partition}"
                for bad in _foreign_arns(document, expected.partition)
            ]
        attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
        if attached:
            found.append(f"role {role} has managed policies attached: {[p['PolicyName'] for p in attached]}")
    return found


def _foreign_arns(node: Any, partition: str) -> Iterator[str]:
    """Every ARN in a policy document that names another partition than `partition`."""
    if isinstance(node, dict):
        for value in node.values():
            yield from _foreign_arns(value, partition)
    elif isinstance(node, list):
        for value in node:
            yield from _foreign_arns(value, partition)
    elif isinstance(node, str) and node.startswith("arn:") and not re.match(rf"arn:({re.escape(partition)}|\*):", node):
        yield node


def _trigger_problems(session: Any, expected: Expected, arn: dict[str, str]) -> list[str]:
    client = session.client("lambda")
    events = session.client("events")
    found = []
    for name, (queue, batch) in expected.queue_sources.items():
        function_arn = arn["function"] + expected.functions[name].name
        mappings = client.list_event_source_mappings(FunctionName=function_arn)["EventSourceMappings"]
        ours = [m for m in mappings if m["EventSourceArn"] == arn["queue"] + queue]
        if len(ours) != 1:
            found.append(f"{function_arn} has {len(ours)} mappings of queue {queue}, not 1")
            continue
        mapping = ours[0]
        if mapping.get("BatchSize") != batch or mapping.get("State") not in ("Enabled", "Enabling", "Creating"):
            found.append(f"the {queue} mapping has batch size {mapping.get('BatchSize')}, state {mapping.get('State')}")
        if BATCH_FAILURES not in mapping.get("FunctionResponseTypes", []):
            found.append(f"the {queue} mapping does not report partial batch failures ({BATCH_FAILURES})")
    for name, schedule in expected.schedules.items():
        rule = f"{expected.functions[name].name}-event"
        try:
            described = events.describe_rule(Name=rule)
        except ClientError:
            found.append(f"schedule {rule} does not exist")
            continue
        if described.get("ScheduleExpression") != schedule or described.get("State") != "ENABLED":
            found.append(
                f"schedule {rule} is {described.get('ScheduleExpression')} {described.get('State')}, not {schedule}"
            )
        targets = [t["Arn"] for t in events.list_targets_by_rule(Rule=rule)["Targets"]]
        if targets != [arn["function"] + expected.functions[name].name]:
            found.append(f"schedule {rule} targets {targets}")
    return found


def _api_problems(session: Any, expected: Expected, arn: dict[str, str], rest_api_id: str | None) -> list[str]:
    if rest_api_id is None:
        return ["no REST API was deployed (chalice's deployed record names none)"]
    client = session.client("apigateway")
    try:
        resources = client.get_resources(restApiId=rest_api_id, limit=500)["items"]
    except ClientError:
        return [f"REST API {rest_api_id} does not exist"]
    found = []
    routes = {(r["path"], m) for r in resources for m in r.get("resourceMethods", {}) if m != "OPTIONS"}
    found += [f"route {method} {path} is missing from the API" for path, method in sorted(expected.routes - routes)]
    found += [
        f"route {method} {path} is on the API but not in the app" for path, method in sorted(routes - expected.routes)
    ]
    api_arn = arn["integration"] + arn["function"] + expected.functions["api_handler"].name + "/invocations"
    for resource in resources:
        for method in resource.get("resourceMethods", {}):
            if method == "OPTIONS":
                continue
            uri = client.get_integration(restApiId=rest_api_id, resourceId=resource["id"], httpMethod=method).get("uri")
            if uri != api_arn:
                found.append(f"route {method} {resource['path']} calls {uri}, not {api_arn}")
    try:
        client.get_stage(restApiId=rest_api_id, stageName=expected.api_stage)
    except ClientError:
        found.append(f"the API has no stage {expected.api_stage}")
    found += _not_found_problems(client, expected, rest_api_id)
    return found


def _not_found_problems(client: Any, expected: Expected, rest_api_id: str) -> list[str]:
    try:
        response = client.get_gateway_response(restApiId=rest_api_id, responseType="MISSING_AUTHENTICATION_TOKEN")
    except ClientError:
        return ["the API has no gateway response for unknown paths"]
    page = response.get("responseTemplates", {}).get("text/html", "")
    if response.get("statusCode") != "404" or expected.environment.get("SITE_NAME", "") not in page:
        return [f"unknown paths get {response.get('statusCode')}, not 404 with the site's page"]
    return []


def _bucket_problems(session: Any, expected: Expected, arn: dict[str, str]) -> list[str]:
    s3 = session.client("s3")
    found = []
    try:
        notifications = s3.get_bucket_notification_configuration(Bucket=expected.bucket)
    except ClientError:
        return [f"bucket {expected.bucket} does not exist"]
    queue = arn["queue"] + next(iter(expected.queue_sources.values()))[0] if expected.queue_sources else ""
    uploads = [
        q
        for q in notifications.get("QueueConfigurations", [])
        if q["QueueArn"] == queue
        and "s3:ObjectCreated:*" in q["Events"]
        and {"Name": "Prefix", "Value": expected.upload_prefix}
        in [
            {"Name": r["Name"].capitalize(), "Value": r["Value"]}
            for r in q.get("Filter", {}).get("Key", {}).get("FilterRules", [])
        ]
    ]
    if not uploads:
        found.append(f"bucket {expected.bucket} does not tell {queue} of new {expected.upload_prefix} objects")
    try:
        rules = s3.get_bucket_cors(Bucket=expected.bucket)["CORSRules"]
    except ClientError:
        rules = []
    if not any(set(r["AllowedOrigins"]) == set(expected.site_origins) and "POST" in r["AllowedMethods"] for r in rules):
        found.append(f"bucket {expected.bucket} does not allow browser uploads from {list(expected.site_origins)}")
    return found


def _alarm_problems(session: Any, expected: Expected, arn: dict[str, str]) -> list[str]:
    cloudwatch = session.client("cloudwatch")
    sns = session.client("sns")
    topic = arn["topic"] + expected.alert_topic
    found = []
    try:
        subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    except ClientError:
        return [f"the alert topic {topic} does not exist"]
    if expected.alert_email and expected.alert_email not in [s["Endpoint"] for s in subscriptions]:
        found.append(f"the alert topic does not mail {expected.alert_email}")
    alarms = {}
    for page in cloudwatch.get_paginator("describe_alarms").paginate():
        alarms.update({a["AlarmName"]: a for a in page["MetricAlarms"]})
    for name in sorted(expected.alarms):
        if name not in alarms:
            found.append(f"alarm {name} does not exist")
        elif alarms[name].get("AlarmActions") != [topic]:
            found.append(f"alarm {name} notifies {alarms[name].get('AlarmActions')}, not {topic}")
    return found


def _review_topic_problems(session: Any, expected: Expected) -> list[str]:
    """The topic the API tells of articles waiting for review (REVIEW_TOPIC_ARN) exists."""
    topic = expected.environment.get("REVIEW_TOPIC_ARN")
    if not topic:
        return []
    try:
        session.client("sns").get_topic_attributes(TopicArn=topic)
    except ClientError:
        return [f"the review topic {topic} does not exist"]
    return []


def snapshot(session: Any, expected: Expected, rest_api_id: str | None) -> dict[str, Any]:
    """What a second deploy of unchanged code and settings must leave as it was (times excepted)."""
    client = session.client("lambda")
    iam = session.client("iam")
    state: dict[str, Any] = {}
    for function in expected.functions.values():
        config = client.get_function_configuration(FunctionName=function.name)
        state[f"function {function.name}"] = {
            k: v
            for k, v in config.items()
            if k not in ("LastModified", "RevisionId", "ResponseMetadata", "LastUpdateStatus")
        }
        state[f"role {function.role}"] = {
            name: iam.get_role_policy(RoleName=function.role, PolicyName=name)["PolicyDocument"]
            for name in iam.list_role_policies(RoleName=function.role)["PolicyNames"]
        }
        mappings = client.list_event_source_mappings(FunctionName=config["FunctionArn"])["EventSourceMappings"]
        state[f"mappings {function.name}"] = sorted(
            json.dumps({k: v for k, v in m.items() if k != "LastModified"}, sort_keys=True, default=str)
            for m in mappings
        )
    if rest_api_id:
        resources = session.client("apigateway").get_resources(restApiId=rest_api_id, limit=500)["items"]
        state["api"] = sorted((r["path"], sorted(r.get("resourceMethods", {}))) for r in resources)
    s3 = session.client("s3")
    state["bucket"] = {
        "cors": s3.get_bucket_cors(Bucket=expected.bucket)["CORSRules"],
        "notifications": s3.get_bucket_notification_configuration(Bucket=expected.bucket).get("QueueConfigurations"),
    }
    return state


def differences(before: Any, after: Any, where: str = "") -> Iterator[str]:
    """Where two snapshots differ: `function newsroom-x: CodeSha256`..."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before.keys() | after.keys():
            yield from differences(before.get(key), after.get(key), f"{where}: {key}" if where else str(key))
    elif before != after:
        yield where
