"""This container's copy of the navigation, apart from `navigation.py`.

The services that change what the navigation shows (categories, editorial)
forget it here; `navigation.py` reads those services, so they cannot import it.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chalicelib.navigation import Navigation

_lock = threading.Lock()
_cached: tuple[float, Navigation] | None = None


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


def forget_navigation() -> None:
    """Drop this container's copy, e.g. after an editor changed categories."""
    global _cached
    with _lock:
        _cached = None
