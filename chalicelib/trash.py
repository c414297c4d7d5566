"""The trash: a deleted article is kept `TRASH_DAYS` days, restorable by admins, then purged by DynamoDB's TTL.

Its revisions and its view count go with it: they carry the same `purge_at` for their tables' TTL while it is in
the trash, and are deleted with it when an admin empties it from the trash at once.

Trashing takes the article off every reader surface at once: its status is `trashed` (pages, feeds, sitemaps,
topics and previews show only published articles or refuse trashed ones), its sparse reader-index keys are
cleared, and the search index's writer is told to drop it. It leaves its category's count (so an emptied
category can be deleted) and moves to the `trash` collection of the `editorial` index, which lists the trash;
a category's editorial list filters it out. Restoring makes it a draft again, in its category (or another).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError
from pynamodb.exceptions import PynamoDBException

from chalicelib import revisions
from chalicelib.articles import now
from chalicelib.editorial import (
    COLLECTION,
    _busy,
    _count_in,
    _list,
    _pending,
    _unknown_category,
    delete_article,
    get_article,
    stored_article,
)
from chalicelib.errors import Conflict, NotFound
from chalicelib.models import ArticleModel, CategoryModel, CounterModel, WorkflowModel
from chalicelib.navigation_cache import forget_navigation
from chalicelib.pagination import query_page
from chalicelib.reviews import INBOX, withdrawn
from chalicelib.statuses import ArticleStatus
from chalicelib.transactions import TransactWriteError, cancelled, conflicted, transaction
from chalicelib.write_conditions import update_if_there

log = logging.getLogger(__name__)

TRASH = "trash"  # the trashed articles' `collection` (the editorial index's key)
TRASH_DAYS = 30


def trash_article(article_id: str) -> ArticleModel:
    """Move an article to the trash (unpublishing it); a 409 if someone saved it since it was read."""
    item = get_article(article_id)  # a 404 for an unknown or already trashed article
    moment = now()
    item.status = ArticleStatus.TRASHED
    item.collection = TRASH
    item.updated_at = moment  # the trash's order and the start of its 30 days
    item.purge_at = int((moment + timedelta(days=TRASH_DAYS)).timestamp())
    item.listed_category = item.listed_channel = item.listed_notice = item.listed_featured = None
    _pending(item)  # the search index drops it
    item.review = withdrawn(item)
    try:
        with transaction() as writes:
            writes.save(item)  # conditioned on the version read
            writes.update(CategoryModel(item.category), actions=[CategoryModel.articles.add(-1)])
            writes.delete(WorkflowModel(INBOX, article_id))  # off the reviewers' inbox, if it was waiting
    except TransactWriteError as error:
        if not cancelled(error):
            raise
        raise _changed(article_id) from None
    forget_navigation()
    try:
        _goes_with(article_id, item.purge_at)
        if stored_article(article_id).status != ArticleStatus.TRASHED:  # restored meanwhile: its history stays
            _goes_with(article_id, None)
    except (PynamoDBException, ClientError):  # trashed all the same; emptying the trash still deletes them
        log.warning("trash: %s's revisions and count were not all dated to go with it", article_id, exc_info=True)
    return item


def restore_article(article_id: str, category: str | None = None) -> ArticleModel:
    """Take an article out of the trash as a draft, in `category` if given (its own may have been deleted)."""
    item = stored_article(article_id)
    if item.status != ArticleStatus.TRASHED or purged(item.updated_at):
        raise Conflict("the article is not in the trash", code="not_in_trash", article_id=article_id)
    item.status = ArticleStatus.DRAFT
    item.collection = COLLECTION
    item.category = category or item.category
    item.updated_at = now()
    item.purge_at = None
    _list(item)  # a draft: no reader-index keys; an unknown category is a 400
    _goes_with(article_id, None)  # first: should the restore fail after this, the history is kept, never lost
    try:
        with transaction() as writes:
            writes.save(item)
            _count_in(writes, item.category, 1)
    except TransactWriteError as error:
        if not cancelled(error):
            raise
        if conflicted(error):
            raise _busy(item.category) from None
        if CategoryModel.count(item.category, consistent_read=True) == 0:
            raise _unknown_category(item.category) from None
        raise _changed(article_id) from None
    _goes_with(article_id, None)  # again: a trash's dating may have run on meanwhile
    return item


def purge_article(article_id: str) -> None:
    """Delete a trashed article for good before its days are up, with its revisions and its count."""
    if stored_article(article_id).status != ArticleStatus.TRASHED:
        raise Conflict("the article is not in the trash", code="not_in_trash", article_id=article_id)
    delete_article(article_id)  # its count too
    revisions.forget(article_id)


def date_the_trash() -> int:
    """Date the revisions and count of every article in the trash to go with it (articles trashed before they
    were dated, an upgrade); how many articles. Idempotent."""
    dated = 0
    for listed in ArticleModel.editorial.query(TRASH, attributes_to_get=["id"]):
        try:
            item = stored_article(listed.id)  # read strongly, whole: the index may lag a restore
        except NotFound:  # purged meanwhile
            continue
        if item.status == ArticleStatus.TRASHED and item.purge_at is not None:
            _goes_with(item.id, int(item.purge_at))
            dated += 1
    return dated


def _goes_with(article_id: str, purge_at: int | None) -> None:
    """The article's revisions and count expire with it (`purge_at`), or no longer (None: restored)."""
    revisions.expire(article_id, purge_at)
    action = CounterModel.purge_at.set(purge_at) if purge_at is not None else CounterModel.purge_at.remove()
    update_if_there(CounterModel(article_id), [action], CounterModel.article_id.exists())  # or never viewed


def list_trash(cursor: str | None, limit: int) -> tuple[list[ArticleModel], str | None]:
    """The trash, newest articles first (one Query a page; those past their days are left out)."""
    since = now() - timedelta(days=TRASH_DAYS)
    return query_page(
        ArticleModel.editorial,
        "collection",
        TRASH,
        ArticleModel.created_at,
        cursor,
        limit,
        filter_condition=ArticleModel.updated_at > since,
    )


def purge_date(item: ArticleModel) -> datetime:
    """When a trashed article is deleted for good."""
    return item.updated_at + timedelta(days=TRASH_DAYS)


def purged(trashed_at: datetime) -> bool:
    """Past its days: DynamoDB's TTL deletes it within about two days, and nobody may restore it meanwhile."""
    return trashed_at + timedelta(days=TRASH_DAYS) <= now()


def trash_data(item: ArticleModel) -> dict[str, Any]:
    """A trashed article as the trash lists it."""
    return {
        "id": item.id,
        "title": item.title,
        "category": item.category,
        "trashed_at": item.updated_at.isoformat(),
        "purge_at": purge_date(item).isoformat(),
    }


def _changed(article_id: str) -> Conflict:
    return Conflict(
        "the article was changed meanwhile; reload it",
        code="version_conflict",
        current_version=stored_article(article_id).version,
    )
