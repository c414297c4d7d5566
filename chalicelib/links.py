"""友情链接: links to member units, partners and government departments, in the admins' order, each with an
optional logo (a photo from the photo pipeline, ready when saved: its renditions are copied in).

They are an attribute of the site's item (site_item.py), so pages read them with the settings: one GetItem a
container, no Query a page. The footer names them; `/links` shows them with their logos.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from chalicelib import site_item
from chalicelib.errors import InvalidInput
from chalicelib.ids import ID
from chalicelib.models import SiteSettingsModel
from chalicelib.ready_photos import ready_media

GROUPS = ("members", "partners", "government")  # 会员单位, 合作伙伴, 政府部门 (labels: links_{group})
MAX_LINKS = 60
MAX_NAME = 60
MAX_URL = 300
URL = re.compile(r"^https?://[^\s<>\"]+$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FIELDS = {"group", "name", "url", "logo_photo_id"}


@dataclass(frozen=True)
class Logo:
    photo_id: str
    width: int
    height: int
    widths: tuple[int, ...]


@dataclass(frozen=True)
class Link:
    group: str
    name: str
    url: str
    logo: Logo | None = None


@dataclass(frozen=True, eq=False)
class Links:
    """The links as one read of the site's item gave them. Compared and hashed by identity: a `Site` is a cache
    key on every article view (pages.py), and hashing it should not walk every link."""

    items: tuple[Link, ...] = ()

    def __iter__(self) -> Iterator[Link]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def site_links(raw: list[dict[str, Any]]) -> Links:
    """The stored links as pages show them (part of the `Site`)."""
    return Links(tuple(_link(entry) for entry in raw if isinstance(entry, dict) and entry.get("group") in GROUPS))


def _link(entry: dict[str, Any]) -> Link:
    media = entry.get("logo") or None
    logo = None
    if media and media.get("widths"):
        widths = tuple(int(w) for w in media["widths"])
        logo = Logo(str(entry["logo_photo_id"]), int(media["width"]), int(media["height"]), widths)
    return Link(str(entry["group"]), str(entry["name"]), str(entry["url"]), logo)


def current() -> dict[str, Any]:
    """The links as the API shows them: group, name, url and logo_photo_id (or None), in order."""
    return {"links": [_api(entry) for entry in site_item.read().links], "groups": list(GROUPS)}


def _api(entry: dict[str, Any]) -> dict[str, Any]:
    return {name: entry.get(name) for name in ("group", "name", "url", "logo_photo_id")}


def save(data: dict[str, Any]) -> dict[str, Any]:
    """Check every link (and that each logo is a ready photo), then store them all in place of the old ones."""
    unknown = sorted(set(data) - {"links", "groups"})
    if unknown:
        raise InvalidInput(f"unknown field: {unknown[0]}", field=unknown[0], code="unknown_field")
    entries = data.get("links")
    if not isinstance(entries, list) or len(entries) > MAX_LINKS:
        raise InvalidInput(f"links must be a list of at most {MAX_LINKS}", field="links", code="links_list")
    checked = [_checked(index, entry) for index, entry in enumerate(entries)]
    logos = ready_media([entry["logo_photo_id"] for entry in checked], lambda i: f"links.{i}.logo_photo_id")
    stored = [{**entry, "logo": logos.get(entry["logo_photo_id"])} for entry in checked]
    content = json.dumps(stored, ensure_ascii=False)
    SiteSettingsModel(site_item.KEY).update(actions=[SiteSettingsModel.links.set(content)])
    site_item.forget()
    return current()


def _checked(index: int, entry: Any) -> dict[str, Any]:
    where = f"links.{index}"
    if not isinstance(entry, dict):
        raise InvalidInput(f"{where} must be an object", field=where, code="links_list")
    unknown = sorted(set(entry) - FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field: {unknown[0]}", field=f"{where}.{unknown[0]}", code="unknown_field")
    group, name, url, logo = (entry.get(field) for field in ("group", "name", "url", "logo_photo_id"))
    if group not in GROUPS:
        raise InvalidInput(f"group must be one of {', '.join(GROUPS)}", field=f"{where}.group", code="link_group")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME or CONTROL.search(name):
        raise InvalidInput(f"name: 1-{MAX_NAME} characters", field=f"{where}.name", code="link_name")
    if not isinstance(url, str) or len(url.strip()) > MAX_URL or not URL.fullmatch(url.strip()):
        raise InvalidInput("url must be an http(s) address", field=f"{where}.url", code="link_url")
    if logo is not None and (not isinstance(logo, str) or not ID.fullmatch(logo)):
        raise InvalidInput("logo_photo_id must be a photo id", field=f"{where}.logo_photo_id", code="photo_id")
    return {"group": group, "name": name.strip(), "url": url.strip(), "logo_photo_id": logo}
