"""Deleting a photo nobody shows: its record, its upload, its renditions and its content hash.

An article shows a photo while a photo block or its cover names it; trashed articles count (they can be
restored). `used_by` lists every article that ever showed the photo, so each is read to see whether it
still does; the record is deleted only if no article joined `used_by` since (a conditional delete).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pynamodb.exceptions import DeleteError
from pynamodb.expressions import condition

from chalicelib import site_item
from chalicelib.config import get_settings
from chalicelib.errors import Conflict
from chalicelib.legacy import CONTENT
from chalicelib.media_keys import photo_object_keys
from chalicelib.models import ArticleModel, LegacyModel, PhotoModel, TopicModel
from chalicelib.photos import get_photo, media_bucket_client
from chalicelib.topics import PREFIX as TOPIC_PREFIX
from chalicelib.write_conditions import condition_failed

MAX_NAMED = 10  # articles named in a refusal
size: Callable[[Any], Any] = condition.size  # DynamoDB's size(path); pynamodb leaves it untyped


def delete_photo(photo_id: str) -> None:
    """Delete an unused photo; a 409 `photo_in_use` naming the articles that show it, or `photo_in_site_use`
    when the site shows it (its logo, a 友情链接's logo, a 专题's banner)."""
    photo = get_photo(photo_id)
    site_uses = site_uses_of(photo_id)
    if site_uses:
        raise Conflict("the site shows the photo", code="photo_in_site_use", uses=site_uses)
    users = articles_showing(photo)
    if users:
        raise _in_use(users)
    seen = len(photo.used_by or ())
    unchanged = PhotoModel.used_by.does_not_exist() | (size(PhotoModel.used_by) == seen)
    try:
        photo.delete(condition=unchanged)
    except DeleteError as error:
        if not condition_failed(error):
            raise
        raise _in_use(articles_showing(get_photo(photo_id))) from None
    _delete_objects(photo)
    if photo.sha256:  # the next upload of this content makes a new photo
        try:
            LegacyModel(CONTENT + photo.sha256).delete(condition=LegacyModel.target == photo_id)
        except DeleteError as error:  # the content is another photo's (or already forgotten)
            if not condition_failed(error):
                raise


def site_uses_of(photo_id: str) -> list[str]:
    """Where the site itself shows the photo: `logo`, `links`, `topic:{slug}` (read consistently)."""
    stored = site_item.read_consistently()
    if stored is None:
        return []
    settings, links, topics = (
        json.loads(raw) if raw else None for raw in (stored.content, stored.links, stored.topics)
    )
    logo = settings.get("logo") if isinstance(settings, dict) else None  # site_extras: the photo and its sizes
    uses = ["logo"] if isinstance(logo, dict) and logo.get("photo_id") == photo_id else []
    if isinstance(links, list) and any(isinstance(e, dict) and e.get("logo_photo_id") == photo_id for e in links):
        uses.append("links")
    slugs = sorted(topics) if isinstance(topics, dict) else []
    keys = [TOPIC_PREFIX + slug for slug in slugs]
    banners = TopicModel.batch_get(keys, consistent_read=True) if keys else []
    uses += sorted(f"topic:{t.slug.removeprefix(TOPIC_PREFIX)}" for t in banners if t.banner_photo_id == photo_id)
    return uses


def articles_showing(photo: PhotoModel) -> list[ArticleModel]:
    """The articles (trashed ones too) whose body or cover shows the photo now."""
    ids = sorted(photo.used_by or ())
    found = ArticleModel.batch_get(ids, consistent_read=True) if ids else []
    return [a for a in found if _shows(a, photo.photo_id)]


def _shows(article: ArticleModel, photo_id: str) -> bool:
    """Its cover, a photo block or a video's poster."""
    blocks = article.body or []
    shown = {getattr(b, "photo_id", None) for b in blocks} | {getattr(b, "poster_photo_id", None) for b in blocks}
    return article.cover_photo_id == photo_id or photo_id in shown


def _in_use(users: list[ArticleModel]) -> Conflict:
    named = [{"id": a.id, "title": a.title} for a in sorted(users, key=lambda a: a.id)[:MAX_NAMED]]
    return Conflict("the photo is shown by articles", code="photo_in_use", articles=named, count=len(users))


def _delete_objects(photo: PhotoModel) -> None:
    """The upload and each rendition (their keys, from the renditions' URLs; no listing of the bucket)."""
    keys = photo_object_keys(photo.photo_id, [str(r["url"]) for r in photo.renditions or []])
    bucket = get_settings().media_bucket
    s3 = media_bucket_client()
    for key in keys:
        s3.delete_object(Bucket=bucket, Key=key)
