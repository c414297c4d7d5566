"""A site file, `sites/<site>.json`, read and checked: the site's identity and choices (docs/deploy.md).

ops/site.py generates everything else from the SiteSpec this returns; a SiteError says in one sentence what a
file lacks (the profile's requirements included: a China site's ICP number and IAM server certificate).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalicelib.config import PROJECT_DIR, TABLES
from ops import partitions

SITES_DIR = PROJECT_DIR / "sites"
PROFILES = ("global", "china")
PARTITION_OF_PROFILE = {"global": "aws", "china": "aws-cn"}
# At most 20 characters: the bucket's name, newsroom-SITE-media-ACCOUNT-REGION, must fit S3's 63.
SITE_ID = re.compile(r"[a-z][a-z0-9-]{0,18}[a-z0-9]")
# Policy file (infra/policies/NAME.json) -> chalice function, with its memory (MB) and timeout (s).
FUNCTIONS = {
    "api": ("api_handler", 512, 10),
    "authorizer": ("editor_token", 256, 5),
    "photos": ("process_photos", 1024, 120),
    "counter": ("count_views", 256, 5),
    "search": ("fold_search", 1024, 120),
}
# What a site file's "content" may set (issue 26 moves these into the site's own settings, in DynamoDB).
CONTENT = (
    "SITE_NAME",
    "SITE_LANGUAGE",
    "SITE_TIMEZONE",
    "SITE_CONTACT_URL",
    "SITE_DESCRIPTION",
    "SITE_ADDRESS",
    "SITE_PHONE",
    "SITE_PUBLIC_SECURITY_FILING",
    "SITE_ICON_URL",
    "PAGE_SIZE",
    "HOME_PAGE_SIZE",
)


class SiteError(ValueError):
    """A site file that cannot be deployed; its message is one plain sentence for ops."""


@dataclass(frozen=True)
class SiteSpec:
    site: str
    account: str
    region: str
    profile: str  # "global" or "china"
    domains: tuple[str, ...]  # the first is SITE_URL's host
    alert_email: str
    cdn: bool = True
    certificate: str = ""  # ACM certificate id: us-east-1's for CloudFront (global), else the region's for the API
    server_certificate_id: str = ""  # IAM server certificate for CloudFront China (its id, e.g. ASCA...)
    server_certificate_name: str = ""
    icp: str = ""  # ICP备案号, e.g. 京ICP备12345678号-1
    xray: bool = False
    content: dict[str, str] = field(default_factory=dict)

    @property
    def partition(self) -> str:
        return partitions.partition(self.region)

    @property
    def prefix(self) -> str:
        """Every name of the site's: tables, queue, functions (chalice names them newsroom-SITE[-name])."""
        return f"newsroom-{self.site}"

    @property
    def review_topic_arn(self) -> str:
        """The SNS topic told when an article waits for review (infra/resources.json's ReviewTopic)."""
        return f"arn:{self.partition}:sns:{self.region}:{self.account}:{self.prefix}-reviews"

    @property
    def bucket(self) -> str:
        return f"{self.prefix}-media-{self.account}-{self.region}"

    @property
    def queue(self) -> str:
        return f"{self.prefix}-photos"

    @property
    def tables(self) -> dict[str, str]:
        return {kind: f"{self.prefix}-{kind}" for kind in TABLES}

    @property
    def stack_name(self) -> str:
        """`make package`'s one stack (chalice's functions and API merged with infra/)."""
        return self.prefix

    @property
    def token_secret_parameter(self) -> str:
        return f"/newsroom/{self.site}/token-secret"

    @property
    def origin_secret_parameter(self) -> str:
        """The value CloudFront sends the API in ORIGIN_HEADER: requests without it did not come through the CDN."""
        return f"/newsroom/{self.site}/origin-secret"

    @property
    def site_url(self) -> str:
        return f"https://{self.domains[0]}"

    @property
    def counting(self) -> str:
        """The one way this site counts views: `function` (global CDN: the counting function's URL behind
        CloudFront), `api` (China CDN: the page's beacon to API Gateway's POST /views/{id}, no function URLs
        there), `page` (no CDN: the article page counts as it renders)."""
        if not self.cdn:
            return "page"
        return "function" if self.profile == "global" else "api"

    @property
    def functions(self) -> dict[str, tuple[str, int, int]]:
        """The functions this site deploys, by policy name."""
        return {k: v for k, v in FUNCTIONS.items() if k != "counter" or self.counting == "function"}

    @property
    def media_base_url(self) -> str:
        if self.cdn:  # renditions through the distribution's /renditions/*
            return self.site_url
        return f"https://{self.bucket}.s3.{self.region}.{partitions.dns_suffix(self.region)}"


def site_path(site: str, sites_dir: Path = SITES_DIR) -> Path:
    return sites_dir / f"{site}.json"


def load(site: str, sites_dir: Path = SITES_DIR) -> SiteSpec:
    """The site file, checked: a SiteError says what is wrong in one sentence."""
    if not SITE_ID.fullmatch(site):
        raise SiteError(f"site id {site!r} must be 2-20 lower-case letters, digits and hyphens")
    path = site_path(site, sites_dir)
    if not path.exists():
        raise SiteError(f"no site file {path} (copy sites/example-global.json or sites/example-china.json)")
    data = json.loads(path.read_text(encoding="utf-8"))
    return check(data, site)


def check(data: dict[str, Any], site: str) -> SiteSpec:
    known = {f for f in SiteSpec.__dataclass_fields__} | {"server_certificate"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SiteError(f"site {site}: unknown field(s) {', '.join(unknown)}")
    if data.get("site") != site:
        raise SiteError(f'site file {site}.json says "site": {data.get("site")!r}; they must be the same')
    missing = [f for f in ("account", "region", "profile", "domains", "alert_email") if not data.get(f)]
    if missing:
        raise SiteError(f"site {site}: {', '.join(missing)} missing")
    if not re.fullmatch(r"[0-9]{12}", str(data["account"])):
        raise SiteError(f"site {site}: account must be the 12-digit AWS account id")
    if not partitions.known_region(data["region"]):
        raise SiteError(f"site {site}: botocore knows no region {data['region']!r}")
    if data["profile"] not in PROFILES:
        raise SiteError(f"site {site}: profile must be one of {', '.join(PROFILES)}")
    if partitions.partition(data["region"]) != PARTITION_OF_PROFILE[data["profile"]]:
        raise SiteError(
            f"site {site}: region {data['region']} is in partition {partitions.partition(data['region'])}, "
            f"not the {data['profile']} profile's {PARTITION_OF_PROFILE[data['profile']]}"
        )
    domains = tuple(data["domains"])
    if not all(re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z]{2,}", d) for d in domains):
        raise SiteError(f"site {site}: domains must be host names, e.g. news.example.org")
    content = dict(data.get("content", {}))
    if set(content) - set(CONTENT):
        raise SiteError(f"site {site}: content may set only {', '.join(CONTENT)}")
    server = data.get("server_certificate") or {}
    spec = SiteSpec(
        site=site,
        account=str(data["account"]),
        region=data["region"],
        profile=data["profile"],
        domains=domains,
        alert_email=data["alert_email"],
        cdn=data.get("cdn", True) is not False,
        certificate=data.get("certificate", ""),
        server_certificate_id=server.get("id", ""),
        server_certificate_name=server.get("name", ""),
        icp=data.get("icp", ""),
        xray=data.get("xray", False) is True,
        content=content,
    )
    _check_profile(spec)
    return spec


def _check_profile(spec: SiteSpec) -> None:
    if spec.profile == "china":
        if not spec.icp:
            raise SiteError(f"site {spec.site}: a China site needs its ICP number (icp), e.g. 京ICP备12345678号-1")
        if spec.xray:
            raise SiteError(f"site {spec.site}: X-Ray does not trace Lambda in the China regions; drop xray")
        if spec.cdn and not (spec.server_certificate_id and spec.server_certificate_name):
            raise SiteError(
                f"site {spec.site}: CloudFront in China needs an IAM server certificate for {spec.domains[0]} "
                "(server_certificate: id and name; ACM is not available to it)"
            )
    if (spec.profile == "global" or not spec.cdn) and not spec.certificate:
        where = "us-east-1, for CloudFront" if spec.cdn else f"{spec.region}, for the API's custom domain"
        raise SiteError(
            f"site {spec.site}: certificate missing: the ACM certificate id for {spec.domains[0]} ({where})"
        )
