"""The editors' app at /admin: its files, and the origins its Content-Security-Policy allows.

The app is plain HTML, CSS and JavaScript modules in chalicelib/admin/ (so the
deployment zip carries them with the code); only the files named in ASSETS are
ever served, whatever the request asks for. The shell names them under
`/admin/assets/{version}/`, the version a hash of every asset's content, and the
modules import each other by relative URLs, so a page loads all its modules from
one deploy: after a deploy an old page's version answers 404, never a newer file.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from chalicelib import pages
from chalicelib.config import endpoint_url, get_settings
from chalicelib.site_settings import get_site

ASSETS_DIR = Path(__file__).resolve().parent / "admin"
JAVASCRIPT = "text/javascript; charset=utf-8"
ASSETS = {
    "admin.css": "text/css; charset=utf-8",
    "accounts.js": JAVASCRIPT,
    "api.js": JAVASCRIPT,
    "app.js": JAVASCRIPT,
    "articles.js": JAVASCRIPT,
    "article_bulk.js": JAVASCRIPT,
    "audit_log.js": JAVASCRIPT,
    "block_item.js": JAVASCRIPT,
    "block_media.js": JAVASCRIPT,
    "block_photo.js": JAVASCRIPT,
    "block_rich.js": JAVASCRIPT,
    "block_text.js": JAVASCRIPT,
    "blocks.js": JAVASCRIPT,
    "caption_list.js": JAVASCRIPT,
    "categories.js": JAVASCRIPT,
    "dom.js": JAVASCRIPT,
    "downscale.js": JAVASCRIPT,
    "drafts.js": JAVASCRIPT,
    "editor.js": JAVASCRIPT,
    "editor_form.js": JAVASCRIPT,
    "editor_layout.js": JAVASCRIPT,
    "editor_photos.js": JAVASCRIPT,
    "editor_save.js": JAVASCRIPT,
    "housekeeping_labels.js": JAVASCRIPT,
    "i18n.js": JAVASCRIPT,
    "intake.js": JAVASCRIPT,
    "intake_labels.js": JAVASCRIPT,
    "settings.js": JAVASCRIPT,
    "links.js": JAVASCRIPT,
    "flags.js": JAVASCRIPT,
    "topics.js": JAVASCRIPT,
    "trash.js": JAVASCRIPT,
    "library.js": JAVASCRIPT,
    "messages.js": JAVASCRIPT,
    "paste_images.js": JAVASCRIPT,
    "photo_status.js": JAVASCRIPT,
    "preview_qr.js": JAVASCRIPT,
    "publishing.js": JAVASCRIPT,
    "review_inbox.js": JAVASCRIPT,
    "revisions_view.js": JAVASCRIPT,
    "richblocks.js": JAVASCRIPT,
    "richtext.js": JAVASCRIPT,
    "session_keeper.js": JAVASCRIPT,
    "uploads.js": JAVASCRIPT,
    "word_lists.js": JAVASCRIPT,
    "workflow_panel.js": JAVASCRIPT,
}


def asset(name: str) -> tuple[bytes, str] | None:
    """A known asset's bytes and Content-Type; None for any other name."""
    content_type = ASSETS.get(name)
    if content_type is None:
        return None
    return (ASSETS_DIR / name).read_bytes(), content_type


@functools.lru_cache(maxsize=1)
def assets_version() -> str:
    """A hash of every asset's name and content: the path segment the shell loads them under."""
    digest = hashlib.sha256()
    for name in sorted(ASSETS):
        digest.update(f"{name}\0".encode())
        digest.update((ASSETS_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def versioned_asset(version: str, name: str) -> tuple[bytes, str] | None:
    """The asset of this deploy's version; None for another version (an old page after a deploy) or name."""
    return asset(name) if version == assets_version() else None


def shell_page() -> str:
    return pages.render_admin(get_site(), media_origin(), assets_version())


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def media_origin() -> str:
    """Where renditions (the app's thumbnails) are loaded from."""
    return origin(get_settings().media_base_url)


def upload_origins() -> list[str]:
    """Where the browser posts uploads: the presigned POST's host (moto's locally, the bucket's on AWS), and the
    bucket's regional host S3 may redirect it to; botocore names both in the region's partition (`.com.cn`)."""
    endpoint = endpoint_url()
    if endpoint:
        return [origin(endpoint)]
    return list(_aws_upload_origins(get_settings().media_bucket, get_settings().region))


@functools.lru_cache(maxsize=4)
def _aws_upload_origins(bucket: str, region: str) -> tuple[str, ...]:
    import boto3
    from botocore.config import Config

    # Configured as chalicelib/photos.py's client that signs the uploads, for this region.
    signing = boto3.client("s3", region_name=region, config=Config(signature_version="s3v4"))
    posted = origin(signing.generate_presigned_post(bucket, "uploads/origin")["url"])
    regional = boto3.client("s3", region_name=region, config=Config(s3={"us_east_1_regional_endpoint": "regional"}))
    return tuple(dict.fromkeys([posted, f"https://{bucket}.{urlsplit(regional.meta.endpoint_url).netloc}"]))
