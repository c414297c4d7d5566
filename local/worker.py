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
