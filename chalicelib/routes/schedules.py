"""Scheduled work (EventBridge): the search index's one writer, every FOLD_MINUTES.

`fold_search` folds the articles marked pending by the editors' writes into the index (chalicelib/search/
pending.py): about a second of CPU at 20,000 articles (bench/search.py), plus the transfers; a minute with
nothing pending costs one Scan of an empty index. Its own function (more memory, a longer timeout than the
API's) with reserved concurrency 1 (.chalice/config.json), so two folds never race. The local stack runs it
every few seconds (local/stack.py).
"""

from __future__ import annotations

import logging
from typing import Any

from chalice import Blueprint, Rate

routes = Blueprint(__name__)
log = logging.getLogger(__name__)

FOLD_MINUTES = 1


@routes.schedule(Rate(FOLD_MINUTES, unit=Rate.MINUTES), name="fold_search")
def fold_search(event: Any) -> None:
    from chalicelib.search.pending import fold  # only this function's container loads the index's writer

    folded = fold()
    if folded:
        log.info("search index: %d pending articles folded", folded)
