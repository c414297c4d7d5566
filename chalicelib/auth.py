"""Editors' passwords, throttled login, and signed expiring tokens that can be revoked.

Passwords are hashed with scrypt (memory-hard, from the standard library) and
a per-password salt; tokens are HS256 JWTs signed with a secret from
configuration (an SSM SecureString in deployed stages). A token carries the
editor's `token_generation` (`gen`) at issue; bumping it with an atomic ADD
revokes every older token, which `check_token` refuses on its next read.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib import clock, login_throttle, metrics
from chalicelib.config import aws_client_config, endpoint_url, get_settings
from chalicelib.errors import InvalidInput, NotFound, Unauthorized
from chalicelib.models import EditorModel
from chalicelib.passwords import check_password
from chalicelib.roles import Role, generation_of, role_of
from chalicelib.write_conditions import condition_failed

# OWASP's minimum for scrypt: 128 MB and ~0.35 s per hash here. Stored with each hash.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
WRONG_CREDENTIALS = "wrong username or password"
ALGORITHM = "HS256"
REVOKED = "token is revoked"
DISABLED = "this account is disabled; ask an admin"
# What a token may still open while its editor must change an admin-reset password.
PASSWORD_CHANGE_ROUTES = (("/api/me/password", ["PUT"]), ("/api/me", ["GET"]), ("/api/session", ["DELETE"]))
PREVIEW = "preview"  # the audience of preview links: never an API token, and no API token is one


@dataclass(frozen=True)
class Identity:
    """Who a valid token belongs to, as the editor's record says now."""

    username: str
    role: Role
    must_change_password: bool = False  # after an admin's reset: only the password change is open


@dataclass(frozen=True)
class Session:
    """A freshly issued token and whom it is for: the answer to a login or a password change."""

    token: str
    expires_at: datetime
    username: str
    role: Role
    must_change_password: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "expires_at": self.expires_at.isoformat(),
            "username": self.username,
            "role": str(self.role),
            "idle_minutes": get_settings().session_idle_minutes,  # the app renews the token while in use
            "must_change_password": self.must_change_password,
        }


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):  # a malformed hash: hashlib refuses its parameters with either
        return False
    return hmac.compare_digest(actual, _unb64(digest))


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so both cases take as long."""
    return hash_password(secrets.token_urlsafe(16))


def log_in(username: str, password: str, source: str) -> Session:
    """A token for correct credentials; the same error whether or not the user exists.

    `source` is the client's address: attempts are throttled per account-and-source and per source
    (login_throttle.py) before any password is hashed.
    """
    attempt = login_throttle.count_attempt(username, source)
    try:
        editor = EditorModel.get(username, consistent_read=True)
    except EditorModel.DoesNotExist:
        verify_password(password, _dummy_hash())
        metrics.count("LoginFailures")
        raise Unauthorized(WRONG_CREDENTIALS, code="wrong_credentials") from None
    if not verify_password(password, editor.password_hash):
        metrics.count("LoginFailures")
        raise Unauthorized(WRONG_CREDENTIALS, code="wrong_credentials")
    # Only someone who knows the password learns that the account is disabled (issue 29: 账号已停用).
    if editor.disabled:
        metrics.count("LoginFailures")
        raise Unauthorized(DISABLED, code="account_disabled")
    login_throttle.succeeded(attempt)
    metrics.count("LoginSuccesses")
    return issue_token(editor)


def issue_token(editor: EditorModel) -> Session:
    """A token for `editor` at its current token generation and role, issued now (chalicelib.clock)."""
    issued = clock.now()
    expires = issued + timedelta(hours=get_settings().token_hours)
    role = role_of(editor)
    idle = int(issued.timestamp() + get_settings().session_idle_minutes * 60)
    claims = {
        "sub": editor.username,
        "gen": generation_of(editor),
        "role": str(role),
        "iat": issued,
        "exp": expires,
        "act": idle,
        # Its own id: two logins in one second are still two sessions, so the app can tell a refusal of the old
        # token from one of the new (admin/api.js ends a session only when the refused token is the one held).
        "jti": secrets.token_urlsafe(12),
    }
    return Session(sign(claims), expires, editor.username, role, bool(editor.must_change_password))


def check_token(authorization: str) -> Identity:
    """Who holds a valid, unrevoked `Bearer` token; Unauthorized for anything else.

    Reads the editor (consistently): a missing or disabled editor, or a token
    of an older generation (logged out, password changed), is refused at once.
    """
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("a bearer token is required", code="token_required")
    claims = verify(token.strip(), audience=None, required=("gen",))
    if not isinstance(claims["gen"], int):
        raise Unauthorized("token is invalid or expired", code="token_invalid")
    try:
        editor = EditorModel.get(str(claims["sub"]), consistent_read=True)
    except EditorModel.DoesNotExist:
        raise Unauthorized(REVOKED, code="token_revoked") from None
    if editor.disabled or claims["gen"] != generation_of(editor):
        raise Unauthorized(REVOKED, code="token_revoked")
    activity = claims.get("act")  # the idle deadline (SESSION_IDLE_MINUTES); tokens from before it have none
    if isinstance(activity, int | float) and clock.seconds() >= activity:
        raise Unauthorized("the session was idle too long; log in again", code="session_idle")
    return Identity(editor.username, role_of(editor), bool(editor.must_change_password))


def revoke_tokens(username: str) -> EditorModel:
    """Revoke every token issued to `username` so far (an atomic ADD); the editor as it is now."""
    editor = EditorModel(username)
    try:
        editor.update(actions=[EditorModel.token_generation.add(1)], condition=EditorModel.username.exists())
    except UpdateError as error:
        if condition_failed(error):
            raise NotFound("editor not found", field="username", code="editor_not_found") from None
        raise
    return editor


def change_password(username: str, current_password: str, new_password: str, source: str) -> Session:
    """Set a new password after checking the current one; older tokens are revoked, a new one issued.

    Checking the current password is a login attempt: throttled the same way, so a stolen token
    cannot be used to guess the password behind it.
    """
    attempt = login_throttle.count_attempt(username, source)
    editor = EditorModel.get(username, consistent_read=True)
    if not verify_password(current_password, editor.password_hash):
        metrics.count("LoginFailures")  # a guess through a stolen token counts as one
        raise InvalidInput("the current password is wrong", field="current_password", code="wrong_current_password")
    login_throttle.succeeded(attempt)
    check_password(new_password, "new_password", username)
    if new_password == current_password:
        raise InvalidInput("new_password must differ from the current one", field="new_password", code="password_same")
    editor.update(
        actions=[
            EditorModel.password_hash.set(hash_password(new_password)),
            EditorModel.token_generation.add(1),
            EditorModel.must_change_password.remove(),
        ]
    )
    return issue_token(editor)


def issue_preview(article_id: str, now: datetime | None = None, key: str = "") -> tuple[str, datetime]:
    """A signed link token that shows the article as saved, whatever its status, until it expires or the
    article's preview key (previews.py) is no longer `key`."""
    issued = now or clock.now()
    expires = issued + timedelta(hours=get_settings().preview_hours)
    return sign({"sub": article_id, "aud": PREVIEW, "key": key, "iat": issued, "exp": expires}), expires


def preview_claims(token: str) -> tuple[str, str]:
    """(article id, preview key) of a valid preview token; Unauthorized for anything else."""
    claims = verify(token, audience=PREVIEW)
    return str(claims["sub"]), str(claims.get("key") or "")


def sign(claims: dict[str, Any]) -> str:
    """An HS256 JWT of `claims` (plus this stage's issuer) with the token secret."""
    import jwt  # here, not at the top: the reader pages never need it

    return jwt.encode({**claims, "iss": issuer()}, token_secret(), algorithm=ALGORITHM)


def verify(token: str, audience: str | None, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The claims of a token this stage signed for `audience`; Unauthorized for anything else.

    `audience=None` means none: PyJWT refuses a token with an `aud` then, so a
    preview link never opens the API, and an API token (no `aud`) never passes
    as a preview link.
    """
    import jwt

    require = ["exp", "iat", "sub", "iss", *required] + (["aud"] if audience else [])
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            token_secret(),
            algorithms=[ALGORITHM],
            issuer=issuer(),
            audience=audience,
            options={"require": require, "verify_exp": False, "verify_iat": False},  # on our clock, below
        )
    except jwt.PyJWTError:
        raise Unauthorized("token is invalid or expired", code="token_invalid") from None
    if not _in_force(claims, clock.seconds()):
        raise Unauthorized("token is invalid or expired", code="token_invalid")
    return claims


def _in_force(claims: dict[str, Any], moment: float) -> bool:
    """Issued by now and not yet expired (PyJWT's rules, read on chalicelib.clock's time)."""
    try:
        issued, expires = int(claims["iat"]), int(claims["exp"])
    except (ValueError, TypeError, OverflowError):
        return False
    return issued <= moment < expires


def issuer() -> str:
    return f"newsroom-{get_settings().stage}"


@functools.lru_cache(maxsize=1)
def token_secret() -> str:
    """The signing secret: from configuration, or read once per container from SSM."""
    settings = get_settings()
    if settings.token_secret:
        return settings.token_secret
    if not settings.token_secret_parameter:
        raise RuntimeError("set TOKEN_SECRET_PARAMETER (or TOKEN_SECRET locally)")
    import boto3

    ssm = boto3.client("ssm", region_name=settings.region, endpoint_url=endpoint_url(), config=aws_client_config())
    response = ssm.get_parameter(Name=settings.token_secret_parameter, WithDecryption=True)
    return str(response["Parameter"]["Value"])


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)
