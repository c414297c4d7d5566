"""The editors' API for sessions and accounts: log in and out, the caller's own password, editor accounts (admins).

Every route but `POST /api/session` needs a bearer token (routes/editors.py `editor_token`).
"""

from __future__ import annotations

from typing import Any, cast

from chalice import Blueprint

from chalicelib import accounts, auth
from chalicelib.client_address import client_address
from chalicelib.roles import Role
from chalicelib.routes.audited import auditor
from chalicelib.routes.editors import caller, editor_token, require_admin
from chalicelib.routes.responses import json_api
from chalicelib.validation import boolean, only_fields, parse_json, text

routes = Blueprint(__name__)
audited = auditor(routes)  # one audit record per call (chalicelib/audit.py)


def _json() -> dict[str, Any]:
    return parse_json(cast(bytes | None, routes.current_request.raw_body))  # bytes: chalice decodes nothing


@routes.route("/api/session", methods=["POST"])
@json_api()
@audited("login")
def log_in() -> dict[str, Any]:
    data = _json()
    only_fields(data, {"username", "password"})
    username = text(data, "username", 64, required=True) or ""
    password = text(data, "password", 1024, required=True) or ""
    return auth.log_in(username, password, _client()).as_dict()


@routes.route("/api/session", methods=["DELETE"], authorizer=editor_token)
@json_api()
@audited("logout")
def log_out() -> None:
    """Revokes every token of the caller, this one included (all their sessions end)."""
    auth.revoke_tokens(caller().username)


@routes.route("/api/session/refresh", methods=["POST"], authorizer=editor_token)
@json_api()
def refresh_session() -> dict[str, Any]:
    """A new token for the caller: the app asks while its editor is at work, so only idleness ends a session."""
    return auth.issue_token(accounts.get_editor(caller().username)).as_dict()


@routes.route("/api/me", methods=["GET"], authorizer=editor_token)
@json_api()
def me() -> dict[str, Any]:
    identity = caller()
    return {"username": identity.username, "role": str(identity.role)}


@routes.route("/api/me/password", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("password.change")
def change_password() -> dict[str, Any]:
    data = _json()
    only_fields(data, {"current_password", "new_password"})
    current = text(data, "current_password", 1024, required=True) or ""
    new = text(data, "new_password", 1024, required=True) or ""
    return auth.change_password(caller().username, current, new, _client()).as_dict()


@routes.route("/api/editors", methods=["GET"], authorizer=editor_token)
@json_api()
def list_editors() -> dict[str, Any]:
    require_admin()
    return {"editors": [accounts.editor_data(e) for e in accounts.list_editors()]}


@routes.route("/api/editors", methods=["POST"], authorizer=editor_token)
@json_api(201)
@audited("editor.create", ("role",))
def create_editor() -> dict[str, Any]:
    require_admin()
    data = _json()
    only_fields(data, {"username", "password", "role"})
    username = text(data, "username", 64, required=True) or ""
    password = text(data, "password", 1024, required=True) or ""
    role = accounts.valid_role(data.get("role", Role.EDITOR))
    return accounts.editor_data(accounts.create_editor(username, password, role))


@routes.route("/api/editors/{username}", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("editor.update", ("role", "disabled", "password"))
def update_editor(username: str) -> dict[str, Any]:
    acting = require_admin()
    data = _json()
    only_fields(data, {"role", "disabled", "password"})
    editor = accounts.update_editor(
        username,
        acting.username,
        role=accounts.valid_role(data["role"]) if "role" in data else None,
        disabled=boolean(data, "disabled") if "disabled" in data else None,
        password=text(data, "password", 1024, required=True) if "password" in data else None,
    )
    return accounts.editor_data(editor)


def _client() -> str:
    request = routes.current_request
    return client_address(request.headers, request.context)
