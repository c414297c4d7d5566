"""Categories: slug, display name, optional parent (one level), sort position."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.models import CategoryModel

SITE = "site"


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    parent: str | None
    position: int


def list_categories() -> list[Category]:
    """Every category in display order: one Query on the position index, never a Scan."""
    return [
        Category(slug=item.slug, name=item.name, parent=item.parent, position=int(item.position))
        for item in CategoryModel.by_position.query(SITE)
    ]
