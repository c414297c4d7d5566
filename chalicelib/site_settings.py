"""The site's settings editors' admins change in the app: name, contact, address, phone, filing numbers.

Ops decide the rest (resource names, domain, profile) in the stage's environment (`config.py`); the values
here are one item in DynamoDB, read with one GetItem and kept by each container for `CHROME_CACHE_SECONDS`
like the navigation, forgotten at once in the container that changed them. Until an admin saves them (or
`ops/cli.py seed-site-settings` copies them in), the stage's own values show.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib import clock
from chalicelib.config import Site, get_settings
from chalicelib.config import get_site as stage_site
from chalicelib.errors import InvalidInput
from chalicelib.models import SiteSettingsModel
from chalicelib.write_conditions import condition_failed

KEY = "#site-settings"  # no category slug can take it (validation.SLUG)
# API field -> (Site attribute, longest value)
FIELDS: dict[str, tuple[str, int]] = {
    "site_name": ("name", 80),
    "description": ("description", 300),
    "contact_url": ("contact_url", 300),
    "address": ("address", 200),
    "phone": ("phone", 60),
    "icp": ("icp_filing", 60),
    "police_filing": ("public_security_filing", 60),
    "language": ("language", 5),
}
LANGUAGES = ("zh-CN", "en")
CONTACT = re.compile(r"^(mailto:|tel:|https?://)\S+$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_lock = threading.Lock()
_kept: tuple[float, dict[str, str]] | None = None


def forget_site_settings() -> None:
    """Drop this container's copy (after a change, or in tests as a new container)."""
    global _kept
    with _lock:
        _kept = None


def stored() -> dict[str, str]:
    """The saved values (API field -> value), from this container's copy while fresh, else one GetItem."""
    global _kept
    with _lock:
        if _kept is not None and _kept[0] > clock.seconds():
            return _kept[1]
    try:
        values = json.loads(SiteSettingsModel.get(KEY).content)
    except DoesNotExist:
        values = {}
    kept = {name: str(value) for name, value in values.items() if name in FIELDS}
    with _lock:
        _kept = (clock.seconds() + get_settings().chrome_cache_seconds, kept)
    return kept


def get_site() -> Site:
    """The site pages render: the stage's, with the saved settings over it."""
    return dataclasses.replace(stage_site(), **{FIELDS[name][0]: value for name, value in stored().items()})


def site_without_reading() -> Site:
    """The site as this container last read it (else the stage's), never asking DynamoDB: for error pages,
    which must render while it does not answer."""
    with _lock:
        kept = _kept[1] if _kept is not None else {}
    return dataclasses.replace(stage_site(), **{FIELDS[name][0]: value for name, value in kept.items()})


def current() -> dict[str, str]:
    """Every setting as the site shows it now (saved, else the stage's)."""
    site = get_site()
    return {name: str(getattr(site, attribute)) for name, (attribute, _) in FIELDS.items()}


def _checked(name: str, value: Any) -> str:
    longest = FIELDS[name][1]
    if not isinstance(value, str) or len(value.strip()) > longest or CONTROL.search(value):
        raise InvalidInput(f"{name} must be text of at most {longest} characters", field=name, code="setting_text")
    value = value.strip()
    if name == "site_name" and not value:
        raise InvalidInput("site_name must not be empty", field=name, code="setting_required")
    if name == "language" and value not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}", field=name, code="setting_language")
    if name == "contact_url" and value and not CONTACT.fullmatch(value):
        raise InvalidInput("contact_url must be a mailto:, tel: or http(s) address", field=name, code="setting_link")
    return str(value)


def save(changes: dict[str, Any]) -> dict[str, str]:
    """Check every change, then store them over the current settings (fields not named keep their values)."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"unknown field: {unknown[0]}", field=unknown[0], code="unknown_field")
    checked = {name: _checked(name, value) for name, value in changes.items()}
    values = {**current(), **checked}
    SiteSettingsModel(KEY, content=json.dumps(values, ensure_ascii=False), changed_at=clock.now()).save()
    forget_site_settings()
    return current()


def seed() -> bool:
    """Store the stage's values as the settings unless some are stored already (an upgrade, run once)."""
    values = {name: str(getattr(stage_site(), attribute)) for name, (attribute, _) in FIELDS.items()}
    item = SiteSettingsModel(KEY, content=json.dumps(values, ensure_ascii=False), changed_at=clock.now())
    try:
        item.save(condition=SiteSettingsModel.slug.does_not_exist())
    except PutError as error:  # on the condition: seeded before, or an admin saved meanwhile
        if not condition_failed(error):
            raise
        return False
    forget_site_settings()
    return True
