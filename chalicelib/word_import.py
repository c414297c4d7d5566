"""Import a Word document (.docx) as a draft: mammoth reads it, the rich-text converter makes the blocks.

The editor uploads the file with the attachments' presigned form (`POST /api/attachments`, a `.docx`); the
import reads that upload, deletes it and stores a draft: headings, paragraphs with bold/italic/links, lists,
tables, and each embedded picture as a photo through the upload pipeline (one photo per content). A short
centred paragraph right under a picture (or one in Word's Caption style) is its caption. A `.doc` (Word
97-2003, a binary format mammoth cannot read) is refused with a code the app words as "请另存为 .docx".
Pictures that are not JPEG, PNG or WebP (EMF, WMF, GIF) are left out and named in `failed_images`.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

from chalicelib import editorial, file_types, photo_intake
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput, NewsroomError, NotFound
from chalicelib.media_keys import incoming_attachment_key
from chalicelib.photos import media_bucket_client
from chalicelib.validation import MAX_TITLE, article_fields
from chalicelib.wechat_import import require_category

SENTINEL = "https://word-import.invalid/"  # an image's placeholder src: photo/{id} or failed/{n}
MAX_CAPTION_LINE = 60
STYLE_MAP = "p[style-name='Caption'] => figcaption:fresh\np[style-name='caption'] => figcaption:fresh"


def import_upload(attachment_id: str, category: str) -> dict[str, Any]:
    """The uploaded .docx `attachment_id` as a draft in `category`; `{"article", "failed_images", "dropped"}`."""
    require_category(category)
    settings = get_settings()
    s3 = media_bucket_client()
    key = incoming_attachment_key(attachment_id)
    try:
        stored = s3.get_object(Bucket=settings.media_bucket, Key=key)
    except s3.exceptions.NoSuchKey:
        raise NotFound("no uploaded document with this id", code="word_missing") from None
    filename = unquote(stored.get("Metadata", {}).get("filename", ""))
    if int(stored.get("ContentLength", 0)) > settings.max_upload_bytes:
        s3.delete_object(Bucket=settings.media_bucket, Key=key)
        raise InvalidInput("the document is too large to import", field="file", code="word_size")
    data = stored["Body"].read()
    s3.delete_object(Bucket=settings.media_bucket, Key=key)
    return import_bytes(data, filename, category)


def import_bytes(data: bytes, filename: str, category: str) -> dict[str, Any]:
    if data.startswith(file_types.OLE2) or filename.lower().endswith(".doc"):
        raise InvalidInput("a .doc file: save it as .docx and import that", field="file", code="word_doc")
    if not data.startswith(file_types.ZIP) or not filename.lower().endswith(".docx"):
        raise InvalidInput("not a Word .docx document", field="file", code="word_type")
    blocks, failed, dropped = _convert(data)
    if not blocks:
        raise InvalidInput("the document has no content that could be imported", field="file", code="word_empty")
    title = filename.rsplit(".", 1)[0].strip() or _first_text(blocks) or "Word 文档"
    fields = article_fields({"title": title[:MAX_TITLE], "category": category, "body": blocks}, with_version=False)
    return {"article": editorial.create_article(fields), "failed_images": failed, "dropped": dropped}


def _convert(data: bytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    import mammoth  # only for this route

    from chalicelib.richtext.convert import html_to_blocks

    pictures: list[str | None] = []  # photo id per picture, None when it could not become one

    def picture(image: Any) -> dict[str, str]:
        with image.open() as stream:
            content = stream.read()
        try:
            photo_id: str | None = photo_intake.photo_from_bytes(content, "word-image", field="file").photo_id
        except NewsroomError:
            photo_id = None
        pictures.append(photo_id)
        return {"src": f"{SENTINEL}{'photo/' + photo_id if photo_id else 'failed/' + str(len(pictures) - 1)}"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            convert_image=mammoth.images.img_element(picture),
            style_map=STYLE_MAP,
            transform_document=_captions,
        )
    except Exception:  # a damaged or foreign ZIP: mammoth raises what its readers raise  # noqa: BLE001
        raise InvalidInput("the document could not be read", field="file", code="word_unreadable") from None
    converted = html_to_blocks(result.value)
    return _photos(converted.blocks) + (converted.dropped,)


def _photos(blocks: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    kept: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for block in blocks:
        src = str(block.get("src") or "")
        if block.get("type") != "photo":
            kept.append(block)
        elif src.startswith(SENTINEL + "photo/"):
            photo = {"type": "photo", "photo_id": src.removeprefix(SENTINEL + "photo/")}
            kept.append({**photo, **{k: block[k] for k in ("caption", "alt") if block.get(k)}})
        else:
            failed.append({"position": len(kept), "caption": block.get("caption") or "", "code": "photo_format"})
    return kept, failed


def _captions(document: Any) -> Any:
    """A short centred paragraph right after a paragraph holding a picture gets Word's Caption style."""
    from mammoth import documents, transforms

    children = list(document.children)
    for index in range(1, len(children)):
        before, current = children[index - 1], children[index]
        if (
            isinstance(current, documents.Paragraph)
            and isinstance(before, documents.Paragraph)
            and current.alignment == "center"
            and transforms.get_descendants_of_type(before, documents.Image)
            and 0 < len(_text(current)) <= MAX_CAPTION_LINE
        ):
            children[index] = current.copy(style_name="Caption")
    return document.copy(children=children)


def _text(element: Any) -> str:
    from mammoth import documents, transforms

    return "".join(t.value for t in transforms.get_descendants_of_type(element, documents.Text)).strip()


def _first_text(blocks: list[dict[str, Any]]) -> str:
    return next((str(b["text"]).split("\n")[0] for b in blocks if b.get("text")), "")
