"""An article's body as types: the blocks editors write, and the one place their stored JSON is read and written.

Every module past validation works with these (pages, search, feeds, diffs, the photo snapshots, the API's
answer); only `from_json`/`to_json` here see the body as JSON. The JSON is the stored one, key for key,
a block's empty fields left out:
`{"type": "paragraph" | "quote", "text", "marks"?}`, `{"type": "heading", "text"}`,
`{"type": "list", "ordered", "items": [{"text", "marks"?, "items"?}]}`, `{"type": "table", "header", "rows"}`,
`{"type": "photo", "photo_id", "caption", "alt", "media"?}` (`media`: the photo's snapshot, article_photos.py),
`{"type": "attachment", "attachment_id", "filename", "size"}` and
`{"type": "video", "provider", "video_id", "poster_photo_id", "caption"}` (media_blocks.py).
Templates read attributes as they read keys. Plain dataclasses: docs/architecture.md ("Typed article") says what
msgspec would have cost and saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeAlias

Json: TypeAlias = dict[str, Any]  # one block, mark, item or cell as stored (only this module reads it)


@dataclass(slots=True)
class Mark:
    """Bold, italic, underline or a link over code points [start, end) of its text."""

    type: str
    start: int
    end: int
    href: str | None = None  # links only


@dataclass(slots=True)
class Inline:
    """Text with marks: a table cell, and the base of list items and text blocks."""

    text: str
    marks: list[Mark] = field(default_factory=list)


@dataclass(slots=True)
class ListItem(Inline):
    items: list[ListItem] | None = None  # a nested list (one level); None: none


@dataclass(slots=True)
class TextBlock(Inline):
    """A paragraph or a quote."""

    type: Literal["paragraph", "quote"] = "paragraph"


@dataclass(slots=True)
class Heading:
    type: ClassVar[str] = "heading"
    text: str


@dataclass(slots=True)
class ListBlock:
    type: ClassVar[str] = "list"
    items: list[ListItem]
    ordered: bool = False


@dataclass(slots=True)
class Table:
    type: ClassVar[str] = "table"
    rows: list[list[Inline]]
    header: bool = False


@dataclass(slots=True)
class PhotoMedia:
    """What a page needs of the photo's record, copied into the block (article_photos.media_snapshot)."""

    status: str
    width: int | None = None
    height: int | None = None
    color: str | None = None
    widths: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Photo:
    type: ClassVar[str] = "photo"
    photo_id: str
    caption: str | None = None
    alt: str | None = None
    media: PhotoMedia | None = None


@dataclass(slots=True)
class Attachment:
    type: ClassVar[str] = "attachment"
    attachment_id: str
    filename: str
    size: int


@dataclass(slots=True)
class Video:
    type: ClassVar[str] = "video"
    provider: str
    video_id: str
    poster_photo_id: str | None = None
    caption: str | None = None


Block: TypeAlias = TextBlock | Heading | ListBlock | Table | Photo | Attachment | Video
Body: TypeAlias = list[Block]


def from_json(blocks: list[Json]) -> Body:
    """The stored JSON (or validation's checked JSON) as blocks."""
    return [block_from_json(block) for block in blocks]


def to_json(body: Body) -> list[Json]:
    """The blocks as stored."""
    return [block_to_json(block) for block in body]


def block_from_json(block: Json) -> Block:
    kind = block["type"]
    if kind == "paragraph" or kind == "quote":
        return TextBlock(block["text"], _marks(block), kind)
    if kind == "photo":
        media = block.get("media")
        return Photo(block["photo_id"], block.get("caption"), block.get("alt"), _media(media) if media else None)
    if kind == "heading":
        return Heading(block["text"])
    if kind == "list":
        return ListBlock([_item(item) for item in block["items"]], bool(block.get("ordered")))
    if kind == "table":
        return Table([[_inline(cell) for cell in row] for row in block["rows"]], bool(block.get("header")))
    if kind == "attachment":
        return Attachment(block["attachment_id"], block["filename"], int(block["size"]))
    if kind == "video":
        return Video(block["provider"], block["video_id"], block.get("poster_photo_id"), block.get("caption"))
    raise ValueError(f"unknown block type: {kind!r}")


def block_to_json(block: Block) -> Json:
    """The block as stored: its empty fields (None, "", [], false) left out."""
    return {name: value for name, value in _block_json(block).items() if value not in (None, "", [], False)}


def editor_json(block: Block) -> Json:
    """The block as an editor wrote it: as stored, without the photo's snapshot (the API's view, revisions)."""
    stored = block_to_json(block)
    stored.pop("media", None)
    return stored


def _block_json(block: Block) -> Json:
    if isinstance(block, TextBlock):
        return {"type": block.type, **inline_to_json(block)}
    if isinstance(block, Photo):
        media = media_to_json(block.media) if block.media is not None else None
        return {"type": "photo", "photo_id": block.photo_id, "caption": block.caption, "alt": block.alt, "media": media}
    if isinstance(block, Heading):
        return {"type": "heading", "text": block.text}
    if isinstance(block, ListBlock):
        return {"type": "list", "ordered": block.ordered, "items": [_item_to_json(item) for item in block.items]}
    if isinstance(block, Table):
        return {"type": "table", "header": block.header, "rows": [[inline_to_json(c) for c in r] for r in block.rows]}
    if isinstance(block, Attachment):
        return {
            "type": "attachment",
            "attachment_id": block.attachment_id,
            "filename": block.filename,
            "size": block.size,
        }
    return {
        "type": "video",
        "provider": block.provider,
        "video_id": block.video_id,
        "poster_photo_id": block.poster_photo_id,
        "caption": block.caption,
    }


def inline_to_json(inline: Inline) -> Json:
    """`{"text", "marks"?}`: marks left out when there are none."""
    stored: Json = {"text": inline.text}
    if inline.marks:
        stored["marks"] = [_mark_to_json(mark) for mark in inline.marks]
    return stored


def media_to_json(media: PhotoMedia) -> Json:
    return {
        "status": media.status,
        "width": media.width,
        "height": media.height,
        "color": media.color,
        "widths": list(media.widths),
    }


def _marks(data: Json) -> list[Mark]:
    return [Mark(m["type"], m["start"], m["end"], m.get("href")) for m in data.get("marks") or ()]


def _inline(data: Json) -> Inline:
    return Inline(data.get("text") or "", _marks(data))


def _item(data: Json) -> ListItem:
    nested = data.get("items")
    return ListItem(data.get("text") or "", _marks(data), [_item(i) for i in nested] if nested is not None else None)


def _media(data: Json) -> PhotoMedia:
    widths = [int(w) for w in data.get("widths") or ()]
    return PhotoMedia(data.get("status") or "", data.get("width"), data.get("height"), data.get("color"), widths)


def _mark_to_json(mark: Mark) -> Json:
    stored: Json = {"type": mark.type, "start": mark.start, "end": mark.end}
    if mark.href is not None:
        stored["href"] = mark.href
    return stored


def _item_to_json(item: ListItem) -> Json:
    stored = inline_to_json(item)
    if item.items is not None:
        stored["items"] = [_item_to_json(i) for i in item.items]
    return stored
