"""An article's body as its page's blocks: rich text as runs, photos with their renditions, files and videos.

The same for every view of the same stored article, so pages.py keeps them (kept_parts.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalicelib import media_blocks
from chalicelib.articles import ArticleSummary
from chalicelib.config import Site
from chalicelib.media_keys import renditions_folder
from chalicelib.richtext.text import plain, reader_block
from chalicelib.statuses import PhotoStatus

# Only a photo that is above the fold on a phone loads at once: the first one, if at most this
# much text comes before it (a 390 px phone shows about 20 CJK characters a line under the title).
EAGER_TEXT_BEFORE = 120
# The article column's width (base.html): the page less the margins below 600 px, the page less
# the box's margins and padding up to 918 px, then 820 px. Phones fetch the rendition they need.
PHOTO_SIZES = "(max-width: 600px) calc(100vw - 24px), (max-width: 918px) calc(100vw - 98px), 820px"
# A home headline: four in a row from 760 px (each a quarter of the 1080 px page less gaps), two below.
HEADLINE_SIZES = "(max-width: 600px) calc(50vw - 18px), (max-width: 760px) calc(50vw - 60px), 240px"


def headline_photo(site: Site, article: ArticleSummary, block: dict[str, Any], eager: bool) -> dict[str, Any]:
    """A home headline: the photo links to its article and is captioned with its title (so alt is empty)."""
    return {**photo_context(site, block, eager, sizes=HEADLINE_SIZES), "caption": article.title, "alt": ""}


def body_blocks(site: Site, body: list[dict[str, Any]]) -> list[dict[str, Any]]:
    blocks = []
    photos_seen = 0
    text_before = 0  # characters of text above the first photo
    for block in body:
        kind = block.get("type")
        if rich := reader_block(block, site.url):  # paragraphs, quotes, lists, tables: runs of marked text
            blocks.append(rich)
            text_before += len(plain(block)) if not photos_seen else 0
        elif kind == "heading":
            blocks.append({"type": kind, "text": block.get("text") or ""})
            text_before += len(block.get("text") or "") if not photos_seen else 0
        elif kind == "photo":
            eager = photos_seen == 0 and text_before <= EAGER_TEXT_BEFORE
            blocks.append({"type": "photo", "photo": photo_context(site, block, eager)})
            photos_seen += 1
        elif kind in ("attachment", "video"):
            blocks.append(media_blocks.page_block(block, site.base_path, site.media_base_url))
    return blocks


def photo_context(site: Site, block: dict[str, Any], eager: bool, sizes: str = PHOTO_SIZES) -> dict[str, Any]:
    """What a photo block needs to render without a layout shift or a broken image.

    The caption is the figure's text: an alt that would only repeat it is empty, so screen readers
    read it once (the figure is named by its figcaption); an alt of its own is kept.
    """
    media = block.get("media") or {}
    caption = block.get("caption") or ""
    alt = block.get("alt") or caption
    width, height = media.get("width"), media.get("height")
    photo = {
        "caption": caption,
        "alt": "" if alt == caption else alt,
        "width": int(width) if width else None,
        "height": int(height) if height else None,
        "color": media.get("color") or "#e8e8e8",
        "loading": "eager" if eager else "lazy",
        "priority": "high" if eager else None,  # the first screen's photo: the LCP element, fetched first
        "state": media.get("status", PhotoStatus.PENDING),
        "src": None,
        "sources": [],
        "srcset": None,
        "sizes": sizes,
    }
    if photo["state"] != PhotoStatus.READY:
        return photo
    photo_id = quote(block.get("photo_id") or "")
    widths = sorted(int(w) for w in media.get("widths") or [])
    if not widths:  # never the original: it is private and keeps its metadata
        photo["state"] = "unavailable"
        return photo
    base = f"{site.media_base_url}/{renditions_folder(photo_id)}"
    photo["sources"] = [
        {"type": "image/webp", "srcset": ", ".join(f"{base}/{w}.webp {w}w" for w in widths)},
    ]
    photo["srcset"] = ", ".join(f"{base}/{w}.jpg {w}w" for w in widths)
    photo["src"] = f"{base}/{widths[-1]}.jpg"
    return photo
