"""`POST /api/convert/html`: HTML an editor pasted (Word, WPS, WeChat, the web) as body blocks.

Behind the editors' token. The answer is `{"blocks": [...], "dropped": [{"code", "count", "examples"?}]}`
(see `richtext.convert`); photo blocks in it carry the image's `src` for the app to fetch or upload.
"""

from __future__ import annotations

from typing import Any, cast

from chalice import Blueprint

from chalicelib.errors import InvalidInput
from chalicelib.richtext.links import link_problem
from chalicelib.routes.editors import editor_token
from chalicelib.routes.responses import json_api
from chalicelib.validation import MAX_JSON_BYTES, only_fields, parse_json

routes = Blueprint(__name__)


@routes.route("/api/convert/html", methods=["POST"], authorizer=editor_token)
@json_api()
def convert_html() -> dict[str, Any]:
    data = parse_json(cast(bytes | None, routes.current_request.raw_body))
    only_fields(data, {"html", "base_url"})
    html = data.get("html")
    if not isinstance(html, str) or len(html) > MAX_JSON_BYTES:
        raise InvalidInput("html must be a string of at most 1 MB", field="html", code="html_type")
    base_url = data.get("base_url")
    if base_url is not None and (link_problem(base_url) or not str(base_url).startswith("http")):
        raise InvalidInput("base_url must be an http or https address", field="base_url", code="link_scheme")
    from chalicelib.richtext.convert import html_to_blocks  # nh3 loads here, never for a reader's page

    converted = html_to_blocks(html, base_url)
    return {"blocks": converted.blocks, "dropped": converted.dropped}
