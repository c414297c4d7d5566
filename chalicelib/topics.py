"""专题 (topics): a title, an introduction, an optional banner photo and an ordered list of articles from any
category, at `/topics/{slug}` with its own feed. One GetItem for the topic, one BatchGetItem for its articles;
readers see only the articles published by now, in the editors' order."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chalicelib.articles import ArticleSummary, _summary_fields, is_visible
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.ids import ID
from chalicelib.models import ArticleModel, TopicModel
from chalicelib.ready_photos import ready_media
from chalicelib.topic_directory import save_with_directory
from chalicelib.validation import slug, text

PREFIX = "#topic-"  # no category slug can take it (validation.SLUG)
MAX_ARTICLES = 100  # one BatchGetItem
MAX_INTRO = 2000
READ_ONLY = {"slug", "titles"}  # answered by GET; accepted back in a PUT and ignored


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    intro: str
    banner_photo_id: str | None
    article_ids: tuple[str, ...]
    banner: dict[str, Any] | None = field(default=None, compare=False)  # the banner photo's size and renditions

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "intro": self.intro,
            "banner_photo_id": self.banner_photo_id,
            "articles": list(self.article_ids),
        }


def get_topic(topic_slug: str) -> Topic:
    try:
        item = TopicModel.get(PREFIX + slug(topic_slug))
    except (TopicModel.DoesNotExist, InvalidInput):
        raise NotFound("topic not found", topic=topic_slug) from None
    ids = tuple(str(i) for i in item.article_ids or [])
    banner = json.loads(item.banner) if item.banner and item.banner_photo_id else None
    return Topic(topic_slug, item.title, item.intro or "", item.banner_photo_id, ids, banner)


def put_topic(topic_slug: str, data: dict[str, Any]) -> Topic:
    """Create or replace a topic (checked; nothing is stored when a field is wrong)."""
    slug(topic_slug)
    unknown = sorted(set(data) - {"title", "intro", "banner_photo_id", "articles", *READ_ONLY})
    if unknown:
        raise InvalidInput(f"unknown field: {unknown[0]}", field=unknown[0], code="unknown_field")
    for name, limit in (("title", 120), ("intro", MAX_INTRO)):
        value = data.get(name)
        if (value is not None or name == "title") and (not isinstance(value, str) or len(value) > limit):
            raise InvalidInput(f"{name} must be text of at most {limit} characters", field=name, code="topic_text")
    title = text(data, "title", 120, required=True) or ""
    intro = text(data, "intro", MAX_INTRO) or ""
    banner = data.get("banner_photo_id")
    if banner is not None and (not isinstance(banner, str) or not ID.fullmatch(banner)):
        raise InvalidInput("banner_photo_id must be a photo id", field="banner_photo_id", code="photo_id")
    ids = data.get("articles", [])
    if (
        not isinstance(ids, list)
        or len(ids) > MAX_ARTICLES
        or len(set(map(str, ids))) != len(ids)
        or not all(isinstance(i, str) and ID.fullmatch(i) for i in ids)
    ):
        raise InvalidInput(
            f"articles must be at most {MAX_ARTICLES} distinct article ids", field="articles", code="topic_articles"
        )
    media = ready_media([banner], lambda _: "banner_photo_id").get(banner or "")
    item = TopicModel(
        PREFIX + topic_slug,
        title=title,
        intro=intro or None,
        banner_photo_id=banner,
        banner=json.dumps(media) if media else None,
        article_ids=ids,
    )
    save_with_directory(item, topic_slug, title, ids)
    return Topic(topic_slug, title, intro, banner, tuple(ids), media)


def topic_articles(topic: Topic) -> list[ArticleSummary]:
    """The topic's articles readers may see now, in its order (one BatchGetItem)."""
    if not topic.article_ids:
        return []
    found = {item.id: item for item in ArticleModel.batch_get(list(topic.article_ids)) if is_visible(item)}
    return [ArticleSummary(**_summary_fields(found[i])) for i in topic.article_ids if i in found]
