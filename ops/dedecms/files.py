"""The old site's attachments -> attachment blocks, checked and stored as the editors' app does it.

DedeCMS put downloads (报名表.doc, 通知.pdf) under `/uploads/soft/` and linked them in the article body, or made
them a download (the soft model: `addonsoft.softlinks` lists its files, named by the article's title). Each
becomes an attachment block after the body's text, in the order linked, one per file content: the
file is read under the web root (or, on another host and only when remote files are allowed, through the
safe fetcher) like the images are (images.Images.read), then goes through `attachments.start_upload`, a POST
of the signed form and `attachments.complete`: the same type, size and content checks as the app's uploads
(file_types.py; an executable or HTML file is refused and left out, reported). A file already brought, by
this run or an earlier one, is not uploaded again.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from typing import Any
from urllib.parse import unquote, urlparse

import lxml.html

from chalicelib import attachments, file_types, legacy
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput
from ops.dedecms.images import ImageProblem, Images, own_name
from ops.presigned_upload import post_form

SOFT = "/uploads/soft/"
DEDE_LINK = re.compile(r"\{dede:link\b[^}]*\}(.*?)\{/dede:link\}", re.DOTALL)


class FileProblem(Exception):
    """A linked file that cannot become an attachment; the message says why."""


def soft_links(html: str) -> list[tuple[str, str]]:
    """(href, link text) of each link in `html` to a file under /uploads/soft/, in order, each href once."""
    if not html.strip():
        return []
    found: dict[str, str] = {}
    for link in lxml.html.fragment_fromstring(html, create_parent=True).iter("a"):
        href = (link.get("href") or "").strip()
        if SOFT in unquote(urlparse(href).path) and href not in found:
            found[href] = " ".join(link.text_content().split())
    return list(found.items())


def download_links(softlinks: str, title: str) -> list[tuple[str, str]]:
    """(href, name) of each file of a download (`addonsoft.softlinks`), each once; named by the title."""
    hrefs = dict.fromkeys(href.strip() for href in DEDE_LINK.findall(softlinks) if href.strip())
    return [(href, title) for href in hrefs]


def file_name(href: str, text: str) -> str:
    """The name readers download it as: the link's text (with the file's extension), else the file's own."""
    own = own_name(urlparse(href).path)
    extension = posixpath.splitext(own)[1]
    if not text:
        return own
    return text if text.lower().endswith(extension.lower()) else f"{text}{extension}"


class Files:
    """Resolves links to the old site's files into attachment blocks, each (name, content) uploaded once.

    Like the photos, the SHA-256 is kept in the `legacy` table against the attachment: a re-run finds it."""

    def __init__(self, images: Images) -> None:
        self.images = images
        self.uploaded = 0  # in a dry run: would be
        self.reused = 0  # brought by an earlier run (or earlier in this one)

    def block_for(self, href: str, text: str) -> dict[str, Any]:
        """The attachment block for the file `href` names; FileProblem if it cannot be one."""
        name = file_name(href, text)[: attachments.MAX_FILENAME]
        kind = file_types.file_type(name)
        if kind is None:
            raise FileProblem(f"{href[:100]}: not an accepted kind of file")
        try:
            data, _ = self.images.read(href, max_bytes=get_settings().max_attachment_bytes)
        except ImageProblem as unreadable:
            raise FileProblem(str(unreadable)) from None
        if not data:
            raise FileProblem(f"{href[:100]}: the file is empty")  # said plainly, not as the upload's size rule
        problem = file_types.problem(kind, data[: file_types.SNIFF_BYTES])
        if problem:
            raise FileProblem(f"{href[:100]}: {attachments.REFUSALS.get(problem, problem)}")
        digest = hashlib.sha256(name.encode() + b"\0" + data).hexdigest()  # its name is in the stored file
        stored = legacy.attachment_with_content(digest)
        if stored is not None:
            self.reused += 1
        elif self.images.dry_run:
            self.uploaded += 1  # would be
        else:
            stored = str(self._upload(name, data, kind.content_type)["attachment_id"])
            legacy.remember_attachment(digest, stored)
            self.uploaded += 1  # counted once it is stored: a refused upload is reported, not counted
        return {
            "type": "attachment",
            "attachment_id": stored or "not-uploaded-yet",
            "filename": name,
            "size": len(data),
        }

    def _upload(self, name: str, data: bytes, content_type: str) -> dict[str, Any]:
        try:
            form = attachments.start_upload({"filename": name, "size": len(data)})
            status = post_form(form["upload"], name, data, content_type)
            if status is not None:
                raise FileProblem(f"{name}: the upload was refused ({status})")
            return attachments.complete(form["attachment_id"])
        except InvalidInput as refused:
            raise FileProblem(f"{name}: {refused.message}") from None
