"""Turning service results and domain errors into HTTP responses.

No stack trace reaches a client: domain errors become their status code with
a page (readers) or a JSON message naming the field (API); anything else is
logged and answered with a plain 500.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from chalice import Response

from chalicelib import reader
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput, NewsroomError, unavailable

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
# Images over HTTPS only (a plain-http image could be swapped on the way); {media} is the media origin
# when it is not HTTPS, which only the local stack's moto is.
PAGE_CSP = (
    "default-src 'none'; img-src 'self' https:{media}; style-src 'unsafe-inline'; script-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def admin_csp(media_origin: str, upload_origins: list[str]) -> str:
    """The editors' app's CSP: only our own scripts and styles (no inline ones), images from us and the media
    origin, requests to us and to where uploads are posted."""
    images = " ".join(dict.fromkeys(["'self'", "blob:", "data:", media_origin]))
    connect = " ".join(dict.fromkeys(["'self'", *upload_origins]))
    return (
        f"default-src 'none'; script-src 'self'; style-src 'self'; img-src {images}; connect-src {connect}; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def admin_response(body: str, content_type: str, cache_control: str, csp: str) -> Response:
    """An admin page or asset: the reader's security headers with the admin CSP."""
    headers: dict[str, str | list[str]] = {
        **SECURITY_HEADERS,
        **HSTS,
        "Content-Type": content_type,
        "Cache-Control": cache_control,
        "Content-Security-Policy": csp,
    }
    return Response(body=body, status_code=200, headers=headers)


def html_page(
    cache_control: str, headers: dict[str, str] | None = None
) -> Callable[[Callable[..., str]], Callable[..., Response]]:
    """Decorate a route returning HTML: headers (`headers` on its pages and error pages), caching, error pages."""

    def decorate(view: Callable[..., str]) -> Callable[..., Response]:
        @functools.wraps(view)
        def route(*args: Any, **kwargs: Any) -> Response:
            try:
                return html_response(view(*args, **kwargs), 200, cache_control, headers)
            except Exception as raised:
                error = domain_error(raised, "page failed")
            extra = {**(headers or {}), **retry_after(error)}
            return html_response(reader.error_page(error.status_code), error.status_code, "no-store", extra)

        return route

    return decorate


# Pages are only served over HTTPS (API Gateway, CloudFront): browsers must never try plain HTTP.
HSTS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}


def not_found_response(method: str = "GET") -> Response:
    """The site's 404 page for a path no route matches (the local stack's answer; deployed, API Gateway's
    MISSING_AUTHENTICATION_TOKEN gateway response shows its static copy, `pages.render_static_not_found`)."""
    response = html_response(reader.error_page(404), 404, "no-store")
    if method == "HEAD":
        response.body = ""
    return response


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


def html_response(body: str, status_code: int, cache_control: str, extra: dict[str, str] | None = None) -> Response:
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": cache_control,
        **SECURITY_HEADERS,
        **HSTS,
        "Content-Security-Policy": _page_csp(),
        **(extra or {}),
    }
    return Response(body=body, status_code=status_code, headers=headers)


@functools.cache
def _page_csp() -> str:
    media = urlsplit(get_settings().media_base_url)
    return PAGE_CSP.format(media="" if media.scheme == "https" else f" {media.scheme}://{media.netloc}")


def json_api(status_code: int = 200) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Decorate an API route returning data: JSON, no caching, errors as JSON naming the field."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Response]:
        @functools.wraps(view)
        def route(*args: Any, **kwargs: Any) -> Response:
            try:
                result = view(*args, **kwargs)
            except Exception as raised:
                error = domain_error(raised, "API call failed")
                return json_response(error_body(error), error.status_code, retry_after(error))
            if result is None:
                return Response(body="", status_code=204, headers={"Cache-Control": "no-store"})
            return json_response(result, status_code)

        return route

    return decorate


def json_response(body: Any, status_code: int, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False),
        status_code=status_code,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            **(headers or {}),
        },
    )


def error_body(error: NewsroomError) -> dict[str, Any]:
    body: dict[str, Any] = {"message": error.message}
    if isinstance(error, InvalidInput) and error.field:
        body["field"] = error.field
    body.update({k: v for k, v in error.details.items() if v is not None})
    return body
