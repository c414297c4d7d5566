"""What pages show of the 友情链接 (links.py): grouped in the admins' order, logos as sized renditions."""

from __future__ import annotations

import functools
from typing import Any

from chalicelib.config import Site
from chalicelib.labels import labels_for
from chalicelib.links import GROUPS, Link, Logo
from chalicelib.media_keys import rendition_url

LOGO_SIZES = "160px"  # the links page's logo box (templates/_links.css)


@functools.lru_cache(maxsize=16)
def link_groups(site: Site, with_logos: bool = False) -> list[dict[str, Any]]:
    """Each group that has links: its name and its links (name, url, and on the links page, logo or None).
    Worked out once per `Site` (one a read of the site's item: its links hash by identity), not per page;
    templates only read it."""
    if not site.links:
        return []
    labels = labels_for(site.language)
    groups = []
    for group in GROUPS:
        found = [_link(site, link, with_logos) for link in site.links if link.group == group]
        if found:
            groups.append({"name": labels[f"links_{group}"], "links": found})
    return groups


def _link(site: Site, link: Link, with_logo: bool) -> dict[str, Any]:
    logo = _logo(site, link.logo) if with_logo and link.logo else None
    return {"name": link.name, "url": link.url, "logo": logo}


def _logo(site: Site, logo: Logo) -> dict[str, Any]:
    widths = sorted(logo.widths)
    fit = next((w for w in widths if w >= 320), widths[-1])  # sharp at 2x in the 160 px box
    return {
        "src": rendition_url(site.media_base_url, logo.photo_id, fit, "jpg"),
        "srcset": ", ".join(f"{rendition_url(site.media_base_url, logo.photo_id, w, 'jpg')} {w}w" for w in widths),
        "sizes": LOGO_SIZES,
        "width": logo.width or None,
        "height": logo.height or None,
    }
