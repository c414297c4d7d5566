"""The container's one DynamoDB client: botocore's, configured as pynamodb configures its own, without pynamodb.

The models' shared connection (model_base.py) uses this client, and so do the raw requests of an article view
and of the counting function, which imports this and not pynamodb: its cold start loads botocore alone
(tests/test_counting_imports.py, bench/cold_start.py). Every request goes through the client's events, so moto
and the request counting in tests and benches (local/dynamodb_calls.py) see them all.
"""

from __future__ import annotations

import threading
from typing import Any

from chalicelib.config import get_settings

MAX_POOL_CONNECTIONS = 10  # pynamodb's default

_lock = threading.Lock()
_client: Any = None


def client() -> Any:
    """The shared botocore DynamoDB client, made on first use (and again should it have lost its credentials,
    as pynamodb does: botocore would otherwise keep an empty set for good)."""
    global _client
    if _client is not None and _signs(_client):
        return _client
    with _lock:
        if _client is None or not _signs(_client):
            _client = _new_client()
        return _client


def _signs(made: Any) -> bool:
    return not made._request_signer or bool(made._request_signer._credentials)


def _new_client() -> Any:
    import botocore.session
    from botocore.config import Config

    settings = get_settings()
    config = Config(
        parameter_validation=False,  # every request is built by our code (pynamodb turns it off too)
        connect_timeout=settings.aws_connect_timeout,
        read_timeout=settings.aws_read_timeout,
        max_pool_connections=MAX_POOL_CONNECTIONS,
        retries={"total_max_attempts": settings.aws_max_attempts, "mode": "standard"},
    )
    return botocore.session.get_session().create_client("dynamodb", settings.region, config=config)


def table_name(kind: str) -> str:
    """This stage's table of `kind` (config.TABLES)."""
    return get_settings().tables[kind]
