"""The old site's URLs (DedeCMS) answer a 301 to the new pages, from the map stored at import time.

Chalice has no catch-all route, so DedeCMS's shapes are spelled out: article pages
`/a/{typedir}/{yyyymmdd}/{aid}.html` (typedirs one or two levels deep), `/plus/view.php?aid=`,
and list pages `/a/{typedir}/`. Each is one GetItem; an unknown URL is the site's 404 page.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import legacy, reader
from chalicelib.config import get_site
from chalicelib.page_heads import absolute_url
from chalicelib.routes.responses import domain_error, html_response, retry_after

routes = Blueprint(__name__)

MOVED_CACHE = "public, max-age=86400"


@routes.route("/a/{typedir}", methods=["GET"])
def channel(typedir: str) -> Response:
    return _moved(f"/a/{typedir}")


@routes.route("/a/{top}/{sub}", methods=["GET"])
def sub_channel(top: str, sub: str) -> Response:
    return _moved(f"/a/{top}/{sub}")


@routes.route("/a/{typedir}/{day}/{page}", methods=["GET"])
def article(typedir: str, day: str, page: str) -> Response:
    return _moved(f"/a/{typedir}/{day}/{page}")


@routes.route("/a/{top}/{sub}/{day}/{page}", methods=["GET"])
def sub_channel_article(top: str, sub: str, day: str, page: str) -> Response:
    return _moved(f"/a/{top}/{sub}/{day}/{page}")


@routes.route("/plus/view.php", methods=["GET"])
def view_php() -> Response:
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    aid = params.get("aid", "")
    return _moved("/plus/view.php", aid if aid.isdigit() else "")


def _moved(path: str, aid: str | None = None) -> Response:
    try:
        target = legacy.redirect_for(legacy.old_path(path, aid))
        if target is not None:
            return Response(
                body="",
                status_code=301,
                headers={"Location": absolute_url(get_site(), target), "Cache-Control": MOVED_CACHE},
            )
        return html_response(reader.error_page(404), 404, "no-store")
    except Exception as raised:
        error = domain_error(raised, "old URL failed")
        return html_response(reader.error_page(error.status_code), error.status_code, "no-store", retry_after(error))
