"""The site's settings admins change in the app: name, short name, description, contact, address, phone, filing
numbers, language and the photo caption style (one line of text each; the others are site_extras.py's).

Ops decide the rest (resource names, domain, profile) in the stage's environment (`config.py`); the values
here are one item in DynamoDB, read with one GetItem and kept by each container for `CHROME_CACHE_SECONDS`
like the navigation, forgotten at once in the container that changed them. Until an admin saves them (or
`ops/cli.py seed-site-settings` copies them in), the stage's own values show.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any, cast

from pynamodb.exceptions import UpdateError

from chalicelib import clock, site_extras, site_item
from chalicelib.config import Site
from chalicelib.config import get_site as stage_site
from chalicelib.errors import InvalidInput
from chalicelib.links import site_links
from chalicelib.models import SiteSettingsModel
from chalicelib.write_conditions import condition_failed

KEY = site_item.KEY
# API field -> (Site attribute, longest value)
FIELDS: dict[str, tuple[str, int]] = {
    "site_name": ("name", 80),
    "short_name": ("short_name", 20),
    "description": ("description", 300),
    "contact_url": ("contact_url", 300),
    "address": ("address", 200),
    "phone": ("phone", 60),
    "icp": ("icp_filing", 60),
    "police_filing": ("public_security_filing", 60),
    "language": ("language", 5),
    "caption_style": ("caption_style", 10),
}
LANGUAGES = ("zh-CN", "en")
CAPTION_STYLES = ("center", "left", "bar")  # under the photo, centred or left-aligned, or on a grey bar
CONTACT = re.compile(r"^(mailto:|tel:|https?://)\S+$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_built: list[Any] = []  # [the SiteItem and stage Site last built from, the Site]


def forget_site_settings() -> None:
    """Drop this container's copy (after a change, or in tests as a new container)."""
    site_item.forget()


def _known(values: dict[str, Any]) -> dict[str, str]:
    return {name: str(value) for name, value in values.items() if name in FIELDS}


def get_site() -> Site:
    """The site pages render: the stage's, with the saved settings and links over it."""
    return _site(site_item.read())


def site_without_reading() -> Site:
    """The site as this container last read it (else the stage's), never asking DynamoDB: for error pages,
    which must render while it does not answer."""
    return _site(site_item.last_read())


def _site(item: site_item.SiteItem) -> Site:
    """The site for `item`, built once per item read (pages ask for it on every render)."""
    stage, built = stage_site(), _built
    if built and built[0] is item and built[1] is stage:
        return cast(Site, built[2])
    values: dict[str, Any] = {FIELDS[name][0]: value for name, value in _known(item.settings).items()}
    values.update(site_extras.site_values(item.settings))
    site = dataclasses.replace(stage, **values, links=site_links(item.links))
    _built[:] = [item, stage, site]
    return site


def current() -> dict[str, Any]:
    """Every setting as the site shows it now (saved, else the stage's)."""
    site = get_site()
    texts = {name: str(getattr(site, attribute)) for name, (attribute, _) in FIELDS.items()}
    return {**texts, **site_extras.api_values(site)}


def _checked(name: str, value: Any) -> str:
    longest = FIELDS[name][1]
    if not isinstance(value, str) or len(value.strip()) > longest or CONTROL.search(value):
        raise InvalidInput(f"{name} must be text of at most {longest} characters", field=name, code="setting_text")
    value = value.strip()
    if name == "site_name" and not value:
        raise InvalidInput("site_name must not be empty", field=name, code="setting_required")
    if name == "language" and value not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}", field=name, code="setting_language")
    if name == "caption_style" and value not in CAPTION_STYLES:
        raise InvalidInput(f"caption_style: one of {', '.join(CAPTION_STYLES)}", field=name, code="setting_choice")
    if name == "contact_url" and value and not CONTACT.fullmatch(value):
        raise InvalidInput("contact_url must be a mailto:, tel: or http(s) address", field=name, code="setting_link")
    return str(value)


def save(changes: dict[str, Any]) -> dict[str, Any]:
    """Check every change, then store them over the current settings (fields not named keep their values)."""
    unknown = sorted(set(changes) - set(FIELDS) - set(site_extras.FIELDS))
    if unknown:
        raise InvalidInput(f"unknown field: {unknown[0]}", field=unknown[0], code="unknown_field")
    checked = {name: _checked(name, value) for name, value in changes.items() if name in FIELDS}
    for name in site_extras.FIELDS:
        if name in changes:
            checked.update(site_extras.checked(name, changes[name]))
    stored = site_item.read_consistently()
    kept = json.loads(stored.content) if stored is not None and stored.content else {}
    values = {**_stage_values(), **kept, **checked}
    content = json.dumps(values, ensure_ascii=False)
    SiteSettingsModel(KEY).update(
        actions=[SiteSettingsModel.content.set(content), SiteSettingsModel.changed_at.set(clock.now())]
    )
    forget_site_settings()
    return current()


def _stage_values() -> dict[str, str]:
    return {name: str(getattr(stage_site(), attribute)) for name, (attribute, _) in FIELDS.items()}


def seed() -> bool:
    """Store the stage's values as the settings unless some are stored already (an upgrade, run once)."""
    content = json.dumps(_stage_values(), ensure_ascii=False)
    try:
        SiteSettingsModel(KEY).update(
            actions=[SiteSettingsModel.content.set(content), SiteSettingsModel.changed_at.set(clock.now())],
            condition=SiteSettingsModel.content.does_not_exist(),
        )
    except UpdateError as error:  # on the condition: seeded before, or an admin saved meanwhile
        if not condition_failed(error):
            raise
        return False
    forget_site_settings()
    return True
