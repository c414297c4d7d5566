"""The editors' app: its HTML shell at /admin and its files at /admin/assets/{version}/{name} (a version
the content names: cached for good) or, for pages from before versions, /admin/assets/{name}."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import admin_app, reader
from chalicelib.routes.responses import admin_csp, admin_response, html_response

routes = Blueprint(__name__)

SHELL_CACHE = "no-cache"  # the shell names the assets: always revalidated, so a deploy shows at once
ASSET_CACHE = "public, max-age=300"
VERSIONED_CACHE = "public, max-age=31536000, immutable"  # a new content is a new version, a new URL


def _csp() -> str:
    return admin_csp(admin_app.media_origin(), admin_app.upload_origins())


@routes.route("/admin", methods=["GET", "HEAD"])
def shell() -> Response:
    return admin_response(admin_app.shell_page(), "text/html; charset=utf-8", SHELL_CACHE, _csp())


@routes.route("/admin/assets/{name}", methods=["GET", "HEAD"])
def asset(name: str) -> Response:
    found = admin_app.asset(name)
    if found is None:
        return html_response(reader.error_page(404), 404, "no-store")
    content, content_type = found
    return admin_response(content.decode("utf-8"), content_type, ASSET_CACHE, _csp())


@routes.route("/admin/assets/{version}/{name}", methods=["GET", "HEAD"])
def versioned_asset(version: str, name: str) -> Response:
    found = admin_app.versioned_asset(version, name)
    if found is None:
        return html_response(reader.error_page(404), 404, "no-store")
    content, content_type = found
    return admin_response(content.decode("utf-8"), content_type, VERSIONED_CACHE, _csp())
