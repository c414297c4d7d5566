"""Opaque cursors for newest-first listings.

A cursor is the key of the last item shown, base64url-encoded JSON. Decoding
checks its shape, so a tampered cursor is a 400, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from chalicelib.errors import InvalidInput


def encode_cursor(key: dict[str, str]) -> str:
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, fields: tuple[str, ...]) -> dict[str, str] | None:
    """The key inside `cursor`, which must hold exactly `fields` as strings."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key: Any = json.loads(raw)
    except (binascii.Error, ValueError):
        raise InvalidInput("cursor is not valid", field="cursor") from None
    if (
        not isinstance(key, dict)
        or set(key) != set(fields)
        or not all(isinstance(v, str) and 0 < len(v) <= 512 for v in key.values())
    ):
        raise InvalidInput("cursor is not valid", field="cursor")
    return key
