"""Settings from the environment: the one module that reads os.environ.

Chalice sets the environment per stage from `.chalice/config.json`; the local
stack and the tests set the same variables before importing the app.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    articles_table: str
    categories_table: str
    counters_table: str
    photos_table: str
    editors_table: str
    media_bucket: str
    photo_queue: str
    media_base_url: str
    site_name: str
    site_language: str
    site_timezone: str
    site_contact_url: str
    chrome_cache_seconds: float
    page_size: int
    home_page_size: int


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise RuntimeError(f"environment variable {name} is not set")
    return value


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read settings once per process."""
    return Settings(
        stage=_env("NEWSROOM_STAGE", "dev"),
        region=_env("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1")),
        articles_table=_env("ARTICLES_TABLE"),
        categories_table=_env("CATEGORIES_TABLE"),
        counters_table=_env("COUNTERS_TABLE"),
        photos_table=_env("PHOTOS_TABLE"),
        editors_table=_env("EDITORS_TABLE"),
        media_bucket=_env("MEDIA_BUCKET"),
        photo_queue=_env("PHOTO_QUEUE"),
        media_base_url=_env("MEDIA_BASE_URL").rstrip("/"),
        site_name=_env("SITE_NAME", "Newsroom"),
        site_language=_env("SITE_LANGUAGE", "zh-CN"),
        site_timezone=_env("SITE_TIMEZONE", "Asia/Shanghai"),
        site_contact_url=_env("SITE_CONTACT_URL", "mailto:office@example.org"),
        chrome_cache_seconds=float(_env("CHROME_CACHE_SECONDS", "30")),
        page_size=int(_env("PAGE_SIZE", "20")),
        home_page_size=int(_env("HOME_PAGE_SIZE", "6")),
    )


def endpoint_url() -> str | None:
    """The AWS endpoint override (moto locally); None means real AWS."""
    return os.environ.get("AWS_ENDPOINT_URL") or None
