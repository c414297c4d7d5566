"""Categories: slug, display name, optional parent (one level of nesting), sort position."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pynamodb.expressions.update import Action

from chalicelib.article_updates import update_without_version
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.models import ArticleModel, CategoryModel
from chalicelib.navigation_cache import forget_navigation
from chalicelib.statuses import ArticleStatus
from chalicelib.transactions import TransactWriteError, cancelled, transaction

SITE = "site"
ATTEMPTS = 3


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


def put_category(
    slug: str, name: str, parent: str | None = None, position: int = 0, *, create_only: bool = False
) -> Category:
    """Create or change a category; nesting is one level deep, also when editors change the tree at once.

    `create_only` refuses an existing slug (409 `category_exists`) instead of changing that category; the
    write is conditional, so two admins creating the same slug at once cannot both succeed."""
    for _ in range(ATTEMPTS):  # a concurrent change refused our transaction: check again against the new tree
        _check_parent(slug, parent, {c.slug: c for c in list_categories()})
        previous = _stored(slug)
        if create_only and previous is not None:
            raise Conflict(f"the category {slug} exists already", code="category_exists", field="slug")
        try:
            _write_category(slug, name, parent, position, previous)
        except TransactWriteError as error:
            if not cancelled(error):
                raise
            continue
        if previous is not None and previous.parent != parent:
            _relist_channel(slug, parent or slug)
        forget_navigation()
        return Category(slug, name, parent, position)
    raise Conflict(
        "the categories were changed meanwhile; reload them and try again", code="categories_changed", category=slug
    )


def delete_category(slug: str) -> None:
    """Delete an unused category; 409 while articles or sub-categories use it, even ones added meanwhile."""
    for _ in range(ATTEMPTS):
        item = _stored(slug)
        if item is None:
            raise NotFound("category not found", code="category_not_found", category=slug)
        if any(c.parent == slug for c in list_categories()):
            raise Conflict("the category has sub-categories", code="category_has_children", category=slug)
        kept = ArticleModel.status != ArticleStatus.TRASHED  # the trash left the category's count (trash.py)
        if next(iter(ArticleModel.editorial_by_category.query(slug, filter_condition=kept, limit=1)), None) is not None:
            raise Conflict("articles use this category", code="category_in_use", category=slug)
        unused = _none(CategoryModel.children) & _none(CategoryModel.articles) & _parent_is(item.parent)
        try:
            with transaction() as writes:
                writes.delete(item, condition=unused)
                if item.parent is not None:
                    writes.update(CategoryModel(item.parent), actions=[CategoryModel.children.add(-1)])
        except TransactWriteError as error:
            if not cancelled(error):
                raise
            continue
        forget_navigation()
        return
    raise Conflict("the category is in use or was changed meanwhile", code="category_in_use", category=slug)


def _check_parent(slug: str, parent: str | None, categories: dict[str, Category]) -> None:
    """Clear 400s for a parent that cannot be (the transaction re-checks what could change meanwhile)."""
    if parent is None:
        return
    if parent == slug:
        raise InvalidInput("a category cannot be its own parent", field="parent", code="category_own_parent")
    if parent not in categories:
        raise InvalidInput(f"unknown parent category: {parent}", field="parent", code="unknown_parent")
    if categories[parent].parent is not None:
        raise InvalidInput(
            "categories nest one level deep: the parent has a parent", field="parent", code="parent_is_child"
        )
    if any(c.parent == slug for c in categories.values()):
        raise InvalidInput(
            "this category has sub-categories, so it cannot have a parent",
            field="parent",
            code="category_has_children_cannot_nest",
        )


def _write_category(slug: str, name: str, parent: str | None, position: int, previous: CategoryModel | None) -> None:
    """One transaction: the category, its parent's child count (and its old parent's), and their conditions.

    A category gets a parent only while it has no children, and the parent only while it is a top-level
    category; both counts and parents are read in the same atomic step, so two editors making A and B each
    other's parent at once cannot both succeed.
    """
    old_parent = previous.parent if previous is not None else None
    top_level = CategoryModel.slug.exists() & CategoryModel.parent.does_not_exist()
    with transaction() as writes:
        if previous is None:
            item = CategoryModel(slug, name=name, parent=parent, position=position, site=SITE)
            writes.save(item, condition=CategoryModel.slug.does_not_exist())
        else:
            condition = CategoryModel.slug.exists() & _parent_is(old_parent)
            if parent is not None:
                condition &= _none(CategoryModel.children)
            actions: list[Action] = [
                CategoryModel.name.set(name),
                CategoryModel.position.set(position),
                CategoryModel.site.set(SITE),
                CategoryModel.parent.set(parent) if parent is not None else CategoryModel.parent.remove(),
            ]
            writes.update(CategoryModel(slug), actions=actions, condition=condition)
        if parent is not None and parent != old_parent:
            writes.update(CategoryModel(parent), actions=[CategoryModel.children.add(1)], condition=top_level)
        elif parent is not None:
            writes.condition_check(CategoryModel, parent, condition=top_level)
        if old_parent is not None and old_parent != parent:
            writes.update(CategoryModel(old_parent), actions=[CategoryModel.children.add(-1)])


def _stored(slug: str) -> CategoryModel | None:
    try:
        return CategoryModel.get(slug, consistent_read=True)
    except CategoryModel.DoesNotExist:
        return None


def _none(count: Any) -> Any:
    """A count that is zero (or absent: categories written before the counts existed)."""
    return count.does_not_exist() | (count <= 0)


def _parent_is(parent: str | None) -> Any:
    """The parent is still the one read (so the right parent's child count changes)."""
    return CategoryModel.parent.does_not_exist() if parent is None else CategoryModel.parent == parent


def _relist_channel(slug: str, channel: str) -> None:
    """A category moved: its published articles now list under the new top-level category."""
    for summary in ArticleModel.by_category.query(slug):
        update_without_version(
            summary.id, [ArticleModel.listed_channel.set(channel)], ArticleModel.listed_category == slug
        )
