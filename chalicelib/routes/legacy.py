"""The old site's URLs (DedeCMS) answer a 301 to the new pages, from the map stored at import time.

Chalice has no catch-all route, so DedeCMS's shapes are spelled out: everything under `/a/` up to
five folders deep (article pages `/a/{typedir}/{yyyymmdd}/{aid}.html` with typedirs up to three
levels, `/a/{typedir}/{filename}.html`, list pages `/a/{typedir}/`) and `/plus/view.php?aid=`.
Each is one GetItem; an unknown URL is the site's 404 page.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import legacy
from chalicelib.page_heads import absolute_url
from chalicelib.routes.responses import error_response, not_found_response
from chalicelib.site_settings import get_site

routes = Blueprint(__name__)

MOVED_CACHE = "public, max-age=86400"


# API Gateway allows one path variable per level, so every depth names its segments alike.
@routes.route("/a/{s1}", methods=["GET", "HEAD"])
def a1(s1: str) -> Response:
    return _moved(_path(s1))


@routes.route("/a/{s1}/{s2}", methods=["GET", "HEAD"])
def a2(s1: str, s2: str) -> Response:
    return _moved(_path(s1, s2))


@routes.route("/a/{s1}/{s2}/{s3}", methods=["GET", "HEAD"])
def a3(s1: str, s2: str, s3: str) -> Response:
    return _moved(_path(s1, s2, s3))


@routes.route("/a/{s1}/{s2}/{s3}/{s4}", methods=["GET", "HEAD"])
def a4(s1: str, s2: str, s3: str, s4: str) -> Response:
    return _moved(_path(s1, s2, s3, s4))


@routes.route("/a/{s1}/{s2}/{s3}/{s4}/{s5}", methods=["GET", "HEAD"])
def a5(s1: str, s2: str, s3: str, s4: str, s5: str) -> Response:
    return _moved(_path(s1, s2, s3, s4, s5))


@routes.route("/plus/view.php", methods=["GET", "HEAD"])
def view_php() -> Response:
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    aid = params.get("aid", "")
    return _moved("/plus/view.php", aid if aid.isdigit() else "")


def _path(*segments: str) -> str:
    return "/a/" + "/".join(segments)


def _moved(path: str, aid: str | None = None) -> Response:
    try:
        target = legacy.redirect_for(legacy.old_path(path, aid))
        if target is not None:
            return Response(
                body="",
                status_code=301,
                headers={"Location": absolute_url(get_site(), target), "Cache-Control": MOVED_CACHE},
            )
        return not_found_response()
    except Exception as raised:
        return error_response(raised, "old URL failed")
