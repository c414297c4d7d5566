"""The one way anything remote is fetched (WeChat pages and images, DedeCMS pages and images): SSRF-safe.

Each fetch is for a `Purpose`, which lists the hosts it may reach. The host's name is resolved once, every
address it gives is checked (private, loopback, link-local, metadata, shared, multicast, reserved and their
IPv6 forms are refused), and the connection is made to the checked address itself, with TLS verified
against the name: nothing resolves the name again between the check and the connection. Only the web
ports are reached, unless the purpose allows any (the old site ops name to a DedeCMS page import). Redirects are
followed a few times, each target checked again. Bodies and time are bounded; the User-Agent is a
browser's and no Referer is sent (WeChat's images answer other referers with a placeholder).

`FETCH_LOOPBACK_HOSTS` (the local stage only: config refuses it elsewhere) names `127.0.0.1:port` pairs
that may be reached although loopback, over http, so tests and the local stack can serve fixtures.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from chalicelib.errors import InvalidInput
from chalicelib.file_types import size_label

USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
MAX_REDIRECTS = 4
REDIRECTS = {301, 302, 303, 307, 308}
NAT64 = ipaddress.ip_network("64:ff9b::/96")
CHUNK = 64 * 1024
# The ports web servers answer on. Anything else on a public host (mail, databases, admin consoles) is not
# something a pasted image or an article lives on, and reaching it would let a paste probe other services.
WEB_PORTS = frozenset({80, 443, 8080, 8443})

Resolver = Callable[[str, int], list[str]]


class FetchRefused(InvalidInput):
    """A URL the fetcher will not reach (scheme, host, address, redirects, size): a 400 naming `url`."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, field="url", code=code)


class FetchFailed(InvalidInput):
    """The remote end did not give the thing (network error, timeout, an HTTP error status)."""

    def __init__(self, message: str, code: str, status: int | None = None) -> None:
        super().__init__(message, field="url", code=code, status=status)
        self.status = status


@dataclass(frozen=True)
class Purpose:
    """What a fetch is for: the hosts (`host` or `host:port`; None: any public host), the ports (None: any)
    and the size limit."""

    name: str
    hosts: frozenset[str] | None
    max_bytes: int
    timeout: float = 20.0
    allow_http: bool = False  # plain http for public hosts too (old DedeCMS sites); never for WeChat
    ports: frozenset[int] | None = WEB_PORTS


@dataclass(frozen=True)
class Fetched:
    url: str  # where the body came from, after redirects
    status: int
    content_type: str
    body: bytes


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the name has (A and AAAA), as the operating system resolves it."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def public_address(address: str) -> bool:
    """True only for an address on the public internet (IPv4-mapped, 6to4 and NAT64 forms judged by IPv4)."""
    try:
        ip = ipaddress.ip_address(address)  # an IPv6 zone (`fe80::1%eth0`) is read too, and judged by the address
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return public_address(str(embedded))
    return bool(ip.is_global) and not ip.is_multicast


class Fetcher:
    """Fetches URLs for one purpose; `loopback` pairs and `resolver` are the only ways to bend its checks."""

    def __init__(
        self,
        purpose: Purpose,
        *,
        loopback: Iterable[str] = (),
        resolver: Resolver = system_resolver,
        max_redirects: int = MAX_REDIRECTS,
    ) -> None:
        self.purpose = purpose
        self.loopback = frozenset(loopback)
        self.resolver = resolver
        self.max_redirects = max_redirects

    def get(self, url: str) -> Fetched:
        """The body at `url` (status 200), following checked redirects; FetchRefused or FetchFailed if not."""
        deadline = time.monotonic() + self.purpose.timeout
        current = url
        for _ in range(self.max_redirects + 1):
            status, headers, body = self._request(current, deadline)
            location = headers.get("location")
            if status in REDIRECTS and location:
                current = urljoin(current, location.strip())
                continue
            if status != 200:
                raise FetchFailed(f"{_short(current)}: HTTP {status}", "fetch_status", status=status)
            return Fetched(current, status, headers.get("content-type", ""), body)
        raise FetchRefused(f"{_short(url)}: more than {self.max_redirects} redirects", "fetch_redirects")

    def check(self, url: str) -> tuple[str, str, int, str]:
        """The scheme, host, port and the one checked address `url` may be fetched from; FetchRefused if none."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise FetchRefused(f"{_short(url)}: not a valid web address", "fetch_url") from None
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        if scheme not in ("http", "https") or not host or parts.username or parts.password:
            raise FetchRefused(f"{_short(url)}: only http(s) addresses without a login are fetched", "fetch_url")
        port = port or (443 if scheme == "https" else 80)
        pair = f"{host}:{port}"
        if pair in self.loopback:
            return scheme, host, port, host  # a fixture server the local stage was told about
        allowed = self.purpose.hosts
        if allowed is not None and host not in allowed and pair not in allowed:
            raise FetchRefused(f"{host}: not a host {self.purpose.name} is fetched from", "fetch_host")
        if scheme != "https" and not self.purpose.allow_http:
            raise FetchRefused(f"{_short(url)}: only https addresses are fetched", "fetch_scheme")
        addresses = [host] if _is_ip(host) else self.resolver(host, port)
        if not addresses:
            raise FetchFailed(f"{host}: the name does not resolve", "fetch_dns")
        if not all(public_address(a) for a in addresses):
            raise FetchRefused(f"{host}: resolves to a private or local address", "fetch_address")
        ports = self.purpose.ports
        if ports is not None and port not in ports and pair not in (allowed or ()):
            listed = ", ".join(str(p) for p in sorted(ports))
            raise FetchRefused(f"port {port}: only the web ports ({listed}) are fetched", "fetch_port")
        return scheme, host, port, addresses[0]

    def _request(self, url: str, deadline: float) -> tuple[int, dict[str, str], bytes]:
        scheme, host, port, address = self.check(url)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        remaining = max(0.1, deadline - time.monotonic())
        connection = _PinnedConnection(scheme, host, port, address, remaining)
        try:
            connection.request("GET", path, headers=_headers(host, port, scheme))
            # Closed on the way out, refused or not: an answer left open keeps the connection (and the server
            # sending into it) until the refusal is collected.
            with connection.getresponse() as response:
                headers = {k.lower(): v for k, v in response.getheaders()}
                body = b"" if response.status in REDIRECTS else self._read(response, url, deadline)
                return response.status, headers, body
        except TimeoutError:  # the server stalled: no answer, or no more of it, within the time left
            raise self._too_slow(url) from None
        except (OSError, http.client.HTTPException) as error:
            raise FetchFailed(f"{_short(url)}: {type(error).__name__}", "fetch_network") from None
        finally:
            connection.close()

    def _read(self, response: http.client.HTTPResponse, url: str, deadline: float) -> bytes:
        limit = self.purpose.max_bytes
        declared = response.getheader("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchRefused(f"{_short(url)}: larger than {size_label(limit)}", "fetch_size")
        chunks: list[bytes] = []
        total = 0
        while chunk := response.read(CHUNK):
            total += len(chunk)
            if total > limit:
                raise FetchRefused(f"{_short(url)}: larger than {size_label(limit)}", "fetch_size")
            if time.monotonic() > deadline:
                raise self._too_slow(url)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_slow(self, url: str) -> FetchFailed:
        return FetchFailed(f"{_short(url)}: took longer than {self.purpose.timeout:g} s", "fetch_timeout")


class _PinnedConnection(http.client.HTTPSConnection):
    """A connection to the checked `address`, with Host, SNI and certificate checks for `host`."""

    def __init__(self, scheme: str, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.scheme = scheme
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        if self.scheme == "https":
            sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]
        self.sock = sock


def _headers(host: str, port: int, scheme: str) -> dict[str, str]:
    default = 443 if scheme == "https" else 80
    return {
        "Host": host if port == default else f"{host}:{port}",
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,image/avif,image/webp,image/*,*/*;q=0.8",
        "Accept-Language": "zh-CN,zh;q=0.9",
        "Accept-Encoding": "identity",
    }


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."
