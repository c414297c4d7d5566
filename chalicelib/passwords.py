"""Password rules (等保): long enough, not the username, not a common password, not one character repeated.

The common-password list ships small (`common_passwords.txt`: well-known leaked passwords of 10 characters
or more, the only ones the length rule lets through); it is read once per container, when first needed.
"""

from __future__ import annotations

import functools
from pathlib import Path

from chalicelib.errors import InvalidInput

MIN_PASSWORD = 10
COMMON = Path(__file__).with_name("common_passwords.txt")


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check_password(password: str, field: str = "password", username: str | None = None) -> None:
    """InvalidInput naming `field` (and a stable code) for a password the rules refuse."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"{field} must have at least {MIN_PASSWORD} characters",
            field=field,
            code="password_short",
            limit=MIN_PASSWORD,
        )
    lowered = password.lower()
    if username and username.lower() in lowered:
        raise InvalidInput(f"{field} must not contain the username", field=field, code="password_username")
    if lowered in common_passwords() or len(set(lowered)) < 4:
        raise InvalidInput(f"{field} is too common or too simple", field=field, code="password_common")
