"""Scheduled work (EventBridge): folding the search index's changes into its base, off the editors' saves.

A fold downloads the base, applies the changes, gzips and uploads it again: about a second of CPU at 20,000
articles (bench/search.py), more on a small Lambda, plus the transfers. Done every FOLD_MINUTES by its own
function (more memory, a longer timeout than the API's), the list readers merge stays short and an editor's
save only appends to it. The save that makes the list FOLD_AFTER long still folds (sqlite_backend.py): the
local stack fires no schedules, and a burst of saves must not grow the list without bound.
"""

from __future__ import annotations

import logging
from typing import Any

from chalice import Blueprint, Rate

routes = Blueprint(__name__)
log = logging.getLogger(__name__)

FOLD_MINUTES = 5


@routes.schedule(Rate(FOLD_MINUTES, unit=Rate.MINUTES), name="fold_search")
def fold_search(event: Any) -> None:
    from chalicelib import search  # only this function's container loads the index code

    if search.fold_changes():
        log.info("search index: changes folded into the base")
