"""Revisions: every version of an article an editor wrote, kept, listed, compared and restored.

Two small kinds of item per revision in the workflow table, never a growing list on the article (so a long
history costs its reads and saves nothing): `revs#{article}` / `{rev}` is the entry the list reads (who,
when, why, pinned; ~100 bytes) and `rev#{article}` / `{rev}` holds the article's fields as written. A rev
id sorts by time. After each write the last KEEP entries stay, plus every pinned one; older ones go.
Restoring writes a NEW revision: a draft's text is replaced at once; a published article keeps its live
text and gets the restored one as its `pending_revision`, a draft of changes that publishing applies.
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DeleteError, UpdateError

from chalicelib import clock, editorial
from chalicelib.article_body import from_json
from chalicelib.article_updates import update_without_version
from chalicelib.errors import Conflict, NotFound
from chalicelib.ids import new_id
from chalicelib.models import ArticleModel, WorkflowModel
from chalicelib.statuses import ArticleStatus
from chalicelib.write_conditions import condition_failed, update_if_there

KEEP = 50
FIELDS = ("title", "subtitle", "category", "source", "author", "notice", "cover_photo_id", "body")
REASONS = ("created", "saved", "published", "unpublished", "restored", "imported")


def _list_key(article_id: str) -> str:
    return f"revs#{article_id}"


def _content_key(article_id: str) -> str:
    return f"rev#{article_id}"


def keep(article: dict[str, Any], by: str, reason: str, pending: bool = False) -> str:
    """Store `article` (the API's view of it, or restored fields with its id) as a new revision; its id."""
    moment = clock.now()
    rev = f"{moment:%Y%m%d%H%M%S%f}-{new_id(4)}"  # by time (UTC, µs), then a random tail: two in one µs stay two
    at = moment.isoformat()
    content = {name: article.get(name) for name in FIELDS}
    content["version"] = article.get("version")
    WorkflowModel(_content_key(article["id"]), rev, data=content, by=by, at=at, reason=reason).save()
    WorkflowModel(
        _list_key(article["id"]),
        rev,
        data={"version": article.get("version"), "title": article.get("title"), "pending": pending},
        by=by,
        at=at,
        reason=reason,
    ).save()
    _prune(article["id"])
    return rev


def _prune(article_id: str) -> None:
    """Drop the unpinned revisions past the newest KEEP (one Query of small entries, a few deletes)."""
    entries = list(WorkflowModel.query(_list_key(article_id), scan_index_forward=False, consistent_read=True))
    unpinned = [entry for entry in entries if not entry.pinned]
    for entry in unpinned[KEEP:]:
        try:  # the entry first, unless pinned since the Query: a pinned revision keeps its text
            entry.delete(condition=WorkflowModel.pinned.does_not_exist() | (WorkflowModel.pinned == False))  # noqa: E712
        except DeleteError as error:
            if not condition_failed(error):
                raise
            continue
        WorkflowModel(_content_key(article_id), entry.sk).delete()


def _items(article_id: str) -> list[WorkflowModel]:
    """Every item of the article's revisions (the entries and their contents), their keys only."""
    return [
        item
        for key in (_list_key(article_id), _content_key(article_id))
        for item in WorkflowModel.query(key, consistent_read=True, attributes_to_get=["pk", "sk"])
    ]


def expire(article_id: str, purge_at: int | None) -> None:
    """The article's revisions go with it: DynamoDB's TTL deletes them at `purge_at` (epoch seconds, the trashed
    article's own), or never again (None, the article restored)."""
    action = WorkflowModel.purge_at.set(purge_at) if purge_at is not None else WorkflowModel.purge_at.remove()
    for item in _items(article_id):
        update_if_there(item, [action], WorkflowModel.sk.exists())  # or pruned meanwhile


def forget(article_id: str) -> None:
    """Delete the article's revisions (the article deleted for good), one DeleteItem each (the API's policy)."""
    for item in _items(article_id):
        item.delete()


def list_revisions(article_id: str) -> list[dict[str, Any]]:
    """The article's revisions, newest first: id, at, by, reason, version, title, pinned, pending."""
    return [
        {
            "id": entry.sk,
            "at": entry.at,
            "by": entry.by,
            "reason": entry.reason,
            "version": entry.data.get("version"),
            "title": entry.data.get("title"),
            "pinned": bool(entry.pinned),
            "pending": bool(entry.data.get("pending")),
        }
        for entry in WorkflowModel.query(_list_key(article_id), scan_index_forward=False, consistent_read=True)
    ]


def get_revision(article_id: str, rev: str) -> dict[str, Any]:
    """A revision's fields (title, body ...), with its id, who, when and why."""
    try:
        item = WorkflowModel.get(_content_key(article_id), rev, consistent_read=True)
    except WorkflowModel.DoesNotExist:
        raise NotFound("revision not found", field="revision", code="revision_not_found") from None
    return {**item.data, "id": rev, "at": item.at, "by": item.by, "reason": item.reason}


def pin(article_id: str, rev: str, pinned: bool) -> None:
    """Pin a revision (kept past the newest KEEP) or unpin it."""
    entry = WorkflowModel(_list_key(article_id), rev)
    try:
        entry.update(actions=[WorkflowModel.pinned.set(pinned)], condition=WorkflowModel.sk.exists())
    except UpdateError as error:
        if condition_failed(error):
            raise NotFound("revision not found", field="revision", code="revision_not_found") from None
        raise


def restore(article_id: str, rev: str, by: str) -> ArticleModel:
    """Bring back a revision's text as a NEW revision; a published article keeps its live text meanwhile."""
    revision = get_revision(article_id, rev)
    fields: dict[str, Any] = {name: revision.get(name) for name in FIELDS}  # the body as the API showed it: JSON
    article = editorial.get_article(article_id)
    if article.status == ArticleStatus.PUBLISHED:
        new_rev = keep({**fields, "id": article_id, "version": article.version}, by, "restored", pending=True)
        if not update_without_version(
            article_id,
            [ArticleModel.pending_revision.set(new_rev)],
            ArticleModel.version == article.version,
        ):
            raise Conflict("the article was changed meanwhile; reload it", code="version_conflict")
        return editorial.get_article(article_id)
    restored = editorial.replace_article(
        article_id, {**fields, "body": from_json(fields["body"]), "version": article.version}
    )
    keep({**fields, "id": article_id, "version": restored.version}, by, "restored")
    return restored


def apply_pending(article_id: str) -> None:
    """Before publishing: a restored draft of changes waiting on a published article becomes its text."""
    article = editorial.get_article(article_id)
    if not article.pending_revision:
        return
    revision = get_revision(article_id, article.pending_revision)
    fields: dict[str, Any] = {name: revision.get(name) for name in FIELDS}
    editorial.replace_article(article_id, {**fields, "body": from_json(fields["body"]), "version": article.version})
    clear_pending(article_id)


def clear_pending(article_id: str) -> None:
    """The draft of changes is gone: published, or replaced by a save."""
    update_without_version(article_id, [ArticleModel.pending_revision.remove()], ArticleModel.pending_revision.exists())
