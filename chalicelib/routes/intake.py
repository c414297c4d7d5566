"""The editors' intake API: remote photos, WeChat articles, Word files, attachments and videos.

Routes parse and shape; the services (`photo_intake`, `wechat`, `attachments`, ...) are imported when a
route runs, so readers' cold starts never load them.
"""

from __future__ import annotations

from typing import Any, cast

from chalice import Blueprint, Response

from chalicelib.routes.audited import auditor
from chalicelib.routes.editors import editor_token
from chalicelib.routes.responses import error_response, json_api
from chalicelib.validation import MAX_JSON_BYTES, MAX_TITLE, identifier, only_fields, parse_json, text

routes = Blueprint(__name__)
audited = auditor(routes)  # one audit record per call (chalicelib/audit.py)

MAX_URL = 2048


def _json() -> dict[str, Any]:
    return parse_json(cast(bytes | None, routes.current_request.raw_body))


@routes.route("/api/photos/fetch", methods=["POST"], authorizer=editor_token)
@json_api(201)
@audited("import", ("url",))
def fetch_photo() -> dict[str, Any]:
    """`{"url"}` of an image on any public host -> the photo, fetched safely and processed as uploads are."""
    from chalicelib import photo_intake, photos

    data = _json()
    only_fields(data, {"url"})
    url = text(data, "url", MAX_URL, required=True) or ""
    intake = photo_intake.fetch_photo(url)
    return {**photos.photo_data(photos.get_photo(intake.photo_id)), "reused": not intake.new}


@routes.route("/api/attachments", methods=["POST"], authorizer=editor_token)
@json_api(201)
@audited("attachment.upload", ("filename",))
def start_attachment() -> dict[str, Any]:
    """`{"filename", "size"}` -> `{"attachment_id", "upload": {"url", "fields"}, "expires_in"}` (presigned POST)."""
    from chalicelib import attachments

    return attachments.start_upload(_json())


@routes.route("/api/attachments/{attachment_id}/complete", methods=["POST"], authorizer=editor_token)
@json_api()
def complete_attachment(attachment_id: str) -> dict[str, Any]:
    """After the upload: the file is checked and the answer is its block (attachment, or video for an MP4)."""
    from chalicelib import attachments

    return {"block": attachments.complete(attachment_id)}


@routes.route("/api/attachments/{attachment_id}", methods=["GET"], authorizer=editor_token)
@json_api()
def attachment_downloads(attachment_id: str) -> dict[str, Any]:
    from chalicelib import attachments

    return {"attachment_id": attachment_id, "downloads": attachments.downloads(attachment_id)}


@routes.route("/files/{attachment_id}", methods=["GET"])
def download(attachment_id: str) -> Response:
    """A reader's download: counted, then sent to the file (never shown inline) by a short-lived signed link."""
    from chalicelib import attachments

    try:
        location = attachments.download_url(attachment_id)
    except Exception as raised:
        return error_response(raised, "download failed")
    return Response(
        body="",
        status_code=302,
        headers={"Location": location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


@routes.route("/api/imports/wechat", methods=["POST"], authorizer=editor_token)
@json_api(201)
@audited("import", ("url",), revision="imported")
def import_wechat() -> dict[str, Any]:
    """`{"url", "category"}` or `{"html", "category", "title"?}` -> the draft, and what could not come along."""
    from chalicelib import wechat_import
    from chalicelib.routes.article_json import article_data

    data = _json()
    only_fields(data, {"url", "html", "category", "title"})
    category = identifier(data, "category", required=True) or ""
    if data.get("html") is not None:
        content = text(data, "html", MAX_JSON_BYTES, required=True) or ""
        imported = wechat_import.import_paste(content, category, text(data, "title", MAX_TITLE))
    else:
        imported = wechat_import.import_link(text(data, "url", MAX_URL, required=True) or "", category)
    return {
        "article": article_data(imported.article),
        "failed_images": imported.failed_images,
        "dropped": imported.dropped,
        "link_kind": imported.link_kind,
        "original_published_at": imported.original_published_at,
    }


@routes.route("/api/imports/word", methods=["POST"], authorizer=editor_token)
@json_api(201)
def import_word() -> dict[str, Any]:
    """`{"attachment_id", "category"}` of a .docx uploaded with the attachments' form -> the draft."""
    from chalicelib import word_import
    from chalicelib.routes.article_json import article_data

    data = _json()
    only_fields(data, {"attachment_id", "category"})
    category = identifier(data, "category", required=True) or ""
    attachment_id = identifier(data, "attachment_id", required=True) or ""
    imported = word_import.import_upload(attachment_id, category)
    return {**imported, "article": article_data(imported["article"])}
