"""The alarms and the alert e-mail subscription of infra/resources.json, put in place through the APIs where
they are missing (moto's CloudFormation creates neither; on AWS the stack does, and this changes nothing).

Only missing ones are created: an existing alarm belongs to the stack, and subscribing an address again
would send it another confirmation mail.
"""

from __future__ import annotations

from typing import Any

from chalicelib.config import endpoint_url

TOPIC = "AlertTopic"


def converge_alarms(session: Any, resources: dict[str, Any]) -> list[str]:
    """Create the template's missing alarms and subscription (`resources` resolved but for the topic's
    `Ref`); returns what it created."""
    sns = session.client("sns", endpoint_url=endpoint_url())
    topic = _topic_arn(sns, resources[TOPIC]["Properties"]["TopicName"])
    if topic is None:
        return []  # the stack has not made it (yet): nothing to point alarms at
    created = []
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    for resource in resources.values():
        props = resource.get("Properties", {})
        endpoint = props.get("Endpoint") if resource["Type"] == "AWS::SNS::Subscription" else None
        if endpoint and endpoint not in [s["Endpoint"] for s in subscriptions]:
            sns.subscribe(TopicArn=topic, Protocol=props["Protocol"], Endpoint=endpoint)
            created.append(f"subscription {endpoint}")
    cloudwatch = session.client("cloudwatch", endpoint_url=endpoint_url())
    wanted = {
        r["Properties"]["AlarmName"]: r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::CloudWatch::Alarm" and "Condition" not in r
    }
    existing: set[str] = set()
    for page in cloudwatch.get_paginator("describe_alarms").paginate(AlarmNames=sorted(wanted)[:100]):
        existing.update(a["AlarmName"] for a in page["MetricAlarms"])
    for name, props in sorted(wanted.items()):
        if name not in existing:
            cloudwatch.put_metric_alarm(**_with_topic(props, topic))
            created.append(f"alarm {name}")
    return created


def _topic_arn(sns: Any, name: str) -> str | None:
    for page in sns.get_paginator("list_topics").paginate():
        for topic in page["Topics"]:
            if topic["TopicArn"].rsplit(":", 1)[-1] == name:
                return str(topic["TopicArn"])
    return None


def _with_topic(node: Any, topic: str) -> Any:
    """The alarm's properties with each `Ref` to the alert topic as its ARN."""
    if isinstance(node, dict):
        if node == {"Ref": TOPIC}:
            return topic
        return {k: _with_topic(v, topic) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_topic(v, topic) for v in node]
    return node
