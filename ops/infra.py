"""Provisioning of the stateful resources from the one definition in infra/resources.json.

Used three ways: `provision` creates or updates the stage's CloudFormation stack
(a real stage, or moto for the local stack and the tests); `merge_template`
gives `chalice package --merge-template` the same resources; and the settings
CloudFormation may not apply (on an existing bucket, or in moto's partial
CloudFormation) are then put in place through the service APIs from the same
template, so every environment converges on the same configuration.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from chalicelib.config import TABLES, Settings, endpoint_url
from chalicelib.media_keys import UPLOAD_PREFIX
from ops import partitions
from ops.alarms import converge_alarms
from ops.stages import stage_environment

INFRA = Path(__file__).resolve().parent.parent / "infra"

log = logging.getLogger(__name__)

TEMPLATE_PATH = INFRA / "resources.json"


def table_resource(kind: str) -> str:
    """The logical id in infra/resources.json of a table of config.TABLES; its name is `{id}Name`."""
    return f"{kind.capitalize()}Table"


def load_template() -> dict[str, Any]:
    return json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))


def stack_name(settings: Settings) -> str:
    return f"newsroom-{settings.stage}-resources"


def parameter_values(settings: Settings) -> dict[str, str]:
    """Template parameter -> this stage's resource name, from the stage's environment."""
    return {
        **{f"{table_resource(kind)}Name": settings.tables[kind] for kind in TABLES},
        "MediaBucketName": settings.media_bucket,
        "PhotoQueueName": settings.photo_queue,
        "SiteOrigins": ",".join(settings.site_origins),
        "Stage": settings.stage,
        "AlertEmail": stage_environment(settings.stage).get("ALERT_EMAIL", ""),
        **{parameter: name for parameter, (name, _) in function_names(settings.stage).items()},
    }


def function_names(stage: str) -> dict[str, tuple[str, str]]:
    """Template parameter -> (the function's name as `chalice deploy` gives it, its logical id in chalice's SAM
    template): the alarms watch these functions, and the CDN calls the counting one's URL, by name in the
    resources stack, by reference when merged."""
    return {
        "ApiFunctionName": (f"newsroom-{stage}", "APIHandler"),
        "AuthorizerFunctionName": (f"newsroom-{stage}-editor_token", "EditorToken"),
        "PhotoFunctionName": (f"newsroom-{stage}-process_photos", "ProcessPhotos"),
        "CounterFunctionName": (f"newsroom-{stage}-count_views", "CountViews"),  # its URL is the CDN's /views/*
        "SearchFunctionName": (f"newsroom-{stage}-fold_search", "FoldSearch"),  # folds the search index's changes
    }


def provision(settings: Settings, session: Any = None) -> dict[str, str]:
    """Create or update the stage's resources; safe to run again. Returns stack outputs."""
    session = session or boto3.session.Session(region_name=settings.region)
    cfn = session.client("cloudformation", endpoint_url=endpoint_url())
    name = stack_name(settings)
    template = load_template()
    parameters = [
        {"ParameterKey": k, "ParameterValue": v}
        for k, v in parameter_values(settings).items()
        if k in template["Parameters"]
    ]
    args = {"StackName": name, "TemplateBody": json.dumps(template), "Parameters": parameters}
    if _stack_exists(cfn, name):
        try:
            cfn.update_stack(**args)
            cfn.get_waiter("stack_update_complete").wait(StackName=name, WaiterConfig={"Delay": 5})
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
    configure(settings, session)
    return outputs


def configure(settings: Settings, session: Any = None) -> None:
    """Put in place, through the APIs, what the template declares but CloudFormation may skip,
    and the upload notifications: after `provision`, or after deploying `make package`'s stack."""
    session = session or boto3.session.Session(region_name=settings.region)
    template = load_template()
    values = {**_defaults(template), **parameter_values(settings)}
    lists = {k for k, v in template["Parameters"].items() if v["Type"] == "CommaDelimitedList"}
    parameters = {k: v.split(",") if k in lists else v for k, v in values.items()}
    resolved = resolve(template, {**parameters, "AWS::Partition": partitions.partition(settings.region)})
    _converge_bucket(session, settings, resolved["Resources"])
    _converge_tables(session, resolved["Resources"])
    sqs = session.client("sqs", endpoint_url=endpoint_url())
    queue_url = sqs.get_queue_url(QueueName=settings.photo_queue)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    _connect_uploads_to_queue(session, settings, queue_arn, queue_url)
    converge_alarms(session, resolved["Resources"])


NOT_FOUND_RESPONSE_TYPE = "MISSING_AUTHENTICATION_TOKEN"  # what API Gateway answers when no route matches


def not_found_page_template() -> str:
    """The static 404 page as an API Gateway mapping template.

    Gateway responses pass their body through Velocity, where `#` and `$` mean something (the
    page's CSS colours): `#[[...]]#` is Velocity's unparsed block, so the page goes out as rendered.
    """
    from chalicelib.config import get_site
    from chalicelib.pages import render_static_not_found

    return "#[[" + render_static_not_found(get_site()) + "]]#"


def not_found_gateway_responses() -> dict[str, Any]:
    """`x-amazon-apigateway-gateway-responses`: every unknown path gets the site's 404 page, not a 403 JSON.

    API Gateway gives MISSING_AUTHENTICATION_TOKEN (403) to a path no route matches, and to a known
    path asked with a method it does not have; both become 404 with the static page. Keyed by the
    JSON and HTML media types: API Gateway picks the template by the request's Accept/Content-Type
    and falls back to application/json.
    """
    from chalicelib.routes.responses import SECURITY_HEADERS

    body = not_found_page_template()
    # Static header values are single-quoted with no escape, so the CSP (it quotes 'none') stays out;
    # the static page has no script and nothing to inject.
    headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
    headers.update({name: value for name, value in SECURITY_HEADERS.items() if "'" not in value})
    return {
        NOT_FOUND_RESPONSE_TYPE: {
            "statusCode": 404,
            "responseParameters": {f"gatewayresponse.header.{name}": f"'{value}'" for name, value in headers.items()},
            "responseTemplates": {"application/json": body, "text/html": body},
        }
    }


def put_not_found_page(rest_api_id: str, stage: str, session: Any = None) -> None:
    """After `chalice deploy`: put the gateway response on the API and deploy its stage again.

    chalice deploy replaces the API's definition on each run, so `make deploy` runs this after it.
    """
    client = (session or boto3).client("apigateway", endpoint_url=endpoint_url())
    response = not_found_gateway_responses()[NOT_FOUND_RESPONSE_TYPE]
    client.put_gateway_response(
        restApiId=rest_api_id,
        responseType=NOT_FOUND_RESPONSE_TYPE,
        statusCode=str(response["statusCode"]),
        responseParameters=response["responseParameters"],
        responseTemplates=response["responseTemplates"],
    )
    client.create_deployment(restApiId=rest_api_id, stageName=stage)


def resolve(node: Any, parameters: Mapping[str, Any], conditions: Mapping[str, bool] | None = None) -> Any:
    """The template with `Ref` and `Fn::Sub` of parameters replaced by their values (a list's as a list), and
    `Fn::If` of the `conditions` given by its branch."""
    conditions = conditions or {}
    if isinstance(node, dict):
        if set(node) == {"Ref"} and node["Ref"] in parameters:
            return parameters[node["Ref"]]
        if set(node) == {"Fn::If"} and node["Fn::If"][0] in conditions:
            name, then, otherwise = node["Fn::If"]
            return resolve(then if conditions[name] else otherwise, parameters, conditions)
        if set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):
            return re.sub(r"\$\{([\w:]+)\}", lambda m: parameters.get(m.group(1), m.group(0)), node["Fn::Sub"])
        return {k: resolve(v, parameters, conditions) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, parameters, conditions) for v in node]
    return node


def _defaults(template: dict[str, Any]) -> dict[str, str]:
    return {k: v["Default"] for k, v in template.get("Parameters", {}).items() if "Default" in v}


def _stack_exists(cfn: Any, name: str) -> bool:
    try:
        stacks = cfn.describe_stacks(StackName=name)["Stacks"]
    except ClientError as exc:
        if "does not exist" in str(exc):
            return False
        raise
    return any(s["StackStatus"] != "DELETE_COMPLETE" for s in stacks)


def _converge_bucket(session: Any, settings: Settings, resources: dict[str, Any]) -> None:
    """Public access block, ownership, CORS, lifecycle and policy, as the template declares them."""
    s3 = session.client("s3", endpoint_url=endpoint_url())
    bucket = settings.media_bucket
    props = resources["MediaBucket"]["Properties"]
    if not settings.cdn:  # with the CDN, the merged stack owns the policy and its public block (they name it)
        s3.put_public_access_block(
            Bucket=bucket, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
        )
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=props["OwnershipControls"])
    cors = [
        {
            "AllowedMethods": rule["AllowedMethods"],
            "AllowedOrigins": rule["AllowedOrigins"],
            "AllowedHeaders": rule["AllowedHeaders"],
            "MaxAgeSeconds": rule["MaxAge"],
        }
        for rule in props["CorsConfiguration"]["CorsRules"]
    ]
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": cors})
    rules = [
        {
            "ID": rule["Id"],
            "Status": rule["Status"],
            "Filter": {"Prefix": ""},
            "AbortIncompleteMultipartUpload": rule["AbortIncompleteMultipartUpload"],
        }
        for rule in props["LifecycleConfiguration"]["Rules"]
    ]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    if not settings.cdn:
        policy = resources["MediaBucketPolicy"]["Properties"]["PolicyDocument"]
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))


def _converge_tables(session: Any, resources: dict[str, Any]) -> None:
    dynamodb = session.client("dynamodb", endpoint_url=endpoint_url())
    for kind in TABLES:
        props = resources[table_resource(kind)]["Properties"]
        enabled = props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
        dynamodb.update_continuous_backups(
            TableName=props["TableName"],
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": enabled},
        )
        if "TimeToLiveSpecification" in props:  # throttle counts expire by themselves
            ttl = dynamodb.describe_time_to_live(TableName=props["TableName"])["TimeToLiveDescription"]
            if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
                dynamodb.update_time_to_live(
                    TableName=props["TableName"], TimeToLiveSpecification=props["TimeToLiveSpecification"]
                )


def _connect_uploads_to_queue(session: Any, settings: Settings, queue_arn: str, queue_url: str) -> None:
    """Let S3 tell the photo queue about new uploads (CloudFormation can't on an existing bucket)."""
    sqs = session.client("sqs", endpoint_url=endpoint_url())
    bucket_arn = partitions.arn(settings.region, "s3", settings.media_bucket, in_region=False)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "S3UploadNotifications",
                "Effect": "Allow",
                "Principal": {"Service": partitions.service_principal("s3", settings.region)},
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
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": UPLOAD_PREFIX}]}},
                }
            ]
        },
    )
