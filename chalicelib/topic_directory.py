"""Which 专题 each article belongs to, without a request per article view.

Every topic's title and article ids are also kept in the site's item (site_item.py), written in the same
transaction as the topic, conditioned on the directory as it was read (two editors saving topics at once:
one retries). Pages read it with the settings, once a container, so an article page names its topics
from memory.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib import site_item
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.models import SiteSettingsModel, TopicModel
from chalicelib.transactions import TransactWriteError, cancelled, transaction

MAX_BYTES = 300_000  # the site's item stays well under DynamoDB's 400 KB with the settings and links
ATTEMPTS = 3


def topics_of(article_id: str) -> list[tuple[str, str]]:
    """The (slug, title) of each topic listing the article, by title (from this container's copy)."""
    directory = site_item.read().topics
    found = [
        (slug, str(entry["title"]))
        for slug, entry in directory.items()
        if isinstance(entry, dict) and article_id in (entry.get("articles") or [])
    ]
    return sorted(found, key=lambda pair: (pair[1], pair[0]))


def save_with_directory(item: TopicModel, topic_slug: str, title: str, article_ids: list[str]) -> None:
    """Store the topic and its line in the directory together (retried when another save came between)."""
    for _ in range(ATTEMPTS):
        stored = site_item.read_consistently()
        old = stored.topics if stored is not None else None
        directory: dict[str, Any] = json.loads(old) if old else {}
        directory[topic_slug] = {"title": title, "articles": article_ids}
        new = json.dumps(directory, ensure_ascii=False, sort_keys=True)
        if len(new.encode()) > MAX_BYTES:
            raise InvalidInput("too many topics to list", field="articles", code="topic_articles")
        unchanged = SiteSettingsModel.topics.does_not_exist() if old is None else SiteSettingsModel.topics == old
        try:
            with transaction() as writes:
                writes.save(item)
                writes.update(
                    SiteSettingsModel(site_item.KEY), actions=[SiteSettingsModel.topics.set(new)], condition=unchanged
                )
        except TransactWriteError as error:
            if not cancelled(error):
                raise
            continue
        site_item.forget()
        return
    raise Conflict("topics were being changed; save again", field="articles", code="conflict")
