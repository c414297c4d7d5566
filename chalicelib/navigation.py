"""What every page shows around its content: the category tree and the notices.

Both change rarely and are read on every page, so each API container keeps
them for `CHROME_CACHE_SECONDS`; an article view then costs one article read
and one counter write.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.articles import ArticleSummary, list_notices
from chalicelib.config import get_settings

if TYPE_CHECKING:  # categories.py forgets this cache when it writes, so it imports us
    from chalicelib.categories import Category

NOTICES_SHOWN = 5


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

    def channel_of(self, slug: str) -> str:
        """The top-level category an article in `slug` belongs to."""
        category = self.find(slug)
        return category.parent if category and category.parent else slug


_lock = threading.Lock()
_cached: tuple[float, Navigation] | None = None


def get_navigation() -> Navigation:
    global _cached
    with _lock:
        if _cached is not None and _cached[0] > time.monotonic():
            return _cached[1]
    from chalicelib.categories import list_categories

    navigation = Navigation(tuple(list_categories()), tuple(list_notices(NOTICES_SHOWN)))
    with _lock:
        _cached = (time.monotonic() + get_settings().chrome_cache_seconds, navigation)
    return navigation


def forget_navigation() -> None:
    """Drop this container's copy, e.g. after an editor changed categories."""
    global _cached
    with _lock:
        _cached = None
