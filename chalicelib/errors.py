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


class AccountLocked(NewsroomError):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after
