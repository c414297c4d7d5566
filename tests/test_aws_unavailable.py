"""AWS not answering in time, or throttling, is a 503 the client may retry (chalicelib/errors.py `unavailable`);
any other failure is not, however its exceptions are chained."""

from __future__ import annotations

import logging

import pytest
from botocore.exceptions import ClientError
from pynamodb.exceptions import GetError

from chalicelib.config import get_settings
from chalicelib.errors import ServiceUnavailable, unavailable
from tests.api_helpers import call
from tests.aws_refusals import client_error, refuse, unreachable


def throttled() -> ClientError:
    return client_error("ThrottlingException", "Rate exceeded")("Query")


def test_dynamodb_throttling_an_api_call_is_a_503_json_with_retry_after(client, auth, monkeypatch, caplog):
    # DynamoDB's answer under load once botocore's retries ran out
    refuse(monkeypatch, client_error("ThrottlingException", "Rate exceeded"), table=get_settings().tables["articles"])
    with caplog.at_level(logging.WARNING, logger="chalicelib.answers"):
        answer = call(client, "GET", "/api/articles", headers=auth)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert answer.json == {"message": "service temporarily unavailable", "code": "unavailable", "retry_after": 5}
    logged = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "chalicelib.answers"]
    ((level, message),) = logged  # ops read which call failed, and AWS's own words (pynamodb's wrapping aside)
    assert level == "WARNING" and message.startswith("API call failed: AWS unavailable: ")
    assert "(ThrottlingException)" in message and message.endswith("Rate exceeded")


def test_an_error_that_says_nothing_of_retrying_has_no_retry_after(client, auth):
    for answer in (
        call(client, "GET", "/api/articles/none-such", headers=auth),
        call(client, "GET", "/api/articles"),
        call(client, "GET", "/api/articles?status=deleted", headers=auth),
    ):
        assert answer.status_code in (400, 401, 404) and "Retry-After" not in answer.headers, answer.json


def test_dynamodb_throttling_a_reader_page_is_the_sites_503_page_with_retry_after(client, monkeypatch):
    refuse(monkeypatch, client_error("ThrottlingException", "Rate exceeded"), table=get_settings().tables["articles"])
    page = client.http.get("/articles/1")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert page.headers["Content-Type"] == "text/html; charset=utf-8" and page.headers["Cache-Control"] == "no-store"


def raised(
    error: BaseException, cause: BaseException | None = None, context: BaseException | None = None
) -> BaseException:
    """`error` as `raise error from cause` leaves it, raised while `context` was being handled."""
    try:
        try:
            raise context or Exception("nothing handled")
        except BaseException:
            if cause is None:
                raise error from None
            raise error from cause
    except BaseException as caught:
        if context is None:
            caught.__context__ = None
        return caught


@pytest.mark.parametrize(
    "error",
    [
        # pynamodb's error naming botocore's only as its `cause`: re-raised while another error was being
        # handled, its context is that other error
        raised(GetError("Failed to get item", unreachable()), context=KeyError("cache")),
        raised(RuntimeError("no answer"), cause=unreachable()),  # `raise … from` AWS's error
        raised(RuntimeError("no copy"), cause=throttled(), context=ValueError("fallback failed")),
    ],
    ids=["pynamodb-cause", "raised-from", "raised-from-while-handling-another"],
)
def test_aws_not_answering_anywhere_in_the_chain_is_unavailable(error):
    assert isinstance(unavailable(error), ServiceUnavailable)


class KeepsItsCause(Exception):
    """A library's error holding another as `cause`, as pynamodb's do; counts how often that is read."""

    def __init__(self, cause: object) -> None:
        super().__init__("failed")
        self.held = cause
        self.reads = 0

    @property
    def cause(self) -> object:
        self.reads += 1
        assert self.reads == 1, "read again: following a loop in the chain, unavailable() would never return"
        return self.held


def test_a_chain_that_loops_back_on_itself_is_read_once_and_is_not_unavailable():
    first, second = KeepsItsCause(None), KeepsItsCause(None)
    first.__cause__, second.__cause__ = second, first  # `raise a from b` where b was raised from a
    assert unavailable(first) is None
    assert (first.reads, second.reads) == (1, 1)


@pytest.mark.parametrize(
    "make_error",
    [
        lambda: ClientError({}, "GetItem"),  # an error answer without botocore's parsed "Error"
        lambda: ClientError({"Error": {"Code": "ValidationException"}}, "GetItem"),  # a "no", not a "not now"
        lambda: KeepsItsCause("ProvisionedThroughputExceededException"),  # a `cause` that is not an exception
    ],
    ids=["no-error-field", "refused", "cause-not-an-exception"],
)
def test_other_failures_are_not_unavailable(make_error):
    """Each run its own error: KeepsItsCause counts reads, and a test run twice in one process (mutmut's) must
    not see the last run's count."""
    assert unavailable(make_error()) is None
