"""HTTP answers before any framework: a domain error's status, JSON bodies naming the field, `Retry-After`.

The counting function answers with these as they are (its cold start imports no chalice: routes/counting.py);
the API wraps them in chalice's Response (routes/responses.py). No stack trace reaches a client: anything that is
not a domain error is logged with its trace and answered as a plain 500.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from chalicelib.errors import InvalidInput, NewsroomError, unavailable

log = logging.getLogger(__name__)


class Answer:
    """An HTTP answer: what chalice's Response holds, without chalice."""

    __slots__ = ("body", "headers", "status_code")

    def __init__(self, body: str, status_code: int, headers: dict[str, str]) -> None:
        self.body = body
        self.status_code = status_code
        self.headers = headers


def json_answer(body: Any, status_code: int, headers: dict[str, str] | None = None) -> Answer:
    """`body` as JSON, never cached."""
    return Answer(
        json.dumps(body, ensure_ascii=False),
        status_code,
        {
            "Content-Type": "application/json; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            **(headers or {}),
        },
    )


def json_error(raised: Exception, what: str, headers: dict[str, str] | None = None) -> Answer:
    """The JSON answer to a failure (call it in the `except` block): see `domain_error`."""
    error = domain_error(raised, what)
    return json_answer(error_body(error), error.status_code, {**(headers or {}), **retry_after(error)})


def json_call(status_code: int = 200) -> Callable[[Callable[..., Any]], Callable[..., Answer]]:
    """Decorate a function returning data: its JSON answer (204 for None), errors as JSON naming the field."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Answer]:
        @functools.wraps(view)
        def answer(*args: Any, **kwargs: Any) -> Answer:
            try:
                result = view(*args, **kwargs)
            except Exception as raised:
                return json_error(raised, "API call failed")
            if result is None:
                return Answer("", 204, {"Cache-Control": "no-store"})
            return json_answer(result, status_code)

        return answer

    return decorate


def domain_error(raised: Exception, what: str) -> NewsroomError:
    """`raised` as the domain error it is: AWS not answering in time is a 503; anything unexpected is
    logged with its trace (call this in the `except` block) and becomes a 500 without details."""
    if isinstance(raised, NewsroomError):
        return raised
    busy = unavailable(raised)
    if busy is not None:
        log.warning("%s: AWS unavailable: %s", what, raised)
        return busy
    log.exception(what)
    return NewsroomError("internal error")


def retry_after(error: NewsroomError) -> dict[str, str]:
    """A `Retry-After` header for errors that say when to come back (login throttling, a 503)."""
    seconds = getattr(error, "retry_after", None)
    return {} if seconds is None else {"Retry-After": str(seconds)}


def error_body(error: NewsroomError) -> dict[str, Any]:
    """{"message", "code", "field"?, details...}: clients word the refusal by its stable `code`."""
    body: dict[str, Any] = {"message": error.message, "code": error.code}
    if isinstance(error, InvalidInput) and error.field:
        body["field"] = error.field
    body.update({k: v for k, v in error.details.items() if v is not None})
    return body
