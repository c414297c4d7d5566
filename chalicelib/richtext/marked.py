"""Rich text as one canonical plain text with its marks written in: what a diff compares and shows.

`**bold**`, `*italic*`, `<u>underline</u>`, `[text](href)`; list items one a line (`• ` or `1. `, sub-items
indented), table cells by ` | ` and rows by lines, a quote's lines after `> `. Two blocks read the same here
only if their text and marks are the same: a link's new target, or a word made bold, is a change.
"""

from __future__ import annotations

from chalicelib.article_body import Block, Heading, Inline, ListBlock, Table, TextBlock

OPEN = {"bold": "**", "italic": "*", "underline": "<u>", "link": "["}
CLOSE = {"bold": "**", "italic": "*", "underline": "</u>"}


def inline(data: Inline) -> str:
    """Text with each mark's opening and closing written where it starts and ends."""
    chars = list(data.text)
    marks = sorted(data.marks, key=lambda m: (m.start, -m.end, m.type))
    opening: dict[int, list[str]] = {}
    closing: dict[int, list[str]] = {}
    for mark in marks:
        opening.setdefault(mark.start, []).append(OPEN.get(mark.type, ""))
        close = f"]({mark.href or ''})" if mark.type == "link" else CLOSE.get(mark.type, "")
        closing.setdefault(mark.end, []).insert(0, close)
    out = []
    for at in range(len(chars) + 1):
        out += closing.get(at, []) + opening.get(at, [])
        if at < len(chars):
            out.append(chars[at])
    return "".join(out)


def marked(block: Block) -> str:
    """A text block (paragraph, heading, quote, list, table) as canonical marked text; "" for other blocks."""
    if isinstance(block, TextBlock) and block.type == "quote":
        return "\n".join(f"> {line}" for line in inline(block).split("\n"))
    if isinstance(block, ListBlock):
        lines = []
        for number, item in enumerate(block.items, 1):
            bullet = f"{number}. " if block.ordered else "• "
            lines.append(bullet + inline(item))
            lines += [f"    • {inline(sub)}" for sub in item.items or []]
        return "\n".join(lines)
    if isinstance(block, Table):
        return "\n".join(" | ".join(inline(cell) for cell in row) for row in block.rows)
    if isinstance(block, TextBlock):
        return inline(block)
    if isinstance(block, Heading):
        return block.text
    return ""
