"""Which address a request comes from, for throttling: never a value the client alone can choose."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from chalicelib.config import get_settings

UNKNOWN = "unknown"


def client_address(headers: Mapping[str, str], context: Mapping[str, Any]) -> str:
    """The client's address: API Gateway's `sourceIp`, or behind `trusted_proxy_hops` proxies (a CDN) the
    address the outermost trusted proxy appended to X-Forwarded-For (entries further left are the client's
    own claims). IPv6 addresses count by their /64, the block one subscriber is given."""
    hops = get_settings().trusted_proxy_hops
    identity = context.get("identity") or {}
    address = str(identity.get("sourceIp") or "")
    if hops:
        forwarded = [entry.strip() for entry in (headers.get("x-forwarded-for") or "").split(",")]
        address = forwarded[-hops] if len(forwarded) >= hops else ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return UNKNOWN
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
