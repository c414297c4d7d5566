"""The login throttle behind each profile's front door (issue 23, item 6).

With a CDN (both example sites), the API serves only requests carrying the secret CloudFront adds from SSM, and
the client is the address CloudFront appended to X-Forwarded-For, whether or not API Gateway then appends the
edge's own address (its `sourceIp`). Without a CDN, the client is API Gateway's `sourceIp` and the header is
nobody's word. In each: a client cannot pick its own address, and five wrong passwords from one place lock out
neither the editor elsewhere nor everyone behind the same CloudFront edge. The profiles' settings are the ones
ops/site.py generates from the site files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import boto3
import pytest
from chalice.local import LambdaEventConverter

from chalicelib import client_address, login_throttle
from chalicelib.config import get_settings
from chalicelib.routes.front_door import NOT_THROUGH_FRONT_DOOR
from ops.site import environment, load
from tests.api_helpers import PASSWORD, call, cheap_editor

LIMIT = login_throttle.PER_ACCOUNT_AND_SOURCE
SECRET = "front-door-" + "0123456789abcdef" * 3
EDGE = "130.176.0.10"  # a CloudFront edge's address: what API Gateway sees connecting behind the CDN
ATTACKER, EDITOR, ANOTHER_READER = "203.0.113.66", "198.51.100.7", "192.0.2.44"
PROFILES = {
    "global": load("example-global"),
    "china": load("example-china"),
    "china-without-cdn": replace(load("example-china"), cdn=False, certificate="id"),
}


@pytest.fixture(params=sorted(PROFILES))
def profile(request, configure, monkeypatch) -> Iterator[str]:
    """The profile's generated settings for the front door and the trusted hop, its secret in (moto's) SSM."""
    env = environment(PROFILES[request.param])
    monkeypatch.delenv("ORIGIN_SECRET_PARAMETER", raising=False)
    names = ("TRUSTED_PROXY_HOPS", "CDN", "ORIGIN_SECRET_PARAMETER")
    configure(**{name: env[name] for name in names if name in env})
    if env.get("ORIGIN_SECRET_PARAMETER"):
        boto3.client("ssm").put_parameter(
            Name=env["ORIGIN_SECRET_PARAMETER"], Value=SECRET, Type="String", Overwrite=True
        )
    client_address.origin_secret.cache_clear()
    yield request.param
    client_address.origin_secret.cache_clear()


def log_in(client, monkeypatch, viewer: str, claimed: str = "", password: str = "wrong", secret: str = SECRET):
    """A login as each profile's path delivers it: through CloudFront (it appends the viewer to whatever the client
    claimed; API Gateway sees the edge), or straight to API Gateway (it sees the viewer)."""
    cdn = get_settings().cdn
    forwarded = ", ".join(a for a in (claimed, viewer, EDGE if cdn else "") if a)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    if cdn and secret:
        headers["X-Newsroom-Origin"] = secret
    monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", EDGE if cdn else viewer)
    body = {"username": "editor", "password": password}
    return call(client, "POST", "/api/session", body, headers)


def test_a_client_cannot_pick_its_own_address(client, monkeypatch, profile):
    """Each guess claims a fresh address, and the editor's own: the throttle still counts the attacker's."""
    cheap_editor()
    guesses = [log_in(client, monkeypatch, ATTACKER, claimed=f"10.0.0.{n}").status_code for n in range(LIMIT)]
    assert guesses == [401] * LIMIT
    assert log_in(client, monkeypatch, ATTACKER, claimed=EDITOR).status_code == 429
    assert log_in(client, monkeypatch, EDITOR, password=PASSWORD).status_code == 200  # claimed, not counted


def test_a_flood_locks_out_neither_the_editor_elsewhere_nor_everyone_behind_the_same_edge(client, monkeypatch, profile):
    cheap_editor()
    flood = [log_in(client, monkeypatch, ATTACKER).status_code for _ in range(LIMIT + 2)]
    assert flood == [401] * LIMIT + [429, 429]
    assert log_in(client, monkeypatch, ATTACKER, password=PASSWORD).status_code == 429  # that place waits...
    # ...the editor elsewhere does not, though with a CDN both came through the same edge address
    assert log_in(client, monkeypatch, EDITOR, password=PASSWORD).status_code == 200
    assert log_in(client, monkeypatch, ANOTHER_READER).status_code == 401


def test_behind_a_cdn_nothing_but_the_cdn_reaches_the_api(client, monkeypatch, profile):
    """Straight to the API's execute-api address (no secret, or a wrong one), a client could say what address it
    likes: such requests are refused before any route runs, login and pages alike."""
    cheap_editor()
    if profile == "china-without-cdn":  # no front door to go around: API Gateway's own address is the site's
        assert log_in(client, monkeypatch, EDITOR, password=PASSWORD, secret="").status_code == 200
        return
    for secret in ("", "guess", SECRET[:-1]):
        refused = log_in(client, monkeypatch, EDITOR, password=PASSWORD, secret=secret)
        assert refused.status_code == 403 and refused.json["code"] == NOT_THROUGH_FRONT_DOOR, secret
    monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", EDITOR)
    assert client.http.get("/").status_code == 403
    assert log_in(client, monkeypatch, EDITOR, password=PASSWORD).status_code == 200


def test_without_the_api_gateway_entry_the_cdns_is_still_the_one_trusted(client, monkeypatch, configure):
    """Should API Gateway not append the edge (sourceIp) to X-Forwarded-For, the last entry is CloudFront's."""
    configure(TRUSTED_PROXY_HOPS="1")
    headers = {"x-forwarded-for": f"{EDITOR}, {ATTACKER}"}
    assert client_address.client_address(headers, {"identity": {"sourceIp": EDGE}}) == ATTACKER
    headers = {"x-forwarded-for": f"{EDITOR}, {ATTACKER}, {EDGE}"}
    assert client_address.client_address(headers, {"identity": {"sourceIp": EDGE}}) == ATTACKER
    assert client_address.client_address({}, {"identity": {"sourceIp": EDGE}}) == client_address.UNKNOWN


def test_a_short_origin_secret_is_refused_not_trusted(configure):
    configure(ORIGIN_SECRET_PARAMETER="/newsroom/test/short-origin-secret")
    boto3.client("ssm").put_parameter(
        Name="/newsroom/test/short-origin-secret", Value="short", Type="String", Overwrite=True
    )
    client_address.origin_secret.cache_clear()
    with pytest.raises(RuntimeError, match="fewer than 32 characters"):
        client_address.through_front_door({"x-newsroom-origin": "short"})
    client_address.origin_secret.cache_clear()


def test_an_origin_secret_of_32_characters_is_the_shortest_trusted(configure):
    name = "/newsroom/test/origin-secret-at-the-limit"
    configure(ORIGIN_SECRET_PARAMETER=name)
    ssm = boto3.client("ssm")
    for value, trusted in (("x" * 31, False), ("y" * 32, True)):
        ssm.put_parameter(Name=name, Value=value, Type="String", Overwrite=True)
        client_address.origin_secret.cache_clear()
        try:
            if trusted:
                assert client_address.through_front_door({"x-newsroom-origin": value})
                assert not client_address.through_front_door({"x-newsroom-origin": value[:-1]})
            else:
                with pytest.raises(RuntimeError, match="fewer than 32 characters"):
                    client_address.through_front_door({"x-newsroom-origin": value})
        finally:
            client_address.origin_secret.cache_clear()


def test_ops_generate_the_secret_once_and_rotate_it_only_when_asked(configure):
    from ops.front_door import put_origin_secret

    name = "/newsroom/test-ops/origin-secret"
    configure(ORIGIN_SECRET_PARAMETER=name)
    ssm = boto3.client("ssm")

    def stored() -> str:
        return str(ssm.get_parameter(Name=name)["Parameter"]["Value"])

    assert put_origin_secret(get_settings()) == name
    first = stored()
    assert len(first) >= 48 and put_origin_secret(get_settings()) == name and stored() == first  # kept
    put_origin_secret(get_settings(), rotate=True)
    assert stored() != first and len(stored()) >= 48
    ssm.delete_parameter(Name=name)
    configure(ORIGIN_SECRET_PARAMETER="")
    assert put_origin_secret(get_settings()) is None  # no CDN, no secret
