"""The audit trail at the route layer: one record for each call of an audited route, whatever its outcome.

`auditor(blueprint)` gives a decorator `audited(action, ...)`, placed under `json_api` so it sees the
route's result or its error before they become HTTP. The actor is the token's editor (or, for a login,
the username tried); the object is the route's id parameter, else the created thing's id; the detail is
the named request fields (a reason, a decision, a role) or the error's message.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from chalice import Blueprint

from chalicelib import audit, revisions
from chalicelib.client_address import client_address
from chalicelib.errors import NewsroomError

OBJECT_PARAMETERS = ("article_id", "username", "slug", "photo_id", "list_id")
CREATED_KEYS = ("id", "photo_id", "attachment_id", "username", "slug")
Route = Callable[..., Any]


def auditor(blueprint: Blueprint) -> Callable[..., Callable[[Route], Route]]:
    """The `audited` decorator for routes of `blueprint` (it reads the blueprint's current request)."""

    def audited(
        action: str, detail_fields: tuple[str, ...] = (), obj: str | None = None, revision: str | None = None
    ) -> Callable[[Route], Route]:
        """`revision`: the reason to keep the article the route answers as a new revision (revisions.py)."""

        def decorate(view: Route) -> Route:
            @functools.wraps(view)
            def route(*args: Any, **kwargs: Any) -> Any:
                request = blueprint.current_request
                try:
                    result = view(*args, **kwargs)
                except Exception as error:
                    message = error.message if isinstance(error, NewsroomError) else "server error"
                    _record(request, action, obj or _object(kwargs, _body(request)), audit.FAILURE, message)
                    raise
                detail = _detail(request, detail_fields)
                _record(request, action, obj or _object(kwargs, result), audit.SUCCESS, detail)
                if revision and isinstance(result, dict):
                    revisions.keep(_article_of(result), _actor(request), revision)
                return result

            return route

        return decorate

    return audited


def _actor(request: Any) -> str:
    context = request.context or {}
    return str((context.get("authorizer") or {}).get("principalId") or _body(request).get("username") or "-")[:64]


def _record(request: Any, action: str, obj: str, result: str, detail: str | None) -> None:
    address = client_address(request.headers, request.context or {})
    audit.record(audit.Entry(_actor(request), action, obj[:200], result, address, detail))


def _object(kwargs: dict[str, Any], result: Any) -> str:
    """The route's id parameter, else the id in its result (or, for a refusal, in its request)."""
    for name in OBJECT_PARAMETERS:
        if name in kwargs:
            return str(kwargs[name])
    if isinstance(result, dict):
        created = _article_of(result)
        for key in CREATED_KEYS:
            if isinstance(created.get(key), str):
                return str(created[key])
    return "-"


def _article_of(result: dict[str, Any]) -> dict[str, Any]:
    """The article (or other created thing) a route answers: itself, or under `article` (an import's answer)."""
    nested = result.get("article")
    return nested if isinstance(nested, dict) else result


def _detail(request: Any, fields: tuple[str, ...]) -> str | None:
    if not fields:
        return None
    body = _body(request)
    # A password is never written down: only that one was set.
    parts = [
        f"{name}={'(set)' if 'password' in name else body[name]}" for name in fields if body.get(name) not in (None, "")
    ]
    return "; ".join(parts) or None


def _body(request: Any) -> dict[str, Any]:
    """The request's JSON object, or {} (the route itself answers bad JSON)."""
    try:
        data = json.loads(request.raw_body or b"{}")
        json.dumps(data, ensure_ascii=False).encode()  # no lone surrogates to store
    except (ValueError, UnicodeError, RecursionError):  # also nested past the validator's cap
        return {}
    return data if isinstance(data, dict) else {}
