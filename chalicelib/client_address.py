"""Which address a request comes from, for throttling: never a value the client alone can choose.

Without a CDN the client is API Gateway's `sourceIp`. Behind the site's CloudFront (TRUSTED_PROXY_HOPS=1) only
requests carrying the front door's secret (ORIGIN_HEADER, which CloudFront adds from SSM and the API checks:
routes/front_door.py) are served at all, so the address CloudFront appended to X-Forwarded-For is trusted: not
the entries left of it (the client's own claims), and not API Gateway's own last entry when it appends the
connecting address (CloudFront's) to the list.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
from collections.abc import Mapping
from typing import Any

from chalicelib.config import aws_client_config, endpoint_url, get_settings

UNKNOWN = "unknown"
ORIGIN_HEADER = "x-newsroom-origin"  # what CloudFront sends the API (infra/cdn-*.json OriginCustomHeaders)


def client_address(headers: Mapping[str, str], context: Mapping[str, Any]) -> str:
    """The client's address (IPv6 by its /64, the block one subscriber is given), or UNKNOWN."""
    hops = get_settings().trusted_proxy_hops
    identity = context.get("identity") or {}
    source = str(identity.get("sourceIp") or "")
    address = source
    if hops:
        forwarded = [entry.strip() for entry in (headers.get("x-forwarded-for") or "").split(",") if entry.strip()]
        if forwarded and source and forwarded[-1] == source:
            forwarded.pop()  # API Gateway's own entry: the proxy that connected to it
        address = forwarded[-hops] if len(forwarded) >= hops else ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return UNKNOWN
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def through_front_door(headers: Mapping[str, str]) -> bool:
    """Whether the request came through the site's CDN: true without one (ORIGIN_SECRET_PARAMETER unset)."""
    if not get_settings().origin_secret_parameter:
        return True
    return hmac.compare_digest((headers.get(ORIGIN_HEADER) or "").encode(), origin_secret().encode())


@functools.lru_cache(maxsize=1)
def origin_secret() -> str:
    """The front door's secret, read once per container from SSM (ops put it there: `ops.cli origin-secret`)."""
    import boto3

    settings = get_settings()
    ssm = boto3.client("ssm", region_name=settings.region, endpoint_url=endpoint_url(), config=aws_client_config())
    value = str(ssm.get_parameter(Name=settings.origin_secret_parameter)["Parameter"]["Value"])
    if len(value) < 32:  # an empty or short value would let a guess through
        raise RuntimeError(f"{settings.origin_secret_parameter} holds fewer than 32 characters")
    return value
