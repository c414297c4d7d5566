"""The body's rich-text structure, written once: inline marks and the list, table and quote blocks.

Format 2 of the body (format 1 was paragraphs, headings and photos of plain text, and is still valid):

- inline text is `{"text": str, "marks": [mark, ...]}`; `marks` is optional. A mark is
  `{"type": "bold"|"italic"|"underline", "start": int, "end": int}` or
  `{"type": "link", "start": int, "end": int, "href": "https://…"}`; offsets count Unicode code points
  of `text` (JavaScript: `Array.from(text)`), `start < end`. Marks of one type never overlap (links never
  overlap links); a line break is "\\n" in `text`. Marks never change the text: plain text is `text`.
- `{"type": "paragraph" | "quote", "text", "marks"}`
- `{"type": "list", "ordered": bool, "items": [{"text", "marks", "items": [{"text", "marks"}]}]}` (one
  level of nesting)
- `{"type": "table", "header": bool, "rows": [[{"text", "marks"}, ...], ...]}`: every row as wide as the
  first; `header` makes the first row a header row.

Refusals are `InvalidInput` naming the field path (`body[3].items[0].marks[1].href`) with a stable `code`.
"""

from __future__ import annotations

from typing import Any

from chalicelib.errors import InvalidInput
from chalicelib.richtext.links import link_problem

BODY_FORMAT = 2
MARK_TYPES = ("bold", "italic", "underline", "link")
MAX_MARKS = 2_000
MAX_ITEMS = 200
MAX_ITEM_TEXT = 5_000
MAX_ROWS = 200
MAX_COLUMNS = 20
MAX_CELL_TEXT = 2_000

# Each block type: the fields it may have, and those it must have.
BLOCK_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "paragraph": ({"type", "text", "marks"}, {"text"}),
    "heading": ({"type", "text"}, {"text"}),
    "photo": ({"type", "photo_id", "caption", "alt"}, {"photo_id"}),
    "quote": ({"type", "text", "marks"}, {"text"}),
    "list": ({"type", "ordered", "items"}, {"items"}),
    "table": ({"type", "header", "rows"}, {"rows"}),
}
INLINE_FIELDS = {"text", "marks"}
ITEM_FIELDS = {"text", "marks", "items"}


def refuse(message: str, field: str, code: str) -> InvalidInput:
    return InvalidInput(f"{field} {message}", field=field, code=code)


def known_fields(data: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        field = f"{where}.{unknown[0]}"
        raise InvalidInput(f"unknown field: {field}", field=field, code="unknown_field")


def inline(data: dict[str, Any], where: str, limit: int, *, required: bool = True) -> dict[str, Any]:
    """Checked `{"text", "marks"}` of `data` (a block, list item or cell); marks sorted, `marks` left out when none."""
    value = data.get("text", "" if not required else None)
    if not isinstance(value, str):
        raise refuse("is required" if value is None else "must be a string", f"{where}.text", "text_type")
    if required and not value.strip():
        raise refuse("must not be empty", f"{where}.text", "text_empty")
    if len(value) > limit:
        raise refuse(f"is longer than {limit} characters", f"{where}.text", "text_too_long")
    if "\x00" in value:
        raise refuse("contains a NUL character", f"{where}.text", "text_nul")
    return marked(data, value, where)


def marked(data: dict[str, Any], value: str, where: str) -> dict[str, Any]:
    """`{"text": value}` with `data`'s marks checked against it (left out when there are none)."""
    checked: dict[str, Any] = {"text": value}
    marks = _marks(data.get("marks"), len(value), f"{where}.marks")
    if marks:
        checked["marks"] = marks
    return checked


def _marks(value: Any, length: int, where: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise refuse("must be a list of marks", where, "marks_type")
    if len(value) > MAX_MARKS:
        raise refuse(f"has more than {MAX_MARKS} marks", where, "marks_too_many")
    checked = [_mark(mark, length, f"{where}[{index}]") for index, mark in enumerate(value)]
    for kind in MARK_TYPES:
        spans = sorted((m["start"], m["end"], i) for i, m in enumerate(checked) if m["type"] == kind)
        for (_, end, _), (start, _, index) in zip(spans, spans[1:], strict=False):
            if start < end:
                raise refuse(f"overlaps another {kind} mark", f"{where}[{index}]", "mark_overlap")
    return sorted(checked, key=lambda m: (m["start"], MARK_TYPES.index(m["type"]), m["end"]))


def _mark(mark: Any, length: int, where: str) -> dict[str, Any]:
    if not isinstance(mark, dict):
        raise refuse("must be an object", where, "mark_type")
    kind = mark.get("type")
    if kind not in MARK_TYPES:
        raise refuse(f"type must be one of: {', '.join(MARK_TYPES)}", f"{where}.type", "mark_type")
    known_fields(mark, {"type", "start", "end", "href"} if kind == "link" else {"type", "start", "end"}, where)
    for name in ("start", "end"):
        number = mark.get(name)
        if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= length:
            raise refuse(f"must be an integer from 0 to {length} (the text's length)", f"{where}.{name}", "mark_range")
    start, end = int(mark["start"]), int(mark["end"])
    if start >= end:
        raise refuse("must be after start", f"{where}.end", "mark_range")
    checked: dict[str, Any] = {"type": kind, "start": start, "end": end}
    if kind == "link":
        href = mark.get("href")
        problem = link_problem(href)
        if problem:
            raise refuse(problem[1], f"{where}.href", problem[0])
        checked["href"] = href
    return checked


def list_items(block: dict[str, Any], where: str, *, nested: bool = False) -> list[dict[str, Any]]:
    items = block.get("items")
    field = f"{where}.items"
    if not isinstance(items, list) or not items:
        raise refuse("must be a non-empty list of items", field, "items_type")
    if len(items) > MAX_ITEMS:
        raise refuse(f"has more than {MAX_ITEMS} items", field, "items_too_many")
    checked = []
    for index, item in enumerate(items):
        at = f"{field}[{index}]"
        if not isinstance(item, dict):
            raise refuse("must be an object", at, "item_type")
        if nested and "items" in item:
            raise refuse("lists nest one level deep", f"{at}.items", "list_depth")
        known_fields(item, ITEM_FIELDS, at)
        entry = inline(item, at, MAX_ITEM_TEXT)
        if item.get("items") is not None:
            entry["items"] = list_items(item, at, nested=True)
        checked.append(entry)
    return checked


def table_rows(block: dict[str, Any], where: str) -> list[list[dict[str, Any]]]:
    rows = block.get("rows")
    field = f"{where}.rows"
    if not isinstance(rows, list) or not rows:
        raise refuse("must be a non-empty list of rows", field, "rows_type")
    if len(rows) > MAX_ROWS:
        raise refuse(f"has more than {MAX_ROWS} rows", field, "rows_too_many")
    checked = []
    for index, row in enumerate(rows):
        at = f"{field}[{index}]"
        if not isinstance(row, list) or not row:
            raise refuse("must be a non-empty list of cells", at, "row_type")
        if len(row) > MAX_COLUMNS:
            raise refuse(f"has more than {MAX_COLUMNS} cells", at, "columns_too_many")
        if index and len(row) != len(rows[0]):  # the first row, checked already, sets the width
            raise refuse(f"has {len(row)} cells; every row has as many as the first ({len(rows[0])})", at, "row_width")
        cells = []
        for column, cell in enumerate(row):
            if not isinstance(cell, dict):
                raise refuse("must be an object", f"{at}[{column}]", "cell_type")
            known_fields(cell, INLINE_FIELDS, f"{at}[{column}]")
            cells.append(inline(cell, f"{at}[{column}]", MAX_CELL_TEXT, required=False))
        checked.append(cells)
    return checked


def flag(block: dict[str, Any], name: str, where: str) -> bool:
    value = block.get(name, False)
    if not isinstance(value, bool):
        raise refuse("must be true or false", f"{where}.{name}", "flag_type")
    return value
