"""Categories: slug, display name, optional parent (one level of nesting), sort position."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from chalicelib.article_updates import update_without_version
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.models import ArticleModel, CategoryModel
from chalicelib.navigation_cache import forget_navigation

SITE = "site"


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    parent: str | None
    position: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_categories() -> list[Category]:
    """Every category in display order: one Query on the position index, never a Scan."""
    return [
        Category(slug=item.slug, name=item.name, parent=item.parent, position=int(item.position))
        for item in CategoryModel.by_position.query(SITE)
    ]


def put_category(slug: str, name: str, parent: str | None = None, position: int = 0) -> Category:
    """Create or change a category; nesting is one level deep."""
    categories = {c.slug: c for c in list_categories()}
    if parent is not None:
        if parent == slug:
            raise InvalidInput("a category cannot be its own parent", field="parent")
        if parent not in categories:
            raise InvalidInput(f"unknown parent category: {parent}", field="parent")
        if categories[parent].parent is not None:
            raise InvalidInput("categories nest one level deep: the parent has a parent", field="parent")
        if any(c.parent == slug for c in categories.values()):
            raise InvalidInput("this category has sub-categories, so it cannot have a parent", field="parent")
    previous = categories.get(slug)
    CategoryModel(slug, name=name, parent=parent, position=position, site=SITE).save()
    if previous is not None and previous.parent != parent:
        _relist_channel(slug, parent or slug)
    forget_navigation()
    return Category(slug, name, parent, position)


def delete_category(slug: str) -> None:
    """Delete an unused category; 409 while articles or sub-categories use it."""
    categories = list_categories()
    if all(c.slug != slug for c in categories):
        raise NotFound("category not found", category=slug)
    if any(c.parent == slug for c in categories):
        raise Conflict("the category has sub-categories", category=slug)
    if next(iter(ArticleModel.editorial_by_category.query(slug, limit=1)), None) is not None:
        raise Conflict("articles use this category", category=slug)
    CategoryModel(slug).delete()
    forget_navigation()


def _relist_channel(slug: str, channel: str) -> None:
    """A category moved: its published articles now list under the new top-level category."""
    for summary in ArticleModel.by_category.query(slug):
        update_without_version(
            summary.id, [ArticleModel.listed_channel.set(channel)], ArticleModel.listed_category == slug
        )
