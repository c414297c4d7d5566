"""Photo events: S3 ObjectCreated notifications for uploads/, delivered through SQS."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import processing
from chalicelib.config import get_settings

routes = Blueprint(__name__)

PHOTO_BATCH_SIZE = 5


@routes.on_sqs_message(queue=get_settings().photo_queue, batch_size=PHOTO_BATCH_SIZE, name="process_photos")
def process_photos(event: Any) -> dict[str, list[dict[str, str]]]:
    return processing.handle_messages([record.to_dict() for record in event])
