"""Editors' roles, each spelled once.

撰稿 contributors write and submit for review, never publish; 审核 reviewers approve or return; editors
write and publish; admins also manage accounts, categories, review levels and word lists.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Role(StrEnum):
    CONTRIBUTOR = "contributor"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"


PUBLISHERS = frozenset({Role.EDITOR, Role.REVIEWER, Role.ADMIN})  # once the required approvals are recorded
REVIEWERS = frozenset({Role.REVIEWER, Role.ADMIN})


def parse_role(value: Any) -> Role:
    """A stored or claimed role; anything else (accounts made before roles existed) is an editor."""
    return Role(value) if value in tuple(Role) else Role.EDITOR


def role_of(editor: Any) -> Role:
    """An editor's role."""
    return parse_role(editor.role)


def generation_of(editor: Any) -> int:
    """The editor's token generation: tokens issued at another one are revoked (missing reads as 0)."""
    return int(editor.token_generation or 0)
