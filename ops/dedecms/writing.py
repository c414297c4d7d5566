"""Writing what was read through the app's own services, changing only what differs.

Every article goes through `validation.article_fields` and `editorial` as an editor's would, under
the id `dede-{aid}`, so a second run finds it and compares: nothing that is the same is written
again (its version stays), what changed is replaced with the version read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib import audit, counters, editorial, legacy, revisions
from chalicelib.article_body import Body, editor_json
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.models import ArticleModel
from chalicelib.statuses import ArticleStatus
from chalicelib.validation import article_fields
from ops.dedecms.report import Report

FIELDS = ("title", "subtitle", "category", "source", "author", "notice", "cover_photo_id", "flags")
IMPORTER = "import-dedecms"  # who the revisions and audit records of an import name


def article_id(aid: int) -> str:
    """The Newsroom id of DedeCMS article `aid`: deterministic, so every run finds its earlier work."""
    return f"dede-{aid}"


EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # before the web: an empty date (0001-01-01, 0 = 1970-01-01)


def usable_date(moment: datetime) -> bool:
    """Whether an old site's publication date is a real one."""
    return moment >= EARLIEST


def field_problem(data: dict[str, Any]) -> str | None:
    """Why the API would refuse an article's fields (its title, say), or None."""
    try:
        article_fields(data, with_version=False)
    except InvalidInput as error:
        return error.message
    return None


def save_article(
    article_id: str,
    data: dict[str, Any],
    published_at: datetime | None,
    views: int,
    report: Report,
    label: str,
    dry_run: bool,
) -> bool:
    """Create or update one article (published from `published_at`, or a draft when None); False if skipped."""
    try:
        fields = article_fields(data, with_version=False)
    except InvalidInput as error:
        report.skipped.append((label, error.message))
        return False
    stored = _stored(article_id)
    if dry_run:
        if stored is None:
            report.created.append(label)
        elif _differs(stored, fields) or _publication_differs(stored, published_at):
            report.updated.append(label)
        else:
            report.unchanged.append(label)
        return True
    changed = False
    current = stored
    if current is None:
        current = editorial.create_article(fields, article_id)
        report.created.append(label)
        _keep_import(fields, current, label)
    elif _differs(current, fields):
        current = editorial.replace_article(article_id, {**fields, "version": current.version})
        changed = True
        _keep_import(fields, current, label)
    try:
        changed |= _publish(current, published_at)
    except Conflict as error:
        report.warnings.append(f"{label}: left as a draft: {error.message}")
    if stored is not None:
        (report.updated if changed else report.unchanged).append(label)
    counters.carry_over_views(article_id, views)
    return True


def _keep_import(fields: dict[str, Any], current: ArticleModel, label: str) -> None:
    """The imported text as a revision ("imported") and the import in the audit trail (issue 25)."""
    body = [editor_json(block) for block in fields["body"]]  # a revision keeps the API's view (JSON)
    revisions.keep({**fields, "body": body, "id": current.id, "version": current.version}, IMPORTER, "imported")
    audit.record(audit.Entry(IMPORTER, "import", current.id, audit.SUCCESS, "ops", f"dedecms {label}"))


def remember_redirects(paths: list[str], target: str, report: Report, dry_run: bool) -> None:
    """Old URLs (in `legacy.old_path` form) that now answer a 301 to `target`."""
    for path in paths:
        changed = legacy.redirect_for(path) != target if dry_run else legacy.remember_redirect(path, target)
        report.redirects += int(changed)


def _stored(article_id: str) -> ArticleModel | None:
    try:
        return editorial.get_article(article_id)
    except NotFound:
        return None


def _differs(stored: ArticleModel, fields: dict[str, Any]) -> bool:
    mine = {name: fields.get(name) or None for name in FIELDS}
    theirs = {name: getattr(stored, name) or None for name in FIELDS}
    return mine != theirs or _plain(fields["body"]) != _plain(stored.body or [])


def _plain(blocks: Body) -> list[dict[str, Any]]:
    """Blocks without the photo snapshots, and without empty keys."""
    return [editor_json(b) for b in blocks]


def _publication_differs(stored: ArticleModel, published_at: datetime | None) -> bool:
    if published_at is None:
        return bool(stored.status == ArticleStatus.PUBLISHED)
    return bool(stored.status != ArticleStatus.PUBLISHED or stored.published_at != published_at)


def _publish(current: ArticleModel, published_at: datetime | None) -> bool:
    """Bring the article's status in line with the old site's; True if it changed. `current` is the article as
    just stored (or found unchanged): no second read."""
    if not _publication_differs(current, published_at):
        return False
    if published_at is None:
        editorial.unpublish_article(current.id)
    else:
        editorial.publish_article(current.id, published_at)
    return True
