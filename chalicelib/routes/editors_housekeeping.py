"""The editors' housekeeping API: the trash, bulk actions on articles, deleting unused photos, the status of
many photos in one request, and QR codes of links (a preview link for a reviewer's phone).

A bulk action does to each article what the single route does (the same checks, one audit record and one
revision each) and answers each article's outcome, so one refusal never hides the others' success.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, cast

from chalice import Blueprint

from chalicelib import editorial, photos, reviews, revisions, trash
from chalicelib.audit import FAILURE, SUCCESS
from chalicelib.auth import Identity
from chalicelib.errors import InvalidInput
from chalicelib.ids import ID
from chalicelib.models import ArticleModel
from chalicelib.routes.article_json import article_data
from chalicelib.routes.audited import _record, auditor
from chalicelib.routes.editors import API_PAGE_SIZE, caller, editor_token, require_admin
from chalicelib.routes.responses import error_response, json_api
from chalicelib.validation import article_fields, identifier, only_fields, parse_json

routes = Blueprint(__name__)
audited = auditor(routes)  # one audit record per call (chalicelib/audit.py)

MAX_BULK = 50  # a page of the editors' list


def _json() -> dict[str, Any]:
    return parse_json(cast(bytes | None, routes.current_request.raw_body) or b"{}")


@routes.route("/api/trash", methods=["GET"], authorizer=editor_token)
@json_api()
def list_trash() -> dict[str, Any]:
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    only_fields(params, {"cursor"})
    items, cursor = trash.list_trash(params.get("cursor"), API_PAGE_SIZE)
    return {"articles": [trash.trash_data(i) for i in items], "next_cursor": cursor}


@routes.route("/api/trash/{article_id}/restore", methods=["POST"], authorizer=editor_token)
@json_api()
@audited("article.untrash", ("category",), revision="restored")
def restore_article(article_id: str) -> dict[str, Any]:
    """`{"category"?}`: back as a draft, in its category or the one given (admins only)."""
    require_admin()
    data = _json()
    only_fields(data, {"category"})
    return article_data(trash.restore_article(article_id, identifier(data, "category")))


@routes.route("/api/trash/{article_id}", methods=["DELETE"], authorizer=editor_token)
@json_api()
@audited("article.purge")
def purge_article(article_id: str) -> None:
    """Delete a trashed article for good before its days are up (admins only)."""
    require_admin()
    trash.purge_article(article_id)


@routes.route("/api/photos/{photo_id}", methods=["DELETE"], authorizer=editor_token)
@json_api()
@audited("photo.delete")
def delete_photo(photo_id: str) -> None:
    """An unused photo, with its files; 409 `photo_in_use` naming the articles (trashed ones too) showing it."""
    from chalicelib import photo_deletion

    photo_deletion.delete_photo(photo_id)


@routes.route("/api/photos/status", methods=["GET"], authorizer=editor_token)
@json_api()
def photo_statuses() -> dict[str, Any]:
    """`?ids=a,b,…` (up to 100): the photos that exist, in one request (the app polls an article's photos so)."""
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    only_fields(params, {"ids"})
    ids = list(dict.fromkeys(i for i in (params.get("ids") or "").split(",") if i))
    if not 1 <= len(ids) <= photos.MAX_STATUS_IDS:
        limit = photos.MAX_STATUS_IDS
        raise InvalidInput(f"ids: 1 to {limit} photo ids", field="ids", code="bad_ids", limit=limit)
    if not all(ID.match(i) for i in ids):
        raise InvalidInput("ids: not a photo id", field="ids", code="bad_id")
    return {"photos": [photos.photo_data(p) for p in photos.photos_by_id(ids)]}


@routes.route("/api/qr", methods=["POST"], authorizer=editor_token)
@json_api()
def qr_code() -> dict[str, Any]:
    """`{"url"}` (http or https) -> `{"svg"}`: its QR code as a data URI."""
    from chalicelib.qr_codes import qr_data_uri

    data = _json()
    only_fields(data, {"url"})
    return {"svg": qr_data_uri(data.get("url"))}


@routes.route("/api/articles/bulk", methods=["POST"], authorizer=editor_token)
@json_api()
def bulk_articles() -> dict[str, Any]:
    """`{"action": "publish"|"unpublish"|"move", "ids": [...], "category"?}` -> each article's outcome."""
    data = _json()
    only_fields(data, {"action", "ids", "category"})
    action = data.get("action")
    if action not in BULK_ACTIONS:
        raise InvalidInput(f"action must be one of: {', '.join(BULK_ACTIONS)}", field="action", code="bad_action")
    category = identifier(data, "category", required=action == "move")
    identity = caller()
    return {"results": [_one(action, article_id, identity, category) for article_id in _ids(data)]}


def _ids(data: dict[str, Any]) -> list[str]:
    ids = data.get("ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_BULK:
        raise InvalidInput(f"ids: 1 to {MAX_BULK} article ids", field="ids", code="bad_ids", limit=MAX_BULK)
    if not all(isinstance(i, str) and ID.fullmatch(i) for i in ids):
        raise InvalidInput("ids: not an article id", field="ids", code="bad_id")
    return list(dict.fromkeys(ids))


def _one(action: str, article_id: str, identity: Identity, category: str | None) -> dict[str, Any]:
    """One article's action, recorded as its single route records it; a refusal is its outcome, not an error."""
    request = routes.current_request
    audit_action, reason, act = BULK_ACTIONS[action]
    try:
        item = act(article_id, identity, category)
    except Exception as raised:
        refusal = error_response(raised, "bulk action failed", as_json=True)  # the single route's answer
        body = json.loads(refusal.body)
        _record(request, audit_action, article_id, FAILURE, body["message"])
        return {"id": article_id, "ok": False, "status": refusal.status_code, **body}
    _record(request, audit_action, article_id, SUCCESS, "bulk")
    data = article_data(item)
    revisions.keep(data, identity.username, reason)
    return {"id": article_id, "ok": True, "article": {k: v for k, v in data.items() if k != "body"}}


def _publish(article_id: str, identity: Identity, _category: str | None) -> ArticleModel:
    reviews.before_publish(article_id, identity.username, identity.role, None)
    revisions.apply_pending(article_id)
    return editorial.publish_article(article_id).article


def _unpublish(article_id: str, identity: Identity, _category: str | None) -> ArticleModel:
    reviews.check_save(article_id, identity.role)
    return editorial.unpublish_article(article_id)


def _move(article_id: str, identity: Identity, category: str | None) -> ArticleModel:
    """A save of the article as it is, in another category (the checks of `PUT /api/articles/{id}`)."""
    item = editorial.get_article(article_id)
    fields = article_fields({**article_data(item), "category": category}, with_version=True)
    reviews.check_save(article_id, identity.role, fields)
    saved = editorial.replace_article(article_id, fields)
    if saved.pending_revision:
        revisions.clear_pending(article_id)
        saved.pending_revision = None
    return saved


Action = Callable[[str, Identity, str | None], ArticleModel]
# action -> (the single route's audit action, its revision's reason, what it does)
BULK_ACTIONS: dict[str, tuple[str, str, Action]] = {
    "publish": ("article.publish", "published", _publish),
    "unpublish": ("article.unpublish", "unpublished", _unpublish),
    "move": ("article.save", "saved", _move),
}
