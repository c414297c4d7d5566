"""Posting a file to our own media bucket through the presigned form the API signed (as a browser would).

Not a fetch of anything remote: the form's URL is the bucket the server chose. Remote content comes in only
through chalicelib/fetching.py (tests/test_fetching.py holds the intake code to that).
"""

from __future__ import annotations

from typing import Any

import requests


def post_form(upload: dict[str, Any], name: str, data: bytes, content_type: str) -> int:
    """Post `data` with the form's fields; the status S3 answered."""
    response = requests.post(
        upload["url"], data=upload["fields"], files={"file": (name, data, content_type)}, timeout=60
    )
    return int(response.status_code)
