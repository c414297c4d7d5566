"""Login throttling from the attacker's side: it stops guessing without locking out the account holder."""

from __future__ import annotations

import hashlib
import time

import pytest

from chalicelib import login_throttle
from chalicelib.config import get_settings
from chalicelib.models import LoginAttemptModel
from tests.api_helpers import PASSWORD, call, cheap_editor

LIMIT = login_throttle.PER_ACCOUNT_AND_SOURCE


@pytest.fixture
def behind_a_cdn(monkeypatch):
    """One trusted proxy in front: the client is the address it appended to X-Forwarded-For."""
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "1")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def log_in(client, password="wrong-password", username="editor", source=None):
    headers = {"X-Forwarded-For": f"203.0.113.66, {source}"} if source else {}
    return call(client, "POST", "/api/session", {"username": username, "password": password}, headers=headers)


def statuses(client, times, **kwargs):
    return [log_in(client, **kwargs).status_code for _ in range(times)]


def test_a_flood_from_one_source_does_not_lock_out_the_holder_from_another(client, behind_a_cdn):
    cheap_editor()
    flood = statuses(client, 12, source="198.51.100.7")
    assert flood == [401] * LIMIT + [429] * (12 - LIMIT)
    assert log_in(client, PASSWORD, source="198.51.100.7").status_code == 429  # that source waits...
    assert log_in(client, PASSWORD, source="192.0.2.10").status_code == 200  # ...the holder elsewhere does not


def test_the_address_a_client_claims_for_itself_is_not_believed(client, behind_a_cdn):
    cheap_editor()
    for n in range(LIMIT):  # a new made-up address in the client's own part of the header each time
        headers = {"X-Forwarded-For": f"10.0.0.{n}, 198.51.100.7"}
        assert call(client, "POST", "/api/session", {"username": "editor", "password": "x"}, headers).status_code == 401
    assert log_in(client, source="198.51.100.7").status_code == 429


def test_known_and_unknown_usernames_are_throttled_alike(client):
    cheap_editor()
    known, unknown = statuses(client, LIMIT + 1), statuses(client, LIMIT + 1, username="nobody")
    assert known == unknown == [401] * LIMIT + [429]
    refused = [log_in(client), log_in(client, username="nobody")]
    retry_after = int(refused[0].headers["Retry-After"])
    assert (
        refused[0].json
        == refused[1].json
        == {"message": login_throttle.TOO_MANY, "code": "too_many_attempts", "retry_after": retry_after}
    )
    assert refused[0].headers["Retry-After"] == refused[1].headers["Retry-After"]


def test_a_throttled_guess_costs_no_password_hashing(client, monkeypatch):
    cheap_editor()
    hashed = []
    real_scrypt = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: hashed.append(1) or real_scrypt(*a, **k))
    assert statuses(client, LIMIT) == [401] * LIMIT and len(hashed) == LIMIT
    hashed.clear()
    assert statuses(client, 3, password=PASSWORD) == [429] * 3  # not even the right password is hashed
    assert hashed == []


def test_one_source_cannot_spray_guesses_over_many_accounts(client, behind_a_cdn):
    spray = [log_in(client, username=f"user{n}", source="198.51.100.7").status_code for n in range(25)]
    assert spray == [401] * login_throttle.PER_SOURCE + [429] * (25 - login_throttle.PER_SOURCE)
    assert log_in(client, username="user99", source="192.0.2.10").status_code == 401  # other sources still try


def test_successes_give_their_attempt_back(client):
    cheap_editor()
    for _ in range(3):
        assert statuses(client, LIMIT - 1) == [401] * (LIMIT - 1)
        assert log_in(client, PASSWORD).status_code == 200  # the account's count starts again
    assert [log_in(client, PASSWORD).status_code for _ in range(login_throttle.PER_SOURCE + 5)] == [200] * (
        login_throttle.PER_SOURCE + 5
    )  # an office logging in all day is never throttled


def test_retry_after_is_the_rest_of_the_window_and_the_count_expires_with_it(client):
    cheap_editor()
    before = time.time()
    statuses(client, LIMIT)
    refused = log_in(client)
    after = time.time()
    window_end = (int(after // login_throttle.WINDOW) + 1) * login_throttle.WINDOW
    assert refused.status_code == 429
    assert int(window_end - after) <= int(refused.headers["Retry-After"]) <= int(window_end - before) + 1
    counts = list(LoginAttemptModel.scan())
    assert counts and {int(item.expires) for item in counts} == {window_end}  # DynamoDB's TTL removes them
    assert all("editor" not in item.key for item in counts)  # usernames are stored hashed


def test_the_next_window_starts_a_new_count(client):
    cheap_editor()
    now = time.time()
    for _ in range(LIMIT):
        login_throttle.count_attempt("editor", "127.0.0.1", now)
    with pytest.raises(Exception, match="too many"):
        login_throttle.count_attempt("editor", "127.0.0.1", now)
    login_throttle.count_attempt("editor", "127.0.0.1", now + login_throttle.WINDOW)
