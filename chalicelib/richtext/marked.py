"""Rich text as one canonical plain text with its marks written in: what a diff compares and shows.

`**bold**`, `*italic*`, `<u>underline</u>`, `[text](href)`; list items one a line (`• ` or `1. `, sub-items
indented), table cells by ` | ` and rows by lines, a quote's lines after `> `. Two blocks read the same here
only if their text and marks are the same: a link's new target, or a word made bold, is a change.
"""

from __future__ import annotations

from typing import Any

OPEN = {"bold": "**", "italic": "*", "underline": "<u>", "link": "["}
CLOSE = {"bold": "**", "italic": "*", "underline": "</u>"}


def inline(data: dict[str, Any]) -> str:
    """`{"text", "marks"}` with each mark's opening and closing written where it starts and ends."""
    chars = list(str(data.get("text") or ""))
    marks = sorted(data.get("marks") or [], key=lambda m: (int(m["start"]), -int(m["end"]), str(m["type"])))
    opening: dict[int, list[str]] = {}
    closing: dict[int, list[str]] = {}
    for mark in marks:
        kind = str(mark["type"])
        opening.setdefault(int(mark["start"]), []).append(OPEN.get(kind, ""))
        close = f"]({mark.get('href', '')})" if kind == "link" else CLOSE.get(kind, "")
        closing.setdefault(int(mark["end"]), []).insert(0, close)
    out = []
    for at in range(len(chars) + 1):
        out += closing.get(at, []) + opening.get(at, [])
        if at < len(chars):
            out.append(chars[at])
    return "".join(out)


def marked(block: dict[str, Any]) -> str:
    """A text block (paragraph, heading, quote, list, table) as canonical marked text."""
    kind = block.get("type")
    if kind == "quote":
        return "\n".join(f"> {line}" for line in inline(block).split("\n"))
    if kind == "list":
        lines = []
        for number, item in enumerate(block.get("items") or [], 1):
            bullet = f"{number}. " if block.get("ordered") else "• "
            lines.append(bullet + inline(item))
            lines += [f"    • {inline(sub)}" for sub in item.get("items") or []]
        return "\n".join(lines)
    if kind == "table":
        return "\n".join(" | ".join(inline(cell) for cell in row) for row in block.get("rows") or [])
    return inline(block)
