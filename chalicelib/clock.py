"""The time everything that decides by the clock reads: the login throttle's windows, tokens' expiry,
scheduled articles' visibility, feeds and sitemaps.

Production reads the real clock. Tests set it (`set_time`) and step it across window boundaries on
purpose, so no test depends on the moment it happens to run.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

_fixed: list[float] = []  # the moment tests set (epoch seconds); empty: the real clock


def seconds() -> float:
    """Now, in epoch seconds."""
    return _fixed[0] if _fixed else time.time()


def now() -> datetime:
    """Now, in UTC."""
    return datetime.fromtimestamp(seconds(), timezone.utc)


def set_time(moment: datetime | float | None) -> None:
    """Stop the clock at `moment` (a datetime with a zone, or epoch seconds); None starts the real clock again."""
    _fixed.clear()
    if moment is not None:
        _fixed.append(moment.timestamp() if isinstance(moment, datetime) else float(moment))
