"""Ids: the one pattern every id in a URL or a request matches, and new random ones."""

from __future__ import annotations

import re
import secrets

ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_id(length: int = 12) -> str:
    """A short random id for URLs (60 bits), unambiguous to read aloud."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(length))
