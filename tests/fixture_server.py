"""A small web server on a free loopback port serving canned answers, for the fetcher's and importers' tests.

`routes` maps a path (with its query) to `(status, headers, body)`; every request's path and headers are kept
in `seen`, so a test can tell what reached the server (and with which headers). A header given as "" is left
out (`{"Content-Length": ""}`: the body ends when the connection closes). Each answer's path goes to `sent` once
its body was written whole, or to `cut_short` when the client closed the connection first. Given an `ssl`
context (`tls=`), it answers over TLS and keeps the name each client asked for (SNI) in `server_names`.
"""

from __future__ import annotations

import http.server
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class FixtureServer:
    routes: dict[str, Answer] = field(default_factory=dict)
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stall_seconds: float = 0.0  # sleep after the headers, before the body (a slow server)
    sent: list[str] = field(default_factory=list)
    cut_short: list[str] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)
    port: int = 0

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pair(self) -> str:
        return f"127.0.0.1:{self.port}"


@contextmanager
def loopback_allowed(*pairs: str) -> Iterator[None]:
    """FETCH_LOOPBACK_HOSTS set to `pairs` (the local stage's fixture servers) while the block runs."""
    import os

    from chalicelib.config import get_settings

    before = os.environ.get("FETCH_LOOPBACK_HOSTS")
    os.environ["FETCH_LOOPBACK_HOSTS"] = ",".join(pairs)
    get_settings.cache_clear()
    try:
        yield
    finally:
        if before is None:
            del os.environ["FETCH_LOOPBACK_HOSTS"]
        else:
            os.environ["FETCH_LOOPBACK_HOSTS"] = before
        get_settings.cache_clear()


@contextmanager
def serving(routes: dict[str, Answer] | None = None, tls: ssl.SSLContext | None = None) -> Iterator[FixtureServer]:
    fixture = FixtureServer(routes=dict(routes or {}))

    class Handler(http.server.BaseHTTPRequestHandler):
        timeout = 10  # a client that says nothing is dropped

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            fixture.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            status, headers, body = fixture.routes.get(self.path, (404, {}, b"not here"))
            self.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **headers}.items():
                if value:
                    self.send_header(name, value)
            self.end_headers()
            if fixture.stall_seconds:
                time.sleep(fixture.stall_seconds)
            try:
                self.wfile.write(body)
            except OSError:  # the client gave up
                fixture.cut_short.append(self.path)
            else:
                fixture.sent.append(self.path)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls is not None:

        def keep_name(connection: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
            fixture.server_names.append(name)

        tls.sni_callback = keep_name
        # The handshake happens in each answer's thread, on its first read: a client that stalls in it cannot hold
        # up the thread that accepts (nor `shutdown`).
        server.socket = tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    fixture.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fixture
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
