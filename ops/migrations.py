"""Data migrations ops run once per stage (idempotent), never the Lambda functions."""

from __future__ import annotations


def add_photos_to_library() -> int:
    """Photos stored before the `library` index existed lack its key `collection`, so the editors'
    photo list (`GET /api/photos`) would not show them: set it. Returns how many were changed."""
    from chalicelib.models import PhotoModel
    from chalicelib.photos import COLLECTION

    changed = 0
    for photo in PhotoModel.scan(PhotoModel.collection.does_not_exist(), attributes_to_get=["photo_id"]):
        photo.update(actions=[PhotoModel.collection.set(COLLECTION)], condition=PhotoModel.photo_id.exists())
        changed += 1
    return changed


def index_search() -> int:
    """Mark every published article (scheduled ones too) pending for site search, so the next folds put
    them into the index (after it was lost). Queries on the `by-channel` index, never a Scan. Returns how
    many were marked."""
    from chalicelib.categories import list_categories
    from chalicelib.models import ArticleModel
    from chalicelib.search.pending import mark_published

    ids = [
        item.id
        for category in list_categories()
        if category.parent is None
        for item in ArticleModel.by_channel.query(category.slug, attributes_to_get=["id"])
    ]
    return mark_published(ids)
