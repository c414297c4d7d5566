"""Editors' API helpers: an account, a token, JSON requests through the test client."""

from __future__ import annotations

import functools
import json
from datetime import datetime, timezone
from typing import Any

from chalicelib.auth import hash_password, issue_token
from chalicelib.models import EditorModel

PASSWORD = "correct horse battery"


@functools.lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)  # scrypt is slow on purpose: hash once per session


def make_editor(username: str = "editor", role: str = "editor") -> str:
    EditorModel(username, password_hash=_password_hash(), created_at=datetime.now(timezone.utc), role=role).save()
    return username


def make_admin(username: str = "admin") -> str:
    return make_editor(username, role="admin")


def bearer(username: str = "editor") -> dict[str, str]:
    """A token for the stored editor `username`, at its current role and token generation."""
    return {"Authorization": f"Bearer {issue_token(EditorModel.get(username, consistent_read=True)).token}"}


def call(client: Any, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    """A JSON request; the response with `.json` parsed (or None)."""
    raw = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else b"")
    response = client.http.request(
        method, path, headers={"Content-Type": "application/json", **(headers or {})}, body=raw
    )
    response.json = json.loads(response.body) if response.body else None
    return response
