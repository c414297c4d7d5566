"""The search index's one writer: fold the articles marked pending into it, then clear their marks.

An article write that search must follow sets `search_pending` to a fresh mark in the same write (editorial.py);
a delete writes a tombstone item, `SEARCH_TOMBSTONE + id`, with one (ids never hold ":": it meets no article).
The fold Scans the sparse `search-pending` index (only marked items are in it), reads what each article now is
(a consistent BatchGetItem: published goes in, anything else or gone comes out), has the backend apply that,
and clears each mark only if it is still the one read: a save during the fold keeps its mark for the next.
"""

from __future__ import annotations

import logging

from pynamodb.exceptions import DeleteError

from chalicelib.article_updates import update_without_version
from chalicelib.ids import new_id
from chalicelib.models import SEARCH_TOMBSTONE as TOMBSTONE
from chalicelib.models import ArticleModel
from chalicelib.search import backend, document_of
from chalicelib.write_conditions import condition_failed

log = logging.getLogger(__name__)

MAX_FOLD = 2000  # pending items a run folds at most (a rebuild marks every article: it takes a few runs)


def fold() -> int:
    """Fold the pending articles into the index; how many pending items were folded."""
    marks: dict[str, str] = {}
    for item in ArticleModel.search_pending_index.scan(limit=MAX_FOLD):
        marks[item.id] = item.search_pending
    if not marks:
        return 0
    ids = {key.removeprefix(TOMBSTONE) for key in marks}
    current = {item.id: item for item in ArticleModel.batch_get(list(ids), consistent_read=True)}
    backend().apply({article_id: document_of(current.get(article_id)) for article_id in sorted(ids)})
    for key, mark in marks.items():
        _clear(key, mark)
    return len(marks)


def mark_published(article_ids: list[str]) -> int:
    """Mark these articles pending (`python -m ops.cli index-search`: the next folds put them back)."""
    marked = 0
    for article_id in article_ids:
        marked += update_without_version(
            article_id, [ArticleModel.search_pending.set(new_id())], ArticleModel.id.exists()
        )
    return marked


def _clear(key: str, mark: str) -> None:
    condition = ArticleModel.search_pending == mark
    if not key.startswith(TOMBSTONE):
        update_without_version(key, [ArticleModel.search_pending.remove()], condition)
        return
    try:
        ArticleModel(key).delete(condition=condition, add_version_condition=False)
    except DeleteError as error:
        if not condition_failed(error):
            raise
