"""The editorial workflow's API: the audit trail (admins), revisions, review before publishing, word lists.

Every route needs the editors' token (the `editor_token` authorizer of routes/editors.py); the services
are chalicelib/audit.py, revisions.py, reviews.py and word_checks.py.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote

from chalice import Blueprint, Response

from chalicelib import audit, diffs, editorial, reviews, revisions
from chalicelib.answers import error_body
from chalicelib.client_address import client_address
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput, NewsroomError
from chalicelib.ids import ID
from chalicelib.routes.article_json import article_data
from chalicelib.routes.audited import auditor
from chalicelib.routes.editors import caller, editor_token, require_admin
from chalicelib.routes.responses import error_response, json_api
from chalicelib.validation import boolean, integer, only_fields, parse_json, text, timestamp

routes = Blueprint(__name__)
audited = auditor(routes)
AUDIT_PAGE_SIZE = 100


def _raw_body() -> bytes | None:
    return cast(bytes | None, routes.current_request.raw_body)  # bytes: chalice decodes nothing


def _query() -> dict[str, str]:
    return dict(routes.current_request.query_params or {})


def _audit_filters() -> tuple[str | None, str | None, str | None, Any]:
    params = _query()
    only_fields(params, {"actor", "object", "action", "since", "cursor"})
    since = timestamp(params, "since", get_settings().site_timezone) if params.get("since") else None
    return (
        text(params, "actor", 64) or None,
        text(params, "object", 200) or None,
        text(params, "action", 40) or None,
        since,
    )


@routes.route("/api/audit", methods=["GET"], authorizer=editor_token)
@json_api()
def search_audit() -> dict[str, Any]:
    """Audit records newest first, by person, object, action and from a time (admins only)."""
    require_admin()
    actor, obj, action, since = _audit_filters()
    items, cursor = audit.search(actor, obj, action, since, _query().get("cursor"), AUDIT_PAGE_SIZE)
    return {"records": [audit.record_data(i) for i in items], "next_cursor": cursor}


@routes.route("/api/audit.csv", methods=["GET"], authorizer=editor_token)
def export_audit() -> Response:
    """The same records as CSV, for a spreadsheet or an auditor (admins only)."""
    try:
        require_admin()
        actor, obj, action, since = _audit_filters()
        body = audit.as_csv(actor, obj, action, since)
    except Exception as raised:
        return error_response(raised, "audit export failed", as_json=True)
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f"attachment; filename=\"audit.csv\"; filename*=UTF-8''{quote('操作记录.csv')}",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body=body, status_code=200, headers=headers)


def _revision_id(rev: str) -> str:
    if not ID.fullmatch(rev):
        raise InvalidInput("revision is not a revision id", field="revision", code="revision_invalid")
    return rev


@routes.route("/api/articles/{article_id}/revisions", methods=["GET"], authorizer=editor_token)
@json_api()
def list_revisions(article_id: str) -> dict[str, Any]:
    """The article's revisions, newest first (id, at, by, reason ...)."""
    editorial.get_article(article_id)  # 404 for an unknown article
    return {"revisions": revisions.list_revisions(article_id)}


@routes.route("/api/articles/{article_id}/revisions/{rev}", methods=["GET"], authorizer=editor_token)
@json_api()
def get_revision(article_id: str, rev: str) -> dict[str, Any]:
    return revisions.get_revision(article_id, _revision_id(rev))


@routes.route("/api/articles/{article_id}/revisions/{rev}/diff", methods=["GET"], authorizer=editor_token)
@json_api()
def diff_revision(article_id: str, rev: str) -> dict[str, Any]:
    """What changed from revision `rev` to `?against=` another revision, or to the article as saved now."""
    params = _query()
    only_fields(params, {"against"})
    old = revisions.get_revision(article_id, _revision_id(rev))
    against = params.get("against")
    new = (
        revisions.get_revision(article_id, _revision_id(against))
        if against
        else article_data(editorial.get_article(article_id))
    )
    return {"from": rev, "to": against or "current", **diffs.diff_articles(old, new)}


@routes.route("/api/articles/{article_id}/revisions/{rev}/restore", methods=["POST"], authorizer=editor_token)
@json_api()
@audited("article.restore", obj=None)
def restore_revision(article_id: str, rev: str) -> dict[str, Any]:
    """A NEW revision with `rev`'s text; on a published article a draft of changes until it is published."""
    restored = revisions.restore(article_id, _revision_id(rev), caller().username)
    return article_data(restored)


@routes.route("/api/articles/{article_id}/revisions/{rev}/pin", methods=["PUT"], authorizer=editor_token)
@json_api()
def pin_revision(article_id: str, rev: str) -> dict[str, Any]:
    """Pin a revision (kept past the newest 50) or unpin it: `{"pinned": true|false}`."""
    data = parse_json(_raw_body())
    only_fields(data, {"pinned"})
    revisions.pin(article_id, _revision_id(rev), boolean(data, "pinned"))
    return {"id": rev, "pinned": boolean(data, "pinned")}


@routes.route("/api/articles/{article_id}/submit", methods=["POST"], authorizer=editor_token)
@json_api()
@audited("article.submit", ("comment",))
def submit_article(article_id: str) -> dict[str, Any]:
    """Ask for review: `{"comment"?}`; the reviewers' inbox gets it."""
    data = parse_json(_raw_body() or b"{}")
    only_fields(data, {"comment"})
    return article_data(reviews.submit(article_id, caller().username, text(data, "comment", reviews.MAX_COMMENT)))


@routes.route("/api/articles/{article_id}/review", methods=["POST"], authorizer=editor_token)
@json_api()
@audited("article.review", ("decision", "comment"))
def review_article(article_id: str) -> dict[str, Any]:
    """`{"decision": "approve"|"return", "comment"}` by a reviewer or an admin."""
    data = parse_json(_raw_body())
    only_fields(data, {"decision", "comment"})
    identity = caller()
    decision = text(data, "decision", 10, required=True) or ""
    comment = text(data, "comment", reviews.MAX_COMMENT)
    return article_data(reviews.decide(article_id, identity.username, identity.role, decision, comment))


@routes.route("/api/reviews", methods=["GET"], authorizer=editor_token)
@json_api()
def review_inbox() -> dict[str, Any]:
    """待我审核: every article waiting for a reviewer, across categories."""
    return {"articles": reviews.inbox()}


@routes.route("/api/reviews/approve", methods=["POST"], authorizer=editor_token)
@json_api()
def approve_many() -> dict[str, Any]:
    """Batch approve `{"articles": [id, ...], "comment"?}`: each one's own outcome, one failing none other."""
    data = parse_json(_raw_body())
    only_fields(data, {"articles", "comment"})
    ids = data.get("articles")
    if (
        not isinstance(ids, list)
        or not 0 < len(ids) <= 50
        or not all(isinstance(i, str) and ID.fullmatch(i) for i in ids)
    ):
        raise InvalidInput("articles must be a list of 1 to 50 article ids", field="articles", code="review_batch")
    identity = caller()
    comment = text(data, "comment", reviews.MAX_COMMENT)
    return {"results": [_approve_one(article_id, identity, comment) for article_id in dict.fromkeys(ids)]}


def _approve_one(article_id: str, identity: Any, comment: str | None) -> dict[str, Any]:
    entry = audit.Entry(identity.username, "article.review", article_id, audit.SUCCESS, _client(), "decision=approve")
    try:
        article = reviews.decide(article_id, identity.username, identity.role, "approve", comment)
    except NewsroomError as error:
        audit.record(_failed(entry, error))
        return {"id": article_id, "ok": False, "status": error.status_code, **error_body(error)}
    audit.record(entry)
    return {"id": article_id, "ok": True, "review": article.review}


def _failed(entry: audit.Entry, error: NewsroomError) -> audit.Entry:
    return audit.Entry(entry.actor, entry.action, entry.object, audit.FAILURE, entry.client, error.message)


def _client() -> str:
    request = routes.current_request
    return client_address(request.headers, request.context or {})


@routes.route("/api/settings/review", methods=["GET"], authorizer=editor_token)
@json_api()
def get_review_settings() -> dict[str, Any]:
    return {"review_levels": reviews.all_levels().get(reviews.SITE, 0)}


@routes.route("/api/settings/review", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("settings.change", ("review_levels",), obj="review_levels")
def put_review_settings() -> dict[str, Any]:
    """The site's review levels (0, 1 or 2), for categories that set none (admins only)."""
    require_admin()
    data = parse_json(_raw_body())
    only_fields(data, {"review_levels"})
    reviews.set_levels(reviews.SITE, integer(data, "review_levels", 0, reviews.MAX_LEVELS))
    return {"review_levels": reviews.all_levels().get(reviews.SITE, 0)}
