"""The last active admin can never be demoted or disabled, also when two admins act at the same moment."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from chalicelib import accounts
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
