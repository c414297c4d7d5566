"""The editors' intake API: remote photos, WeChat articles, Word files, attachments and videos.

Routes parse and shape; the services (`photo_intake`, `wechat`, `attachments`, ...) are imported when a
route runs, so readers' cold starts never load them.
"""

from __future__ import annotations

from typing import Any, cast

from chalice import Blueprint

from chalicelib.routes.audited import auditor
from chalicelib.routes.editors import editor_token
from chalicelib.routes.responses import json_api
from chalicelib.validation import only_fields, parse_json, text

routes = Blueprint(__name__)
audited = auditor(routes)  # one audit record per call (chalicelib/audit.py)

MAX_URL = 2048


def _json() -> dict[str, Any]:
    return parse_json(cast(bytes | None, routes.current_request.raw_body))


@routes.route("/api/photos/fetch", methods=["POST"], authorizer=editor_token)
@json_api(201)
@audited("import", ("url",))
def fetch_photo() -> dict[str, Any]:
    """`{"url"}` of a remote image (WECHAT_IMAGE_HOSTS) -> the photo, fetched safely and processed as uploads are."""
    from chalicelib import photo_intake, photos

    data = _json()
    only_fields(data, {"url"})
    url = text(data, "url", MAX_URL, required=True) or ""
    intake = photo_intake.fetch_photo(url)
    return {**photos.photo_data(photos.get_photo(intake.photo_id)), "reused": not intake.new}
