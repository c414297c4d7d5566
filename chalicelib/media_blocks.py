"""The attachment and video blocks: checked like the other blocks, and what a reader page shows for them.

`{"type": "attachment", "attachment_id", "filename", "size"}`: a checked upload (chalicelib/attachments.py);
readers see 附件 with its name, type and size, and download it through `/files/{attachment_id}`.
`{"type": "video", "url"}` (a Tencent Video or Bilibili link) is stored as `{"provider", "video_id"}`;
`{"type": "video", "provider": "mp4", "video_id", "poster_photo_id"?}` is an MP4 uploaded here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalicelib import file_types, videos
from chalicelib.article_body import Attachment, Video
from chalicelib.errors import InvalidInput
from chalicelib.ids import ID
from chalicelib.media_keys import rendition_url, video_key

MAX_FILENAME = 255
MAX_CAPTION = 1_000
MAX_SIZE = 10 * 1024**3
BLOCK_FIELDS = {
    "attachment": ({"type", "attachment_id", "filename", "size"}, {"attachment_id", "filename", "size"}),
    "video": ({"type", "url", "provider", "video_id", "poster_photo_id", "caption"}, set()),
}
POSTER_WIDTH = 640


def checked(kind: str, block: dict[str, Any], where: str) -> dict[str, Any]:
    """A checked attachment or video block (unknown fields were refused by the caller)."""
    if kind == "attachment":
        return _attachment(block, where)
    return _video(block, where)


def _attachment(block: dict[str, Any], where: str) -> dict[str, Any]:
    attachment_id = _id(block, "attachment_id", where)
    filename = block.get("filename")
    kind = file_types.file_type(filename) if isinstance(filename, str) else None
    if not isinstance(filename, str) or len(filename) > MAX_FILENAME or kind is None or kind.extension == "mp4":
        raise InvalidInput(f"{where}.filename must name an accepted file", field=f"{where}.filename")
    size = block.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= MAX_SIZE:
        raise InvalidInput(f"{where}.size must be the file's size in bytes", field=f"{where}.size")
    return {"type": "attachment", "attachment_id": attachment_id, "filename": filename, "size": size}


def _video(block: dict[str, Any], where: str) -> dict[str, Any]:
    url, provider = block.get("url"), block.get("provider")
    if isinstance(url, str) and url.strip() and provider is None:
        provider, video_id = videos.from_url(url, f"{where}.url")
    elif provider == "mp4":
        video_id = str(_id(block, "video_id", where))
    elif isinstance(provider, str) and isinstance(block.get("video_id"), str):
        video_id = block["video_id"]
        if not videos.valid_id(provider, video_id):
            raise videos.refused(f"{where}.video_id")
    else:
        raise videos.refused(f"{where}.url")
    caption = block.get("caption")
    if caption is not None and (not isinstance(caption, str) or len(caption) > MAX_CAPTION):
        raise InvalidInput(f"{where}.caption must be text of at most {MAX_CAPTION}", field=f"{where}.caption")
    poster = _id(block, "poster_photo_id", where, required=False) if provider == "mp4" else None
    return {"type": "video", "provider": provider, "video_id": video_id, "poster_photo_id": poster, "caption": caption}


def _id(block: dict[str, Any], name: str, where: str, required: bool = True) -> str | None:
    value = block.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not ID.fullmatch(value):
        raise InvalidInput(f"{where}.{name} is not a valid id", field=f"{where}.{name}")
    return value


def page_block(block: Attachment | Video, base_path: str, media_base_url: str) -> dict[str, Any]:
    """What the article page shows for an attachment or video block."""
    if isinstance(block, Attachment):
        kind = file_types.file_type(block.filename)
        return {
            "type": "attachment",
            "url": f"{base_path}/files/{quote(block.attachment_id)}",
            "filename": block.filename,
            "label": kind.label if kind else "",
            "size": file_types.size_label(block.size),
        }
    provider, video_id = block.provider, block.video_id
    video: dict[str, Any] = {"type": "video", "caption": block.caption or "", "player": None, "src": None}
    if provider == "mp4":
        video["src"] = f"{media_base_url}/{quote(video_key(video_id))}"
        poster = block.poster_photo_id
        video["poster"] = rendition_url(media_base_url, poster, POSTER_WIDTH, "jpg") if poster else None
    elif videos.valid_id(provider, video_id):
        video["player"] = videos.player_url(provider, video_id)
    return video
