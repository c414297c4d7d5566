"""moto's server for `make rehearse`, in its own process, with the one patch a chalice deploy needs.

`python -m ops.rehearsal_moto` binds a free port on 127.0.0.1, prints `port N` on its first line and
serves until it is terminated; `moto_server()` starts it for the rehearsal and the tests. The patch exists
only in that process (importing this module patches nothing): neither the local stack nor any test's moto
has it.

The gap it bridges: chalice deploys an API by `ImportRestApi` (first deploy) and `PutRestApi` (later
ones) with a Swagger 2.0 document. moto 5.2.5's `APIGatewayBackend.import_rest_api`
(moto/apigateway/models.py) reads `api_doc["info"]["description"]`, a KeyError for chalice's document,
which has none; its `APIGatewayBackend.put_rest_api` raises InvalidOpenApiDocVersionException for any
document with a `swagger` key ("Only a subset of the OpenAPI spec 3.x is currently implemented").
Real API Gateway takes both. The paths, methods and `x-amazon-apigateway-integration`s moto reads are
spelled the same in both versions, so the document is handed on as OpenAPI 3 with a description.
"""

from __future__ import annotations

import copy
import functools
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chalicelib.config import PROJECT_DIR


class ServerFailed(Exception):
    """moto's server did not start; the message has its log."""


def as_openapi3(api_doc: dict[str, Any]) -> dict[str, Any]:
    """A Swagger 2.0 document as moto's importer accepts it: `openapi: 3.0.1` and an `info.description`."""
    if not isinstance(api_doc, dict):
        return api_doc
    doc = copy.deepcopy(api_doc)
    if "swagger" in doc:
        del doc["swagger"]
        doc["openapi"] = "3.0.1"
    info = doc.setdefault("info", {})
    info.setdefault("description", "")
    return doc


def patch_moto() -> None:
    """Wrap moto's API Gateway importer (see the module's docstring) so it accepts chalice's Swagger 2.0."""
    from moto.apigateway.models import APIGatewayBackend

    def accepting_swagger(method: Callable[..., Any], position: int) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if "api_doc" in kwargs:
                kwargs["api_doc"] = as_openapi3(kwargs["api_doc"])
            else:
                args = (*args[:position], as_openapi3(args[position]), *args[position + 1 :])
            return method(*args, **kwargs)

        return wrapper

    # (self, api_doc, fail_on_warnings) and (self, function_id, api_doc, fail_on_warnings, mode)
    APIGatewayBackend.import_rest_api = accepting_swagger(APIGatewayBackend.import_rest_api, 1)  # type: ignore[method-assign]
    APIGatewayBackend.put_rest_api = accepting_swagger(APIGatewayBackend.put_rest_api, 2)  # type: ignore[method-assign]


@contextmanager
def moto_server(log: Path) -> Iterator[str]:
    """moto's server with the rehearsal's patch, on a free port; its endpoint URL while the block runs."""
    with log.open("w") as output:  # a file, not a pipe: the server must never block on its log
        process = subprocess.Popen(
            [sys.executable, "-m", "ops.rehearsal_moto"],
            stdout=subprocess.PIPE,
            stderr=output,
            text=True,
            cwd=PROJECT_DIR,
        )
    try:
        line = (
            process.stdout.readline().split() if process.stdout else []
        )  # "port N" once it listens, or nothing if it died
        if len(line) != 2 or line[0] != "port":
            raise ServerFailed(f"moto's server did not start:\n{log.read_text(errors='replace')[-3000:]}")
        yield f"http://127.0.0.1:{line[1]}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> int:
    from moto.server import ThreadedMotoServer

    patch_moto()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    print(f"port {server.get_host_and_port()[1]}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
