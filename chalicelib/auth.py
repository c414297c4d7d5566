"""Editors' passwords, throttled login, and signed expiring tokens.

Passwords are hashed with scrypt (memory-hard, from the standard library) and
a per-password salt; tokens are HS256 JWTs signed with a secret from
configuration (an SSM SecureString in deployed stages).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from chalicelib import login_throttle
from chalicelib.config import aws_client_config, endpoint_url, get_settings
from chalicelib.errors import InvalidInput, Unauthorized
from chalicelib.models import EditorModel

# OWASP's minimum for scrypt: 128 MB and ~0.35 s per hash here. Stored with each hash.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
WRONG_CREDENTIALS = "wrong username or password"
ALGORITHM = "HS256"


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


def create_editor(username: str, password: str) -> None:
    if not USERNAME.fullmatch(username):
        raise InvalidInput("username: 2-64 lowercase letters, digits, '.', '_' or '-'", field="username")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD} characters", field="password")
    EditorModel(username, password_hash=hash_password(password), created_at=datetime.now(timezone.utc)).save()


def log_in(username: str, password: str, source: str) -> tuple[str, datetime]:
    """A token for correct credentials; the same error whether or not the user exists.

    `source` is the client's address: attempts are throttled per account-and-source and per source
    (login_throttle.py) before any password is hashed.
    """
    attempt = login_throttle.count_attempt(username, source)
    now = datetime.now(timezone.utc)
    try:
        editor = EditorModel.get(username, consistent_read=True)
    except EditorModel.DoesNotExist:
        verify_password(password, _dummy_hash())
        raise Unauthorized(WRONG_CREDENTIALS) from None
    if not verify_password(password, editor.password_hash):
        raise Unauthorized(WRONG_CREDENTIALS)
    login_throttle.succeeded(attempt)
    return issue_token(username, now)


def issue_token(username: str, now: datetime | None = None) -> tuple[str, datetime]:
    settings = get_settings()
    issued = now or datetime.now(timezone.utc)
    expires = issued + timedelta(hours=settings.token_hours)
    import jwt  # here, not at the top: the reader pages never need it

    claims = {"sub": username, "iat": issued, "exp": expires, "iss": f"newsroom-{settings.stage}"}
    return jwt.encode(claims, token_secret(), algorithm=ALGORITHM), expires


def check_token(authorization: str) -> str:
    """The username in a valid `Bearer` token; Unauthorized for anything else."""
    import jwt

    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("a bearer token is required")
    try:
        claims: dict[str, Any] = jwt.decode(
            token.strip(),
            token_secret(),
            algorithms=[ALGORITHM],
            issuer=f"newsroom-{get_settings().stage}",
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.PyJWTError:
        raise Unauthorized("token is invalid or expired") from None
    return str(claims["sub"])


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
