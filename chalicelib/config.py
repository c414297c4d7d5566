"""Settings from the environment: the one module that reads os.environ.

Chalice sets the environment per stage from `.chalice/config.json`; the local
stack and the tests set the same variables before importing the app. Pages get
the small `Site` value built from the settings, never the settings themselves.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


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
    base_path: str
    chrome_cache_seconds: float
    page_size: int
    home_page_size: int
    token_secret: str | None
    token_secret_parameter: str | None
    token_hours: float
    max_upload_bytes: int
    upload_expires_seconds: int


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
        # Where the site is mounted: "/api" on API Gateway's own URL (its stage), "" on a custom domain.
        base_path=os.environ.get("SITE_BASE_PATH", "").rstrip("/"),
        chrome_cache_seconds=float(_env("CHROME_CACHE_SECONDS", "30")),
        page_size=int(_env("PAGE_SIZE", "20")),
        home_page_size=int(_env("HOME_PAGE_SIZE", "6")),
        # Deployed stages name an SSM SecureString; the local stack sets TOKEN_SECRET itself.
        token_secret=os.environ.get("TOKEN_SECRET") or None,
        token_secret_parameter=os.environ.get("TOKEN_SECRET_PARAMETER") or None,
        token_hours=float(_env("TOKEN_HOURS", "12")),
        max_upload_bytes=int(_env("MAX_UPLOAD_BYTES", str(25 * 1024 * 1024))),
        upload_expires_seconds=min(300, int(_env("UPLOAD_EXPIRES_SECONDS", "300"))),
    )


@dataclass(frozen=True)
class Site:
    """What pages need to know about the site they render."""

    name: str
    language: str  # a labels language: "zh-CN" or "en"
    base_path: str  # prefix of every link: "/api" on API Gateway's own URL, "" on a custom domain
    timezone: str  # dates are shown in this zone
    contact_url: str
    media_base_url: str  # renditions live under {media_base_url}/renditions/


@functools.lru_cache(maxsize=1)
def get_site() -> Site:
    """The site as the settings describe it, once per process."""
    settings = get_settings()
    return Site(
        name=settings.site_name,
        language=settings.site_language,
        base_path=settings.base_path,
        timezone=settings.site_timezone,
        contact_url=settings.site_contact_url,
        media_base_url=settings.media_base_url,
    )


def stage_environment(stage: str, project_dir: Path = PROJECT_DIR) -> dict[str, str]:
    """A stage's environment variables as `.chalice/config.json` sets them for Lambda."""
    config = json.loads((project_dir / ".chalice" / "config.json").read_text(encoding="utf-8"))
    stages = config.get("stages", {})
    if stage not in stages:
        raise KeyError(f"no stage {stage!r} in .chalice/config.json (have: {', '.join(stages)})")
    env: dict[str, str] = dict(config.get("environment_variables", {}))
    env.update(stages[stage].get("environment_variables", {}))
    return env


def endpoint_url() -> str | None:
    """The AWS endpoint override (moto locally); None means real AWS."""
    return os.environ.get("AWS_ENDPOINT_URL") or None
