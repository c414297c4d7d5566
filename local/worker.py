"""The local stand-in for Lambda's SQS trigger: poll the photo queue on moto and
call the app's own handler with the event Lambda would pass.

Like Lambda's event source mapping with ReportBatchItemFailures, it deletes the
messages the handler did not report as failed; failed ones come back after the
visibility timeout and go to the dead-letter queue after three receives.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from local.events import event_from_received

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], Any]


class LambdaContext:
    """The parts of Lambda's context object a handler may read."""

    function_name = "newsroom-local-process_photos"
    memory_limit_in_mb = 1024

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 120_000


class PhotoWorker(threading.Thread):
    def __init__(
        self, sqs: Any, queue_url: str, queue_arn: str, region: str, handler: Handler, batch_size: int
    ) -> None:
        super().__init__(name="photo-worker", daemon=True)
        self.sqs, self.queue_url, self.queue_arn, self.region = sqs, queue_url, queue_arn, region
        self.handler, self.batch_size = handler, batch_size
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.poll_once(wait_seconds=1)
            except Exception:
                log.exception("photo worker poll failed")
                self.stopping.wait(2)

    def poll_once(self, wait_seconds: int = 0) -> int:
        """Receive one batch and hand it to the handler; returns the number of messages."""
        messages = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        result = self.handler(event_from_received(messages, self.queue_arn, self.region), LambdaContext()) or {}
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
        return len(messages)

    def stop(self) -> None:
        self.stopping.set()


class ScheduleWorker(threading.Thread):
    """EventBridge's stand-in: call a scheduled function's handler every `seconds` (the local stack's clock
    runs its schedules faster than deployed ones, so a change shows within seconds)."""

    def __init__(self, name: str, handler: Handler, seconds: float) -> None:
        super().__init__(name=f"schedule-{name}", daemon=True)
        self.handler, self.seconds, self.function = handler, seconds, name
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.seconds):
            try:
                context = LambdaContext()
                context.function_name = f"newsroom-local-{self.function}"
                self.handler(scheduled_event(self.function), context)
            except Exception:
                log.exception("scheduled %s failed", self.function)

    def stop(self) -> None:
        self.stopping.set()


def scheduled_event(function: str) -> dict[str, Any]:
    """What EventBridge hands a scheduled function (the fields chalice reads)."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [f"arn:aws:events:us-east-1:000000000000:rule/newsroom-local-{function}-event"],
        "detail": {},
    }
