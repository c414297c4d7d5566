"""Short plain-text excerpts of an article for search engines, link previews and feed summaries."""

from __future__ import annotations

import re

from chalicelib.article_body import Body, Photo, TextBlock
from chalicelib.richtext.text import plain

EXCERPT_CHARS = 120  # about what a search result shows of a Chinese description
ARTICLE_BODY_CHARS = 5_000  # JSON-LD's articleBody: the whole of most notices, without doubling a long page


def first_paragraph(body: Body, limit: int = EXCERPT_CHARS) -> str:
    """The first non-empty paragraph, whitespace collapsed, cut to `limit` characters with an ellipsis."""
    for block in body:
        if isinstance(block, TextBlock) and block.type == "paragraph":
            text = re.sub(r"\s+", " ", block.text).strip()
            if text:
                return shorten(text, limit)
    return ""


def body_text(body: Body, limit: int = ARTICLE_BODY_CHARS) -> str:
    """The article's text without marks or photos (JSON-LD's articleBody): a block a line, cut to `limit`."""
    texts = (plain(block) for block in body if not isinstance(block, Photo))
    return shorten("\n".join(text for text in texts if text.strip()), limit)


def shorten(text: str, limit: int = EXCERPT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
