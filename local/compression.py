"""gzip in the local stack, as API Gateway does deployed (`minimum_compression_size` in .chalice/config.json).

chalice local sends bodies as the app made them; this request handler compresses a body of at least that many
bytes when the request's Accept-Encoding allows gzip, so tests over HTTP see what readers get.
"""

from __future__ import annotations

import gzip
from typing import Any

from chalice.local import ChaliceRequestHandler


def accepts_gzip(accept_encoding: str) -> bool:
    """True when Accept-Encoding lists gzip (or *) without q=0."""
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


class CompressingRequestHandler(ChaliceRequestHandler):
    def __init__(self, request: Any, client_address: Any, server: Any, app_object: Any, config: Any) -> None:
        self.minimum_size = config.minimum_compression_size  # None: API Gateway compresses nothing
        super().__init__(request, client_address, server, app_object, config)

    def _send_http_response_with_body(self, code: int, headers: Any, body: str | bytes) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        wanted = accepts_gzip(self.headers.get("Accept-Encoding", ""))
        if self.minimum_size is not None and len(data) >= self.minimum_size and "Content-Encoding" not in headers:
            vary = headers.get("Vary")
            headers["Vary"] = "Accept-Encoding" if not vary else f"{vary}, Accept-Encoding"
            if wanted:
                data = gzip.compress(data, compresslevel=6)
                headers["Content-Encoding"] = "gzip"
        super()._send_http_response_with_body(code, headers, data)
