"""Provisioning of the stateful resources from the one definition in infra/.

The same code provisions a real stage and the local stack on moto: it creates
or updates a CloudFormation stack from `infra/resources.json`, then configures
what CloudFormation cannot change on an existing bucket.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from chalicelib.config import Settings, endpoint_url

log = logging.getLogger(__name__)

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "infra" / "resources.json"


def stack_name(settings: Settings) -> str:
    return f"newsroom-{settings.stage}-resources"


def stack_parameters(settings: Settings) -> list[dict[str, str]]:
    values = {  # template parameter -> resource name
        "ArticlesTableName": settings.articles_table,
        "CategoriesTableName": settings.categories_table,
        "CountersTableName": settings.counters_table,
        "PhotosTableName": settings.photos_table,
        "EditorsTableName": settings.editors_table,
        "MediaBucketName": settings.media_bucket,
        "PhotoQueueName": settings.photo_queue,
    }
    return [{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()]


def provision(settings: Settings, session: Any = None) -> dict[str, str]:
    """Create or update the stage's resources; safe to run again. Returns stack outputs."""
    session = session or boto3.session.Session(region_name=settings.region)
    cfn = session.client("cloudformation", endpoint_url=endpoint_url())
    name = stack_name(settings)
    template = TEMPLATE_PATH.read_text(encoding="utf-8")
    args = {"StackName": name, "TemplateBody": template, "Parameters": stack_parameters(settings)}
    if _stack_exists(cfn, name):
        try:
            cfn.update_stack(**args)
            cfn.get_waiter("stack_update_complete").wait(StackName=name, WaiterConfig={"Delay": 2})
            log.info("updated stack %s", name)
        except ClientError as exc:
            if "No updates are to be performed" not in str(exc):
                raise
    else:
        cfn.create_stack(**args)
        cfn.get_waiter("stack_create_complete").wait(StackName=name, WaiterConfig={"Delay": 2})
        log.info("created stack %s", name)
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    _apply_bucket_policy(session, settings, json.loads(template))
    _connect_uploads_to_queue(session, settings, outputs["PhotoQueueArn"], outputs["PhotoQueueUrl"])
    return outputs


def _stack_exists(cfn: Any, name: str) -> bool:
    try:
        stacks = cfn.describe_stacks(StackName=name)["Stacks"]
    except ClientError as exc:
        if "does not exist" in str(exc):
            return False
        raise
    return any(s["StackStatus"] != "DELETE_COMPLETE" for s in stacks)


def _apply_bucket_policy(session: Any, settings: Settings, template: dict[str, Any]) -> None:
    """Put the template's bucket policy (public read of renditions/ only) in place.

    The same document CloudFormation applies; set through the API as well
    because moto's CloudFormation has no AWS::S3::BucketPolicy.
    """
    document = json.dumps(template["Resources"]["MediaBucketPolicy"]["Properties"]["PolicyDocument"])
    policy = json.loads(document.replace("${MediaBucketName}", settings.media_bucket))
    policy["Statement"] = [
        {**st, "Resource": st["Resource"]["Fn::Sub"] if isinstance(st["Resource"], dict) else st["Resource"]}
        for st in policy["Statement"]
    ]
    s3 = session.client("s3", endpoint_url=endpoint_url())
    s3.put_bucket_policy(Bucket=settings.media_bucket, Policy=json.dumps(policy))


def _connect_uploads_to_queue(session: Any, settings: Settings, queue_arn: str, queue_url: str) -> None:
    """Let S3 tell the photo queue about new uploads (CloudFormation can't on an existing bucket)."""
    sqs = session.client("sqs", endpoint_url=endpoint_url())
    bucket_arn = f"arn:aws:s3:::{settings.media_bucket}"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "S3UploadNotifications",
                "Effect": "Allow",
                "Principal": {"Service": "s3.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": bucket_arn}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})
    s3 = session.client("s3", endpoint_url=endpoint_url())
    s3.put_bucket_notification_configuration(
        Bucket=settings.media_bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "Id": "photo-uploads",
                    "QueueArn": queue_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}},
                }
            ]
        },
    )
