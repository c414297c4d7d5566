"""HTML tables read into table blocks (part of `walker`): cells as inline text, rows padded to one width.

A table inside a cell, list item or quote is read as text (cells on lines); colspan pads with empty cells.
"""

from __future__ import annotations

from typing import Any

MAX_COLSPAN = 20


def table_edge(walker: Any, tag: str, opening: bool, values: dict[str, str], max_columns: int) -> None:
    """Walker `walker` meets a table tag."""
    if tag == "table" and (walker.nested_tables or walker.in_cell or walker.lists or walker.quote_depth):
        walker.nested_tables += 1 if opening else -1
        walker.buffer.separate()
        return
    if walker.nested_tables or (walker.table is None and tag != "table"):
        walker.buffer.separate()
        return
    if tag == "table":
        _table(walker, opening, max_columns)
    elif tag == "thead":
        walker.table["head"] = opening
    elif tag == "tr" and opening:
        walker.table["all_th"] = True
    elif tag == "tr":
        _end_row(walker)
    elif tag in ("td", "th", "caption") and opening:
        walker.in_cell = True  # cells do not nest: a table in a cell is a nested table, read above
        walker.table["colspan"] = _colspan(values.get("colspan"))
    elif tag in ("td", "th", "caption"):
        walker.in_cell = False
        _end_cell(walker, tag)


def _table(walker: Any, opening: bool, max_columns: int) -> None:
    if opening:
        walker._flush()
        walker._close_word_list()
        walker.table = {"rows": [], "row": [], "head": False, "caption": None}  # "all_th" comes with each row
        return
    table, walker.table = walker.table, None
    _end_row_of(table)
    rows = [row for row in table["rows"] if any(cell["text"] for cell in row)]
    if table["caption"]:
        walker.blocks.append({"type": "paragraph", **table["caption"]})
    if rows:
        width = min(max(len(row) for row in rows), max_columns)
        rows = [(row + [{"text": ""}] * width)[:width] for row in rows]
        header = bool(table.get("first_is_header")) and any(c["text"] for c in table["rows"][0])
        if not header and len(rows) > 1 and all(_all_bold(cell) for cell in rows[0]):
            header = True  # Word's and WPS's header rows: bold <td>s
            rows[0] = [{"text": cell["text"]} for cell in rows[0]]
        walker.blocks.append({"type": "table", "header": header, "rows": rows})
    walker._place_photos()


def _end_cell(walker: Any, tag: str) -> None:
    table = walker.table
    inline = walker.buffer.take()
    if tag == "caption":
        table["caption"] = inline if inline["text"] else None
        return
    table["row"].append(inline)  # in a row: html5ever's cleaning puts every cell in a <tr>
    table["row"].extend({"text": ""} for _ in range(table["colspan"] - 1))
    table["all_th"] = table["all_th"] and tag == "th"


def _end_row(walker: Any) -> None:
    _end_row_of(walker.table)


def _end_row_of(table: dict[str, Any]) -> None:
    row = table["row"]
    if not row:
        return
    if not table["rows"]:
        table["first_is_header"] = table["all_th"] or table["head"]
    table["rows"].append(row)
    table["row"] = []


def _colspan(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), MAX_COLSPAN))
    except ValueError:
        return 1


def _all_bold(cell: dict[str, Any]) -> bool:
    return any(m["type"] == "bold" and m["end"] - m["start"] == len(cell["text"]) for m in cell.get("marks", []))
