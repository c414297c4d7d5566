"""The last active admin can never be demoted or disabled, also when two admins act at the same moment."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from chalicelib import accounts
from chalicelib.answers import error_body
from chalicelib.errors import Conflict
from chalicelib.models import EditorModel, WorkflowModel
from chalicelib.roles import Role
from tests.api_helpers import bearer, call, make_admin, make_editor


def active_admins() -> list[str]:
    return sorted(e.username for e in EditorModel.scan(consistent_read=True) if e.role == "admin" and not e.disabled)


class Interleaving:
    """Holds each TransactWriteItems until both threads have read the accounts, then lets them write one after
    the other: the order in which the probe's two admins both succeeded (each read two admins, each wrote)."""

    def __init__(self) -> None:
        self.both_read = threading.Barrier(2, timeout=20)
        self.one_at_a_time = threading.Lock()
        self.client: Any = WorkflowModel._get_connection().connection.client

    def before(self, **_: Any) -> None:
        self.both_read.wait()
        self.one_at_a_time.acquire()

    def after(self, **_: Any) -> None:
        self.one_at_a_time.release()

    def __enter__(self) -> Interleaving:
        self.client.meta.events.register("before-call.dynamodb.TransactWriteItems", self.before)
        self.client.meta.events.register("after-call.dynamodb.TransactWriteItems", self.after)
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.meta.events.unregister("before-call.dynamodb.TransactWriteItems", self.before)
        self.client.meta.events.unregister("after-call.dynamodb.TransactWriteItems", self.after)


def run_at_once(*changes: Any) -> list[BaseException | None]:
    outcomes: list[BaseException | None] = [None] * len(changes)

    def run(index: int) -> None:
        try:
            changes[index]()
        except BaseException as error:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(changes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


@pytest.mark.parametrize(
    "change",
    [{"role": Role.EDITOR}, {"disabled": True}, {"role": Role.REVIEWER}],
    ids=["demote", "disable", "to-reviewer"],
)
def test_two_admins_changing_each_other_at_once_leave_one_admin(change):
    make_admin("li")
    make_admin("wang")
    accounts.list_editors()  # nothing counted yet: the first change counts the admins
    with Interleaving():
        outcomes = run_at_once(
            lambda: accounts.update_editor("wang", "li", **change),
            lambda: accounts.update_editor("li", "wang", **change),
        )
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and isinstance(refused[0], Conflict), outcomes
    assert refused[0].code == "last_admin"
    assert len(active_admins()) == 1


def test_the_last_admin_is_refused_through_the_api_and_the_count_follows_promotions(client):
    make_admin("li")
    make_admin("wang")
    make_editor("zhao")
    li = bearer("li")
    assert call(client, "PUT", "/api/editors/wang", {"disabled": True}, li).status_code == 200
    assert active_admins() == ["li"]
    assert call(client, "PUT", "/api/editors/zhao", {"role": "admin"}, li).status_code == 200
    zhao = bearer("zhao")
    assert call(client, "PUT", "/api/editors/li", {"role": "editor"}, zhao).status_code == 200
    refused = call(client, "PUT", "/api/editors/wang", {"disabled": False, "role": "editor"}, zhao)
    assert refused.status_code == 200  # a disabled admin made an editor: the count does not change
    assert active_admins() == ["zhao"]
    assert WorkflowModel.get("site", "admins").tally == 1
    created = call(
        client, "POST", "/api/editors", {"username": "qian", "password": "long enough pw", "role": "admin"}, zhao
    )
    assert created.status_code == 201 and WorkflowModel.get("site", "admins").tally == 2
    qian = bearer("qian")
    assert call(client, "PUT", "/api/editors/zhao", {"role": "editor"}, qian).status_code == 200
    assert call(client, "PUT", "/api/editors/qian", {"disabled": True}, bearer("li")).status_code == 403  # no admin
    with pytest.raises(Conflict) as refused_last:  # nobody, not even ops, takes the last one
        accounts.update_editor("qian", "ops", disabled=True)
    assert refused_last.value.code == "last_admin"
    assert active_admins() == ["qian"]


class Requests:
    """The DynamoDB requests pynamodb sends (operation, parameters) while the context is open."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.client: Any = WorkflowModel._get_connection().connection.client
        self.editors: Any = EditorModel._get_connection().connection.client

    def record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.sent.append((model.name, dict(params)))

    def __enter__(self) -> Requests:
        for client in {id(c): c for c in (self.client, self.editors)}.values():
            client.meta.events.register("before-parameter-build.dynamodb", self.record)
        return self

    def __exit__(self, *exc: object) -> None:
        for client in {id(c): c for c in (self.client, self.editors)}.values():
            client.meta.events.unregister("before-parameter-build.dynamodb", self.record)

    def of(self, operation: str, table: str) -> list[dict[str, Any]]:
        return [p for name, p in self.sent if name == operation and p.get("TableName") == table]


def test_the_first_change_counts_the_admins_once_with_consistent_reads_beside_other_workflow_records(client):
    from chalicelib.config import get_settings
    from chalicelib.word_checks import put_list

    make_admin("li")
    make_admin("wang")
    make_editor("zhao")
    put_list("banned", "禁用词", "政治", "block", ["某词"])  # the workflow table holds more than the count
    tables = get_settings().tables
    with Requests() as requests:
        accounts.update_editor("wang", "li", disabled=True)
    assert active_admins() == ["li"] and WorkflowModel.get("site", "admins").tally == 1
    [looked] = requests.of("Query", tables["workflow"])
    assert looked["ConsistentRead"] is True  # a count saved a moment ago is not counted again
    assert set(looked["ExpressionAttributeNames"].values()) == {"pk", "sk"}  # the counter's item, not all of `site`
    assert {"S": "admins"} in looked["ExpressionAttributeValues"].values()
    [scanned] = requests.of("Scan", tables["editors"])
    assert scanned["ConsistentRead"] is True  # an account changed a moment ago is counted as it is now
    with Requests() as requests:
        accounts.update_editor("zhao", "li", role=Role.ADMIN)
    assert requests.of("Scan", tables["editors"]) == [] and requests.of("PutItem", tables["workflow"]) == []
    assert WorkflowModel.get("site", "admins").tally == 2


def test_a_disabled_admin_is_not_counted_so_the_last_active_one_stays(client):
    make_admin("li")
    EditorModel(make_admin("wang")).update(actions=[EditorModel.disabled.set(True)])  # from before the count
    make_editor("zhao")
    accounts.update_editor("zhao", "li", role=Role.ADMIN)
    accounts.update_editor("li", "zhao", role=Role.EDITOR)
    with pytest.raises(Conflict) as refused:
        accounts.update_editor("zhao", "ops", disabled=True)
    assert error_body(refused.value) == {
        "message": "the site must keep at least one active admin",
        "code": "last_admin",
        "field": "role",
    }
    assert active_admins() == ["zhao"]


def test_promoting_a_disabled_account_to_admin_does_not_count_it_so_the_last_active_one_stays(client):
    make_admin("li")
    make_admin("wang")
    accounts.update_editor("wang", "li", disabled=True)  # counts the admins: li only
    EditorModel(make_editor("zhao")).update(actions=[EditorModel.disabled.set(True)])
    accounts.update_editor("zhao", "li", role=Role.ADMIN)  # an admin now, but still disabled
    assert WorkflowModel.get("site", "admins").tally == 1
    with pytest.raises(Conflict) as refused:
        accounts.update_editor("li", "ops", disabled=True)
    assert refused.value.code == "last_admin" and active_admins() == ["li"]


def test_an_account_stored_without_a_role_is_an_editor_that_can_be_changed(client):
    """An item written without `role` (by hand, or by an older release) reads as an editor, so it can be
    changed as one: not refused forever as changed meanwhile."""
    make_admin("li")
    EditorModel(make_editor("zhao")).update(actions=[EditorModel.role.remove()])
    assert "role" not in EditorModel._get_connection().get_item("zhao", consistent_read=True)["Item"]
    accounts.update_editor("zhao", "li", disabled=True)
    accounts.update_editor("zhao", "li", role=Role.ADMIN, disabled=False)
    assert active_admins() == ["li", "zhao"]


def test_a_change_reads_the_account_consistently_before_and_after_writing(client):
    from chalicelib.config import get_settings

    make_admin("li")
    make_editor("zhao")
    with Requests() as requests:
        changed = accounts.update_editor("zhao", "li", role=Role.REVIEWER)
    assert changed.role == "reviewer"
    reads = requests.of("GetItem", get_settings().tables["editors"])
    assert len(reads) == 2 and all(r.get("ConsistentRead") is True for r in reads)


@pytest.mark.parametrize(
    "target, change, meanwhile",
    [
        ("zhao", {"disabled": True}, EditorModel.role.set("reviewer")),  # no admin counted
        ("zhao", {"role": Role.ADMIN}, EditorModel.role.set("reviewer")),  # one more admin
        ("wang", {"role": Role.EDITOR}, EditorModel.role.set("reviewer")),  # one admin less
        ("wang", {"role": Role.EDITOR}, EditorModel.disabled.set(True)),
        ("zhao", {"password": "a new long password"}, EditorModel.disabled.set(True)),
    ],
    ids=["disable", "promote", "demote", "demote-disabled-meanwhile", "password-disabled-meanwhile"],
)
def test_an_account_changed_between_its_read_and_its_write_is_refused_and_kept(client, target, change, meanwhile):
    make_admin("li")
    make_admin("wang")
    make_editor("zhao")
    accounts.create_editor("qian", "long enough pw", Role.ADMIN)  # counts the admins: 3
    ran: list[bool] = []

    def change_first(**_: Any) -> None:  # another admin's change lands between the read and the transaction
        if not ran:
            ran.append(True)
            EditorModel(target).update(actions=[meanwhile])

    events = EditorModel._get_connection().connection.client.meta.events
    events.register("before-parameter-build.dynamodb.TransactWriteItems", change_first)
    try:
        with pytest.raises(Conflict) as refused:
            accounts.update_editor(target, "li", **change)
    finally:
        events.unregister("before-parameter-build.dynamodb.TransactWriteItems", change_first)
    assert ran and error_body(refused.value) == {
        "message": "the account was changed meanwhile; reload it",
        "code": "editor_changed",
        "field": "username",
    }
    assert WorkflowModel.get("site", "admins").tally == 3  # nothing of the refused change was written
    stored = EditorModel.get(target, consistent_read=True)
    assert stored.token_generation == 0 and stored.must_change_password is not True


def test_a_count_made_meanwhile_stands_and_the_later_one_is_dropped(client):
    make_admin("li")
    make_admin("wang")
    make_editor("zhao")
    table = WorkflowModel.Meta.table_name
    ran: list[bool] = []

    def promote_first(params: dict[str, Any], **_: Any) -> None:  # another admin's change counts and applies first
        if not ran and params.get("TableName") == table:
            ran.append(True)
            accounts.update_editor("zhao", "wang", role=Role.ADMIN)

    events = WorkflowModel._get_connection().connection.client.meta.events
    events.register("before-parameter-build.dynamodb.PutItem", promote_first)
    try:
        accounts.update_editor("wang", "li", disabled=True)  # counted li, wang before zhao's promotion
    finally:
        events.unregister("before-parameter-build.dynamodb.PutItem", promote_first)
    assert ran and active_admins() == ["li", "zhao"]
    assert WorkflowModel.get("site", "admins").tally == 2
    accounts.update_editor("li", "zhao", role=Role.EDITOR)  # one of two may go
    assert active_admins() == ["zhao"]
