"""Editor accounts: creating them (ops' CLI, admins), listing and changing them (admins).

Disabling an account or setting its password revokes its tokens (auth's
token generation, bumped in the same UpdateItem). An admin cannot disable or
demote themselves, and the last active admin cannot be demoted or disabled
by anyone, also when two admins act at once (admins.py).
"""

from __future__ import annotations

import re
from typing import Any

from pynamodb.expressions.update import Action

from chalicelib import admins, clock
from chalicelib.auth import hash_password
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.models import EditorModel
from chalicelib.passwords import check_password
from chalicelib.roles import Role, role_of

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def valid_role(value: Any, field: str = "role") -> Role:
    if value not in tuple(Role):
        raise InvalidInput(f"{field} must be one of: {', '.join(Role)}", field=field, code="bad_role")
    return Role(value)


def create_editor(username: str, password: str, role: Role = Role.EDITOR) -> EditorModel:
    """A new account; 409 naming `username` if the name is taken."""
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            "username: 2-64 lowercase letters, digits, '.', '_' or '-'", field="username", code="bad_username"
        )
    check_password(password, username=username)
    role = valid_role(role)
    editor = EditorModel(username, password_hash=hash_password(password), created_at=clock.now(), role=str(role))
    if not admins.create_account(editor):
        raise Conflict(f"the username {username} is taken", field="username", code="username_taken")
    return editor


def list_editors() -> list[EditorModel]:
    """Every account, by username. A Scan: the table holds a few dozen small items, read by admins only."""
    return sorted(EditorModel.scan(consistent_read=True), key=lambda e: e.username)


def update_editor(
    username: str,
    acting: str,
    *,
    role: Role | None = None,
    disabled: bool | None = None,
    password: str | None = None,
) -> EditorModel:
    """Change an account's role, disabled flag or password; disabling or a new password revokes its tokens."""
    if username == acting and (disabled or role not in (None, Role.ADMIN)):
        raise Conflict(
            "you cannot disable or demote yourself; ask another admin", field="username", code="cannot_change_self"
        )
    actions: list[Action] = []
    if role is not None:
        actions.append(EditorModel.role.set(str(role)))
    if disabled is not None:
        actions.append(EditorModel.disabled.set(disabled))
    if password is not None:
        check_password(password, username=username)
        actions.append(EditorModel.password_hash.set(hash_password(password)))
        actions.append(EditorModel.must_change_password.set(True))  # its holder must choose their own
    if disabled or password is not None:
        actions.append(EditorModel.token_generation.add(1))
    if not actions:
        return get_editor(username)
    editor = get_editor(username)
    was = admins.active_admin(editor.role, editor.disabled)
    will = admins.active_admin(role or editor.role, editor.disabled if disabled is None else disabled)
    admins.change_account(editor, actions, int(will) - int(was))
    editor.refresh(consistent_read=True)
    return editor


def get_editor(username: str) -> EditorModel:
    try:
        return EditorModel.get(username, consistent_read=True)
    except EditorModel.DoesNotExist:
        raise NotFound("editor not found", field="username", code="editor_not_found") from None


def editor_data(editor: EditorModel) -> dict[str, Any]:
    """An account as admins see it: never its password hash or token generation."""
    return {
        "username": editor.username,
        "role": str(role_of(editor)),
        "disabled": bool(editor.disabled),
        "created_at": editor.created_at.isoformat() if editor.created_at else None,
    }
