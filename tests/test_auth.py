"""Editor accounts, login, tokens checked by the authorizer (throttling: tests/security/test_login_throttle.py)."""

from __future__ import annotations

import hashlib
import json
import time
from base64 import b64decode, b64encode
from datetime import datetime, timedelta, timezone

import boto3
import jwt
import pytest

from chalicelib import accounts, auth
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput
from chalicelib.models import EditorModel
from local.dynamodb_calls import DynamoDBRequests
from tests.api_helpers import CHEAP_N, PASSWORD, bearer, call, cheap_editor, make_editor
from tests.test_logs import lines  # noqa: F401 (the fixture)


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


def _token(**changes):
    now = datetime.now(timezone.utc)
    claims = {
        "sub": "editor",
        "gen": 0,
        "role": "editor",
        "iat": now,
        "exp": now + timedelta(hours=1),
        "iss": "newsroom-local",
        **changes,
    }
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


def _disabled() -> str:
    EditorModel("editor").update(actions=[EditorModel.disabled.set(True)])
    return f"Bearer {_token()}"


REFUSALS = {  # what the request sends (made once the editor exists) -> why the authorizer refused it
    "not a bearer": (lambda: "Basic ZWRpdG9yOnB3", "token_required", "a bearer token is required"),
    "a bearer of nothing": (lambda: "Bearer  ", "token_required", "a bearer token is required"),
    "not a token": (lambda: "Bearer not.a.token", "token_invalid", "token is invalid or expired"),
    "a generation not a number": (lambda: f"Bearer {_token(gen='0')}", "token_invalid", "token is invalid or expired"),
    "an unknown editor": (lambda: f"Bearer {_token(sub='nobody')}", "token_revoked", "token is revoked"),
    "a disabled editor": (_disabled, "token_revoked", "token is revoked"),
    "an older generation": (lambda: f"Bearer {_token(gen=-1)}", "token_revoked", "token is revoked"),
    "expired": (
        lambda: f"Bearer {_token(exp=datetime.now(timezone.utc) - timedelta(seconds=5))}",
        "token_invalid",
        "token is invalid or expired",
    ),
    "not issued yet": (
        lambda: f"Bearer {_token(iat=datetime.now(timezone.utc) + timedelta(minutes=5))}",
        "token_invalid",
        "token is invalid or expired",
    ),
    "times not numbers": (
        lambda: f"Bearer {_token(iat='now', exp='tomorrow')}",
        "token_invalid",
        "token is invalid or expired",
    ),
    "idle too long": (
        lambda: f"Bearer {_token(act=int(time.time()) - 1)}",
        "session_idle",
        "the session was idle too long; log in again",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_the_authorizer_says_why_it_refused_a_token_and_never_the_token(client, lines, case):  # noqa: F811
    make_editor()
    make_header, code, message = REFUSALS[case]
    header = make_header()
    mark = lines.mark()
    assert call(client, "GET", "/api/articles", headers={"Authorization": header}).status_code == 401
    logged = lines.since(mark)
    assert [line["message"] for line in logged] == [f"token refused ({code}): {message}"]
    sent = header.partition(" ")[2].strip()
    assert not sent or sent not in json.dumps(logged)


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": datetime.now(timezone.utc) - timedelta(seconds=5)},  # expired
        {"secret": "forged-" + "y" * 32},  # signed with another key
        {"iss": "newsroom-prod"},  # another stage's token
    ],
)
def test_expired_forged_or_foreign_tokens_are_401(client, changes):
    make_editor()
    assert call(client, "GET", "/api/articles", headers={"Authorization": f"Bearer {_token()}"}).status_code == 200
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
    make_editor()
    headers = bearer()  # the other tests' tokens open the API they lock
    assert call(client, "GET", "/api/articles", headers=headers).status_code == 200
    assert (
        call(client, "GET", "/api/articles", headers={"Authorization": headers["Authorization"] + "x"}).status_code
        == 401
    )


def test_create_editor_rejects_weak_input():
    from chalicelib.errors import InvalidInput

    with pytest.raises(InvalidInput):
        accounts.create_editor("Bad Name", "long-enough-password")
    with pytest.raises(InvalidInput):
        accounts.create_editor("alice", "short")


def log_in(client, password=PASSWORD, username="editor"):
    return call(client, "POST", "/api/session", {"username": username, "password": password})


def test_a_new_editor_gets_a_scrypt_hash_with_the_production_parameters(client, monkeypatch, clock):
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # ops create editors from their own machines
    time.tzset()
    assert time.localtime().tm_gmtoff == 8 * 3600  # the zone reached the process: the test means something
    try:
        before = datetime.now(timezone.utc)
        accounts.create_editor("ab", "x7-tq9mzcd")  # the shortest username and password allowed
        after = datetime.now(timezone.utc)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert before <= EditorModel.get("ab").created_at <= after
    clock(datetime(2026, 3, 1, 1, 2, 3, 456789, tzinfo=timezone.utc))  # the clock everything that stamps reads
    accounts.create_editor("ef", "x7-tq9mzcd")
    assert EditorModel.get("ef").created_at == datetime(2026, 3, 1, 1, 2, 3, 456789, tzinfo=timezone.utc)
    scheme, n, r, p, salt, digest = EditorModel.get("ab").password_hash.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**17), "8", "1")
    salt_bytes, digest_bytes = b64decode(salt, validate=True), b64decode(digest, validate=True)
    assert len(salt_bytes) == 16 and len(digest_bytes) == 32
    expected = hashlib.scrypt(b"x7-tq9mzcd", salt=salt_bytes, n=2**17, r=8, p=1, maxmem=256 * 1024 * 1024, dklen=32)
    assert digest_bytes == expected
    assert log_in(client, "x7-tq9mzcd", "ab").status_code == 200


def test_verify_password_honours_the_parameters_stored_in_the_hash(client):
    cheap_editor()
    assert log_in(client).status_code == 200
    assert log_in(client, PASSWORD + " ").status_code == 401


def test_hashes_of_another_scheme_or_with_another_salt_or_garbage_do_not_verify():
    salt, other_salt = b"0123456789abcdef", b"fedcba9876543210"
    digest = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=CHEAP_N, r=8, p=1, dklen=32)

    def stored(scheme="scrypt", n=str(CHEAP_N), salt=salt, digest=digest):
        return "$".join([scheme, n, "8", "1", b64encode(salt).decode(), b64encode(digest).decode()])

    assert auth.verify_password(PASSWORD, stored())
    assert not auth.verify_password(PASSWORD, stored(scheme="bcrypt"))
    assert not auth.verify_password(PASSWORD, stored(scheme="SCRYPT"))
    assert not auth.verify_password(PASSWORD, stored(salt=other_salt))
    assert not auth.verify_password(PASSWORD, stored(n="2048"))
    assert not auth.verify_password(PASSWORD, stored(digest=digest[:-1] + bytes([digest[-1] ^ 1])))
    for garbage in [
        "",
        "garbage",
        stored() + "$extra",
        stored(n="many"),
        stored().replace("$8$", "$-8$"),
        stored(n=str(2**70)),
    ]:
        assert not auth.verify_password(PASSWORD, garbage)
    bad_base64 = "$".join(["scrypt", str(CHEAP_N), "8", "1", "!!!", b64encode(digest).decode()])
    assert not auth.verify_password(PASSWORD, bad_base64)


@pytest.mark.parametrize(
    "username, ok",
    [
        ("a", False),  # too short
        ("ab", True),
        ("a" * 64, True),
        ("a" * 65, False),  # too long
        ("9lives", True),
        ("j.doe_2-x", True),
        (".doe", False),
        ("-doe", False),
        ("_doe", False),
        ("Alice", False),
        ("al ice", False),
        ("alice\n", False),
        ("", False),
    ],
)
def test_create_editor_accepts_exactly_the_documented_usernames(username, ok):
    if ok:
        accounts.create_editor(username, "Q!7Z#R9%KP")
        assert EditorModel.get(username).password_hash.startswith("scrypt$")
    else:
        with pytest.raises(InvalidInput) as error:
            accounts.create_editor(username, "Q!7Z#R9%KP")
        assert error.value.field == "username"
        assert error.value.message == "username: 2-64 lowercase letters, digits, '.', '_' or '-'"
        assert EditorModel.count() == 0


def test_create_editor_needs_a_password_of_at_least_10_characters():
    with pytest.raises(InvalidInput) as error:
        accounts.create_editor("alice", "012345678")
    assert error.value.field == "password"
    assert error.value.message == "password must have at least 10 characters"
    assert EditorModel.count() == 0


def test_the_token_expires_when_the_login_response_says(client):
    cheap_editor()
    before = datetime.now(timezone.utc)
    response = log_in(client)
    after = datetime.now(timezone.utc)
    expires = datetime.fromisoformat(response.json["expires_at"])
    assert before + timedelta(hours=12) <= expires <= after + timedelta(hours=12)
    claims = jwt.decode(response.json["token"], options={"verify_signature": False})
    assert jwt.get_unverified_header(response.json["token"])["alg"] == "HS256"
    assert claims["exp"] == int(expires.timestamp())
    assert claims["exp"] - claims["iat"] == get_settings().token_hours * 3600 == 12 * 3600
    assert claims["sub"] == "editor" and claims["iss"] == "newsroom-local"
    jwt.decode(response.json["token"], auth.token_secret(), algorithms=["HS256"], issuer="newsroom-local")


def test_two_logins_in_the_same_instant_are_two_sessions(client, clock):
    """The app ends a session on a 401 only when the refused token is the one it holds (admin/api.js), so a
    second login must never hand back the first one's token, not even within the same second."""
    cheap_editor()
    clock(datetime(2026, 3, 1, 1, 2, 3, tzinfo=timezone.utc))
    first, second = log_in(client).json["token"], log_in(client).json["token"]
    assert first != second
    ids = [jwt.decode(token, options={"verify_signature": False})["jti"] for token in (first, second)]
    assert ids[0] != ids[1] and min(len(i) for i in ids) >= 16  # 12 random bytes, url-safe
    for token in (first, second):
        assert call(client, "GET", "/api/categories", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_token_is_read_on_the_one_clock_even_when_it_runs_ahead_of_the_machine(client, clock):
    """Issued and expiry times are checked on chalicelib.clock, never on the machine's own (PyJWT's)."""
    cheap_editor()
    clock(datetime.now(timezone.utc) + timedelta(days=1))
    token = log_in(client).json["token"]
    assert call(client, "GET", "/api/categories", headers={"Authorization": f"Bearer {token}"}).status_code == 200


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "iss", "gen"])
def test_a_signed_token_missing_a_required_claim_is_401(client, missing):
    make_editor()
    complete = {"Authorization": f"Bearer {_token()}"}
    assert call(client, "GET", "/api/categories", headers=complete).status_code == 200
    now = datetime.now(timezone.utc)
    claims = {"sub": "editor", "gen": 0, "iat": now, "exp": now + timedelta(hours=1), "iss": "newsroom-local"}
    del claims[missing]
    token = jwt.encode(claims, auth.token_secret(), algorithm="HS256")
    response = call(client, "GET", "/api/categories", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "template, status",
    [
        ("Bearer {}", 200),
        ("bearer {}", 200),  # the scheme is case-insensitive
        ("Bearer   {}  ", 200),
        ("Token {}", 401),
        ("Basic {}", 401),
        ("{}", 401),
        ("Bearer {}x", 401),
    ],
)
def test_only_a_bearer_scheme_carrying_a_valid_token_opens_the_api(client, template, status):
    make_editor()
    headers = {"Authorization": template.format(_token())}
    assert call(client, "GET", "/api/categories", headers=headers).status_code == status


def test_an_unknown_user_costs_the_same_scrypt_work_as_a_wrong_password(client, monkeypatch):
    make_editor()  # stored with the production parameters
    log_in(client, "wrong-password", "nobody")  # the first unknown user also makes the dummy hash
    work = []
    real_scrypt = hashlib.scrypt

    def counting_scrypt(password, **params):
        work.append((params["n"], params["r"], params["p"]))
        return real_scrypt(password, **params)

    monkeypatch.setattr(hashlib, "scrypt", counting_scrypt)
    unknown = log_in(client, "wrong-password", "nobody")
    unknown_work, work[:] = list(work), []
    wrong = log_in(client, "wrong-password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json == wrong.json == {"message": "wrong username or password", "code": "wrong_credentials"}
    assert unknown_work == work == [(2**17, 8, 1)]
    assert EditorModel.count() == 1  # unknown users are never stored


@pytest.fixture
def secret_in_ssm(monkeypatch):
    """A deployed stage: the signing secret is an SSM SecureString, not in the environment."""
    name, secret = "/newsroom/local/token-secret", "from-ssm-" + "s" * 32
    ssm = boto3.client("ssm")
    ssm.put_parameter(Name=name, Value=secret, Type="SecureString", Overwrite=True)
    monkeypatch.delenv("TOKEN_SECRET")
    monkeypatch.setenv("TOKEN_SECRET_PARAMETER", name)
    get_settings.cache_clear()
    auth.token_secret.cache_clear()
    yield secret
    ssm.delete_parameter(Name=name)
    monkeypatch.undo()
    get_settings.cache_clear()
    auth.token_secret.cache_clear()


def test_deployed_stages_sign_tokens_with_the_secret_from_ssm(client, secret_in_ssm):
    cheap_editor()
    token = log_in(client).json["token"]
    assert jwt.decode(token, secret_in_ssm, algorithms=["HS256"], issuer="newsroom-local")["sub"] == "editor"
    assert call(client, "GET", "/api/categories", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_without_any_secret_configured_login_fails_naming_the_setting(client, monkeypatch, caplog):
    monkeypatch.delenv("TOKEN_SECRET")
    monkeypatch.delenv("TOKEN_SECRET_PARAMETER", raising=False)
    get_settings.cache_clear()
    auth.token_secret.cache_clear()
    try:
        cheap_editor()
        response = log_in(client)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        auth.token_secret.cache_clear()
    assert response.status_code == 500 and response.json == {"message": "internal error", "code": "internal"}
    assert "set TOKEN_SECRET_PARAMETER (or TOKEN_SECRET locally)" in caplog.text


def test_the_authorizer_tells_api_gateway_which_editor_is_calling(client):
    """API Gateway passes the authorizer's principal on to the route and its access logs."""
    make_editor("wang.li")
    token = auth.issue_token(EditorModel.get("wang.li")).token
    event = {
        "type": "TOKEN",
        "authorizationToken": f"Bearer {token}",
        "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abcdef/api/GET/api/articles",
    }
    answer = client.lambda_.invoke("editor_token", event).payload
    assert answer["principalId"] == "wang.li"
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Allow"


def test_a_token_issued_on_a_machine_in_another_time_zone_lives_12_hours(monkeypatch):
    """`create-editor` and the local stack run on ops' machines, whose clocks are not in UTC."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    assert time.localtime().tm_gmtoff == 8 * 3600  # the zone reached the process: the test means something
    try:
        before = datetime.now(timezone.utc)
        session = auth.issue_token(EditorModel("editor", role="editor", token_generation=0))
        token, expires_at = session.token, session.expires_at
    finally:
        monkeypatch.undo()
        time.tzset()
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (
        before - timedelta(seconds=1)
        <= datetime.fromtimestamp(claims["iat"], timezone.utc)
        <= before + timedelta(seconds=5)
    )
    assert claims["exp"] - claims["iat"] == 12 * 3600 and expires_at.tzinfo is not None


def test_the_token_check_reads_its_editor_strongly_consistent(client):
    """A logout, a password change or a disabling a moment ago is seen by the very next request."""
    make_editor()
    headers = {"Authorization": f"Bearer {_token()}"}
    with DynamoDBRequests() as sent:
        assert call(client, "GET", "/api/categories", headers=headers).status_code == 200
    editors = get_settings().tables["editors"]
    assert {read for read in sent.reads() if read[1] == editors} == {("GetItem", editors, True)}


def test_a_login_token_carries_exactly_its_claims_on_the_one_clock(client, clock):
    """Who, at which generation and role, issued and expiring when, idle from when, and its own id: nothing else."""
    make_editor("chief", role="admin")
    clock(datetime(2027, 5, 1, 9, 30, 15, tzinfo=timezone(timedelta(hours=8))))
    session = auth.issue_token(EditorModel.get("chief"))
    claims = jwt.decode(
        session.token,
        auth.token_secret(),
        algorithms=["HS256"],
        issuer="newsroom-local",
        options={"verify_exp": False, "verify_iat": False},
    )
    issued = int(datetime(2027, 5, 1, 1, 30, 15, tzinfo=timezone.utc).timestamp())
    jti = claims.pop("jti")
    assert claims == {
        "sub": "chief",
        "gen": 0,
        "role": "admin",
        "iat": issued,
        "exp": issued + 12 * 3600,  # TOKEN_HOURS
        "act": issued + 30 * 60,  # SESSION_IDLE_MINUTES
        "iss": "newsroom-local",
    }
    assert isinstance(jti, str) and len(jti) == 16
    assert (session.username, session.role, session.must_change_password) == ("chief", "admin", False)
    assert session.expires_at == datetime(2027, 5, 1, 13, 30, 15, tzinfo=timezone.utc)
