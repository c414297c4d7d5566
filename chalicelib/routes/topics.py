"""专题: the reader's `/topics/{slug}` and its feed, and the editors' `GET/PUT /api/topics/{slug}`."""

from __future__ import annotations

from typing import Any, cast

from chalice import Blueprint

from chalicelib import collection_pages, feeds, topic_building, topics
from chalicelib.navigation import get_navigation
from chalicelib.routes.audited import auditor
from chalicelib.routes.editors import editor_token
from chalicelib.routes.reader import PAGE_METHODS, READER_CACHE
from chalicelib.routes.responses import conditional, html_page, json_api
from chalicelib.routes.syndication import document
from chalicelib.site_settings import get_site
from chalicelib.validation import only_fields, parse_json

routes = Blueprint(__name__)
audited = auditor(routes)


@routes.route("/topics/{slug}", methods=PAGE_METHODS)
@conditional(routes)
@html_page(READER_CACHE)
def topic_page(slug: str) -> str:
    topic = topics.get_topic(slug)
    return collection_pages.render_topic(get_site(), get_navigation(), topic, topics.topic_articles(topic))


@routes.route("/topics/{slug}/feed.xml", methods=["GET", "HEAD"])
@conditional(routes)
@document(feeds.CONTENT_TYPE)
def topic_feed(slug: str) -> bytes:
    return feeds.topic_feed(slug)


@routes.route("/api/topics/{slug}", methods=["GET"], authorizer=editor_token)
@json_api()
def get_topic(slug: str) -> dict[str, Any]:
    topic = topics.get_topic(slug)
    return {**topic.as_dict(), "titles": topic_building.titles_of(topic.article_ids)}


@routes.route("/api/topic-articles", methods=["GET"], authorizer=editor_token)
@json_api()
def find_topic_articles() -> dict[str, Any]:
    """Published articles by title, to add to a topic: `?q=` (1-40 characters)."""
    params: dict[str, str] = dict(routes.current_request.query_params or {})
    only_fields(params, {"q"})
    return {"articles": topic_building.find_published(params.get("q"))}


@routes.route("/api/topics/{slug}", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("topic.put")
def put_topic(slug: str) -> dict[str, Any]:
    return topics.put_topic(slug, parse_json(cast(bytes | None, routes.current_request.raw_body))).as_dict()
