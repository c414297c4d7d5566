"""`GET/PUT /api/settings`: the site's settings (chalicelib/site_settings.py), for admins only."""

from __future__ import annotations

from typing import Any, cast

from chalice import Blueprint

from chalicelib import site_settings
from chalicelib.routes.audited import auditor
from chalicelib.routes.editors import editor_token, require_admin
from chalicelib.routes.responses import json_api
from chalicelib.validation import parse_json

routes = Blueprint(__name__)
audited = auditor(routes)


@routes.route("/api/settings", methods=["GET"], authorizer=editor_token)
@json_api()
def get_settings() -> dict[str, Any]:
    require_admin()
    return site_settings.current()


@routes.route("/api/settings", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("settings.change", obj="site_settings")
def put_settings() -> dict[str, Any]:
    require_admin()
    return site_settings.save(parse_json(cast(bytes | None, routes.current_request.raw_body)))
