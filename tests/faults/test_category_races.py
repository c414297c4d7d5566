"""Concurrent editors must not corrupt the category tree.

Invariants: a category's parent exists and is top-level (one level of nesting, so no cycle), and every
article's category exists. The races themselves are forced, one interleaving each, in
tests/faults/test_category_counts.py (threads released together only sometimes hit the window).
"""

from __future__ import annotations

from typing import Any

from chalicelib.models import ArticleModel, CategoryModel
from tests.api_helpers import call


def assert_tree_intact() -> None:
    categories = {c.slug: c for c in CategoryModel.scan(consistent_read=True)}
    for category in categories.values():
        if category.parent is not None:
            assert category.parent in categories, f"{category.slug}'s parent {category.parent} is gone"
            parent = categories[category.parent]
            assert parent.parent is None, f"{category.slug} > {parent.slug} > {parent.parent}: nested twice or a cycle"
    for article in ArticleModel.scan(consistent_read=True):
        assert article.category in categories, f"article {article.id} is in the deleted category {article.category}"


def test_categories_from_before_the_counts_are_recounted_and_then_guarded(
    client: Any, admin_auth: dict[str, str]
) -> None:
    auth = admin_auth  # categories are admins' to change
    from chalicelib.categories import recount_categories
    from tests.site import make_article

    make_article("old", category="industry", publish=False)
    for slug in ("news", "industry", "policy"):  # as tables written before the counts existed
        CategoryModel(slug).update(actions=[CategoryModel.children.remove(), CategoryModel.articles.remove()])
    assert recount_categories() == {"news": (1, 0), "industry": (0, 1), "policy": (0, 0)}
    assert call(client, "DELETE", "/api/categories/industry", None, auth).status_code == 409
    assert call(client, "DELETE", "/api/categories/news", None, auth).status_code == 409
    assert_tree_intact()
