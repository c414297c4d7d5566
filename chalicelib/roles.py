"""Editors' roles, each spelled once: admins also manage accounts and categories."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"


def role_of(editor: Any) -> Role:
    """An editor's role."""
    return Role(editor.role)


def generation_of(editor: Any) -> int:
    """The editor's token generation: tokens issued at another one are revoked (missing reads as 0)."""
    return int(editor.token_generation or 0)
