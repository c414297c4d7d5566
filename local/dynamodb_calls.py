"""Counting DynamoDB requests by hooking botocore's events on pynamodb's clients.

Shared by the tests and bench/ (which must not import tests/); like the rest of
local/ it never ships: the Lambda zip holds only app.py, chalicelib/ and vendor/.
"""

from __future__ import annotations

from typing import Any

from chalicelib.models import ArticleModel, CategoryModel, CounterModel, EditorModel, PhotoModel

MODELS = (ArticleModel, CategoryModel, CounterModel, PhotoModel, EditorModel)


class _ClientHook:
    """Context manager registering `_handle` for botocore's `EVENT` on every model's DynamoDB client."""

    EVENT = ""

    def __enter__(self) -> Any:
        self._clients: list[Any] = []
        for model in MODELS:
            client = model._get_connection().connection.client
            if all(client is not seen for seen in self._clients):
                self._clients.append(client)
                client.meta.events.register(self.EVENT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for client in self._clients:
            client.meta.events.unregister(self.EVENT, self._handle)

    def _handle(self, **kwargs: Any) -> None:
        raise NotImplementedError


class DynamoDBCalls(_ClientHook):
    """Context manager recording (operation, table, consumed capacity) of every request."""

    EVENT = "after-call.dynamodb"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None, float | None]] = []

    def _handle(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:  # type: ignore[override]
        capacity = parsed.get("ConsumedCapacity") or {}
        if isinstance(capacity, list):
            capacity = capacity[0] if capacity else {}
        self.calls.append((model.name, capacity.get("TableName"), capacity.get("CapacityUnits")))

    @property
    def operations(self) -> list[str]:
        return [operation for operation, _, _ in self.calls]


def item_size(item: dict[str, Any]) -> int:
    """An item's size by DynamoDB's rules (names + values), for WCU arithmetic.

    moto reports a constant ConsumedCapacity, so the tests and bench compute it: a write
    costs 1 WCU per started KB of the larger of the item's sizes before and after.
    """
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: dict[str, Any]) -> int:
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return (len(inner.strip("-").replace(".", "")) + 1) // 2 + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + _value_size(v) for v in inner)
    if kind == "M":
        return 3 + sum(len(k.encode()) + 1 + _value_size(v) for k, v in inner.items())
    if kind == "SS":
        return sum(len(v.encode()) for v in inner)
    raise ValueError(kind)


def write_units(item: dict[str, Any]) -> int:
    return max(1, -(-item_size(item) // 1024))


class DynamoDBRequests(_ClientHook):
    """Context manager recording (operation, parameters) of every request, as pynamodb sends them."""

    EVENT = "before-parameter-build.dynamodb"

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []

    def _handle(self, params: dict[str, Any], model: Any, **_: Any) -> None:  # type: ignore[override]
        self.requests.append((model.name, params))

    def reads(self) -> list[tuple[str, str, bool]]:
        """(operation, table, strongly consistent) of every GetItem and of each table a BatchGetItem reads."""
        found = []
        for operation, params in self.requests:
            if operation == "GetItem":
                found.append((operation, params["TableName"], bool(params.get("ConsistentRead"))))
            elif operation == "BatchGetItem":
                for table, request in params["RequestItems"].items():
                    found.append((operation, table, bool(request.get("ConsistentRead"))))
        return found
