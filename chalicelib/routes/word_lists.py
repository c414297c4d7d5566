"""Word lists (敏感词) for admins, and an article's word check for its editors (chalicelib/word_checks.py)."""

from __future__ import annotations

from typing import Any, cast

from chalice import Blueprint

from chalicelib import editorial, word_checks
from chalicelib.errors import InvalidInput
from chalicelib.routes.article_json import article_data
from chalicelib.routes.audited import auditor
from chalicelib.routes.editors import editor_token, require_admin
from chalicelib.routes.responses import json_api
from chalicelib.validation import only_fields, parse_json, slug, text

routes = Blueprint(__name__)
audited = auditor(routes)


@routes.route("/api/word-lists", methods=["GET"], authorizer=editor_token)
@json_api()
def list_word_lists() -> dict[str, Any]:
    """Every list (editors see them too: the editor highlights their words), and the shipped example."""
    return {"lists": word_checks.lists(), "example": word_checks.EXAMPLE}


@routes.route("/api/word-lists/{list_id}", methods=["PUT"], authorizer=editor_token)
@json_api()
@audited("settings.change", ("name", "tag", "mode"))
def put_word_list(list_id: str) -> dict[str, Any]:
    """`{"name", "tag", "mode": "warn"|"block", "words": [...]}` (admins only)."""
    require_admin()
    data = parse_json(cast(bytes | None, routes.current_request.raw_body))
    only_fields(data, {"name", "tag", "mode", "words"})
    words = data.get("words")
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        raise InvalidInput("words must be a list of strings", field="words", code="words_size")
    return word_checks.put_list(
        slug(list_id, "list"),
        text(data, "name", 100, required=True) or "",
        text(data, "tag", 50) or "",
        text(data, "mode", 10, required=True) or "",
        cast(list[str], words),
    )


@routes.route("/api/word-lists/{list_id}", methods=["DELETE"], authorizer=editor_token)
@json_api()
@audited("settings.change")
def delete_word_list(list_id: str) -> None:
    require_admin()
    word_checks.delete_list(slug(list_id, "list"))


@routes.route("/api/articles/{article_id}/word-check", methods=["GET"], authorizer=editor_token)
@json_api()
def check_article(article_id: str) -> dict[str, Any]:
    """The article's hits as saved: word, list, tag, mode, where, offset."""
    return {"hits": word_checks.check(article_data(editorial.get_article(article_id)))}
