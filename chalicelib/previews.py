"""Preview links an editor can take back: each carries the article's preview key, and a new key revokes them.

The key is set the first time a link is asked for and replaced by `revoke`; an article deleted and made again
under the same id has none, so no earlier link opens it. Both writes leave the article's version alone.
"""

from __future__ import annotations

from chalicelib.article_updates import update_without_version
from chalicelib.errors import Conflict, NotFound
from chalicelib.ids import new_id
from chalicelib.models import ArticleModel


def link_key(article_id: str) -> str:
    """The article's preview key, made now if it has none; NotFound for an unknown article, Conflict when it
    was made again without a key at each of two tries."""
    for _attempt in range(2):  # a concurrent first link may set it between the read and the write
        item = _article(article_id)
        if item.preview_key:
            return str(item.preview_key)
        key = new_id()
        if update_without_version(article_id, [ArticleModel.preview_key.set(key)], _unkeyed()):
            return key
    item = _article(article_id)
    if item.preview_key:
        return str(item.preview_key)
    raise Conflict("the article changed while its preview link was made; try again")  # no link to a key it lacks


def revoke(article_id: str) -> None:
    """A new key: every link given out so far stops working. NotFound for an unknown article."""
    if not update_without_version(article_id, [ArticleModel.preview_key.set(new_id())], ArticleModel.id.exists()):
        raise NotFound("article not found", article_id=article_id)


def _unkeyed() -> object:
    return ArticleModel.id.exists() & ArticleModel.preview_key.does_not_exist()


def _article(article_id: str) -> ArticleModel:
    try:
        return ArticleModel.get(article_id, consistent_read=True, attributes_to_get=["id", "preview_key"])
    except ArticleModel.DoesNotExist:
        raise NotFound("article not found", article_id=article_id) from None
