"""Rich text read back: plain text (search, excerpts, JSON-LD: marks dropped) and runs for the templates.

A run is a stretch inside one link or outside links: `{"href", "external", "pieces"}`, each piece
`{"bold", "italic", "underline", "lines"}`; the template nests the tags and puts `<br>` between lines, all
text escaped by autoescape.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.richtext.links import is_external

LINE_BREAK = re.compile(r"\r\n|\r|\n")
INLINE_TYPES = ("paragraph", "quote", "heading")
STYLES = ("bold", "italic", "underline")


def plain(block: dict[str, Any]) -> str:
    """A block's text without marks: list items one a line, table cells by tabs and rows by lines."""
    kind = block.get("type")
    if kind in INLINE_TYPES:
        return str(block.get("text") or "")
    if kind == "photo":
        return str(block.get("caption") or "")
    if kind == "list":
        lines = []
        for item in block.get("items") or []:
            lines.append(str(item.get("text") or ""))
            lines.extend(str(sub.get("text") or "") for sub in item.get("items") or [])
        return "\n".join(lines)
    if kind == "table":
        return "\n".join("\t".join(str(cell.get("text") or "") for cell in row) for row in block.get("rows") or [])
    return ""


def runs(inline: dict[str, Any], site_url: str) -> list[dict[str, Any]]:
    """`inline`'s text cut where marks start or end, grouped by link."""
    text = str(inline.get("text") or "")
    marks = [m for m in inline.get("marks") or [] if 0 <= m.get("start", -1) < m.get("end", -1) <= len(text)]
    cuts = sorted({0, len(text)} | {m["start"] for m in marks} | {m["end"] for m in marks})
    result: list[dict[str, Any]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        active = [m for m in marks if m["start"] <= start and end <= m["end"]]
        link = next((m for m in active if m["type"] == "link"), None)
        piece: dict[str, Any] = {style: any(m["type"] == style for m in active) for style in STYLES}
        piece["lines"] = LINE_BREAK.split(text[start:end])
        if result and result[-1]["link"] is link:
            result[-1]["pieces"].append(piece)
            continue
        href = link["href"] if link else None
        result.append(
            {"link": link, "href": href, "external": bool(href and is_external(href, site_url)), "pieces": [piece]}
        )
    for run in result:
        del run["link"]
    return result


def reader_block(block: dict[str, Any], site_url: str) -> dict[str, Any] | None:
    """What the article template needs of a text block (paragraph, quote, list, table); None for other types."""
    kind = block.get("type")
    if kind in ("paragraph", "quote"):
        return {"type": kind, "runs": runs(block, site_url)}
    if kind == "list":
        entries = [  # not "items": jinja2 would find the dict's method
            {"runs": runs(item, site_url), "nested": [{"runs": runs(sub, site_url)} for sub in item.get("items") or []]}
            for item in block.get("items") or []
        ]
        return {"type": kind, "ordered": bool(block.get("ordered")), "entries": entries}
    if kind == "table":
        rows = [[{"runs": runs(cell, site_url)} for cell in row] for row in block.get("rows") or []]
        header = bool(block.get("header"))
        return {"type": kind, "head": rows[0] if header else None, "rows": rows[1:] if header else rows}
    return None
