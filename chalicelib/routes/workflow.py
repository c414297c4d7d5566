"""The editorial workflow's API: the audit trail (admins), revisions, review before publishing, word lists.

Every route needs the editors' token (the `editor_token` authorizer of routes/editors.py); the services
are chalicelib/audit.py, revisions.py, reviews.py and word_checks.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalice import Blueprint, Response

from chalicelib import audit
from chalicelib.config import get_settings
from chalicelib.routes.audited import auditor
from chalicelib.routes.editors import editor_token, require_admin
from chalicelib.routes.responses import domain_error, error_body, json_api, json_response
from chalicelib.validation import only_fields, text, timestamp

routes = Blueprint(__name__)
audited = auditor(routes)
AUDIT_PAGE_SIZE = 100


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
        error = domain_error(raised, "audit export failed")
        return json_response(error_body(error), error.status_code)
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f"attachment; filename=\"audit.csv\"; filename*=UTF-8''{quote('操作记录.csv')}",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body=body, status_code=200, headers=headers)
