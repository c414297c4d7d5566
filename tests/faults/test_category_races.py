"""Concurrent editors must not corrupt the category tree.

Invariants: a category's parent exists and is top-level (one level of nesting, so no cycle), and every
article's category exists. The races themselves are forced, one interleaving each, in
tests/faults/test_category_counts.py (threads released together only sometimes hit the window).
"""

from __future__ import annotations

from chalicelib.models import SEARCH_TOMBSTONE, ArticleModel, CategoryModel


def assert_tree_intact() -> None:
    categories = {c.slug: c for c in CategoryModel.scan(consistent_read=True)}
    for category in categories.values():
        if category.parent is not None:
            assert category.parent in categories, f"{category.slug}'s parent {category.parent} is gone"
            parent = categories[category.parent]
            assert parent.parent is None, f"{category.slug} > {parent.slug} > {parent.parent}: nested twice or a cycle"
    for article in ArticleModel.scan(consistent_read=True):
        if article.id.startswith(SEARCH_TOMBSTONE):  # a deleted article's mark for the search index: no category
            continue
        assert article.category in categories, f"article {article.id} is in the deleted category {article.category}"
