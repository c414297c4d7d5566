"""Posting a file to our own media bucket through the presigned form the API signed (as a browser would).

Not a fetch of anything remote: the form's URL is the bucket the server chose. Remote content comes in only
through chalicelib/fetching.py (tests/test_fetching.py holds the intake code to that).
"""

from __future__ import annotations

from typing import Any

import requests


def post_form(upload: dict[str, Any], name: str, data: bytes, content_type: str) -> int | None:
    """Post `data` with the form's fields: None when S3 took it (a 2xx, 204 unless the form asks for another),
    else the status it answered."""
    response = requests.post(
        upload["url"], data=upload["fields"], files={"file": (name, data, content_type)}, timeout=60
    )
    return None if 200 <= response.status_code < 300 else int(response.status_code)
