"""AWS refusing or not answering chosen calls, at botocore's boundary: the exception botocore itself raises is raised
from `BaseClient._make_api_call`, so everything above it (pynamodb, our code) runs as it does against AWS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError, EndpointConnectionError

Error = BaseException | Callable[[str], BaseException]


def client_error(code: str, message: str = "refused") -> Callable[[str], ClientError]:
    """AWS's answer `code` to an operation (botocore's retries spent, for a code it retries)."""
    return lambda operation: ClientError({"Error": {"Code": code, "Message": message}}, operation)


def unreachable() -> EndpointConnectionError:
    """DynamoDB not answering, as botocore reports it."""
    return EndpointConnectionError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


def refuse(
    monkeypatch: pytest.MonkeyPatch,
    error: Error,
    *,
    operation: str | None = None,
    table: str | None = None,
    service: str | None = None,
    when: Callable[[dict[str, Any]], bool] | None = None,
    times: int | None = None,
) -> list[dict[str, Any]]:
    """The calls matching every condition given fail with `error` (an exception, or one made from the operation's
    name), the first `times` of them or all; the other calls go to AWS. Returns the refused calls' parameters."""
    real, refused = BaseClient._make_api_call, list[dict[str, Any]]()

    def make_api_call(client: Any, name: str, params: dict[str, Any]) -> Any:
        matches = (
            operation in (None, name)
            and table in (None, params.get("TableName"))
            and service in (None, client.meta.service_model.service_name)
            and (when is None or when(params))
        )
        if matches and (times is None or len(refused) < times):
            refused.append(params)
            raise error if isinstance(error, BaseException) else error(name)
        return real(client, name, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", make_api_call)
    return refused
