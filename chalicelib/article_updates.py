"""Conditional writes to articles that keep the version.

Both `editorial.py` (editors' writes), `article_photos.py` (photo snapshots)
and `categories.py` (index keys when a category moves) use them.
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib.models import ArticleModel
from chalicelib.write_conditions import condition_failed


def update_without_version(article_id: str, actions: list[Any], condition: Any) -> bool:
    """Update an article if `condition` holds, leaving `version` alone; False if it did not hold.

    For system changes (photo snapshots, index keys) that must not make an
    editor's next save a conflict. Through the table connection: Model.update
    would also set `version`.
    """
    try:
        ArticleModel.update_unversioned(article_id, actions=actions, condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True
