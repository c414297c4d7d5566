"""Writing articles and categories: create, update, publish, unpublish.

The reader indexes are sparse: their key attributes (`listed_*`) are set
only while an article is published, and `published_at` decides from when.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from chalicelib.articles import NOTICE_FEED, PUBLISHED, now
from chalicelib.categories import SITE
from chalicelib.errors import NotFound
from chalicelib.models import ArticleModel, Block, CategoryModel, PhotoMedia, PhotoModel
from chalicelib.navigation import forget_navigation

ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_id(length: int = 12) -> str:
    """A short random id for URLs (60 bits), unambiguous to read aloud."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(length))


def put_category(slug: str, name: str, parent: str | None = None, position: int = 0) -> None:
    CategoryModel(slug, name=name, parent=parent, position=position, site=SITE).save()
    forget_navigation()


def create_article(fields: dict[str, Any], article_id: str | None = None) -> ArticleModel:
    """Store a new draft from already-validated fields."""
    moment = now()
    item = ArticleModel(article_id or new_id(), created_at=moment, updated_at=moment, status="draft")
    _apply_fields(item, fields)
    item.save(condition=ArticleModel.id.does_not_exist())
    return item


def publish_article(article_id: str, published_at: datetime | None = None) -> ArticleModel:
    """Publish now, or from `published_at` on (readers see it only from then)."""
    item = _get(article_id)
    item.status = PUBLISHED
    item.published_at = published_at or now()
    item.updated_at = now()
    _list(item)
    item.save()
    forget_navigation()
    return item


def _get(article_id: str) -> ArticleModel:
    try:
        return ArticleModel.get(article_id, consistent_read=True)
    except ArticleModel.DoesNotExist:
        raise NotFound("article not found", article_id=article_id) from None


def _apply_fields(item: ArticleModel, fields: dict[str, Any]) -> None:
    item.title = fields["title"]
    item.subtitle = fields.get("subtitle") or None
    item.category = fields["category"]
    item.source = fields.get("source") or None
    item.author = fields.get("author") or None
    item.notice = bool(fields.get("notice", False))
    item.cover_photo_id = fields.get("cover_photo_id") or None
    item.body = _blocks(fields.get("body", []))
    _list(item)


def _list(item: ArticleModel) -> None:
    """Set or clear the sparse index keys that make an article visible to readers."""
    if item.status != PUBLISHED:
        item.listed_category = item.listed_channel = item.listed_notice = None
        return
    category = CategoryModel.get(item.category)
    item.listed_category = item.category
    item.listed_channel = category.parent or item.category
    item.listed_notice = NOTICE_FEED if item.notice else None


def _blocks(body: list[dict[str, Any]]) -> list[Block]:
    photo_ids = {b["photo_id"] for b in body if b.get("type") == "photo"}
    photos = {p.photo_id: p for p in PhotoModel.batch_get(photo_ids)} if photo_ids else {}
    blocks = []
    for raw in body:
        block = Block(**{k: raw[k] for k in ("type", "text", "photo_id", "caption", "alt") if raw.get(k)})
        photo = photos.get(raw.get("photo_id", ""))
        if photo is not None:
            block.media = media_snapshot(photo)
        blocks.append(block)
    return blocks


def media_snapshot(photo: PhotoModel) -> PhotoMedia:
    """What a page needs of a photo record, copied into the article that shows it."""
    return PhotoMedia(
        status=photo.status,
        width=photo.width,
        height=photo.height,
        color=photo.color,
        widths=sorted({int(r["width"]) for r in photo.renditions or []}) or None,
    )
