"""Data migrations ops run once per stage (idempotent), never the Lambda functions."""

from __future__ import annotations


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


def seed_site_settings() -> bool:
    """Copy the stage's site values (name, contact, address, phone, filing numbers) into the site's settings
    item, once: False when an item is there already (seeded, or saved by an admin)."""
    from chalicelib.site_settings import seed

    return seed()


def date_the_trash() -> int:
    """Date the revisions and view count of every article in the trash to go with it (articles trashed before
    revisions went with them). Returns how many articles."""
    from chalicelib.trash import date_the_trash

    return date_the_trash()
