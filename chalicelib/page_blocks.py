"""An article's body as its page's blocks: rich text as runs, photos with their renditions, files and videos.

The same for every view of the same stored article, so pages.py keeps them (kept_parts.py).
"""

from __future__ import annotations

from typing import Any

from chalicelib import media_blocks
from chalicelib.article_body import Attachment, Body, Heading, Photo, PhotoMedia, Video
from chalicelib.articles import ArticleSummary
from chalicelib.config import Site
from chalicelib.media_keys import rendition_url
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
# The carousel: one slide the width of the page's column (as an article's photo).
CAROUSEL_SIZES = "(max-width: 600px) calc(100vw - 24px), (max-width: 1080px) calc(100vw - 98px), 1016px"


def headline_photo(
    site: Site, article: ArticleSummary, block: Photo, eager: bool, sizes: str = HEADLINE_SIZES
) -> dict[str, Any]:
    """A home headline: the photo links to its article and is captioned with its title (so alt is empty)."""
    return {**photo_context(site, block, eager, sizes=sizes), "caption": article.title, "alt": ""}


def body_blocks(site: Site, body: Body) -> list[dict[str, Any]]:
    blocks = []
    first_photo = True
    text_before = 0  # characters of text above the first photo (what comes after it is not read)
    for block in body:
        if rich := reader_block(block, site.url):  # paragraphs, quotes, lists, tables: runs of marked text
            blocks.append(rich)
            text_before += len(plain(block))
        elif isinstance(block, Heading):
            blocks.append({"type": "heading", "text": block.text})
            text_before += len(block.text)
        elif isinstance(block, Photo):
            eager = first_photo and text_before <= EAGER_TEXT_BEFORE
            blocks.append({"type": "photo", "photo": photo_context(site, block, eager)})
            first_photo = False
        elif isinstance(block, Attachment | Video):
            blocks.append(media_blocks.page_block(block, site.base_path, site.media_base_url))
    return blocks


UNKNOWN_MEDIA = PhotoMedia(PhotoStatus.PENDING)  # a photo block saved without its snapshot: shown as pending


def photo_context(site: Site, block: Photo, eager: bool, sizes: str = PHOTO_SIZES) -> dict[str, Any]:
    """What a photo block needs to render without a layout shift or a broken image.

    The caption is the figure's text: an alt that would only repeat it is empty, so screen readers
    read it once (the figure is named by its figcaption); an alt of its own is kept.
    """
    media = block.media or UNKNOWN_MEDIA
    caption = block.caption or ""
    alt = block.alt or caption
    width, height = media.width, media.height
    photo: dict[str, Any] = {
        "caption": caption,
        "alt": "" if alt == caption else alt,
        "width": int(width) if width else None,
        "height": int(height) if height else None,
        "color": media.color or "#e8e8e8",
        "loading": "eager" if eager else "lazy",
        "priority": "high" if eager else None,  # the first screen's photo: the LCP element, fetched first
        "state": media.status,
        "src": None,
        "sources": [],
        "srcset": None,
        "sizes": sizes,
    }
    if photo["state"] != PhotoStatus.READY:
        return photo
    photo_id = block.photo_id
    widths = sorted(media.widths)
    if not widths:  # never the original: it is private and keeps its metadata
        photo["state"] = "unavailable"
        return photo
    base = site.media_base_url
    photo["sources"] = [
        {"type": "image/webp", "srcset": ", ".join(f"{rendition_url(base, photo_id, w, 'webp')} {w}w" for w in widths)},
    ]
    photo["srcset"] = ", ".join(f"{rendition_url(base, photo_id, w, 'jpg')} {w}w" for w in widths)
    photo["src"] = rendition_url(base, photo_id, widths[-1], "jpg")
    return photo
