"""The site settings that are not one line of text (site_settings.py holds those): the footer's links, how
many notices the notices bar shows, and the logo (a processed photo, its renditions copied in when saved).

Each is checked here, stored in the settings item's JSON, and turned into `Site` fields.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.errors import InvalidInput
from chalicelib.ids import ID
from chalicelib.links import Logo
from chalicelib.ready_photos import ready_media

FIELDS = ("footer_links", "notices_shown", "logo_photo_id")
MAX_FOOTER_LINKS = 10
MAX_NOTICES = 10  # the navigation reads this many (navigation.NOTICES_READ)
DEFAULT_NOTICES = 5
URL = re.compile(r"^(https?://[^\s<>\"]+|/(?![/\\])[^\s<>\"]*)$")  # another site's address, or a path of this one
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def checked(name: str, value: Any) -> dict[str, Any]:
    """What to store for the API field `name` set to `value`, or a 400 naming it."""
    if name == "notices_shown":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_NOTICES:
            raise InvalidInput(
                f"notices_shown: 0-{MAX_NOTICES}", field=name, code="out_of_range", low=0, high=MAX_NOTICES
            )
        return {name: value}
    if name == "footer_links":
        return {name: _footer_links(value)}
    if value in (None, ""):
        return {"logo": None}
    if not isinstance(value, str) or not ID.fullmatch(value):
        raise InvalidInput("logo_photo_id must be a photo id", field=name, code="photo_id")
    return {"logo": {"photo_id": value, **ready_media([value], lambda _: name)[value]}}


def _footer_links(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or len(value) > MAX_FOOTER_LINKS:
        raise InvalidInput("footer_links: at most 10 links", field="footer_links", code="links_list")
    links = []
    for index, entry in enumerate(value):
        where = f"footer_links.{index}"
        if not isinstance(entry, dict) or set(entry) != {"name", "url"}:
            raise InvalidInput(f"{where}: name and url", field=where, code="links_list")
        name, url = entry["name"], entry["url"]
        if not isinstance(name, str) or not 0 < len(name.strip()) <= 20 or CONTROL.search(name):
            raise InvalidInput("name: 1-20 characters", field=f"{where}.name", code="link_name")
        if not isinstance(url, str) or len(url.strip()) > 300 or not URL.fullmatch(url.strip()):
            raise InvalidInput("url: an http(s) address or a path", field=f"{where}.url", code="link_url")
        links.append({"name": name.strip(), "url": url.strip()})
    return links


def site_values(stored: dict[str, Any]) -> dict[str, Any]:
    """The `Site` fields for the stored values (those never saved keep the `Site`'s defaults)."""
    values: dict[str, Any] = {}
    if isinstance(stored.get("notices_shown"), int):
        values["notices_shown"] = stored["notices_shown"]
    if isinstance(stored.get("footer_links"), list):
        values["footer_links"] = tuple((str(e["name"]), str(e["url"])) for e in stored["footer_links"])
    logo = stored.get("logo")
    if isinstance(logo, dict) and logo.get("widths"):
        widths = tuple(int(w) for w in logo["widths"])
        values["logo"] = Logo(str(logo["photo_id"]), int(logo["width"]), int(logo["height"]), widths)
    return values


def api_values(site: Any) -> dict[str, Any]:
    """The API's view of these settings for `site`."""
    return {
        "footer_links": [{"name": name, "url": url} for name, url in site.footer_links],
        "notices_shown": site.notices_shown,
        "logo_photo_id": site.logo.photo_id if site.logo else None,
    }
