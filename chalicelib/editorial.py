"""Writing articles: create, replace, delete, publish, unpublish, and the editors' list.

The reader indexes are sparse: their key attributes (`listed_*`) are set only
while an article is published, and `published_at` decides from when readers
see it. Every write is conditional on the version it was based on.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DeleteError, PutError, UpdateError

from chalicelib.articles import NOTICE_FEED, PUBLISHED, now
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.models import ArticleModel, CategoryModel, CounterModel, PhotoModel
from chalicelib.navigation import forget_navigation
from chalicelib.pagination import query_page

ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
COLLECTION = "articles"


def new_id(length: int = 12) -> str:
    """A short random id for URLs (60 bits), unambiguous to read aloud."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(length))


def create_article(fields: dict[str, Any], article_id: str | None = None) -> ArticleModel:
    """Store a new draft from validated fields."""
    moment = now()
    item = ArticleModel(article_id or new_id(), created_at=moment, updated_at=moment, status="draft")
    _apply_fields(item, fields)
    try:
        item.save(condition=ArticleModel.id.does_not_exist())
    except PutError as error:
        if _condition_failed(error):
            raise Conflict("an article with this id exists", article_id=item.id) from None
        raise
    _catch_up(item)
    return item


def replace_article(article_id: str, fields: dict[str, Any]) -> ArticleModel:
    """Full replacement, only if nobody changed the article since `fields['version']`."""
    item = get_article(article_id)
    if item.version != fields["version"]:
        raise Conflict("the article was changed by someone else", current_version=item.version)
    _apply_fields(item, fields)
    item.updated_at = now()
    _save_versioned(item)
    _catch_up(item)
    return item


def delete_article(article_id: str) -> None:
    item = get_article(article_id)
    try:
        item.delete()
    except DeleteError as error:
        if _condition_failed(error):
            raise Conflict(
                "the article was changed meanwhile; reload it", current_version=_current_version(item)
            ) from None
        raise
    CounterModel(article_id).delete()
    forget_navigation()


def publish_article(article_id: str, published_at: datetime | None = None) -> ArticleModel:
    """Publish now, or from `published_at` on (readers see it only from then)."""
    item = get_article(article_id)
    item.status = PUBLISHED
    item.published_at = published_at or now()
    item.updated_at = now()
    _list(item)
    _save_versioned(item)
    forget_navigation()
    return item


def unpublish_article(article_id: str) -> ArticleModel:
    item = get_article(article_id)
    item.status = "draft"
    item.updated_at = now()
    _list(item)
    _save_versioned(item)
    forget_navigation()
    return item


def get_article(article_id: str) -> ArticleModel:
    try:
        return ArticleModel.get(article_id, consistent_read=True)
    except ArticleModel.DoesNotExist:
        raise NotFound("article not found", article_id=article_id) from None


def list_articles(
    status: str | None, category: str | None, cursor: str | None, limit: int
) -> tuple[list[ArticleModel], str | None]:
    """Every article, drafts included, newest first; filtered by status and category."""
    index: Any
    if category:
        index, hash_attr, hash_value = ArticleModel.editorial_by_category, "category", category
    else:
        index, hash_attr, hash_value = ArticleModel.editorial, "collection", COLLECTION
    condition = (ArticleModel.status == status) if status else None
    return query_page(index, hash_attr, hash_value, ArticleModel.created_at, cursor, limit, filter_condition=condition)


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
        "cover_photo_id": item.cover_photo_id,
        "status": item.status,
        "scheduled": bool(item.status == PUBLISHED and published_at and published_at > now()),
        "published_at": _iso(published_at),
        "created_at": _iso(item.created_at),
        "updated_at": _iso(item.updated_at),
        "version": item.version,
        "url": f"/articles/{item.id}",
        "body": [_block_data(block) for block in item.body or []] if item.body is not None else None,
    }


def _block_data(block: dict[str, Any]) -> dict[str, Any]:
    """A block as the editor wrote it (without the photo snapshot)."""
    return {k: v for k, v in block.items() if k != "media" and v is not None}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _save_versioned(item: ArticleModel) -> None:
    try:
        item.save()
    except PutError as error:
        if _condition_failed(error):
            raise Conflict("the article was changed by someone else", current_version=_current_version(item)) from None
        raise


def _current_version(item: ArticleModel) -> int:
    """The version someone else saved after `item` was read (a deleted article is a 404)."""
    return get_article(item.id).version


def _condition_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def _apply_fields(item: ArticleModel, fields: dict[str, Any]) -> None:
    item.title = fields["title"]
    item.subtitle = fields.get("subtitle") or None
    item.category = fields["category"]
    item.source = fields.get("source") or None
    item.author = fields.get("author") or None
    item.notice = bool(fields.get("notice", False))
    item.cover_photo_id = fields.get("cover_photo_id") or None
    item.body = _blocks(item.id, fields.get("body", []), item.cover_photo_id)
    _list(item)


def _list(item: ArticleModel) -> None:
    """Set or clear the sparse index keys that make an article visible to readers."""
    try:
        category = CategoryModel.get(item.category)
    except CategoryModel.DoesNotExist:
        raise InvalidInput(f"unknown category: {item.category}", field="category") from None
    if item.status != PUBLISHED:
        item.listed_category = item.listed_channel = item.listed_notice = None
        return
    item.listed_category = item.category
    item.listed_channel = category.parent or item.category
    item.listed_notice = NOTICE_FEED if item.notice else None


def _blocks(article_id: str, body: list[dict[str, Any]], cover_photo_id: str | None) -> list[dict[str, Any]]:
    """Blocks with each photo's current record copied in; unknown photos are a 400.

    The article joins each photo's `used_by` first (the update returns the
    record as it is then), so the processor finds it there from then on; a
    photo that becomes ready before the article is saved is caught up by
    `_catch_up` right after the save.
    """
    wanted = {b["photo_id"] for b in body if b.get("type") == "photo"} | ({cover_photo_id} - {None})
    photos = {p.photo_id: p for p in PhotoModel.batch_get(list(wanted), consistent_read=True)} if wanted else {}
    photo: PhotoModel | None
    for photo in photos.values():
        if article_id not in (photo.used_by or set()):
            photo.update(actions=[PhotoModel.used_by.add({article_id})])
    if cover_photo_id and cover_photo_id not in photos:
        raise InvalidInput(f"cover_photo_id: unknown photo {cover_photo_id}", field="cover_photo_id")
    blocks = []
    for index, raw in enumerate(body):
        block = {k: raw[k] for k in ("type", "text", "photo_id", "caption", "alt") if raw.get(k)}
        if raw.get("type") == "photo":
            photo = photos.get(raw["photo_id"])
            if photo is None:
                field = f"body[{index}].photo_id"
                raise InvalidInput(f"{field}: unknown photo {raw['photo_id']}", field=field)
            block["media"] = media_snapshot(photo)
        blocks.append(block)
    return blocks


def refresh_articles(photo: PhotoModel) -> None:
    """Copy a photo's new state into the articles that show it, without bumping their version."""
    snapshot = media_snapshot(photo)
    for article_id in sorted(photo.used_by or []):
        for _ in range(5):  # re-read if an editor saved in between
            try:
                article = ArticleModel.get(article_id, consistent_read=True)
            except ArticleModel.DoesNotExist:
                break
            body = [
                {**block, "media": snapshot} if block.get("photo_id") == photo.photo_id else block
                for block in article.body or []
            ]
            if body == article.body or _replace_body(article, body):
                break


def _replace_body(article: ArticleModel, body: list[dict[str, Any]]) -> bool:
    """Write `body` if the article is still the version read; the version itself stays as it is."""
    return update_without_version(article.id, [ArticleModel.body.set(body)], ArticleModel.version == article.version)


def update_without_version(article_id: str, actions: list[Any], condition: Any) -> bool:
    """Update an article if `condition` holds, leaving `version` alone; False if it did not hold.

    For system changes (photo snapshots, index keys) that must not make an
    editor's next save a conflict. Through the table connection: Model.update
    would also set `version`.
    """
    try:
        ArticleModel._get_connection().update_item(article_id, actions=actions, condition=condition)
    except UpdateError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def _catch_up(item: ArticleModel) -> None:
    """Refresh snapshots of photos that finished processing while the article was being saved."""
    pending = {b["photo_id"] for b in item.body or [] if b.get("type") == "photo" and b["media"]["status"] == "pending"}
    for photo in PhotoModel.batch_get(list(pending), consistent_read=True) if pending else []:
        if photo.status != "pending":
            refresh_articles(photo)


def media_snapshot(photo: PhotoModel) -> dict[str, Any]:
    """What a page needs of a photo record, copied into the article that shows it."""
    return {
        "status": photo.status,
        "width": int(photo.width) if photo.width else None,
        "height": int(photo.height) if photo.height else None,
        "color": photo.color,
        "widths": sorted({int(r["width"]) for r in photo.renditions or []}),
    }
