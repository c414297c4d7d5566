"""An article's 上一篇/下一篇 and related articles, from this container's window of its category.

Each container keeps, per category, its `WINDOW` newest by-category entries (one Query, scheduled ones
included) for `CHROME_CACHE_SECONDS`, like the navigation (`navigation_cache.py`; editorial writes
forget it). A view of an article inside the window then costs no Query: the clock (`clock.py`) decides
which entries are visible, so a scheduled article becomes a neighbour at its time with no job. An
article older than the window costs the two Queries of `articles.neighbours`.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.articles import Article, ArticleSummary, Neighbours, now, summary
from chalicelib.articles import neighbours as queried_neighbours
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel
from chalicelib.navigation_cache import cached_window, keep_window

WINDOW = 50  # entries kept per category: ~12 KB of index entries, one 2 RCU Query per container per 30 s


@dataclass(frozen=True)
class Window:
    entries: tuple[ArticleSummary, ...]  # newest first, scheduled ones included
    complete: bool  # the whole category: nothing older exists


def neighbours_of(article: Article) -> Neighbours:
    """`article`'s neighbours from its category's window; Queried when it is older than the window."""
    window = category_window(article.category)
    found = _from_window(window, article)
    return found if found is not None else queried_neighbours(article)


def category_window(category: str) -> Window:
    """The kept window while fresh; else one Query for the category's `WINDOW` newest entries."""
    window = cached_window(category)
    if window is None:
        items = ArticleModel.by_category.query(category, scan_index_forward=False, limit=WINDOW)
        entries = tuple(summary(item) for item in items)
        window = Window(entries, complete=len(entries) < WINDOW)
        keep_window(category, window, get_settings().chrome_cache_seconds)
    return window


def _from_window(window: Window, article: Article) -> Neighbours | None:
    """As `articles.neighbours` would find them, or None when the window cannot tell."""
    moment = now()
    at = article.published_at
    visible = [entry for entry in window.entries if entry.published_at <= moment]
    older = [entry for entry in visible if entry.published_at < at]
    if not window.complete and len(older) < Neighbours.NEARBY:
        return None  # entries older than the window holds may be among them (the newer ones are all in it)
    newer = [entry for entry in reversed(visible) if entry.published_at > at][: Neighbours.NEARBY]
    older = older[: Neighbours.NEARBY]
    return Neighbours(
        older=older[0] if older else None,
        newer=newer[0] if newer else None,
        related=list(reversed(newer[1:])) + older[1:],
    )
