"""Checking editors' JSON before anything is stored: clear 400s that name the field."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib import article_body
from chalicelib.article_body import Body
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput
from chalicelib.ids import ID
from chalicelib.richtext import schema
from chalicelib.richtext.schema import BLOCK_FIELDS

MAX_JSON_BYTES = 1024 * 1024
# The deepest body we take is an article: object > body list > block object. Deeper is hostile; far deeper
# made json.loads (or a later json.dumps) raise RecursionError, a 500 with a traceback per request.
MAX_JSON_DEPTH = 16
# Lone UTF-16 surrogates arrive as "\\ud800" escapes, which json.loads accepts; UTF-8 (and so DynamoDB) cannot.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_TITLE = 200
MAX_SHORT_TEXT = 200
MAX_BLOCKS = 500
MAX_PARAGRAPH = 20_000
MAX_CAPTION = 1_000
# DynamoDB items stop at 400 KB; leave room for the other attributes and photo snapshots.
MAX_ARTICLE_TEXT_BYTES = 300 * 1024
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")

ARTICLE_FIELDS = {"title", "subtitle", "category", "source", "author", "notice", "cover_photo_id", "body"}
ARTICLE_FIELDS |= {"flags", "pinned_until"}  # the home page's features (chalicelib/featured.py)
FLAGS = ("headline", "carousel", "recommended")  # 头条, 幻灯, 推荐
# Returned by the API; accepted back in a PUT and ignored, so clients can send what they got.
READ_ONLY_FIELDS = {
    "id",
    "status",
    "published_at",
    "created_at",
    "updated_at",
    "url",
    "scheduled",
    "review",
    "pending_revision",
    "word_hits",
}


def parse_json(raw: bytes | None) -> dict[str, Any]:
    """The request body as a JSON object; malformed, oversized, too deep or non-UTF-8 text is a 400."""
    if raw is not None and len(raw) > MAX_JSON_BYTES:
        raise InvalidInput(
            f"request body is larger than {MAX_JSON_BYTES} bytes",
            field="body",
            code="body_too_large",
            limit=MAX_JSON_BYTES,
        )
    try:
        value = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("request body is not valid JSON", field="body", code="bad_json") from None
    except RecursionError:
        raise _too_deep() from None
    if not isinstance(value, dict):
        raise InvalidInput("request body must be a JSON object", field="body", code="not_an_object")
    _check_tree(value)
    return value


def _too_deep() -> InvalidInput:
    return InvalidInput(f"request body is nested more than {MAX_JSON_DEPTH} levels deep", field="body", code="too_deep")


def _check_tree(value: dict[str, Any]) -> None:
    """Bound the nesting and refuse lone surrogates anywhere, naming the field; iterative, so never recursing."""
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        if isinstance(node, str):  # never the body itself (an object): a string always has its field's path
            if LONE_SURROGATE.search(node):
                raise InvalidInput(f"{path} contains an unpaired UTF-16 surrogate", field=path, code="bad_characters")
        elif isinstance(node, dict):
            for key, item in node.items():
                field = f"{path}.{key}" if path else key
                if LONE_SURROGATE.search(key):
                    raise InvalidInput(
                        "a field name contains an unpaired UTF-16 surrogate",
                        field=path or "body",
                        code="bad_characters",
                    )
                stack.append((item, field, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, f"{path}[{index}]", depth + 1) for index, item in enumerate(node))


def article_fields(data: dict[str, Any], *, with_version: bool) -> dict[str, Any]:
    """Checked article fields (title, category, body, ...) and, for a PUT, `version`."""
    allowed = ARTICLE_FIELDS | ({"version"} | READ_ONLY_FIELDS if with_version else set())
    _reject_unknown(data, allowed, prefix="")
    fields: dict[str, Any] = {
        "title": text(data, "title", MAX_TITLE, required=True),
        "subtitle": text(data, "subtitle", MAX_SHORT_TEXT),
        "category": identifier(data, "category", required=True),
        "source": text(data, "source", MAX_SHORT_TEXT),
        "author": text(data, "author", MAX_SHORT_TEXT),
        "cover_photo_id": identifier(data, "cover_photo_id"),
        "notice": boolean(data, "notice"),
        "body": checked_blocks(data.get("body", [])),
        "flags": flags(data),
        "pinned_until": timestamp(data, "pinned_until", get_settings().site_timezone),  # as published_at
    }
    size = sum(len(json.dumps(b, ensure_ascii=False).encode()) for b in fields["body"])
    fields["body"] = article_body.from_json(fields["body"])  # from here on, the article's types
    if size > MAX_ARTICLE_TEXT_BYTES:
        raise InvalidInput(
            f"body is {size // 1024} KB; an article holds at most {MAX_ARTICLE_TEXT_BYTES // 1024} KB of text",
            field="body",
            code="article_too_large",
            limit=MAX_ARTICLE_TEXT_BYTES,
        )
    if with_version:
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise InvalidInput(
                "version is required: the version this edit is based on", field="version", code="version_required"
            )
        fields["version"] = version
    return fields


def blocks(value: Any) -> Body:
    """A body as the editors' app sends it, checked, as blocks."""
    return article_body.from_json(checked_blocks(value))


def checked_blocks(value: Any) -> list[dict[str, Any]]:
    """A body as the editors' app sends it, checked: JSON that `article_body.from_json` reads."""
    from chalicelib import media_blocks  # it uses this module's checks: imported when first needed

    if not isinstance(value, list):
        raise InvalidInput("body must be a list of blocks", field="body", code="body_not_list")
    if len(value) > MAX_BLOCKS:
        raise InvalidInput(
            f"body has more than {MAX_BLOCKS} blocks", field="body", code="too_many_blocks", limit=MAX_BLOCKS
        )
    checked = []
    for index, block in enumerate(value):
        where = f"body[{index}]"
        if not isinstance(block, dict):
            raise InvalidInput(f"{where} must be an object", field=where, code="bad_block")
        kind = block.get("type")
        if isinstance(kind, str) and kind in media_blocks.BLOCK_FIELDS:  # attachment, video (issue 24)
            _reject_unknown(block, media_blocks.BLOCK_FIELDS[kind][0], prefix=f"{where}.")
            checked.append(media_blocks.checked(kind, block, where))
            continue
        if not isinstance(kind, str) or kind not in BLOCK_FIELDS:
            kinds = ", ".join([*BLOCK_FIELDS, *media_blocks.BLOCK_FIELDS])
            raise InvalidInput(f"{where}.type must be one of: {kinds}", field=f"{where}.type", code="bad_block_type")
        allowed, required = BLOCK_FIELDS[kind]
        _reject_unknown(block, allowed, prefix=f"{where}.")
        checked.append(_block(kind, block, where))
    return checked


def _block(kind: str, block: dict[str, Any], where: str) -> dict[str, Any]:
    """One checked block of a known type (the rich-text ones are checked by `richtext.schema`)."""
    if kind == "photo":
        return {
            "type": kind,
            "photo_id": identifier(block, "photo_id", required=True, where=where),
            "caption": text(block, "caption", MAX_CAPTION, where=where),
            "alt": text(block, "alt", MAX_CAPTION, where=where),
        }
    if kind == "heading":
        return {"type": kind, "text": text(block, "text", MAX_TITLE, required=True, where=where)}
    if kind == "list":
        return {"type": kind, "ordered": schema.flag(block, "ordered", where), "items": schema.list_items(block, where)}
    if kind == "table":
        return {"type": kind, "header": schema.flag(block, "header", where), "rows": schema.table_rows(block, where)}
    value = text(block, "text", MAX_PARAGRAPH, required=True, where=where)
    return {"type": kind, **schema.marked(block, value or "", where)}  # paragraph, quote


def text(data: dict[str, Any], name: str, limit: int, *, required: bool = False, where: str = "") -> str | None:
    field = f"{where}.{name}" if where else name
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise InvalidInput(f"{field} is required", field=field, code="required")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be a string", field=field, code="not_text")
    if not value.strip():
        raise InvalidInput(f"{field} must not be empty", field=field, code="empty")
    if len(value) > limit:
        raise InvalidInput(f"{field} is longer than {limit} characters", field=field, code="too_long", limit=limit)
    if "\x00" in value:
        raise InvalidInput(f"{field} contains a NUL character", field=field, code="bad_characters")
    return value


def identifier(data: dict[str, Any], name: str, *, required: bool = False, where: str = "") -> str | None:
    field = f"{where}.{name}" if where else name
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise InvalidInput(f"{field} is required", field=field, code="required")
        return None
    if not isinstance(value, str) or not ID.fullmatch(value):
        raise InvalidInput(f"{field} is not a valid id", field=field, code="bad_id")
    return value


def boolean(data: dict[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise InvalidInput(f"{name} must be true or false", field=name, code="not_boolean")
    return value


def integer(data: dict[str, Any], name: str, low: int, high: int, default: int | None = None) -> int:
    value = data.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(
            f"{name} must be an integer from {low} to {high}", field=name, code="out_of_range", low=low, high=high
        )
    return value


def slug(value: str, field: str = "slug") -> str:
    if not SLUG.fullmatch(value or ""):
        raise InvalidInput(f"{field}: 1-64 lowercase letters, digits or '-'", field=field, code="bad_slug")
    return value


def flags(data: dict[str, Any]) -> list[str]:
    """An article's `flags`: a list of distinct FLAGS, in FLAGS order."""
    value = data.get("flags", [])
    if not isinstance(value, list) or any(flag not in FLAGS for flag in value):
        raise InvalidInput(f"flags must be a list of {', '.join(FLAGS)}", field="flags", code="flags")
    return [flag for flag in FLAGS if flag in value]


def timestamp(data: dict[str, Any], name: str, timezone_name: str) -> datetime | None:
    """An ISO-8601 time; without an offset it is read in the site's time zone."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be an ISO-8601 date-time string", field=name, code="bad_time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{name} must be an ISO-8601 date-time, e.g. 2026-12-01T09:00:00+08:00", field=name, code="bad_time"
        ) from None
    if not 2000 <= moment.year <= 2100:
        raise InvalidInput(f"{name} must be between the years 2000 and 2100", field=name, code="time_out_of_range")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone_name))
    return moment


def only_fields(data: dict[str, Any], allowed: set[str]) -> None:
    _reject_unknown(data, allowed, prefix="")


def _reject_unknown(data: dict[str, Any], allowed: set[str], prefix: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(f"unknown field: {prefix}{unknown[0]}", field=f"{prefix}{unknown[0]}", code="unknown_field")
