"""The editors' JSON API under /api: login, accounts, articles, categories, photo uploads.

Every route but `POST /api/session` needs a bearer token, checked by the
`editor_token` authorizer (its own Lambda function, cached 60 s by API Gateway,
so a revoked token can pass for up to 60 s deployed). The authorizer hands the
caller's role to the routes in the request context; `require_admin` checks it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from urllib.parse import quote

from chalice import AuthResponse, AuthRoute, Blueprint

from chalicelib import (
    accounts,
    auth,
    categories,
    counters,
    editorial,
    photos,
    previews,
    reviews,
    revisions,
    trash,
    word_checks,
)
from chalicelib.articles import now
from chalicelib.client_address import client_address
from chalicelib.config import get_settings
from chalicelib.errors import Forbidden, InvalidInput, Unauthorized
from chalicelib.models import ArticleModel
from chalicelib.roles import Role, parse_role
from chalicelib.routes.audited import auditor
from chalicelib.routes.observed import observe_authorizer
from chalicelib.routes.responses import json_api
from chalicelib.statuses import ArticleStatus
from chalicelib.validation import (
    MAX_TITLE,
    article_fields,
    boolean,
    identifier,
    integer,
    only_fields,
    parse_json,
    text,
    timestamp,
)
from chalicelib.validation import slug as valid_slug

routes = Blueprint(__name__)
audited = auditor(routes)  # one audit record per call (chalicelib/audit.py)

API_PAGE_SIZE = 50


@observe_authorizer
@routes.authorizer(ttl_seconds=60)
def editor_token(auth_request: Any) -> AuthResponse:
    try:
        caller = auth.check_token(auth_request.token)
    except Unauthorized:
        raise Exception("Unauthorized") from None  # API Gateway's signal for a 401
    if caller.must_change_password:  # after an admin's reset only these are open (auth.PASSWORD_CHANGE_ROUTES)
        routes_open: list[str | AuthRoute] = [AuthRoute(path, methods) for path, methods in auth.PASSWORD_CHANGE_ROUTES]
        return AuthResponse(routes=routes_open, principal_id=caller.username, context={"role": str(caller.role)})
    return AuthResponse(routes=["*"], principal_id=caller.username, context={"role": str(caller.role)})


def caller() -> auth.Identity:
    """The editor calling, as the authorizer found them (chalice local and API Gateway alike)."""
    context = (routes.current_request.context or {}).get("authorizer") or {}
    role = parse_role(context.get("role"))
    return auth.Identity(str(context["principalId"]), role)


def require_admin() -> auth.Identity:
    identity = caller()
    if identity.role != Role.ADMIN:
        raise Forbidden("admins only", code="admins_only")
    return identity


def _raw_body() -> bytes | None:
    return cast(bytes | None, routes.current_request.raw_body)  # bytes: chalice decodes nothing


def _json() -> dict[str, Any]:
    return parse_json(_raw_body())


@routes.route("/api/session", methods=["POST"])
@json_api()
@audited("login")
def log_in() -> dict[str, Any]:
    data = _json()
    only_fields(data, {"username", "password"})
    username = text(data, "username", 64, required=True) or ""
    password = text(data, "password", 1024, required=True) or ""
    return auth.log_in(username, password, _client()).as_dict()


@routes.route("/api/session", methods=["DELETE"], authorizer=editor_token)
@json_api()
@audited("logout")
def log_out() -> None:
    """Revokes every token of the caller, this one included (all their sessions end)."""
    auth.revoke_tokens(caller().username)


@routes.route("/api/session/refresh", methods=["POST"], authorizer=editor_token)
@json_api()
def refresh_session() -> dict[str, Any]:
    """A new token for the caller: the app asks while its editor is at work, so only idleness ends a session."""
    return auth.issue_token(accounts.get_editor(caller().username)).as_dict()


@routes.route("/api/me", methods=["GET"], authorizer=editor_token)
@json_api()
def me() -> dict[str, Any]:
    identity = caller()
    return {"username": identity.username, "role": str(identity.role)}


@routes.route("/api/me/password", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("password.change")
def change_password() -> dict[str, Any]:
    data = _json()
    only_fields(data, {"current_password", "new_password"})
    current = text(data, "current_password", 1024, required=True) or ""
    new = text(data, "new_password", 1024, required=True) or ""
    return auth.change_password(caller().username, current, new, _client()).as_dict()


@routes.route("/api/editors", methods=["GET"], authorizer=editor_token)
@json_api()
def list_editors() -> dict[str, Any]:
    require_admin()
    return {"editors": [accounts.editor_data(e) for e in accounts.list_editors()]}


@routes.route("/api/editors", methods=["POST"], authorizer=editor_token)
@json_api(201)
@audited("editor.create", ("role",))
def create_editor() -> dict[str, Any]:
    require_admin()
    data = _json()
    only_fields(data, {"username", "password", "role"})
    username = text(data, "username", 64, required=True) or ""
    password = text(data, "password", 1024, required=True) or ""
    role = accounts.valid_role(data.get("role", Role.EDITOR))
    return accounts.editor_data(accounts.create_editor(username, password, role))


@routes.route("/api/editors/{username}", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("editor.update", ("role", "disabled", "password"))
def update_editor(username: str) -> dict[str, Any]:
    acting = require_admin()
    data = _json()
    only_fields(data, {"role", "disabled", "password"})
    editor = accounts.update_editor(
        username,
        acting.username,
        role=accounts.valid_role(data["role"]) if "role" in data else None,
        disabled=boolean(data, "disabled") if "disabled" in data else None,
        password=text(data, "password", 1024, required=True) if "password" in data else None,
    )
    return accounts.editor_data(editor)


def _client() -> str:
    request = routes.current_request
    return client_address(request.headers, request.context)


@routes.route("/api/articles", methods=["GET"], authorizer=editor_token)
@json_api()
def list_articles() -> dict[str, Any]:
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    only_fields(params, {"status", "category", "cursor", "title"})
    status = params.get("status") or None
    if status is not None and status not in editorial.LIST_FILTERS:
        raise InvalidInput(
            f"status must be one of: {', '.join(editorial.LIST_FILTERS)}", field="status", code="bad_status"
        )
    category = identifier(params, "category")
    title = text(params, "title", MAX_TITLE) or None  # words of the title (a filter on the same Query)
    items, cursor = editorial.list_articles(status, category, params.get("cursor"), API_PAGE_SIZE, title)
    views = counters.views_of([i.id for i in items])  # one BatchGetItem for the page
    summaries = [{**{k: v for k, v in article_data(i).items() if k != "body"}, "views": views[i.id]} for i in items]
    return {"articles": summaries, "next_cursor": cursor}


@routes.route("/api/articles", methods=["POST"], authorizer=editor_token)
@json_api(201)
@audited("article.create", revision="created")
def create_article() -> dict[str, Any]:
    fields = article_fields(_json(), with_version=False)
    return article_data(editorial.create_article(fields))


@routes.route("/api/articles/{article_id}", methods=["GET"], authorizer=editor_token)
@json_api()
def get_article(article_id: str) -> dict[str, Any]:
    return article_data(editorial.get_article(article_id))


@routes.route("/api/articles/{article_id}", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("article.save", revision="saved")
def replace_article(article_id: str) -> dict[str, Any]:
    fields = article_fields(_json(), with_version=True)
    reviews.check_save(article_id, caller().role, fields)
    item = editorial.replace_article(article_id, fields)
    if item.pending_revision:  # the editor saved the restored draft of changes (or wrote over it): done
        revisions.clear_pending(article_id)
        item.pending_revision = None
    data = article_data(item)
    return {**data, "word_hits": word_checks.check(data)}  # shown in the editor (chalicelib/word_checks.py)


@routes.route("/api/articles/{article_id}", methods=["DELETE"], authorizer=editor_token)
@json_api()
@audited("article.delete")
def delete_article(article_id: str) -> None:
    """To the trash (chalicelib/trash.py): unpublishing it first, so whoever may not unpublish may not delete."""
    reviews.check_save(article_id, caller().role)
    trash.trash_article(article_id)


@routes.route("/api/articles/{article_id}/publish", methods=["POST"], authorizer=editor_token)
@json_api()
@audited("article.publish", ("published_at", "reason"), revision="published")
def publish_article(article_id: str) -> dict[str, Any]:
    data = parse_json(_raw_body() or b"{}")
    only_fields(data, {"published_at", "reason"})
    published_at = timestamp(data, "published_at", get_settings().site_timezone)
    identity = caller()  # the review levels' gate (403/409 naming the missing approval), then a restored draft
    reviews.before_publish(article_id, identity.username, identity.role, text(data, "reason", 500))
    revisions.apply_pending(article_id)
    published = editorial.publish_article(article_id, published_at)
    return {**article_data(published.article), "pending_photos": published.pending_photos}


@routes.route("/api/articles/{article_id}/preview", methods=["POST"], authorizer=editor_token)
@json_api()
def preview_article(article_id: str) -> dict[str, Any]:
    """A link showing the article as saved, whatever its status, to whoever holds it until it expires."""
    token, expires_at = auth.issue_preview(article_id, key=previews.link_key(article_id))  # 404 if unknown
    return {"url": f"{get_settings().base_path}/preview/{token}", "expires_at": expires_at.isoformat()}


@routes.route("/api/articles/{article_id}/preview", methods=["DELETE"], authorizer=editor_token)
@json_api()
def revoke_previews(article_id: str) -> None:
    """Every preview link given out for the article so far stops working (a link sent to the wrong person)."""
    previews.revoke(article_id)


@routes.route("/api/articles/{article_id}/unpublish", methods=["POST"], authorizer=editor_token)
@json_api()
@audited("article.unpublish", revision="unpublished")
def unpublish_article(article_id: str) -> dict[str, Any]:
    reviews.check_save(article_id, caller().role)
    return article_data(editorial.unpublish_article(article_id))


@routes.route("/api/categories", methods=["GET"], authorizer=editor_token)
@json_api()
def list_categories() -> dict[str, Any]:
    levels = reviews.all_levels()  # each category's own review levels (None: its parent's or the site's)
    return {"categories": [{**c.as_dict(), "review_levels": levels.get(c.slug)} for c in categories.list_categories()]}


@routes.route("/api/categories/{slug}", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("category.put", ("name", "parent", "review_levels"))
def put_category(slug: str) -> dict[str, Any]:
    require_admin()
    data = _json()
    only_fields(data, {"name", "parent", "position", "review_levels"})
    category = categories.put_category(
        valid_slug(slug),
        text(data, "name", 100, required=True) or "",
        identifier(data, "parent"),
        integer(data, "position", -1_000_000, 1_000_000, default=0),
        create_only=routes.current_request.headers.get("if-none-match") == "*",  # creating: refuse an existing slug
    )
    if "review_levels" in data:
        levels = data["review_levels"]
        reviews.set_levels(slug, None if levels is None else integer(data, "review_levels", 0, 2))
    return {**category.as_dict(), "review_levels": reviews.all_levels().get(slug)}


@routes.route("/api/categories/{slug}", methods=["DELETE"], authorizer=editor_token)
@json_api()
@audited("category.delete")
def delete_category(slug: str) -> None:
    require_admin()
    categories.delete_category(slug)


@routes.route("/api/photos", methods=["POST"], authorizer=editor_token)
@json_api(201)
@audited("photo.upload", ("filename",))
def start_upload() -> dict[str, Any]:
    return photos.start_upload(_json())


@routes.route("/api/photos", methods=["GET"], authorizer=editor_token)
@json_api()
def list_photos() -> dict[str, Any]:
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    only_fields(params, {"cursor"})
    items, cursor = photos.list_photos(params.get("cursor"), API_PAGE_SIZE)
    return {
        "photos": [{**photos.photo_data(p), "created_at": p.created_at.isoformat()} for p in items],
        "next_cursor": cursor,
    }


@routes.route("/api/photos/{photo_id}", methods=["GET"], authorizer=editor_token)
@json_api()
def get_photo(photo_id: str) -> dict[str, Any]:
    return photos.photo_data(photos.get_photo(photo_id))


def article_data(item: ArticleModel) -> dict[str, Any]:
    """The API's view of an article."""
    published_at = item.published_at
    return {
        "id": item.id,
        "title": item.title,
        "subtitle": item.subtitle,
        "category": item.category,
        "source": item.source,
        "author": item.author,
        "notice": bool(item.notice),
        "flags": list(item.flags or []),
        "pinned_until": _iso(item.pinned_until),
        "cover_photo_id": item.cover_photo_id,
        "status": item.status,
        "scheduled": bool(item.status == ArticleStatus.PUBLISHED and published_at and published_at > now()),
        "published_at": _iso(published_at),
        "created_at": _iso(item.created_at),
        "updated_at": _iso(item.updated_at),
        "version": item.version,
        "review": reviews.review_view(item),  # its review record (chalicelib/reviews.py)
        "pending_revision": item.pending_revision,  # a restored draft of changes (chalicelib/revisions.py)
        "url": f"{get_settings().base_path}/articles/{quote(item.id)}",  # the reader page
        "body": [_block_data(block) for block in item.body or []] if item.body is not None else None,
    }


def _block_data(block: dict[str, Any]) -> dict[str, Any]:
    """A block as the editor wrote it (without the photo snapshot)."""
    return {k: v for k, v in block.items() if k != "media" and v is not None}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
