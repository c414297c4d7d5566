"""The one item every reader page reads around its content: the site's settings (site_settings.py), its
友情链接 (links.py) and its topic directory (topic_directory.py), each an attribute of their own.

One GetItem, kept by each container for `CHROME_CACHE_SECONDS` like the navigation and forgotten at once in
the container that changed any part; another container's change shows within the cache time. Each part
is written alone (an UpdateItem of its attribute), so no writer overwrites another's.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib import clock
from chalicelib.config import get_settings
from chalicelib.models import SiteSettingsModel

KEY = "#site-settings"  # no category slug can take it (validation.SLUG)


@dataclass(frozen=True)
class SiteItem:
    settings: dict[str, Any] = field(default_factory=dict)
    links: list[dict[str, Any]] = field(default_factory=list)
    topics: dict[str, Any] = field(default_factory=dict)


EMPTY = SiteItem()
_lock = threading.Lock()
_kept: tuple[float, SiteItem] | None = None


def forget() -> None:
    """Drop this container's copy (after a change, or in tests as a new container)."""
    global _kept
    with _lock:
        _kept = None


def read() -> SiteItem:
    """This container's copy while fresh, else one GetItem (eventually consistent)."""
    global _kept
    with _lock:
        if _kept is not None and _kept[0] > clock.seconds():
            return _kept[1]
    try:
        item = SiteSettingsModel.get(KEY)
        kept = SiteItem(_json(item.content, dict), _json(item.links, list), _json(item.topics, dict))
    except DoesNotExist:
        kept = EMPTY
    with _lock:
        _kept = (clock.seconds() + get_settings().chrome_cache_seconds, kept)
    return kept


def last_read() -> SiteItem:
    """The item as this container last read it (else empty), never asking DynamoDB (for error pages)."""
    with _lock:
        return _kept[1] if _kept is not None else EMPTY


def read_consistently() -> SiteSettingsModel | None:
    """The stored item as it is now, for a writer that conditions on it."""
    try:
        return SiteSettingsModel.get(KEY, consistent_read=True)
    except DoesNotExist:
        return None


def _json(raw: str | None, kind: type) -> Any:
    value = json.loads(raw) if raw else kind()
    return value if isinstance(value, kind) else kind()
