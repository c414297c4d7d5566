"""The editors' JSON API under /api: its token authorizer, articles, categories, photo uploads (accounts.py: sessions).

Every route but `POST /api/session` needs a bearer token, checked by the
`editor_token` authorizer (its own Lambda function, cached 60 s by API Gateway,
so a revoked token can pass for up to 60 s deployed). The authorizer hands the
caller's role to the routes in the request context; `require_admin` checks it.
"""

from __future__ import annotations

from typing import Any, cast

from chalice import AuthResponse, AuthRoute, Blueprint

from chalicelib import (
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
from chalicelib.config import get_settings
from chalicelib.errors import Forbidden, InvalidInput, Unauthorized
from chalicelib.roles import Role, parse_role
from chalicelib.routes.article_json import article_data
from chalicelib.routes.audited import auditor
from chalicelib.routes.observed import observe_authorizer
from chalicelib.routes.responses import json_api
from chalicelib.validation import (
    MAX_TITLE,
    article_fields,
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
    except Unauthorized as refused:  # API Gateway's signal for a 401; the cause says why, on the authorizer's line
        raise Exception("Unauthorized") from refused
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
