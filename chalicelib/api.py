"""The editors' JSON API: request data in, response data out. HTTP stays in app.py."""

from __future__ import annotations

from typing import Any

from chalicelib import auth, categories, editorial, photos
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput
from chalicelib.validation import (
    article_fields,
    identifier,
    integer,
    only_fields,
    parse_json,
    slug,
    text,
    timestamp,
)

STATUSES = ("draft", "published")
API_PAGE_SIZE = 50


def log_in(raw: bytes | None) -> dict[str, Any]:
    data = parse_json(raw)
    only_fields(data, {"username", "password"})
    username = text(data, "username", 64, required=True) or ""
    password = text(data, "password", 1024, required=True) or ""
    token, expires_at = auth.log_in(username, password)
    return {"token": token, "expires_at": expires_at.isoformat()}


def create_article(raw: bytes | None) -> dict[str, Any]:
    fields = article_fields(parse_json(raw), with_version=False)
    return editorial.article_data(editorial.create_article(fields))


def replace_article(article_id: str, raw: bytes | None) -> dict[str, Any]:
    fields = article_fields(parse_json(raw), with_version=True)
    return editorial.article_data(editorial.replace_article(article_id, fields))


def get_article(article_id: str) -> dict[str, Any]:
    return editorial.article_data(editorial.get_article(article_id))


def list_articles(params: dict[str, str] | None) -> dict[str, Any]:
    params = params or {}
    only_fields(params, {"status", "category", "cursor"})
    status = params.get("status") or None
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status must be one of: {', '.join(STATUSES)}", field="status")
    category = identifier(params, "category")
    items, cursor = editorial.list_articles(status, category, params.get("cursor"), API_PAGE_SIZE)
    summaries = [{k: v for k, v in editorial.article_data(i).items() if k != "body"} for i in items]
    return {"articles": summaries, "next_cursor": cursor}


def publish_article(article_id: str, raw: bytes | None) -> dict[str, Any]:
    data = parse_json(raw or b"{}")
    only_fields(data, {"published_at"})
    published_at = timestamp(data, "published_at", get_settings().site_timezone)
    return editorial.article_data(editorial.publish_article(article_id, published_at))


def unpublish_article(article_id: str) -> dict[str, Any]:
    return editorial.article_data(editorial.unpublish_article(article_id))


def delete_article(article_id: str) -> None:
    editorial.delete_article(article_id)


def list_categories() -> dict[str, Any]:
    return {"categories": [c.as_dict() for c in categories.list_categories()]}


def put_category(category_slug: str, raw: bytes | None) -> dict[str, Any]:
    data = parse_json(raw)
    only_fields(data, {"name", "parent", "position"})
    category = categories.put_category(
        slug(category_slug),
        text(data, "name", 100, required=True) or "",
        identifier(data, "parent"),
        integer(data, "position", -1_000_000, 1_000_000, default=0),
    )
    return category.as_dict()


def delete_category(category_slug: str) -> None:
    categories.delete_category(category_slug)


def start_upload(raw: bytes | None) -> dict[str, Any]:
    return photos.start_upload(parse_json(raw))


def get_photo(photo_id: str) -> dict[str, Any]:
    return photos.photo_data(photos.get_photo(photo_id))
