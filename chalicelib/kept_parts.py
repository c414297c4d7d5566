"""This container's copies of page parts that are the same on every view of the same stored article.

An article page's body, rendered to HTML (pages.article_body: most of a page's render), and its head (JSON-LD,
link preview) depend only on the site and the article as stored. They are kept here for the last `KEPT` articles,
keyed by everything the article holds, its body included: photo processing rewrites the body's snapshots
without a new version or `updated_at` (article_photos.refresh_articles), so nothing smaller is a safe key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

KEPT = 32

_lock = threading.Lock()
_kept: dict[Hashable, Any] = {}


def kept(key: Hashable, make: Callable[[], Any]) -> Any:
    """What `make` returns for `key`, made once while kept (the oldest of `KEPT` goes first)."""
    with _lock:
        if key in _kept:
            return _kept[key]
    made = make()
    with _lock:
        if len(_kept) >= KEPT:
            _kept.pop(next(iter(_kept)))
        _kept[key] = made
    return made
