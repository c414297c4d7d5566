"""What base.html shows of the site's own settings around every page (site_settings.py, site_extras.py):
the short name, the description as a tagline, the logo, the footer's links and the caption style."""

from __future__ import annotations

from typing import Any

from chalicelib.config import Site
from chalicelib.links import Logo
from chalicelib.media_keys import rendition_url

LOGO_HEIGHT = 56  # the masthead's logo box (templates/_chrome.css); 40 px on phones


def chrome_context(site: Site) -> dict[str, Any]:
    """The `site` keys base.html reads for these settings (documented in page_contexts.BASE_CONTEXT)."""
    return {
        "short_name": site.short_name if site.short_name != site.name else "",  # empty: the name serves
        "tagline": site.description,
        "logo": _logo(site, site.logo) if site.logo else None,
        "footer_links": [{"name": name, "url": _url(site, url)} for name, url in site.footer_links],
        "caption_style": site.caption_style,
    }


def _url(site: Site, url: str) -> str:
    """A path of this site under its base path; another site's address as it is."""
    return f"{site.base_path}{url}" if url.startswith("/") else url


def _logo(site: Site, logo: Logo) -> dict[str, Any]:
    """The logo at LOGO_HEIGHT, sharp at 2x: the narrowest rendition at least twice its shown width."""
    shown = round(LOGO_HEIGHT * logo.width / logo.height) if logo.height else LOGO_HEIGHT
    widths = sorted(logo.widths)
    fit = next((w for w in widths if w >= 2 * shown), widths[-1])
    return {"src": rendition_url(site.media_base_url, logo.photo_id, fit, "jpg"), "width": shown, "height": LOGO_HEIGHT}
