"""Structured logs: one JSON object a line, each carrying the ids of the request or event it belongs to.

The standard library does it (no logging dependency on the API's cold start): a log record factory stamps
every record with the current request's fields (a context variable set by chalicelib/routes/observed.py for
each request, event and authorizer call), and `JsonFormatter` writes the record as one JSON object; CloudWatch
Logs Insights reads its fields as they are. A line outside any of them (a cold start's imports, ops tools) has
the request id OUTSIDE_INVOCATION, or on Lambda the invocation's own id from the runtime: every line has one
(tests/log_check.py checks every line of the test suite). Metric records (chalicelib/metrics.py) are written
as their EMF document with the same fields beside it.
`HumanFormatter` prints the same records readably for the local stack.

What reaches a log is chosen by the code that logs: messages name ids and outcomes, never a password, token,
presigned URL or request body (tests/test_logs.py follows a whole editor flow to check).
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

REQUEST_ID_HEADER = "X-Request-Id"
OUTSIDE_INVOCATION = "init"  # the request id of a line logged outside any request or event (a cold start's imports)

_OUTSIDE: Mapping[str, str] = MappingProxyType({"request_id": OUTSIDE_INVOCATION})
_fields: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar("newsroom_log_fields", default=_OUTSIDE)
_base_factory = logging.getLogRecordFactory()


def _stamped_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    record.newsroom = _fields.get()
    return record


@contextmanager
def request_scope(**fields: str | None) -> Iterator[Mapping[str, str]]:
    """Every record created inside carries `fields` (those not None); the scope's fields are yielded."""
    values: Mapping[str, str] = {name: value for name, value in fields.items() if value is not None}
    token = _fields.set(values)
    try:
        yield values
    finally:
        _fields.reset(token)


def new_request_id() -> str:
    """An id where neither API Gateway nor Lambda gave one (never on AWS); not `uuid`, 5 ms to import."""
    return os.urandom(16).hex()


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, the request's fields, and the trace if any."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = dict(getattr(record, "emf", None) or {})
        document.update(
            time=time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            level=record.levelname,
            logger=record.name,
            message=record.getMessage(),
        )
        fields = getattr(record, "newsroom", {})  # none: made before `configure` (tests/log_check.py catches it)
        document.update(fields)
        lambda_id = getattr(record, "aws_request_id", None)  # set by the Lambda runtime's handler on Lambda
        if fields.get("request_id") == OUTSIDE_INVOCATION and lambda_id:
            document["request_id"] = lambda_id  # inside an invocation no scope of ours covers: Lambda's id
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return json.dumps(document, ensure_ascii=False, default=str)


class HumanFormatter(logging.Formatter):
    """The same record for a terminal: time, level, the request id's first part, logger, message."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "newsroom", {})
        request = fields.get("request_id", "-")[:8]
        where = fields.get("route") or fields.get("event") or record.name
        line = f"{time.strftime('%H:%M:%S', time.localtime(record.created))} {record.levelname:7} {request} {where}: "
        line += record.getMessage()
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure(human: bool = False, level: int = logging.INFO) -> None:
    """Stamp records with the request's fields and format them as JSON (or for humans) on every root handler.

    On Lambda the runtime's own handler is kept (it sends lines to CloudWatch) and only its formatter changes;
    elsewhere, without a handler, one writing to stderr is added. Safe to call again.
    """
    logging.setLogRecordFactory(_stamped_record)
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler(sys.stderr))
    formatter = HumanFormatter() if human else JsonFormatter()
    for handler in root.handlers:
        handler.setFormatter(formatter)
    root.setLevel(level)
