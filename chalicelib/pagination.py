"""Opaque cursors for newest-first listings.

A cursor is the key of the last item shown, base64url-encoded JSON. Decoding
checks its shape, so a tampered cursor is a 400, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from chalicelib.errors import InvalidInput

TABLE_KEY = "id"


def invalid_cursor() -> InvalidInput:
    """The one answer to any cursor that is not one of ours, whatever is wrong with it."""
    return InvalidInput("cursor is not valid", field="cursor", code="bad_cursor")


def encode_cursor(key: dict[str, str]) -> str:
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, fields: tuple[str, ...]) -> dict[str, str] | None:
    """The key inside `cursor`, which must hold exactly `fields` as strings."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key: Any = json.loads(raw)
    except (binascii.Error, ValueError):
        raise invalid_cursor() from None
    if (
        not isinstance(key, dict)
        or set(key) != set(fields)
        or not all(isinstance(v, str) and 0 < len(v) <= 512 for v in key.values())
    ):
        raise invalid_cursor()
    return key


def _start_key(
    hash_attr: str,
    hash_value: str,
    range_attribute: Any,
    cursor: str | None,
    latest: datetime | None,
    table_key: str = TABLE_KEY,
) -> dict[str, Any] | None:
    """The exclusive start key a cursor names, checked (a cursor from the future is refused)."""
    range_attr = range_attribute.attr_name
    start = decode_cursor(cursor, (table_key, range_attr))
    if not start:
        return None
    try:
        position = range_attribute.deserialize(start[range_attr])
    except (ValueError, OverflowError):
        raise invalid_cursor() from None
    # DynamoDB compares the string, the guard the time: only the canonical spelling makes them agree
    # (pynamodb reads "999-..." as year 0999, which as a string sorts after today).
    if range_attribute.serialize(position) != start[range_attr]:
        raise invalid_cursor()
    if latest is not None and position > latest:
        raise invalid_cursor()
    return {
        table_key: {"S": start[table_key]},
        hash_attr: {"S": hash_value},
        range_attr: {"S": start[range_attr]},
    }


def previous_cursor(
    index: Any,
    hash_attr: str,
    hash_value: str,
    range_attribute: Any,
    cursor: str,
    limit: int,
    latest: datetime,
) -> str | None:
    """The cursor of the newest-first page before the page `cursor` starts; None if that is the first.

    `cursor` names the last item of the previous page, so that page is it and the `limit - 1` items
    newer than it; one oldest-first Query of `limit` items from it finds them and the item above them.
    """
    last_key = _start_key(hash_attr, hash_value, range_attribute, cursor, latest)
    newer = list(
        index.query(
            hash_value,
            scan_index_forward=True,
            limit=limit,
            last_evaluated_key=last_key,
            range_key_condition=range_attribute <= latest,
        )
    )
    if len(newer) < limit:
        return None
    above = newer[limit - 1]
    range_attr = range_attribute.attr_name
    return encode_cursor(
        {TABLE_KEY: getattr(above, TABLE_KEY), range_attr: range_attribute.serialize(getattr(above, range_attr))}
    )


def query_page(
    index: Any,
    hash_attr: str,
    hash_value: str,
    range_attribute: Any,
    cursor: str | None,
    limit: int,
    latest: datetime | None = None,
    table_key: str = TABLE_KEY,
    **query: Any,
) -> tuple[list[Any], str | None]:
    """One page of a newest-first index Query and the cursor of the next page (None on the last).

    Asks for one item more than a page holds, so the last page never links to an empty one.
    `latest` is the range condition's upper bound: DynamoDB refuses a start key beyond it.
    `table_key` names the table's hash key (`id` for articles).
    """
    range_attr = range_attribute.attr_name
    last_key = _start_key(hash_attr, hash_value, range_attribute, cursor, latest, table_key)
    results = index.query(hash_value, scan_index_forward=False, limit=limit + 1, last_evaluated_key=last_key, **query)
    items = list(results)
    if len(items) <= limit:
        return items, None
    last = items[limit - 1]
    key = {table_key: getattr(last, table_key), range_attr: range_attribute.serialize(getattr(last, range_attr))}
    return items[:limit], encode_cursor(key)
