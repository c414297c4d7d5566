"""The audit trail: one record per editor action, appended and never changed (等保's 安全审计).

Each record says when (`at`, UTC), who (`actor`), what (`action`, one of ACTIONS), on what (`object`: an
article id, a username, a category slug ...), how it ended (`result`: "success" or "failure") and from where
(`client`: the client's address). The API's role may only PutItem on the table (and Query it for admins'
searches): no UpdateItem, no DeleteItem; DynamoDB's TTL removes a record after `AUDIT_DAYS` (at least 190).
"""

from __future__ import annotations

import csv
import io
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from chalicelib import clock
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput
from chalicelib.models import AuditModel
from chalicelib.pagination import query_page

log = logging.getLogger(__name__)

SUCCESS, FAILURE = "success", "failure"
ACTIONS = (
    "login",
    "logout",
    "password.change",
    "article.create",
    "article.save",
    "article.publish",
    "article.unpublish",
    "article.delete",
    "article.submit",
    "article.review",
    "article.restore",
    "article.untrash",
    "article.purge",
    "photo.upload",
    "photo.delete",
    "attachment.upload",
    "import",
    "editor.create",
    "editor.update",
    "category.put",
    "category.delete",
    "settings.change",
    "topic.put",
)
CSV_LIMIT = 10_000  # records in one export: a month of a busy association's editors
CSV_COLUMNS = ("at", "actor", "action", "object", "result", "client", "detail")
MAX_DETAIL = 500
STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"  # `at`: sorts as text in time order


@dataclass(frozen=True)
class Entry:
    """One action to record; `detail` is short free text (a reason, a decision, an error's message)."""

    actor: str
    action: str
    object: str
    result: str
    client: str
    detail: str | None = None


def record(entry: Entry) -> None:
    """Append one record, stamped now (chalicelib.clock); a failure to write it is logged with the whole record,
    never raised to the editor."""
    at = clock.now()
    stamp = at.strftime(STAMP)
    item = AuditModel(
        f"{stamp}#{os.urandom(6).hex()}",
        at=stamp,
        actor=entry.actor or "-",
        action=entry.action,
        object=entry.object or "-",
        result=entry.result,
        client=entry.client or "unknown",
        detail=(entry.detail or "")[:MAX_DETAIL] or None,
        expires=int((at + timedelta(days=get_settings().audit_days)).timestamp()),
    )
    try:
        item.save(condition=AuditModel.id.does_not_exist())  # an append: never over another record
    except Exception:
        log.exception("audit record not written: %s %s %s %s", entry.actor, entry.action, entry.object, entry.result)
        return
    log.info("audit: %s %s %s %s", entry.actor, entry.action, entry.object, entry.result)


def search(
    actor: str | None,
    obj: str | None,
    action: str | None,
    since: datetime | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[AuditModel], str | None]:
    """Records newest first, by person or object (their index) or all; by action (a filter) and from `since`."""
    if action is not None and action not in ACTIONS:
        raise InvalidInput(f"action must be one of: {', '.join(ACTIONS)}", field="action", code="audit_action")
    index: Any
    if actor:
        index, hash_attr, hash_value = AuditModel.by_actor, "actor", actor
    elif obj:
        index, hash_attr, hash_value = AuditModel.by_object, "object", obj
    else:
        index, hash_attr, hash_value = AuditModel.by_time, "collection", "audit"
    conditions = []
    if action:
        conditions.append(AuditModel.action == action)
    if actor and obj:
        conditions.append(AuditModel.object == obj)
    condition = None
    for part in conditions:
        condition = part if condition is None else condition & part
    query: dict[str, Any] = {"filter_condition": condition}
    if since:
        query["range_key_condition"] = AuditModel.at >= since.astimezone(timezone.utc).strftime(STAMP)
    return query_page(index, hash_attr, hash_value, AuditModel.at, cursor, limit, **query)


def record_data(item: AuditModel) -> dict[str, Any]:
    return {name: getattr(item, name) for name in CSV_COLUMNS}


def as_csv(actor: str | None, obj: str | None, action: str | None, since: datetime | None) -> str:
    """The matching records as CSV (UTF-8 with a BOM, so Excel reads the Chinese), at most CSV_LIMIT."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in _all(actor, obj, action, since):
        writer.writerow([_cell(getattr(item, name)) for name in CSV_COLUMNS])
    return out.getvalue()


def _all(actor: str | None, obj: str | None, action: str | None, since: datetime | None) -> Iterator[AuditModel]:
    cursor: str | None = None
    count = 0
    while count < CSV_LIMIT:
        items, cursor = search(actor, obj, action, since, cursor, min(500, CSV_LIMIT - count))
        yield from items
        count += len(items)
        if not cursor:
            return


def _cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: no formula (CSV injection) from a title or a name."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and text != "-" else text
