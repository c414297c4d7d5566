"""Short plain-text excerpts of an article for search engines, link previews and feed summaries."""

from __future__ import annotations

import re
from typing import Any

EXCERPT_CHARS = 120  # about what a search result shows of a Chinese description


def first_paragraph(body: list[dict[str, Any]], limit: int = EXCERPT_CHARS) -> str:
    """The first non-empty paragraph, whitespace collapsed, cut to `limit` characters with an ellipsis."""
    for block in body:
        if block.get("type") == "paragraph":
            text = re.sub(r"\s+", " ", str(block.get("text") or "")).strip()
            if text:
                return shorten(text, limit)
    return ""


def shorten(text: str, limit: int = EXCERPT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
