"""QR codes of the links editors hand out (a preview link, opened on a reviewer's phone), as SVG data URIs.

segno (pure Python, no dependencies) is imported here only, when an editor asks for one.
"""

from __future__ import annotations

from chalicelib.errors import InvalidInput

MAX_URL = 2048
SCALE = 4  # pixels a module: a 1-2 KB SVG about 150-200 px wide for a preview link
BORDER = 2  # modules of quiet zone (the app shows it on white)


def qr_data_uri(url: object) -> str:
    """A QR code of an http(s) address, error correction M, as `data:image/svg+xml,...` (the app's CSP allows data:)."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise InvalidInput("url must be an http or https address", field="url", code="link_scheme")
    if len(url) > MAX_URL:
        raise InvalidInput(f"url is longer than {MAX_URL} characters", field="url", code="too_long", limit=MAX_URL)
    import segno

    return str(segno.make(url, error="m", micro=False).svg_data_uri(scale=SCALE, border=BORDER))
