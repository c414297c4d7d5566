"""The files an attachment may be, by extension, and whether a file's first bytes are what it claims.

Pure functions (no AWS): the attachment service reads the first bytes of an upload and asks here.
Executables and HTML are refused whatever they are called; an `.exe` renamed `.pdf` fails its magic.
"""

from __future__ import annotations

from dataclasses import dataclass

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel, PowerPoint
ZIP = b"PK\x03\x04"  # ZIP, and the OOXML formats (docx, xlsx, pptx), which are ZIPs


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str  # what readers see: PDF, Word, Excel ...
    magic: tuple[bytes, ...]  # the file starts with one of these (empty: checked as text)


TYPES = {
    t.extension: t
    for t in (
        FileType("pdf", "application/pdf", "PDF", (b"%PDF-",)),
        FileType("doc", "application/msword", "Word", (OLE2,)),
        FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", (ZIP,)),
        FileType("xls", "application/vnd.ms-excel", "Excel", (OLE2,)),
        FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", (ZIP,)),
        FileType("ppt", "application/vnd.ms-powerpoint", "PowerPoint", (OLE2,)),
        FileType(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint",
            (ZIP,),
        ),
        FileType("zip", "application/zip", "ZIP", (ZIP, b"PK\x05\x06")),
        FileType("rar", "application/vnd.rar", "RAR", (b"Rar!\x1a\x07",)),
        FileType("txt", "text/plain; charset=utf-8", "文本", ()),
        FileType("mp4", "video/mp4", "MP4", ()),  # checked by its `ftyp` box
    )
}
EXECUTABLE = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
HTML_STARTS = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe")
SNIFF_BYTES = 8192  # how much of a file is read to check it


def file_type(filename: str) -> FileType | None:
    """The type a file name claims by its extension, if it is one we take."""
    stem, dot, extension = filename.rpartition(".")
    return TYPES.get(extension.lower()) if dot and stem.strip() else None


def problem(kind: FileType, head: bytes) -> str | None:
    """Why a file starting with `head` is not the `kind` it claims (a stable code), or None if it is."""
    if head.startswith(EXECUTABLE):
        return "attachment_executable"
    if kind.extension == "mp4":
        return None if head[4:8] == b"ftyp" else "attachment_mismatch"
    if kind.magic:
        return None if head.startswith(kind.magic) else "attachment_mismatch"
    return _text_problem(head)


def _text_problem(head: bytes) -> str | None:
    if b"\x00" in head:
        return "attachment_mismatch"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(HTML_STARTS):
        return "attachment_html"
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            if len(head) - error.start < 4:  # a character (at most 4 bytes) cut at the end of the sniffed bytes
                return None
            continue
        return None
    return "attachment_mismatch"


def size_label(size: int) -> str:
    """A size as readers read it: 12 KB, 3.4 MB, 25 MB (also the limits in refusals, 512 KB as much as 25 MB)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1048576:.1f}".removesuffix(".0") + " MB"
