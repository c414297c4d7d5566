"""Editor accounts, login with lockout, tokens checked by the authorizer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt
import pytest

from chalicelib import auth
from chalicelib.models import EditorModel
from tests.api_helpers import PASSWORD, bearer, call, make_editor


def test_passwords_are_salted_scrypt_hashes_never_clear_text():
    first, second = auth.hash_password("s3cret-password"), auth.hash_password("s3cret-password")
    assert first != second and first.startswith("scrypt$131072$8$1$")
    assert "s3cret" not in first
    assert auth.verify_password("s3cret-password", first)
    assert not auth.verify_password("s3cret-passwore", first)
    assert not auth.verify_password("x", "garbage")


def test_login_returns_a_token_that_opens_the_api(client):
    make_editor()
    response = call(client, "POST", "/api/session", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 200
    expires = datetime.fromisoformat(response.json["expires_at"])
    assert timedelta(hours=11.9) < expires - datetime.now(timezone.utc) <= timedelta(hours=12)
    token = response.json["token"]
    assert call(client, "GET", "/api/categories", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_401(client):
    make_editor()
    wrong = call(client, "POST", "/api/session", {"username": "editor", "password": "nope"})
    unknown = call(client, "POST", "/api/session", {"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json


@pytest.mark.parametrize(
    "body, field",
    [
        ({"username": "editor"}, "password"),
        ({"password": "x"}, "username"),
        ({"username": "e", "password": "p", "x": 1}, "x"),
    ],
)
def test_login_requests_are_validated(client, body, field):
    response = call(client, "POST", "/api/session", body)
    assert response.status_code == 400 and response.json["field"] == field


def test_five_failures_in_a_row_lock_the_account_for_15_minutes(client):
    make_editor()
    for _ in range(5):
        assert call(client, "POST", "/api/session", {"username": "editor", "password": "bad"}).status_code == 401
    locked = call(client, "POST", "/api/session", {"username": "editor", "password": PASSWORD})
    assert locked.status_code == 429
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60 + 1
    editor = EditorModel.get("editor")
    editor.update(actions=[EditorModel.locked_until.set(datetime.now(timezone.utc) - timedelta(seconds=1))])
    assert call(client, "POST", "/api/session", {"username": "editor", "password": PASSWORD}).status_code == 200


def test_a_success_resets_the_failure_count(client):
    make_editor()
    for _ in range(4):
        call(client, "POST", "/api/session", {"username": "editor", "password": "bad"})
    assert call(client, "POST", "/api/session", {"username": "editor", "password": PASSWORD}).status_code == 200
    for _ in range(4):
        call(client, "POST", "/api/session", {"username": "editor", "password": "bad"})
    assert call(client, "POST", "/api/session", {"username": "editor", "password": PASSWORD}).status_code == 200


def _token(**changes):
    now = datetime.now(timezone.utc)
    claims = {"sub": "editor", "iat": now, "exp": now + timedelta(hours=1), "iss": "newsroom-local", **changes}
    secret = changes.pop("secret", None) or auth.token_secret()
    claims.pop("secret", None)
    return jwt.encode(claims, secret, algorithm="HS256")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic ZWRpdG9yOnB3"},
        {"Authorization": "Bearer not.a.token"},
        {"Authorization": "Token abc.def.ghi"},
    ],
)
def test_missing_or_malformed_tokens_are_401(client, headers):
    assert call(client, "GET", "/api/articles", headers=headers).status_code == 401


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": datetime.now(timezone.utc) - timedelta(seconds=5)},  # expired
        {"secret": "forged-" + "y" * 32},  # signed with another key
        {"iss": "newsroom-prod"},  # another stage's token
    ],
)
def test_expired_forged_or_foreign_tokens_are_401(client, changes):
    headers = {"Authorization": f"Bearer {_token(**changes)}"}
    assert call(client, "GET", "/api/articles", headers=headers).status_code == 401


def test_an_unsigned_token_is_401(client):
    token = jwt.encode(
        {"sub": "editor", "iat": 1, "exp": 4_000_000_000, "iss": "newsroom-local"}, None, algorithm="none"
    )
    assert call(client, "GET", "/api/articles", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_every_api_route_but_login_requires_a_token(client):
    from app import app

    for path, methods in app.routes.items():
        for method, entry in methods.items():
            if path.startswith("/api") and (path, method) != ("/api/session", "POST"):
                assert entry.authorizer is not None, f"{method} {path}"
    assert bearer()  # tokens can be issued for the other tests


def test_create_editor_rejects_weak_input():
    from chalicelib.errors import InvalidInput

    with pytest.raises(InvalidInput):
        auth.create_editor("Bad Name", "long-enough-password")
    with pytest.raises(InvalidInput):
        auth.create_editor("alice", "short")
