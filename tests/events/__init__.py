"""Lambda events for tests (the photo function's, the counting function's URL, a schedule), from AWS's samples.

The JSON files here are those samples: an SQS-triggered Lambda event, an S3
ObjectCreated notification, the s3:TestEvent S3 sends when notifications
are set up, a function URL's request (payload 2.0) as CloudFront sends it, and
EventBridge's scheduled event.
The SQS record's shape itself is written once, in local/events.py, which
local/worker.py also uses (local/ never imports tests/); the sample gives it
its queue, region and attributes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from local import events

HERE = Path(__file__).parent


def sample(name: str) -> Any:
    """A fresh copy of the sample `name`.json."""
    return json.loads((HERE / f"{name}.json").read_text())


def sqs_event(*bodies: str, receives: int = 1) -> dict[str, Any]:
    """The SQS event of `bodies`, messages m0, m1, … each on its delivery number `receives`."""
    template = sample("sqs_event")["Records"][0]
    return events.sqs_event(
        events.sqs_record(
            body,
            message_id=f"m{i}",
            receipt_handle=f"r{i}",
            queue_arn=template["eventSourceARN"],
            region=template["awsRegion"],
            attributes={**template["attributes"], "ApproximateReceiveCount": str(receives)},
        )
        for i, body in enumerate(bodies)
    )


def s3_record(
    key: str, size: int, encode_slash: bool = False, event_name: str = "ObjectCreated:Post"
) -> dict[str, Any]:
    """One record of an S3 event notification (keys URL-encoded as S3 does)."""
    record: dict[str, Any] = sample("s3_object_created")["Records"][0]
    record["eventName"] = event_name
    record["s3"]["object"].update(key=quote_plus(key, safe="" if encode_slash else "/"), size=size)
    return record


def s3_notification(key: str, size: int, encode_slash: bool = False, event_name: str = "ObjectCreated:Post") -> str:
    """The body S3 puts on the queue for one event (an ObjectCreated one unless told)."""
    return s3_notification_of(s3_record(key, size, encode_slash, event_name))


def s3_notification_of(*records: dict[str, Any]) -> str:
    """The body of a notification holding several records."""
    return json.dumps({"Records": list(records)})


TEST_EVENT = json.dumps(sample("s3_test_event"))


SAMPLE_USER_AGENT: str = sample("function_url_request")["headers"]["user-agent"]  # a desktop Chrome


def function_url_request(path: str, method: str = "POST", user_agent: str | None = SAMPLE_USER_AGENT) -> dict[str, Any]:
    """A Lambda function URL's request event (payload format 2.0) as CloudFront's signed request makes it:
    `path` and `method` set, and the viewer's User-Agent as CloudFront forwards it (None: the viewer sent none)."""
    event = sample("function_url_request")
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    if user_agent is None:
        del event["headers"]["user-agent"]
        del event["requestContext"]["http"]["userAgent"]
    else:
        event["headers"]["user-agent"] = event["requestContext"]["http"]["userAgent"] = user_agent
    return event


def scheduled_event() -> dict[str, Any]:
    """What EventBridge hands a scheduled function (the search index's fold)."""
    return sample("scheduled_event")
