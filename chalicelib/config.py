"""Settings from the environment: the one module that reads os.environ.

Chalice sets the environment per stage from `.chalice/config.json`; the local
stack and the tests set the same variables before importing the app. Pages get
the small `Site` value built from the settings, never the settings themselves.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from chalicelib.links import Links, Logo

PROJECT_DIR = Path(__file__).resolve().parent.parent

TABLES = ("articles", "categories", "counters", "photos", "editors", "logins", "legacy", "audit", "workflow")
"""Every DynamoDB table, by kind. A stage names each in its variable `{KIND}_TABLE`; models.py
models each, and infra/resources.json defines it as `{Kind}Table`, named by `{Kind}TableName`."""


class Settings(NamedTuple):
    """Every setting, read once (`get_settings`): immutable; a NamedTuple, not a dataclass of 50 fields, whose
    generated methods cost every cold start (both functions import this) 2 ms of CPU."""

    stage: str
    region: str
    tables: Mapping[str, str]  # kind (TABLES) -> this stage's table name
    media_bucket: str
    photo_queue: str
    media_base_url: str
    site_name: str
    site_language: str
    site_timezone: str
    site_contact_url: str
    site_url: str  # the site's public origin, for absolute URLs (canonical, feeds, sitemap)
    site_description: str
    site_icon_url: str | None  # where /favicon.ico redirects; None serves the icon shipped in the package
    sitemap_max_urls: int  # past this many URLs, /sitemap.xml is an index of monthly files
    site_address: str  # the footer's optional lines: empty hides them
    site_phone: str
    site_icp_filing: str  # ICP备案号, e.g. 京ICP备12345678号-1 (links to the MIIT filing site)
    site_public_security_filing: str  # 公安备案号, e.g. 京公网安备11010502030143号
    base_path: str
    chrome_cache_seconds: float
    page_size: int
    home_page_size: int
    site_origins: tuple[str, ...]  # where editors' browsers come from: the media bucket's CORS allows them
    token_secret: str | None
    token_secret_parameter: str | None
    token_hours: float
    preview_hours: float
    max_upload_bytes: int
    upload_expires_seconds: int
    trusted_proxy_hops: int  # proxies in front of API Gateway that append the client to X-Forwarded-For
    # Every AWS client's budget: it must fit in the API function's 10 s (.chalice/config.json), so a hung
    # DynamoDB costs a page at most attempts x (connect + read) + backoff, then a 503 (never Lambda's timeout).
    aws_connect_timeout: float
    aws_read_timeout: float
    aws_max_attempts: int
    search_backend: str  # one of SEARCH_BACKENDS (chalicelib/search)
    search_refresh_seconds: float  # how long a container answers from its index copy before asking S3 for news
    log_format: str  # "json" (one object a line, for CloudWatch) or "human" (the local stack's terminal)
    # "server": the article page counts its view as it renders (private, no-cache: no CDN may answer for it).
    # "beacon": the page is cacheable and a small script POSTs to /views/{id}, which counts and returns the count.
    count_mode: str
    page_cache_seconds: int  # how long shared caches (the CDN) keep a reader page in beacon mode
    # Deployment: a CloudFront distribution in make package's stack (infra/cdn-*.json, from the site file).
    cdn: bool
    # The one counting door a deployed site has (ops/site.py SiteSpec.counting): "function", "api" or "page";
    # "" (the local stack, the tests): every door is registered and COUNT_MODE decides.
    views_door: str
    # Behind a CDN: the SSM parameter holding the secret CloudFront sends in ORIGIN_HEADER; requests without it
    # did not come through the site's front door (chalicelib/routes/front_door.py). None: no check.
    origin_secret_parameter: str | None
    # Intake (chalicelib/fetching.py): the hosts WeChat articles and their images are fetched from, and the
    # loopback `127.0.0.1:port` pairs the fetcher may reach over http (the local stage only).
    wechat_article_hosts: frozenset[str]
    wechat_image_hosts: frozenset[str]
    fetch_loopback_hosts: frozenset[str]
    max_attachment_bytes: int
    session_idle_minutes: float  # a token unused this long is refused (等保); the app renews it while in use
    review_topic_arn: str | None  # an SNS topic told when an article waits for review; None: only logged
    audit_days: int  # how long audit records are kept (DynamoDB TTL); 等保 asks for six months at least


def table_variable(kind: str) -> str:
    """The environment variable naming a table of TABLES for the stage."""
    return f"{kind.upper()}_TABLE"


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise RuntimeError(f"environment variable {name} is not set")
    return value


SEARCH_BACKENDS = ("sqlite",)  # docs/search.md says what an "opensearch" one would cost
COUNT_MODES = ("server", "beacon")  # docs/cdn-and-counting.md
VIEWS_DOORS = ("function", "api", "page")


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _env(name, default)
    if value not in choices:
        raise RuntimeError(f"{name} must be one of {', '.join(choices)}: {value!r}")
    return value


def _origin(url: str) -> str:
    """SITE_URL as a scheme and host (and port), nothing after: the base path is SITE_BASE_PATH's."""
    origin = url.rstrip("/")
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
        raise RuntimeError(f"SITE_URL must be http(s)://host[:port], without a path: {url!r}")
    return origin


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read settings once per process."""
    return Settings(
        stage=_env("NEWSROOM_STAGE", "dev"),
        region=_env("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1")),
        tables={kind: _env(table_variable(kind)) for kind in TABLES},
        media_bucket=_env("MEDIA_BUCKET"),
        photo_queue=_env("PHOTO_QUEUE"),
        media_base_url=_env("MEDIA_BASE_URL").rstrip("/"),
        **_site_values(),
        chrome_cache_seconds=float(_env("CHROME_CACHE_SECONDS", "30")),
        page_size=int(_env("PAGE_SIZE", "20")),
        home_page_size=int(_env("HOME_PAGE_SIZE", "6")),
        site_origins=tuple(o.strip().rstrip("/") for o in _env("SITE_ORIGINS", "*").split(",") if o.strip()),
        # Deployed stages name an SSM SecureString; the local stack sets TOKEN_SECRET itself.
        token_secret=os.environ.get("TOKEN_SECRET") or None,
        token_secret_parameter=os.environ.get("TOKEN_SECRET_PARAMETER") or None,
        token_hours=float(_env("TOKEN_HOURS", "12")),
        preview_hours=float(_env("PREVIEW_HOURS", "72")),  # how long a preview link opens its article
        max_upload_bytes=int(_env("MAX_UPLOAD_BYTES", str(25 * 1024 * 1024))),
        upload_expires_seconds=min(300, int(_env("UPLOAD_EXPIRES_SECONDS", "300"))),
        # 0: the client is API Gateway's sourceIp. Behind a CDN (1 hop), the address the CDN appended.
        trusted_proxy_hops=int(_env("TRUSTED_PROXY_HOPS", "0")),
        aws_connect_timeout=float(_env("AWS_CONNECT_TIMEOUT_SECONDS", "1")),
        aws_read_timeout=float(_env("AWS_READ_TIMEOUT_SECONDS", "2")),
        aws_max_attempts=max(1, int(_env("AWS_MAX_ATTEMPTS", "2"))),
        search_backend=_choice("SEARCH_BACKEND", "sqlite", SEARCH_BACKENDS),
        # With the search page's 30 s cache, an unpublished article leaves results within a minute.
        search_refresh_seconds=float(_env("SEARCH_REFRESH_SECONDS", "20")),
        log_format="human" if os.environ.get("LOG_FORMAT") == "human" else "json",
        count_mode=_choice("COUNT_MODE", "server", COUNT_MODES),
        page_cache_seconds=max(0, int(_env("PAGE_CACHE_SECONDS", "60"))),
        cdn=_choice("CDN", "off", ("off", "on")) == "on",
        views_door=_choice("VIEWS_DOOR", "any", ("any", *VIEWS_DOORS)).replace("any", ""),
        origin_secret_parameter=os.environ.get("ORIGIN_SECRET_PARAMETER") or None,
        wechat_article_hosts=_hosts("WECHAT_ARTICLE_HOSTS", "mp.weixin.qq.com"),
        wechat_image_hosts=_hosts("WECHAT_IMAGE_HOSTS", "mmbiz.qpic.cn,mmbiz.qlogo.cn"),
        fetch_loopback_hosts=_loopback_hosts(_env("NEWSROOM_STAGE", "dev")),
        max_attachment_bytes=int(_env("MAX_ATTACHMENT_BYTES", str(50 * 1024 * 1024))),
        session_idle_minutes=float(_env("SESSION_IDLE_MINUTES", "30")),
        review_topic_arn=os.environ.get("REVIEW_TOPIC_ARN") or None,
        audit_days=max(190, int(_env("AUDIT_DAYS", "400"))),
    )


def _site_values() -> dict[str, Any]:
    """The settings that describe the site (the `Site` pages get, the sitemap, the footer)."""
    return {
        "site_name": _env("SITE_NAME", "Newsroom"),
        "site_language": _env("SITE_LANGUAGE", "zh-CN"),
        "site_timezone": _env("SITE_TIMEZONE", "Asia/Shanghai"),
        "site_contact_url": _env("SITE_CONTACT_URL", "mailto:office@example.org"),
        # No default: a wrong origin would quietly send search engines elsewhere. Links add SITE_BASE_PATH.
        "site_url": _origin(_env("SITE_URL")),
        "site_description": _env("SITE_DESCRIPTION", _env("SITE_NAME", "Newsroom")),
        "site_icon_url": os.environ.get("SITE_ICON_URL") or None,
        "sitemap_max_urls": min(50_000, int(_env("SITEMAP_MAX_URLS", "50000"))),  # the protocol's limit a file
        "site_address": os.environ.get("SITE_ADDRESS", "").strip(),
        "site_phone": os.environ.get("SITE_PHONE", "").strip(),
        "site_icp_filing": os.environ.get("SITE_ICP_FILING", "").strip(),
        "site_public_security_filing": os.environ.get("SITE_PUBLIC_SECURITY_FILING", "").strip(),
        # Where the site is mounted: "/api" on API Gateway's own URL (its stage), "" on a custom domain.
        "base_path": os.environ.get("SITE_BASE_PATH", "").rstrip("/"),
    }


LOCAL_STAGE = "local"
LOOPBACK_PAIR = re.compile(r"127\.0\.0\.1:[0-9]{1,5}")


def _hosts(name: str, default: str) -> frozenset[str]:
    """A comma-separated list of `host` or `host:port`, lower case."""
    return frozenset(h.strip().lower() for h in _env(name, default).split(",") if h.strip())


def _loopback_hosts(stage: str) -> frozenset[str]:
    """FETCH_LOOPBACK_HOSTS: honoured on the local stage; any other stage refuses to start with it set."""
    pairs = frozenset(h.strip() for h in os.environ.get("FETCH_LOOPBACK_HOSTS", "").split(",") if h.strip())
    if pairs and stage != LOCAL_STAGE:
        raise RuntimeError(f"FETCH_LOOPBACK_HOSTS is for the local stage only (this is {stage!r}): unset it")
    wrong = sorted(p for p in pairs if not LOOPBACK_PAIR.fullmatch(p))
    if wrong:
        raise RuntimeError(f"FETCH_LOOPBACK_HOSTS takes 127.0.0.1:port pairs: {wrong[0]!r}")
    return pairs


@dataclass(frozen=True)
class Site:
    """What pages need to know about the site they render."""

    name: str
    language: str  # a labels language: "zh-CN" or "en"
    base_path: str  # prefix of every link: "/api" on API Gateway's own URL, "" on a custom domain
    timezone: str  # dates are shown in this zone
    contact_url: str
    media_base_url: str  # renditions live under {media_base_url}/renditions/
    url: str = "http://127.0.0.1"  # the public origin: absolute links are {url}{base_path}{path}
    description: str = ""  # what the site is, for search engines and link previews
    address: str = ""  # footer lines, each hidden when empty
    phone: str = ""
    icp_filing: str = ""
    public_security_filing: str = ""
    links: Links | None = None  # 友情链接, in the admins' order (links.py; saved in the app only)
    short_name: str = ""  # the masthead's name on phones (site_settings.py; saved in the app only)
    logo: Logo | None = None  # the masthead's logo, a processed photo (site_extras.py)
    footer_links: tuple[tuple[str, str], ...] = ()  # (name, url): 关于我们, 网站地图…
    notices_shown: int = 5  # the notices bar's length; 0 hides it
    caption_style: str = "center"  # photos' captions: center, left or bar


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
        url=settings.site_url,
        description=settings.site_description,
        address=settings.site_address,
        phone=settings.site_phone,
        icp_filing=settings.site_icp_filing,
        public_security_filing=settings.site_public_security_filing,
    )


def aws_client_config(**options: object) -> object:
    """botocore's Config for a boto3 client: the settings' timeouts and retry budget (plus `options`)."""
    from botocore.config import Config

    settings = get_settings()
    return Config(
        connect_timeout=settings.aws_connect_timeout,
        read_timeout=settings.aws_read_timeout,
        retries={"mode": "standard", "total_max_attempts": settings.aws_max_attempts},
        **options,
    )


def endpoint_url() -> str | None:
    """The AWS endpoint override (moto locally); None means real AWS."""
    return os.environ.get("AWS_ENDPOINT_URL") or None
