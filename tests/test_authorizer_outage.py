"""Issue 27: a DynamoDB outage during a token check was logged as "token refused", sending ops the wrong way."""

from __future__ import annotations

import json

import pytest

from chalicelib.config import get_settings
from tests.api_helpers import call
from tests.aws_refusals import client_error, refuse, unreachable
from tests.test_logs import lines  # noqa: F401 - the fixture


def test_an_outage_during_a_token_check_is_logged_as_an_outage_not_a_refusal(client, auth, lines, monkeypatch):  # noqa: F811
    refuse(monkeypatch, unreachable(), table=get_settings().tables["editors"])
    mark = lines.mark()
    with pytest.raises(Exception, match="Could not connect"):  # deployed: API Gateway's 500, not a 401
        call(client, "GET", "/api/articles", headers=auth)
    logged = [line for line in lines.since(mark) if line.get("event") == "authorizer editor_token"]
    messages = [line["message"] for line in logged]
    assert "token refused" not in messages
    outage_lines = [line for line in logged if line["level"] == "ERROR"]
    assert [line["message"] for line in outage_lines] == [
        "token not checked: AWS unavailable (an outage, not a refusal)"
    ]
    assert "EndpointConnectionError: Could not connect" in outage_lines[0]["exception"]  # AWS's words, for ops
    assert auth["Authorization"].split()[1] not in json.dumps(logged)


def test_a_token_check_that_fails_otherwise_is_logged_as_a_failure_with_its_cause(client, auth, lines, monkeypatch):  # noqa: F811
    # a role without read on the editors table: neither an outage nor a refusal of the token
    refuse(monkeypatch, client_error("AccessDeniedException", "not allowed"), table=get_settings().tables["editors"])
    mark = lines.mark()
    with pytest.raises(Exception, match="AccessDeniedException"):  # deployed: API Gateway's 500
        call(client, "GET", "/api/articles", headers=auth)
    logged = [line for line in lines.since(mark) if line.get("event") == "authorizer editor_token"]
    failures = [line for line in logged if line["level"] == "ERROR"]
    assert [line["message"] for line in failures] == ["token not checked: the authorizer failed"]
    assert "AccessDeniedException" in failures[0]["exception"]
    assert not [line for line in logged if line["message"].startswith("token refused")]
