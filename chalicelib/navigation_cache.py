"""This container's copies of what readers' pages show around their content, apart from the services.

The navigation (`navigation.py`) and, per category, a window of its newest entries (`neighbours.py`).
The services that change what these show (categories, editorial) forget them here; the readers of
those services import this module, so the services cannot import them.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chalicelib.navigation import Navigation
    from chalicelib.neighbours import Window

_lock = threading.Lock()
_cached: tuple[float, Navigation] | None = None
_windows: dict[str, tuple[float, Window]] = {}


def cached_navigation() -> Navigation | None:
    """The kept navigation while it is fresh, else None."""
    with _lock:
        if _cached is not None and _cached[0] > time.monotonic():
            return _cached[1]
    return None


def keep_navigation(navigation: Navigation, seconds: float) -> None:
    global _cached
    with _lock:
        _cached = (time.monotonic() + seconds, navigation)


def cached_window(category: str) -> Window | None:
    """The kept window of `category`'s newest entries while it is fresh, else None."""
    with _lock:
        kept = _windows.get(category)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
    return None


def keep_window(category: str, window: Window, seconds: float) -> None:
    with _lock:
        _windows[category] = (time.monotonic() + seconds, window)


def forget_navigation() -> None:
    """Drop this container's copies (navigation and every category's window), e.g. after an editor
    published, unpublished, moved, edited or deleted an article or changed categories."""
    global _cached
    with _lock:
        _cached = None
        _windows.clear()
