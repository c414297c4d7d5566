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
import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from local.journal import Journal

ITEM_OPERATIONS = (
    "put_item",
    "update_item",
    "delete_item",
    "get_item",
    "query",
    "scan",
    "transact_write_items",
)

# The writes journaled (local/journal.py); a transaction's puts, updates and deletes call the first three.
ITEM_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")

# Listings return many items and no writer reads their response: not worth a copy.
UNCOPIED = ("query", "scan")

_lock = threading.RLock()
_journal: Journal | None = None  # set by attach_journal: the local stack, never the in-process tests
_pending = threading.local()  # the writes of the outermost call in progress on this thread


def make_dynamodb_item_operations_atomic() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    for name in ITEM_OPERATIONS:
        method = getattr(DynamoDBBackend, name)
        if getattr(method, "_newsroom_atomic", False):
            continue
        setattr(DynamoDBBackend, name, _serialised(method))


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    writes = method.__name__ in ITEM_WRITES
    signature = inspect.signature(method)

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            if not writes or _journal is None:
                result = method(*args, **kwargs)
            else:
                with _journaled_writes() as touched:
                    call = signature.bind(*args, **kwargs).arguments
                    if "table_name" in call:
                        touched.append((call["self"], call["table_name"], call.get("key") or call["item_attrs"]))
                    result = method(*args, **kwargs)
            return result if method.__name__ in UNCOPIED else copy.deepcopy(result)

    wrapper._newsroom_atomic = True  # type: ignore[attr-defined]
    return wrapper


@contextmanager
def _journaled_writes() -> Iterator[list[tuple[Any, ...]]]:
    """Collect what the calls within write; the outermost journals it once they all succeeded.

    A transaction is journaled as a whole after it committed (moto rolls a failed one back, so its
    inner writes are never journaled), and before moto answers: an acknowledged write is on disk.
    """
    outermost = getattr(_pending, "touched", None) is None
    if outermost:
        _pending.touched = []
    try:
        yield _pending.touched
        if outermost and _journal is not None:
            _record(_journal, _pending.touched)
    finally:
        if outermost:
            _pending.touched = None


def _record(journal: Journal, touched: list[tuple[Any, ...]]) -> None:
    for entry in touched:
        if len(entry) == 3:  # DynamoDB: backend, table, key or whole item
            backend, table_name, attributes = entry
            table = backend.get_table(table_name)
            key = {name: attributes[name] for name in (table.hash_key_attr, table.range_key_attr) if name}
            hash_value, range_value = backend.get_keys_value(table, key)
            item = table.get_item(hash_value, range_value)
            journal.record_item(table_name, key, None if item is None else item.to_json()["Attributes"])
        else:  # S3: backend, bucket, key, marker
            backend, bucket, name, _ = entry
            try:
                stored = backend.get_object(bucket, name)
            except Exception:  # moto raises MissingKey for a deleted object
                stored = None
            if stored is None:
                journal.record_object(bucket, name, None, "", "")
            else:
                metadata = stored.metadata
                content_type = metadata.get("content-type") or "binary/octet-stream"
                journal.record_object(bucket, name, stored.value, content_type, metadata.get("cache-control") or "")


def attach_journal(journal: Journal | None) -> None:
    """Journal every DynamoDB item write and S3 object write before moto answers it (None: stop)."""
    global _journal
    make_dynamodb_item_operations_atomic()
    _journal_s3_writes()
    with _lock:
        _journal = journal


def rotate_journal() -> int | None:
    """Start the journal's next segment between two writes; its number (None without a journal)."""
    with _lock:
        return None if _journal is None else _journal.rotate()


def _journal_s3_writes() -> None:
    """S3 requests that write are serialised and journaled once moto has applied them whole.

    At the request level, since moto sets an object's Content-Type and Cache-Control after
    `put_object`; the backend's writes only note which objects the request touched.
    """
    from moto.s3.models import S3Backend
    from moto.s3.responses import S3Response

    for name in ("put_object", "delete_object"):
        method = getattr(S3Backend, name)
        if not getattr(method, "_newsroom_journaled", False):
            setattr(S3Backend, name, _noting_object(method))
    for name in ("bucket_response", "key_response"):
        method = getattr(S3Response, name)
        if not getattr(method, "_newsroom_journaled", False):
            setattr(S3Response, name, _journaled_request(method))


def _noting_object(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Any, bucket_name: str, key_name: str, *args: Any, **kwargs: Any) -> Any:
        touched = getattr(_pending, "touched", None)
        if touched is not None:
            touched.append((self, bucket_name, key_name, "object"))
        return method(self, bucket_name, key_name, *args, **kwargs)

    wrapper._newsroom_journaled = True  # type: ignore[attr-defined]
    return wrapper


def _journaled_request(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        if _journal is None or getattr(request, "method", "GET") in ("GET", "HEAD", "OPTIONS"):
            return method(self, request, *args, **kwargs)
        _receive_body(request)  # before the lock: a slow or abandoned upload must not stall every other request
        with _lock, _journaled_writes():
            return method(self, request, *args, **kwargs)

    wrapper._newsroom_journaled = True  # type: ignore[attr-defined]
    return wrapper


def _receive_body(request: Any) -> None:
    """Read the whole request body into werkzeug's cache (its form parser reads the cache after), so the
    transfer happens outside the write lock. An upload over slow Wi-Fi (8 Mbit/s: ~25 s for a 25 MB photo)
    used to hold the lock that DynamoDB's operations share for all that time: every API call waited, then
    failed with 503; a browser that gave up mid-upload left it held until the socket timed out."""
    get_data = getattr(request, "get_data", None)
    if callable(get_data):
        get_data(cache=True, parse_form_data=False)


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
    from ops.stages import use_stage

    use_stage(stage, credentials="testing", token_secret="in-process-moto-secret-" + "x" * 32)


def behave_like_aws() -> None:
    """Every fix above, for the local stack and the tests."""
    make_dynamodb_item_operations_atomic()
    make_authorizer_rejections_401()
