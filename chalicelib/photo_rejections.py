"""Why processing rejected a photo: the sentences stored on its record, and their stable codes for clients.

Apart from imaging.py so the API can word a rejection without importing the image code.
"""

from __future__ import annotations

import re

NOT_AN_IMAGE = "file is not a JPEG, PNG or WebP image"
DAMAGED = "file is damaged or incomplete"
GAVE_UP = "the photo could not be processed; please upload it again"  # processing.py's last word
_LIMIT = re.compile(r"(?:the limit is|at most) ([\d,]+)")


def rejection_code(reason: str) -> tuple[str, int | None]:
    """A stored rejection sentence as its stable code (errors.CODES) and the limit it names, for clients."""
    found = _LIMIT.search(reason)
    limit = int(found.group(1).replace(",", "")) if found else None
    if reason == DAMAGED:
        return "damaged", None
    if reason == NOT_AN_IMAGE:
        return "not_an_image", None
    if reason == GAVE_UP:
        return "gave_up", None
    if reason.startswith("file is ") and limit:  # processing's size check: "file is 26.0 MB; the limit is 25 MB"
        return "file_too_large", limit * 1024 * 1024
    if "too many pixels" in reason:
        return "too_many_pixels", limit
    if "too tall" in reason:
        return "too_tall", limit
    if "too large to decode" in reason:
        return "too_large_to_decode", limit
    return "photo_rejected", None
