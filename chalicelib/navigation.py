"""What every page shows around its content: the category tree and the notices.

Both change rarely and are read on every page, so each API container keeps
them for `CHROME_CACHE_SECONDS` (in `navigation_cache.py`); an article view then costs one article read
and one counter write.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.articles import ArticleSummary, list_notices
from chalicelib.categories import Category, list_categories
from chalicelib.config import get_settings
from chalicelib.navigation_cache import cached_navigation, keep_navigation

NOTICES_READ = 10  # the most the notices bar may show (site_extras.MAX_NOTICES); the site says how many


@dataclass(frozen=True)
class Navigation:
    categories: tuple[Category, ...]
    notices: tuple[ArticleSummary, ...]

    def find(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def top_level(self) -> list[Category]:
        return [c for c in self.categories if c.parent is None]

    def children(self, slug: str) -> list[Category]:
        return [c for c in self.categories if c.parent == slug]

    def trail(self, slug: str) -> list[Category]:
        """The category and its parent, outermost first (for breadcrumbs)."""
        category = self.find(slug)
        if category is None:
            return []
        parent = self.find(category.parent) if category.parent else None
        return [parent, category] if parent else [category]


def get_navigation() -> Navigation:
    """The kept copy while fresh; else read categories and notices and keep them."""
    cached = cached_navigation()
    if cached is not None:
        return cached
    navigation = Navigation(tuple(list_categories()), tuple(list_notices(NOTICES_READ)))
    keep_navigation(navigation, get_settings().chrome_cache_seconds)
    return navigation
