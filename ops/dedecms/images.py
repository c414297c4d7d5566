"""The old site's images -> photos, through the editors' own pipeline, each file content once.

Each image is uploaded exactly as the editors' app does it: `photos.start_upload` records a pending
photo and signs a POST form, the file is posted to S3, and the photo processor (Lambda, or the local
stack's worker) makes the renditions, upright and without GPS. A file's SHA-256 is kept in the
`legacy` table against its photo (`legacy.remember_photo`): the same picture used in ten articles, or
imported again next week, is one photo. The table rather than the photo record, because finding a
photo by its hash must be one GetItem, and the photos table has no index on a hash.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from chalicelib import legacy, photos
from chalicelib.config import get_settings
from chalicelib.fetching import Fetcher, FetchFailed, FetchRefused, Purpose
from chalicelib.file_types import size_label
from chalicelib.photo_intake import image_type
from ops.presigned_upload import post_form

CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # no name the API takes holds them (`%00`, `%0a` in an old link)
REMOTE_TIMEOUT = 20


def own_name(url_path: str) -> str:
    """A file's own name from its URL's path, readable: `%E6%8A%A5.pdf` -> `报.pdf`, control characters left out."""
    return CONTROL.sub("", unquote(posixpath.basename(url_path)))


class ImageProblem(Exception):
    """An image that cannot become a photo (missing, unsupported, too large); the message says why."""


class Images:
    """Resolves an `<img src>` of the old site to a photo id, uploading each new content once."""

    def __init__(
        self,
        web_root: Path | None,
        site_hosts: tuple[str, ...] = (),
        allow_remote: bool = False,
        dry_run: bool = False,
        max_bytes: int = 25 * 1024 * 1024,
    ) -> None:
        self.web_root = web_root.resolve() if web_root else None
        self.site_hosts = {h.lower() for h in site_hosts}
        self.allow_remote = allow_remote
        self.dry_run = dry_run
        self.max_bytes = max_bytes
        self.known: dict[str, str | None] = {}  # sha256 -> photo id, for this run
        self.uploaded = 0
        self.reused = 0

    def photo_for(self, src: str, base: Path | None = None) -> str | None:
        """The photo id for `src` (relative to the page at `base` for a saved page), None in a dry run for a
        content not uploaded yet; ImageProblem if none. Each content is uploaded once, ever (by its hash)."""
        data, name = self.read(src, base)
        content_type = image_type(data)  # by its magic bytes, as every photo taken in from bytes
        if content_type is None:
            raise ImageProblem(f"{src}: not a JPEG, PNG or WebP (GIF and BMP are not accepted)")
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.known:
            self.reused += 1
            return self.known[digest]
        photo_id = legacy.photo_with_content(digest)
        if photo_id is not None:
            self.reused += 1
        else:
            if not self.dry_run:
                photo_id = self._upload(data, name, content_type)
                legacy.remember_photo(digest, photo_id)
            self.uploaded += 1  # in a dry run: would be
        self.known[digest] = photo_id
        return photo_id

    def _upload(self, data: bytes, name: str, content_type: str) -> str:
        form = photos.start_upload(
            {"filename": name[: photos.MAX_FILENAME], "content_type": content_type, "size": len(data)}
        )
        status = post_form(form["upload"], name, data, content_type)
        if status is not None:
            raise ImageProblem(f"{name}: the upload was refused ({status})")
        return str(form["photo_id"])

    def read(self, src: str, base: Path | None = None, max_bytes: int | None = None) -> tuple[bytes, str]:
        """The file `src` names and its name: under the web root, or fetched safely when remote is allowed."""
        limit = max_bytes or self.max_bytes
        parts = urlparse(src)
        name = own_name(parts.path) or "photo"
        if parts.scheme in ("http", "https") and parts.hostname and parts.hostname.lower() not in self.site_hosts:
            return self._fetch(src, limit), name
        if parts.scheme not in ("", "http", "https"):
            raise ImageProblem(f"{src[:80]}: not a file or web address")
        path = unquote(parts.path)
        if "\x00" in path:  # `%00` in an old link: no file is named so, and the file system refuses to look
            raise ImageProblem(f"{src[:80]}: not a file name")
        if base is not None and not path.startswith("/"):
            root = base.resolve()
            candidate = (root / path).resolve()
        elif self.web_root is not None:
            root = self.web_root
            candidate = (root / path.lstrip("/")).resolve()
        else:
            raise ImageProblem(f"{src}: a site path, and no web root was given (--web-root)")
        if not candidate.is_relative_to(root):
            raise ImageProblem(f"{src}: outside the web root")
        if not candidate.is_file():
            raise ImageProblem(f"{src}: missing file")
        if candidate.stat().st_size > limit:
            raise ImageProblem(f"{src}: larger than {size_label(limit)}")
        return candidate.read_bytes(), name

    def _fetch(self, url: str, limit: int) -> bytes:
        if not self.allow_remote:
            raise ImageProblem(f"{url}: on another site (allow with --remote-images)")
        # Any public host (the editor asked for remote images); never a private, loopback or metadata address.
        purpose = Purpose("remote images", None, limit, timeout=REMOTE_TIMEOUT, allow_http=True)
        try:
            return Fetcher(purpose, loopback=get_settings().fetch_loopback_hosts).get(url).body
        except FetchRefused as refused:
            raise ImageProblem(f"{url}: {refused.message}") from None
        except FetchFailed as failed:
            raise ImageProblem(f"{url}: {failed.message.rsplit(': ', 1)[-1]}") from None
