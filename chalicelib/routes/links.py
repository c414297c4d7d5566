"""友情链接: the reader's `/links` page and the admins' `GET/PUT /api/links` (chalicelib/links.py)."""

from __future__ import annotations

from typing import Any, cast

from chalice import Blueprint

from chalicelib import collection_pages, links
from chalicelib.navigation import get_navigation
from chalicelib.routes.audited import auditor
from chalicelib.routes.editors import editor_token, require_admin
from chalicelib.routes.reader import PAGE_METHODS, READER_CACHE
from chalicelib.routes.responses import conditional, html_page, json_api
from chalicelib.site_settings import get_site
from chalicelib.validation import parse_json

routes = Blueprint(__name__)
audited = auditor(routes)


@routes.route(collection_pages.LINKS, methods=PAGE_METHODS)
@conditional(routes)
@html_page(READER_CACHE)
def links_page() -> str:
    return collection_pages.render_links(get_site(), get_navigation())


@routes.route("/api/links", methods=["GET"], authorizer=editor_token)
@json_api()
def get_links() -> dict[str, Any]:
    require_admin()
    return links.current()


@routes.route("/api/links", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("settings.change", obj="links")
def put_links() -> dict[str, Any]:
    require_admin()
    return links.save(parse_json(cast(bytes | None, routes.current_request.raw_body)))
