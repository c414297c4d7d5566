"""Login throttling from the attacker's side: it stops guessing without locking out the account holder.

The limits are docs/editors.md's (read from its text, not from the module under test), and time is
chalicelib.clock's, set by each test: window boundaries are crossed on purpose, never by chance.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from chalicelib import auth, login_throttle
from chalicelib.config import get_settings
from chalicelib.errors import TooManyAttempts, Unauthorized
from chalicelib.models import LoginAttemptModel
from tests.api_helpers import PASSWORD, bearer, call, cheap_editor
from tests.conftest import ROOT

DOCUMENTED = re.search(
    r"(\d+) failed attempts per account from one address, or (\d+) from one address in all, per (\d+) minutes",
    (ROOT / "docs" / "editors.md").read_text(encoding="utf-8"),
)
assert DOCUMENTED, "docs/editors.md no longer states the login limits in the sentence this test reads"
LIMIT, PER_SOURCE, WINDOW = int(DOCUMENTED[1]), int(DOCUMENTED[2]), int(DOCUMENTED[3]) * 60
HOUR = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc).timestamp()  # 02:00:00 UTC: where a run once failed
BOUNDARIES = [HOUR + n * WINDOW for n in range(3600 // WINDOW + 1)]


def test_the_documents_state_the_limits_the_throttle_enforces():
    assert (LIMIT, PER_SOURCE, WINDOW) == (5, 20, 15 * 60)
    assert (login_throttle.PER_ACCOUNT_AND_SOURCE, login_throttle.PER_SOURCE, login_throttle.WINDOW) == (
        LIMIT,
        PER_SOURCE,
        WINDOW,
    )


@pytest.fixture
def behind_a_cdn(configure):
    """One trusted proxy in front: the client is the address it appended to X-Forwarded-For."""
    configure(TRUSTED_PROXY_HOPS="1")


@pytest.fixture
def source_ip(client) -> Iterator[object]:
    """Sets the address API Gateway reports as the request's source (chalice's local gateway, not our code)."""
    converter = client.http._local_gateway.event_converter

    def use(address: str) -> None:
        converter.LOCAL_SOURCE_IP = address

    yield use
    vars(converter).pop("LOCAL_SOURCE_IP", None)


def log_in(client, password="wrong-password", username="editor", source=None, headers=None):
    headers = headers if headers is not None else ({"X-Forwarded-For": f"203.0.113.66, {source}"} if source else {})
    return call(client, "POST", "/api/session", {"username": username, "password": password}, headers=headers)


def statuses(client, times, **kwargs):
    return [log_in(client, **kwargs).status_code for _ in range(times)]


def window_end(moment: float) -> float:
    return (moment // WINDOW + 1) * WINDOW


def test_a_flood_from_one_source_does_not_lock_out_the_holder_from_another(client, behind_a_cdn, clock):
    clock(HOUR + 100)
    cheap_editor()
    flood = statuses(client, 12, source="198.51.100.7")
    assert flood == [401] * LIMIT + [429] * (12 - LIMIT)
    assert log_in(client, PASSWORD, source="198.51.100.7").status_code == 429  # that source waits...
    assert log_in(client, PASSWORD, source="192.0.2.10").status_code == 200  # ...the holder elsewhere does not


def test_the_address_a_client_claims_for_itself_is_not_believed(client, behind_a_cdn, clock):
    clock(HOUR + 100)
    cheap_editor()
    for n in range(LIMIT):  # a new made-up address in the client's own part of the header each time
        assert log_in(client, headers={"X-Forwarded-For": f"10.0.0.{n}, 198.51.100.7"}).status_code == 401
    assert log_in(client, source="198.51.100.7").status_code == 429


def test_without_a_trusted_proxy_x_forwarded_for_is_not_believed_at_all(client, source_ip, clock):
    clock(HOUR + 100)
    cheap_editor()
    source_ip("198.51.100.7")
    claims = [log_in(client, headers={"X-Forwarded-For": f"10.0.{n}.1"}).status_code for n in range(LIMIT + 1)]
    assert claims == [401] * LIMIT + [429]  # each guess claimed a new address: all were counted as one
    source_ip("192.0.2.10")
    assert log_in(client, PASSWORD, headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 200


def test_addresses_rotated_within_one_ipv6_64_are_one_source(client, source_ip, clock):
    clock(HOUR + 100)
    cheap_editor()
    rotated = []
    for n in range(LIMIT + 1):  # one subscriber's /64 holds 2**64 addresses
        source_ip(f"2001:db8:1:2:{n:x}:{n * 7:x}::{n + 1:x}")
        rotated.append(log_in(client).status_code)
    assert rotated == [401] * LIMIT + [429]
    source_ip("2001:db8:1:3::1")  # the next /64 is someone else
    assert log_in(client, PASSWORD).status_code == 200


def test_clients_sending_no_forwarding_header_each_have_their_own_budget(client, source_ip, clock):
    clock(HOUR + 100)
    cheap_editor()
    source_ip("198.51.100.7")
    assert statuses(client, LIMIT + 1, headers={}) == [401] * LIMIT + [429]
    for other in ("192.0.2.10", "192.0.2.11"):  # no header either: not one shared "unknown" budget
        source_ip(other)
        assert log_in(client, PASSWORD, headers={}).status_code == 200


def test_the_password_change_is_throttled_like_a_login(client, clock):
    clock(HOUR + 100)
    cheap_editor()
    stolen = bearer()  # a stolen token guessing the password behind it
    guess = {"current_password": "a wrong guess", "new_password": "another long one"}
    guesses = [call(client, "PUT", "/api/me/password", guess, stolen).status_code for _ in range(LIMIT + 1)]
    assert guesses == [400] * LIMIT + [429]
    right = {"current_password": PASSWORD, "new_password": "another long one"}
    assert call(client, "PUT", "/api/me/password", right, stolen).status_code == 429  # not even the right one
    clock(window_end(HOUR + 100))
    assert call(client, "PUT", "/api/me/password", right, stolen).status_code == 200


def test_password_change_guesses_from_one_source_do_not_lock_out_the_holder_elsewhere(client, source_ip, clock):
    clock(HOUR + 100)
    cheap_editor()
    stolen = bearer()
    source_ip("198.51.100.7")
    guess = {"current_password": "a wrong guess", "new_password": "another long one"}
    guesses = [call(client, "PUT", "/api/me/password", guess, stolen).status_code for _ in range(LIMIT + 1)]
    assert guesses == [400] * LIMIT + [429]
    source_ip("192.0.2.10")  # the holder, at their own desk
    right = {"current_password": PASSWORD, "new_password": "another long one"}
    assert call(client, "PUT", "/api/me/password", right, bearer()).status_code == 200


def test_known_and_unknown_usernames_are_throttled_alike(client, clock):
    clock(HOUR + 100)
    cheap_editor()
    known, unknown = statuses(client, LIMIT + 1), statuses(client, LIMIT + 1, username="nobody")
    assert known == unknown == [401] * LIMIT + [429]
    refused = [log_in(client), log_in(client, username="nobody")]
    assert (
        refused[0].json
        == refused[1].json
        == {"message": login_throttle.TOO_MANY, "code": "too_many_attempts", "retry_after": WINDOW - 100}
    )
    assert refused[0].headers["Retry-After"] == refused[1].headers["Retry-After"] == str(WINDOW - 100)


def test_a_throttled_guess_costs_no_password_hashing(client, monkeypatch, clock):
    clock(HOUR + 100)
    cheap_editor()
    hashed = []
    real_scrypt = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: hashed.append(1) or real_scrypt(*a, **k))
    assert statuses(client, LIMIT) == [401] * LIMIT and len(hashed) == LIMIT
    hashed.clear()
    assert statuses(client, 3, password=PASSWORD) == [429] * 3  # not even the right password is hashed
    assert hashed == []


def test_one_source_cannot_spray_guesses_over_many_accounts(client, behind_a_cdn, clock):
    clock(HOUR + 100)
    for n in range(PER_SOURCE + 1):
        cheap_editor(f"user{n}")
    spray = [log_in(client, username=f"user{n}", source="198.51.100.7").status_code for n in range(PER_SOURCE + 1)]
    assert spray == [401] * PER_SOURCE + [429]
    assert log_in(client, username="user0", source="192.0.2.10").status_code == 401  # other sources still try


def test_successes_give_their_attempt_back(client, clock):
    clock(HOUR + 100)
    cheap_editor()
    for _ in range(3):
        assert statuses(client, LIMIT - 1) == [401] * (LIMIT - 1)
        assert log_in(client, PASSWORD).status_code == 200  # the account's count starts again
    office = [log_in(client, PASSWORD).status_code for _ in range(PER_SOURCE + 5)]
    assert office == [200] * (PER_SOURCE + 5)  # an office logging in all day is never throttled


def test_the_counts_expire_with_their_window_and_store_no_username(client, clock):
    clock(HOUR + WINDOW + 7.25)
    cheap_editor()
    statuses(client, LIMIT + 1)
    counts = list(LoginAttemptModel.scan())
    assert len(counts) == 2 and {int(item.expires) for item in counts} == {HOUR + 2 * WINDOW}  # DynamoDB's TTL
    assert all("editor" not in item.key for item in counts)  # usernames are stored hashed


def moments_of_an_hour() -> list[float]:
    """Every 37 s of the hour and a half-second either side of each window boundary."""
    steady = [HOUR + n * 37 for n in range(3600 // 37 + 1)]
    edges = [edge + shift for edge in BOUNDARIES for shift in (-0.5, 0, 0.5)]
    return sorted({m for m in steady + edges if HOUR <= m <= BOUNDARIES[-1]})


def test_through_a_simulated_hour_each_guess_is_answered_by_its_own_window(client, clock):
    """One account guessed from one address every 37 s and at every boundary, in one container: each
    window admits exactly the documented number, refuses the rest until its last instant with a
    Retry-After of the rest of the window, and the next window starts afresh."""
    cheap_editor()
    used: dict[float, int] = {}
    for moment in moments_of_an_hour():
        clock(moment)
        response = log_in(client)
        end = window_end(moment)
        used[end] = used.get(end, 0) + 1
        if used[end] <= LIMIT:
            assert response.status_code == 401, (moment - HOUR, used[end])
        else:
            assert response.status_code == 429, (moment - HOUR, used[end])
            assert response.headers["Retry-After"] == str(math.ceil(end - moment)), moment - HOUR
    assert len(used) == len(BOUNDARIES)  # every window of the hour, and the next, was visited


def test_through_a_simulated_hour_one_address_gets_its_documented_total(client, behind_a_cdn, clock):
    """Many accounts guessed from one address, stepping across every boundary: exactly PER_SOURCE a window."""
    for n in range(PER_SOURCE):
        cheap_editor(f"user{n}")

    def spray(count: int) -> list[object]:
        return [log_in(client, username=f"user{n}", source="198.51.100.7") for n in range(count)]

    for start in BOUNDARIES[:-1]:
        for moment in (start, start + WINDOW / 2):
            clock(moment)
            assert [r.status_code for r in spray(2)] == [401, 401], moment - HOUR
        clock(start + WINDOW - 0.5)
        rest = spray(PER_SOURCE)
        assert [r.status_code for r in rest] == [401] * (PER_SOURCE - 4) + [429] * 4, start - HOUR
        assert rest[-1].headers["Retry-After"] == "1"


@pytest.mark.parametrize("issued", [HOUR, HOUR + 0.5, HOUR + WINDOW - 0.5, HOUR + 3599.5])
def test_a_token_opens_the_api_until_the_second_it_expires(client, clock, configure, issued):
    configure(SESSION_IDLE_MINUTES="720")  # no idle timeout before the token's own end (tests/test_sessions.py)
    cheap_editor()
    clock(issued)
    session = call(client, "POST", "/api/session", {"username": "editor", "password": PASSWORD})
    assert session.status_code == 200
    expires = datetime.fromisoformat(session.json["expires_at"]).timestamp()
    assert expires == issued + get_settings().token_hours * 3600
    token = {"Authorization": f"Bearer {session.json['token']}"}
    for moment, status in ((issued, 200), (math.floor(expires) - 0.001, 200), (math.floor(expires), 401)):
        clock(moment)
        assert call(client, "GET", "/api/me", headers=token).status_code == status, moment - issued
    clock(issued - 2)  # a token from the future (a forged clock) is not in force yet either
    assert call(client, "GET", "/api/me", headers=token).status_code == 401


def test_a_preview_link_opens_until_it_expires(client, clock):
    clock(HOUR)
    token, expires = auth.issue_preview("some-article", key="k1")
    clock(expires.timestamp() - 1)
    assert auth.preview_claims(token) == ("some-article", "k1")
    clock(expires.timestamp())
    with pytest.raises(Unauthorized):
        auth.preview_claims(token)


def test_concurrent_guesses_lose_no_count(client, clock):
    """A second guess lands between the first one's reading and writing its count (a botocore hook on the
    logins table): both are counted, so the sixth guess is refused."""
    clock(HOUR + 100)
    cheap_editor()
    connection = LoginAttemptModel._get_connection().connection.client
    table = get_settings().tables["logins"]
    interleaved: list[str] = []

    def another_guess(params, model, **_):
        key = (params.get("Key") or params.get("Item") or {}).get("key", {}).get("S", "")
        writes = model.name not in ("GetItem", "Query", "BatchGetItem")
        if params.get("TableName") == table and writes and key.startswith("account/") and not interleaved:
            interleaved.append(model.name)
            with pytest.raises(Unauthorized):
                auth.log_in("editor", "a concurrent guess", "127.0.0.1")

    connection.meta.events.register("before-parameter-build.dynamodb", another_guess)
    try:
        assert log_in(client).status_code == 401
    finally:
        connection.meta.events.unregister("before-parameter-build.dynamodb", another_guess)
    assert interleaved
    assert statuses(client, LIMIT - 2) == [401] * (LIMIT - 2)
    with pytest.raises(TooManyAttempts):
        auth.log_in("editor", "the sixth guess", "127.0.0.1")


@pytest.mark.parametrize(
    "hops, forwarded, counted_as",
    [
        ("0", "10.0.0.1, 10.0.0.2", "192.0.2.1"),  # no proxy trusted: API Gateway's address, whatever is claimed
        ("1", "198.51.100.7", "198.51.100.7"),  # the CDN's entry alone
        ("1", "10.0.0.1,198.51.100.7", "198.51.100.7"),  # no spaces
        ("1", "10.0.0.1, 10.0.0.2, 198.51.100.7", "198.51.100.7"),  # the last entry, however many the client added
        ("2", "10.0.0.1, 198.51.100.7, 203.0.113.9", "198.51.100.7"),  # what the outer proxy saw
        ("2", "198.51.100.7", "unknown"),  # fewer entries than trusted proxies: not a client's choice
        ("1", "not an address", "unknown"),
        ("1", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ],
)
def test_the_address_counted_is_the_one_the_trusted_proxies_saw(
    client, configure, source_ip, clock, hops, forwarded, counted_as
):
    configure(TRUSTED_PROXY_HOPS=hops)
    source_ip("192.0.2.1")
    clock(HOUR)
    assert log_in(client, headers={"X-Forwarded-For": forwarded}).status_code == 401
    assert {item.key for item in LoginAttemptModel.scan() if item.key.startswith("source/")} == {
        f"source/{int(HOUR // WINDOW)}/{counted_as}"
    }


def test_a_success_gives_back_its_own_attempt_and_no_more(client, behind_a_cdn, clock):
    """An office logging in all day does not earn its address extra guesses at other accounts."""
    clock(HOUR + 100)
    for n in range(PER_SOURCE + 1):
        cheap_editor(f"user{n}")
    for _ in range(3):
        assert log_in(client, PASSWORD, username="user0", source="198.51.100.7").status_code == 200
    spray = [log_in(client, username=f"user{n}", source="198.51.100.7").status_code for n in range(PER_SOURCE + 1)]
    assert spray == [401] * PER_SOURCE + [429]


def test_once_refused_a_flood_is_refused_without_writing_to_dynamodb(client, clock):
    """The container remembers a key over its limit until its window ends: a flood costs no more writes."""
    clock(HOUR + 100)
    cheap_editor()
    connection = LoginAttemptModel._get_connection().connection.client
    table = get_settings().tables["logins"]
    writes: list[str] = []

    def record(params, model, **_):
        if params.get("TableName") == table and model.name not in ("GetItem", "Query", "Scan"):
            writes.append(model.name)

    connection.meta.events.register("before-parameter-build.dynamodb", record)
    try:
        assert statuses(client, LIMIT + 1) == [401] * LIMIT + [429]
        counted = len(writes)
        assert statuses(client, 10) == [429] * 10
        assert statuses(client, 2, password=PASSWORD) == [429] * 2
    finally:
        connection.meta.events.unregister("before-parameter-build.dynamodb", record)
    assert counted == 2 * (LIMIT + 1) and len(writes) == counted  # two keys an attempt, then none
    clock(window_end(HOUR + 100))
    assert log_in(client, PASSWORD).status_code == 200  # the next window starts afresh
