"""Photos a site feature shows outside articles (a link's logo, a topic's banner): checked ready when saved,
and what pages need of them copied in, so a page reads no photo record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.errors import InvalidInput
from chalicelib.models import PhotoModel
from chalicelib.statuses import PhotoStatus


def ready_media(photo_ids: list[str | None], field: Callable[[int], str]) -> dict[str, dict[str, Any]]:
    """Each named photo's size, colour and rendition widths (one BatchGetItem, consistent); a 400
    `photo_not_ready` on `field(i)` for the first one that is unknown, still processing or rejected."""
    wanted = sorted({photo_id for photo_id in photo_ids if photo_id})
    photos = {p.photo_id: p for p in PhotoModel.batch_get(wanted, consistent_read=True)} if wanted else {}
    for index, photo_id in enumerate(photo_ids):
        photo = photos.get(photo_id) if photo_id else None
        if photo_id and (photo is None or photo.status != PhotoStatus.READY or not photo.renditions):
            raise InvalidInput("the photo is not a processed photo", field=field(index), code="photo_not_ready")
    return {
        photo_id: {
            "width": int(photo.width or 0),
            "height": int(photo.height or 0),
            "color": photo.color or "#e8e8e8",
            "widths": sorted({int(r["width"]) for r in photo.renditions or []}),
        }
        for photo_id, photo in photos.items()
    }
