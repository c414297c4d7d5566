"""Domain errors; the route layer turns them into HTTP responses."""

from __future__ import annotations


class NewsroomError(Exception):
    """Base class: every error a service raises on purpose."""

    status_code = 500

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(NewsroomError):
    status_code = 404


class InvalidInput(NewsroomError):
    """Bad input from a client; `field` names what was wrong."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None, **details: object) -> None:
        super().__init__(message, **details)
        self.field = field


class Unauthorized(NewsroomError):
    status_code = 401


class Forbidden(NewsroomError):
    status_code = 403


class Conflict(NewsroomError):
    status_code = 409


class TooManyAttempts(NewsroomError):
    """Throttled: try again after `retry_after` seconds (a 429 with Retry-After)."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class ServiceUnavailable(NewsroomError):
    """AWS did not answer within the client's budget (config.Settings): a 503 the client may retry."""

    status_code = 503

    def __init__(self, message: str = "service temporarily unavailable", retry_after: int = 5) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


# DynamoDB's and S3's answers that mean "not now" rather than "no": throttled after the retries ran out.
BUSY_CODES = frozenset(
    {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "SlowDown"}
)


def unavailable(error: BaseException) -> ServiceUnavailable | None:
    """The ServiceUnavailable an AWS failure amounts to, or None if `error` is not one.

    A timeout, a refused or dropped connection, or throttling, raised by botocore itself or wrapped
    by pynamodb (which keeps botocore's exception as `cause` and as the exception's context).
    """
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionError | HTTPClientError):
            return ServiceUnavailable()
        if isinstance(current, ClientError) and current.response.get("Error", {}).get("Code") in BUSY_CODES:
            return ServiceUnavailable()
        cause = getattr(current, "cause", None)
        pending += [current.__cause__, current.__context__, cause if isinstance(cause, BaseException) else None]
    return None
