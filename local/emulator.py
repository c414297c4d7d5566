"""Where moto's DynamoDB departs from the real service, make it behave like it.

DynamoDB applies each single-item write atomically (an ADD never loses an
increment; a condition is checked and the write applied as one step). moto
mutates its in-memory items step by step without a lock, so concurrent
UpdateItem calls lose increments (measured: 741-784 of 800 with 8 threads).
Serialising moto's item operations restores the guarantee the app relies on
in production; the item they return is copied while the lock is held, since
moto builds its response from it afterwards (an UpdateItem's ALL_NEW could
otherwise show another thread's later increment). Used by the local stack and the tests; never deployed.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable
from typing import Any

ITEM_OPERATIONS = (
    "put_item",
    "update_item",
    "delete_item",
    "get_item",
    "query",
    "scan",
    "transact_write_items",
)

# Listings return many items and no writer reads their response: not worth a copy.
UNCOPIED = ("query", "scan")

_lock = threading.RLock()


def make_dynamodb_item_operations_atomic() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    for name in ITEM_OPERATIONS:
        method = getattr(DynamoDBBackend, name)
        if getattr(method, "_newsroom_atomic", False):
            continue
        setattr(DynamoDBBackend, name, _serialised(method))


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            result = method(*args, **kwargs)
            return result if method.__name__ in UNCOPIED else copy.deepcopy(result)

    wrapper._newsroom_atomic = True  # type: ignore[attr-defined]
    return wrapper


def make_authorizer_rejections_401() -> None:
    """API Gateway answers 401 when a token authorizer fails with "Unauthorized".

    That is how a Lambda authorizer rejects a bad token (a Deny policy would be
    a 403). chalice local lets the exception escape and drops the connection;
    this turns it into the same 401 API Gateway sends.
    """
    from chalice.local import LocalGatewayAuthorizer, NotAuthorizedError

    original = LocalGatewayAuthorizer.authorize
    if getattr(original, "_newsroom_401", False):
        return

    @functools.wraps(original)
    def authorize(self: Any, raw_path: str, lambda_event: Any, lambda_context: Any) -> Any:
        try:
            return original(self, raw_path, lambda_event, lambda_context)
        except Exception as error:
            if str(error) != "Unauthorized":
                raise
            raise NotAuthorizedError(
                {"x-amzn-RequestId": lambda_context.aws_request_id, "x-amzn-ErrorType": "UnauthorizedException"},
                b'{"message":"Unauthorized"}',
            ) from None

    authorize._newsroom_401 = True  # type: ignore[attr-defined]
    LocalGatewayAuthorizer.authorize = authorize  # type: ignore[method-assign]


def use_in_process_moto(stage: str = "local") -> None:
    """The stage's variables and fake credentials, for moto's in-process `mock_aws`.

    Set before the app is imported (pynamodb reads table names then); an
    AWS_ENDPOINT_URL would send calls past the mock, so it is removed.
    """
    from chalicelib.config import use_stage

    use_stage(stage, credentials="testing", token_secret="in-process-moto-secret-" + "x" * 32)


def behave_like_aws() -> None:
    """Every fix above, for the local stack and the tests."""
    make_dynamodb_item_operations_atomic()
    make_authorizer_rejections_401()
