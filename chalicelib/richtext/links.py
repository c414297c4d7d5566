"""Which link targets an article may hold: http, https and mailto, written out in full."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

LINK_SCHEMES = ("http", "https", "mailto")
MAX_HREF = 2_000
# Whitespace and control characters hide a scheme from a check ("java\tscript:") that browsers then remove.
HIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\ufeff]")


def link_problem(href: object) -> tuple[str, str] | None:
    """Why `href` cannot be a link target (a stable code, a message for after the field's name), or None."""
    if not isinstance(href, str) or not href:
        return "link_invalid", "is required"
    if len(href) > MAX_HREF:
        return "link_invalid", f"is longer than {MAX_HREF} characters"
    if HIDDEN.search(href):
        return "link_invalid", "contains spaces or control characters"
    try:
        parts = urlsplit(href)  # its scheme in lower case, "" for a relative address
    except ValueError:
        return "link_invalid", "is not a valid URL"
    if parts.scheme not in LINK_SCHEMES:
        return "link_scheme", f"must be a link with one of the schemes: {', '.join(LINK_SCHEMES)}"
    if parts.scheme == "mailto" and len(parts.path) < 3:
        return "link_invalid", "needs an e-mail address after mailto:"
    if parts.scheme != "mailto" and not parts.hostname:
        return "link_invalid", "needs a host name"
    return None


def is_photo_source(src: str) -> bool:
    """True for an address a photo can be fetched from: a link over http or https (not a mailto: one)."""
    return link_problem(src) is None and src.partition(":")[0].lower() != "mailto"


def is_relative(src: str) -> bool:
    """True for an address without a scheme ("../a.jpg", "/uploads/a.jpg"), which an importer resolves."""
    return ":" not in src.partition("/")[0]


def is_external(href: str, site_url: str) -> bool:
    """True when `href` leaves the site at `site_url` (mailto too): readers' links get rel="noopener"."""
    try:
        return urlsplit(href).netloc.lower() != urlsplit(site_url).netloc.lower()
    except ValueError:
        return True


def absolute(url: str, base_url: str | None) -> str:
    """`url` as the converters keep it: trimmed, its spaces encoded (as old editors typed them), and read against
    `base_url` when there is one (relative ones stay relative without it)."""
    url = url.strip().replace(" ", "%20")
    return urljoin(base_url, url) if base_url else url
