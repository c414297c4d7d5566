"""Writing articles: create, replace, delete, publish, unpublish, and the editors' list.

Photo snapshots in the body and the photo -> article link live in
`article_photos.py`; the API's view of an article in `routes/editors.py`.
The reader indexes are sparse: their key attributes (`listed_*`) are set only
while an article is published, and `published_at` decides from when readers
see it. Every write is conditional on the version it was based on. A write search must follow marks
the article pending for it in the same write (`_pending`; chalicelib/search/pending.py folds them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from pynamodb.exceptions import PutError

from chalicelib.article_photos import _blocks, _link_photos, check_publishable
from chalicelib.articles import NOTICE_FEED, now
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.featured import FEATURED
from chalicelib.ids import new_id
from chalicelib.models import SEARCH_TOMBSTONE, ArticleModel, CategoryModel, CounterModel
from chalicelib.navigation_cache import forget_navigation
from chalicelib.pagination import query_page
from chalicelib.richtext.schema import BODY_FORMAT
from chalicelib.statuses import ArticleStatus
from chalicelib.transactions import TransactWriteError, cancelled, conflicted, transaction
from chalicelib.write_conditions import condition_failed

COLLECTION = "articles"
SCHEDULED = "scheduled"  # a filter, not a status: published, with `published_at` still to come
LIST_FILTERS = (ArticleStatus.DRAFT, ArticleStatus.PUBLISHED, SCHEDULED)  # the trash is its own list (trash.py)


def create_article(fields: dict[str, Any], article_id: str | None = None) -> ArticleModel:
    """Store a new draft from validated fields; its category gains an article in the same transaction."""
    moment = now()
    item = ArticleModel(article_id or new_id(), created_at=moment, updated_at=moment, status=ArticleStatus.DRAFT)
    _apply_fields(item, fields)
    try:
        with transaction() as writes:
            writes.save(item, condition=ArticleModel.id.does_not_exist())
            _count_in(writes, item.category, 1)
    except TransactWriteError as error:
        if not cancelled(error):
            raise
        if conflicted(error):
            raise _busy(item.category) from None
        if ArticleModel.count(item.id, consistent_read=True):
            raise Conflict("an article with this id exists", code="article_exists", article_id=item.id) from None
        raise _unknown_category(item.category) from None
    _link_photos(item)
    return item


def replace_article(article_id: str, fields: dict[str, Any]) -> ArticleModel:
    """Full replacement, only if nobody changed the article since `fields['version']`."""
    item = get_article(article_id)
    if item.version != fields["version"]:
        raise Conflict("the article was changed by someone else", code="version_conflict", current_version=item.version)
    old_category = item.category
    _apply_fields(item, fields)
    item.updated_at = now()
    if item.status == ArticleStatus.PUBLISHED:  # a draft is not in the index (unpublishing took it out)
        _pending(item)
    if item.category == old_category:
        _save_versioned(item)
    else:
        _move_article(item, old_category)
    _link_photos(item)
    if item.status == ArticleStatus.PUBLISHED:
        forget_navigation()  # its title or category may be another article's neighbour
    return item


def _move_article(item: ArticleModel, old_category: str) -> None:
    """Save an article that changes category: the new one must still exist, and both counts follow."""
    try:
        with transaction() as writes:
            writes.save(item)  # conditioned on the version read, as every save
            _count_in(writes, item.category, 1)
            writes.update(CategoryModel(old_category), actions=[CategoryModel.articles.add(-1)])
    except TransactWriteError as error:
        if not cancelled(error):
            raise
        if conflicted(error):
            raise _busy(item.category) from None
        current = _current_version(item)  # a 404 if the article was deleted meanwhile
        if current != item.version:
            raise Conflict(
                "the article was changed by someone else", code="version_conflict", current_version=current
            ) from None
        raise _unknown_category(item.category) from None


def delete_article(article_id: str) -> None:
    """Delete for good (an admin emptying the trash; tests): a trashed article left its category's count."""
    item = stored_article(article_id)
    try:
        with transaction() as writes:
            writes.delete(item)  # conditioned on the version read
            if item.status != ArticleStatus.TRASHED:
                writes.update(CategoryModel(item.category), actions=[CategoryModel.articles.add(-1)])
            if item.status == ArticleStatus.PUBLISHED or item.search_pending:  # in the index, or may be
                tombstone = ArticleModel(SEARCH_TOMBSTONE + item.id)
                writes.update(tombstone, [ArticleModel.search_pending.set(new_id())], add_version_condition=False)
    except TransactWriteError as error:
        if cancelled(error):
            raise Conflict(
                "the article was changed meanwhile; reload it",
                code="version_conflict",
                current_version=stored_article(item.id).version,
            ) from None
        raise
    CounterModel(article_id).delete()
    forget_navigation()


class Published(NamedTuple):
    article: ArticleModel
    pending_photos: list[str]  # shown as placeholders until processed


def publish_article(article_id: str, published_at: datetime | None = None) -> Published:
    """Publish now, or from `published_at` on (readers see it only from then).

    Refused (409 naming the blocks) while a photo is unknown or rejected; pending ones are allowed.
    """
    item = get_article(article_id)
    pending = check_publishable(item)
    item.status = ArticleStatus.PUBLISHED
    item.published_at = published_at or _first_publication(item)
    item.updated_at = now()
    _list(item)
    _pending(item)
    _save_versioned(item)
    _link_photos(item)  # a photo processed after `item` was read had its snapshot overwritten by this save
    forget_navigation()
    return Published(item, pending)


def _first_publication(item: ArticleModel) -> datetime:
    """Publishing again (after 撤回) keeps the date it was first published; a first publication is now."""
    moment = now()
    return item.published_at if item.published_at is not None and item.published_at <= moment else moment


def unpublish_article(article_id: str) -> ArticleModel:
    item = get_article(article_id)
    item.status = ArticleStatus.DRAFT
    item.updated_at = now()
    _list(item)
    _pending(item)  # to be taken out
    _save_versioned(item)
    _link_photos(item)  # as in publish_article
    forget_navigation()
    return item


def get_article(article_id: str) -> ArticleModel:
    """An article editors can work on: unknown and trashed ones (restore them first) are 404s."""
    item = stored_article(article_id)
    if item.status == ArticleStatus.TRASHED:
        raise NotFound("the article is in the trash", code="article_trashed", article_id=article_id)
    return item


def stored_article(article_id: str) -> ArticleModel:
    """The article as stored, trashed or not; a 404 for an unknown one."""
    try:
        return ArticleModel.get(article_id, consistent_read=True)
    except ArticleModel.DoesNotExist:
        raise NotFound("article not found", code="article_not_found", article_id=article_id) from None


def list_articles(
    status: str | None, category: str | None, cursor: str | None, limit: int, title: str | None = None
) -> tuple[list[ArticleModel], str | None]:
    """Every article, drafts included, newest first; filtered by status, category and words of the title.

    `published` means visible now; `scheduled` published with a `published_at` still to come. The trash is
    not listed (its articles leave the `editorial` index's collection; a category's list filters them out).
    """
    index: Any
    if category:
        index, hash_attr, hash_value = ArticleModel.editorial_by_category, "category", category
    else:
        index, hash_attr, hash_value = ArticleModel.editorial, "collection", COLLECTION
    condition: Any = None
    if status == SCHEDULED:
        condition = (ArticleModel.status == ArticleStatus.PUBLISHED) & (ArticleModel.published_at > now())
    elif status == ArticleStatus.PUBLISHED:
        condition = (ArticleModel.status == ArticleStatus.PUBLISHED) & (ArticleModel.published_at <= now())
    elif status:
        condition = ArticleModel.status == status
    elif category:
        condition = ArticleModel.status != ArticleStatus.TRASHED
    if title:  # a filter on the same Query: the editors' list reads on until it has a page of matches
        words = ArticleModel.title.contains(title)
        condition = words if condition is None else condition & words
    return query_page(index, hash_attr, hash_value, ArticleModel.created_at, cursor, limit, filter_condition=condition)


def _save_versioned(item: ArticleModel) -> None:
    try:
        item.save()
    except PutError as error:
        if condition_failed(error):
            raise Conflict(
                "the article was changed by someone else",
                code="version_conflict",
                current_version=_current_version(item),
            ) from None
        raise


def _current_version(item: ArticleModel) -> int:
    """The version someone else saved after `item` was read (a deleted article is a 404)."""
    return int(get_article(item.id).version)


def _apply_fields(item: ArticleModel, fields: dict[str, Any]) -> None:
    item.title = fields["title"]
    item.subtitle = fields.get("subtitle") or None
    item.category = fields["category"]
    item.source = fields.get("source") or None
    item.author = fields.get("author") or None
    item.notice = bool(fields.get("notice", False))
    item.flags = list(fields.get("flags") or []) or None
    item.pinned_until = fields.get("pinned_until") if item.flags else None
    item.cover_photo_id = fields.get("cover_photo_id") or None
    item.body = _blocks(item.id, fields.get("body", []), item.cover_photo_id)
    item.body_format = BODY_FORMAT
    _list(item)


def _pending(item: ArticleModel) -> None:
    """Saved with the article: the search index's writer takes it as it is then."""
    item.search_pending = new_id()


def _count_in(writes: Any, category: str, change: int) -> None:
    """Add `change` to the category's article count, in `writes`, only if the category exists."""
    writes.update(
        CategoryModel(category), actions=[CategoryModel.articles.add(change)], condition=CategoryModel.slug.exists()
    )


def _busy(category: str) -> Conflict:
    """DynamoDB refused the transaction for another one on the same items (TransactionConflict): try again."""
    return Conflict("the category was being changed at the same moment; try again", category=category)


def _unknown_category(category: str) -> InvalidInput:
    return InvalidInput(f"unknown category: {category}", field="category", code="unknown_category")


def _list(item: ArticleModel) -> None:
    """Set or clear the sparse index keys that make an article visible to readers."""
    try:
        category = CategoryModel.get(item.category)
    except CategoryModel.DoesNotExist:
        raise _unknown_category(item.category) from None
    if item.status != ArticleStatus.PUBLISHED:
        item.listed_category = item.listed_channel = item.listed_notice = item.listed_featured = None
        return
    item.listed_category = item.category
    item.listed_channel = category.parent or item.category
    item.listed_notice = NOTICE_FEED if item.notice else None
    item.listed_featured = FEATURED if item.flags else None
