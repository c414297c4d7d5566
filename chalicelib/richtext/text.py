"""Rich text read back: plain text (search, excerpts, JSON-LD: marks dropped) and runs for the templates.

A run is a stretch inside one link or outside links: `{"href", "external", "pieces"}`, each piece
`{"bold", "italic", "underline", "lines"}`; the template nests the tags and puts `<br>` between lines, all
text escaped by autoescape.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.article_body import Block, Heading, Inline, ListBlock, Photo, Table, TextBlock
from chalicelib.richtext.links import is_external

LINE_BREAK = re.compile(r"\r\n|\r|\n")
STYLES = ("bold", "italic", "underline")


def plain(block: Block) -> str:
    """A block's text without marks: list items one a line, table cells by tabs and rows by lines."""
    if isinstance(block, TextBlock | Heading):
        return block.text
    if isinstance(block, Photo):
        return block.caption or ""
    if isinstance(block, ListBlock):
        lines = []
        for item in block.items:
            lines.append(item.text)
            lines.extend(sub.text for sub in item.items or [])
        return "\n".join(lines)
    if isinstance(block, Table):
        return "\n".join("\t".join(cell.text for cell in row) for row in block.rows)
    return ""


def runs(inline: Inline, site_url: str) -> list[dict[str, Any]]:
    """`inline`'s text cut where marks start or end, grouped by link."""
    text = inline.text
    marks = [m for m in inline.marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    result: list[dict[str, Any]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        active = [m for m in marks if m.start <= start and end <= m.end]
        link = next((m for m in active if m.type == "link"), None)
        piece: dict[str, Any] = {style: any(m.type == style for m in active) for style in STYLES}
        piece["lines"] = LINE_BREAK.split(text[start:end])
        if result and result[-1]["link"] is link:
            result[-1]["pieces"].append(piece)
            continue
        href = link.href if link else None
        result.append(
            {"link": link, "href": href, "external": bool(href and is_external(href, site_url)), "pieces": [piece]}
        )
    for run in result:
        del run["link"]
    return result


def reader_block(block: Block, site_url: str) -> dict[str, Any] | None:
    """What the article template needs of a text block (paragraph, quote, list, table); None for other types."""
    if isinstance(block, TextBlock):
        return {"type": block.type, "runs": runs(block, site_url)}
    if isinstance(block, ListBlock):
        entries = [  # not "items": jinja2 would find the dict's method
            {"runs": runs(item, site_url), "nested": [{"runs": runs(sub, site_url)} for sub in item.items or []]}
            for item in block.items
        ]
        return {"type": "list", "ordered": block.ordered, "entries": entries}
    if isinstance(block, Table):
        rows = [[{"runs": runs(cell, site_url)} for cell in row] for row in block.rows]
        return {"type": "table", "head": rows[0] if block.header else None, "rows": rows[1:] if block.header else rows}
    return None
