"""The site always keeps an admin: a count of active admins, changed in the same transaction as the account.

Demoting or disabling an admin takes one from the count on condition that at least two remain, in one
TransactWriteItems with the account's change (itself conditioned on the account as it was read). Two admins
demoting each other at the same moment then cannot both succeed: DynamoDB serialises the transactions and
the second finds the count at one. The count lives in the workflow table (`site` / `admins`); the first
change that needs it counts the active admins once (a Scan of the few dozen accounts).
"""

from __future__ import annotations

import contextlib
from typing import Any

from pynamodb.exceptions import PutError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.errors import Conflict
from chalicelib.models import EditorModel, WorkflowModel
from chalicelib.roles import Role, parse_role
from chalicelib.transactions import TransactWriteError, cancelled, transaction

KEY = ("site", "admins")
LAST_ADMIN = "the site must keep at least one active admin"


def active_admin(role: Any, disabled: Any) -> bool:
    return parse_role(role) == Role.ADMIN and not disabled


def _ensure_count() -> None:
    """Count the active admins once, if no count is kept yet (the first change after an upgrade)."""
    if WorkflowModel.count(KEY[0], WorkflowModel.sk == KEY[1], consistent_read=True):
        return
    count = sum(1 for e in EditorModel.scan(consistent_read=True) if active_admin(e.role, e.disabled))
    with contextlib.suppress(PutError):  # someone else counted first: theirs stands
        WorkflowModel(*KEY, tally=count).save(condition=WorkflowModel.pk.does_not_exist())


def as_read(editor: EditorModel) -> Condition:
    """The account's role and disabled flag are still what was read."""
    role = EditorModel.role == editor.role
    if editor.role == EditorModel.role.default:  # pynamodb reads an item stored without a role as the default's
        role = role | EditorModel.role.does_not_exist()
    disabled = (
        EditorModel.disabled == True  # noqa: E712
        if editor.disabled
        else EditorModel.disabled.does_not_exist() | (EditorModel.disabled == False)  # noqa: E712
    )
    condition: Condition = EditorModel.username.exists() & role & disabled
    return condition


def change_account(editor: EditorModel, actions: list[Action], change: int) -> None:
    """Apply `actions` to `editor` (as read) and `change` (-1, 0, +1) to the active admins, together.

    Conflict (code `last_admin`) if it would leave no active admin; (code `editor_changed`) if the account
    changed since it was read."""
    if change:
        _ensure_count()
    try:
        with transaction() as writes:
            writes.update(editor, actions=actions, condition=as_read(editor))
            if change:
                counter = WorkflowModel(*KEY)
                keeps_one = WorkflowModel.tally >= 2 if change < 0 else WorkflowModel.tally.exists()
                writes.update(counter, actions=[WorkflowModel.tally.add(change)], condition=keeps_one)
    except TransactWriteError as error:
        if not cancelled(error):
            raise
        reasons = error.cancellation_reasons or []
        if len(reasons) > 1 and reasons[1] is not None and reasons[1].code == "ConditionalCheckFailed":
            raise Conflict(LAST_ADMIN, field="role", code="last_admin") from None
        raise Conflict(
            "the account was changed meanwhile; reload it", field="username", code="editor_changed"
        ) from None


def create_account(editor: EditorModel) -> bool:
    """Store a new account (False if the name is taken), counted if it is an admin."""
    admin = active_admin(editor.role, editor.disabled)
    if admin:
        _ensure_count()
    try:
        with transaction() as writes:
            writes.save(editor, condition=EditorModel.username.does_not_exist())
            if admin:
                writes.update(WorkflowModel(*KEY), actions=[WorkflowModel.tally.add(1)])
    except TransactWriteError as error:
        if cancelled(error):
            return False
        raise
    return True
