"""Deleting a photo nobody shows: its record, its upload, its renditions and its content hash.

An article shows a photo while a photo block or its cover names it; trashed articles count (they can be
restored). `used_by` lists every article that ever showed the photo, so each is read to see whether it
still does; the record is deleted only if no article joined `used_by` since (a conditional delete).
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import urlsplit

from pynamodb.exceptions import DeleteError
from pynamodb.expressions.condition import size

from chalicelib.article_updates import _condition_failed
from chalicelib.config import get_settings
from chalicelib.errors import Conflict
from chalicelib.legacy import CONTENT
from chalicelib.media_keys import renditions_folder, upload_key
from chalicelib.models import ArticleModel, LegacyModel, PhotoModel
from chalicelib.photos import get_photo, media_bucket_client

MAX_NAMED = 10  # articles named in a refusal


def delete_photo(photo_id: str) -> None:
    """Delete an unused photo; a 409 `photo_in_use` naming the articles that show it."""
    photo = get_photo(photo_id)
    users = articles_showing(photo)
    if users:
        raise _in_use(users)
    seen = len(photo.used_by or ())
    unchanged = PhotoModel.used_by.does_not_exist() | (size(PhotoModel.used_by) == seen)
    try:
        photo.delete(condition=unchanged)
    except DeleteError as error:
        if not _condition_failed(error):
            raise
        raise _in_use(articles_showing(get_photo(photo_id))) from None
    _delete_objects(photo)
    if photo.sha256:  # the next upload of this content makes a new photo
        try:
            LegacyModel(CONTENT + photo.sha256).delete(condition=LegacyModel.target == photo_id)
        except DeleteError as error:  # the content is another photo's (or already forgotten)
            if not _condition_failed(error):
                raise


def articles_showing(photo: PhotoModel) -> list[ArticleModel]:
    """The articles (trashed ones too) whose body or cover shows the photo now."""
    ids = sorted(photo.used_by or ())
    found = ArticleModel.batch_get(ids, consistent_read=True) if ids else []
    return [a for a in found if _shows(a, photo.photo_id)]


def _shows(article: ArticleModel, photo_id: str) -> bool:
    blocks: list[dict[str, Any]] = article.body or []
    return article.cover_photo_id == photo_id or any(b.get("photo_id") == photo_id for b in blocks)


def _in_use(users: list[ArticleModel]) -> Conflict:
    named = [{"id": a.id, "title": a.title} for a in sorted(users, key=lambda a: a.id)[:MAX_NAMED]]
    return Conflict("the photo is shown by articles", code="photo_in_use", articles=named, count=len(users))


def _delete_objects(photo: PhotoModel) -> None:
    """The upload and each rendition (their keys, from the renditions' URLs; no listing of the bucket)."""
    keys = [upload_key(photo.photo_id)]
    for rendition in photo.renditions or []:
        name = posixpath.basename(urlsplit(str(rendition["url"])).path)
        keys.append(f"{renditions_folder(photo.photo_id)}/{name}")
    bucket = get_settings().media_bucket
    s3 = media_bucket_client()
    for key in keys:
        s3.delete_object(Bucket=bucket, Key=key)
