"""Turning service results and domain errors into chalice's HTTP responses.

No stack trace reaches a client: domain errors become their status code with
a page (readers) or a JSON message naming the field (API, answers.py); anything
else is logged and answered with a plain 500.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from chalice import Response

from chalicelib.answers import Answer, domain_error, json_answer, json_call, json_error, retry_after
from chalicelib.config import get_settings

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
# Images over HTTPS only (a plain-http image could be swapped on the way); {media} is the media origin
# when it is not HTTPS, which only the local stack's moto is.
PAGE_CSP = (
    "default-src 'none'; img-src 'self' https:{media}; style-src 'unsafe-inline'; script-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; frame-src {frames}; media-src {media_origin}"
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
    cache_control: str | Callable[[], str],
    headers: dict[str, str] | None = None,
    csp: Callable[[], str | None] | None = None,
) -> Callable[[Callable[..., str]], Callable[..., Response]]:
    """Decorate a route returning HTML: headers (`headers` on its pages and error pages), caching, error pages.

    `cache_control` and `csp` may be read per request (they depend on settings, read after import)."""

    def decorate(view: Callable[..., str]) -> Callable[..., Response]:
        @functools.wraps(view)
        def route(*args: Any, **kwargs: Any) -> Response:
            try:
                body = view(*args, **kwargs)
                caching = cache_control() if callable(cache_control) else cache_control
                policy = csp() if csp else None
                page_headers = {**(headers or {}), **({"Content-Security-Policy": policy} if policy else {})}
                return html_response(body, 200, caching, page_headers)
            except Exception as raised:
                return error_response(raised, "page failed", headers=headers)

        return route

    return decorate


# Pages are only served over HTTPS (API Gateway, CloudFront): browsers must never try plain HTTP.
HSTS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}


def not_found_response(method: str = "GET") -> Response:
    """The site's 404 page for a path no route matches (the local stack's answer; deployed, API Gateway's
    MISSING_AUTHENTICATION_TOKEN gateway response shows its static copy, `pages.render_static_not_found`)."""
    from chalicelib import reader  # as in html_page

    response = html_response(reader.error_page(404), 404, "no-store")
    if method == "HEAD":
        response.body = ""
    return response


def error_response(
    raised: Exception, what: str, as_json: bool = False, headers: dict[str, str] | None = None
) -> Response:
    """The one place a failure becomes HTTP (call it in the `except` block): a domain error's status with the
    site's error page, or with JSON naming the field (`as_json`, the API); see `answers.domain_error`."""
    if as_json:
        return response_of(json_error(raised, what, headers))
    error = domain_error(raised, what)
    extra = {**(headers or {}), **retry_after(error)}
    from chalicelib import reader  # here: JSON answers never need pages

    return html_response(reader.error_page(error.status_code), error.status_code, "no-store", extra)


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
    from chalicelib.videos import FRAME_SOURCES  # the video blocks' players, exactly

    return PAGE_CSP.format(
        media="" if media.scheme == "https" else f" {media.scheme}://{media.netloc}",
        frames=" ".join(FRAME_SOURCES),
        media_origin=f"{media.scheme}://{media.netloc}",
    )


def counting_page_csp() -> str:
    """An article page in beacon mode: the pages' CSP (scripts from our own origin only) plus requests to our
    own origin (the counting script's POST, chalicelib/static/views.js); the other pages make no requests."""
    return f"{_page_csp()}; connect-src 'self'"


def conditional(blueprint: Any) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Decorate a route answering a page or document (under `html_page` or the like): `ETag` on its 200s, and a
    304 without a body when the request's `If-None-Match` (or `If-Modified-Since`, for a response that says when
    it was last modified) shows the client already has it. `blueprint` gives the request."""

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(view)
        def route(*args: Any, **kwargs: Any) -> Response:
            return not_modified(view(*args, **kwargs), blueprint.current_request.headers)

        return route

    return decorate


def not_modified(response: Response, request_headers: Any) -> Response:
    """`response` with its validators, or the 304 that replaces it (RFC 9110 13.1.1-13.1.3, weak comparison).

    The ETag is weak: the body is the same whether or not API Gateway or the CDN gzip it on the way."""
    if response.status_code != 200 or not isinstance(response.body, str | bytes):
        return response
    body = response.body.encode() if isinstance(response.body, str) else response.body
    etag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
    response.headers["ETag"] = etag
    match = request_headers.get("if-none-match")
    if match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        fresh = "*" in tags or etag.removeprefix("W/") in tags
    else:
        fresh = _not_modified_since(response.headers.get("Last-Modified"), request_headers.get("if-modified-since"))
    if not fresh:
        return response
    kept = {k: v for k, v in response.headers.items() if k.lower() != "content-type"}  # no body to describe
    return Response(body="", status_code=304, headers=kept)


def _not_modified_since(last_modified: Any, since: str | None) -> bool:
    if not isinstance(last_modified, str) or since is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):  # a malformed date is ignored, as the RFC says
        return False


def json_api(status_code: int = 200) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Decorate an API route returning data: JSON, no caching, errors as JSON naming the field (answers.py)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Response]:
        call = json_call(status_code)(view)

        @functools.wraps(view)
        def route(*args: Any, **kwargs: Any) -> Response:
            return response_of(call(*args, **kwargs))

        return route

    return decorate


def json_response(body: Any, status_code: int, headers: dict[str, str] | None = None) -> Response:
    return response_of(json_answer(body, status_code, headers))


def response_of(answer: Answer) -> Response:
    """chalice's Response holding `answer`."""
    return Response(body=answer.body, status_code=answer.status_code, headers=dict(answer.headers))
