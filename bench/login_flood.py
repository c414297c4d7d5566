"""Benchmark 7: reader pages during a login flood from one address, against the real local stack.

A flood of wrong passwords from one address (8 clients, as fast as they can) is throttled after
`PER_SOURCE` attempts before any password is hashed, so it should cost the readers next to nothing.
Measured: the median time of the home page during the login flood against the baseline, the same
number of clients flooding a request the app refuses at once (an API call without a token, a 401),
and how many of the flood's attempts reached scrypt. The local stack is one Python process on 2 cores,
so any flood slows it; the ratio shows what the throttled logins cost beyond that (in one process the
readers share the GIL with them). The target: at most `PER_SOURCE` of the flood's attempts are hashed.
Deployed, each login has its own Lambda container and readers share nothing with it but the account's
concurrency.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.local_aws import configure_environment
from bench.report import Row, arguments, finish, verdict
from bench.view_counting import LocalStack

FLOOD_CLIENTS = 8


def page_time(port: int) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
        response.read()
    return time.perf_counter() - started


def wrong_login(port: int, n: int) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/session",
        data=json.dumps({"username": f"guess{n % 50}", "password": "wrong-password"}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": "198.51.100.9"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def nothing(port: int, n: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/articles?{n}", timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def during_flood(port: int, request: Callable[[int, int], int], pages: int) -> tuple[float, list[int]]:
    """The home page's median time while FLOOD_CLIENTS send `request` as fast as they can; their answers."""
    stop, answers = threading.Event(), []

    def flood(client: int) -> None:
        n = client
        while not stop.is_set():
            answers.append(request(port, n))
            n += FLOOD_CLIENTS

    with ThreadPoolExecutor(FLOOD_CLIENTS) as pool:
        for client in range(FLOOD_CLIENTS):
            pool.submit(flood, client)
        time.sleep(2)  # past the first PER_SOURCE attempts, which are hashed: the steady state
        median = statistics.median(page_time(port) for _ in range(pages))
        stop.set()
    return median, answers


def measure(work: Path, pages: int) -> list[Row]:
    os.environ["TRUSTED_PROXY_HOPS"] = "1"  # the flood's address is the one it sends
    stack = LocalStack(work)
    try:
        for _ in range(5):
            page_time(stack.port)  # warm
        alone = statistics.median(page_time(stack.port) for _ in range(pages))
        baseline, _ = during_flood(stack.port, nothing, pages)
        during, answers = during_flood(stack.port, wrong_login, pages)
    finally:
        stack.stop()
    checked = answers.count(401)
    configure_environment()  # after the stack has its own: chalicelib reads a stage's variables at import
    from chalicelib.login_throttle import PER_SOURCE

    print(
        f"  home page median: {alone * 1000:.1f} ms alone, {baseline * 1000:.1f} ms during a flood of 401s, "
        f"{during * 1000:.1f} ms during the login flood"
    )
    print(f"  flood: {len(answers)} attempts, {checked} reached scrypt, {answers.count(429)} throttled")
    ratio = during / baseline
    return [
        Row(
            "7 Login flood",
            f"home page median during {FLOOD_CLIENTS} clients flooding logins from one address (local stack)",
            f"{during * 1000:.1f} ms; {checked} of {len(answers)} attempts hashed",
            f"flood of 401s: {baseline * 1000:.1f} ms",
            f"{ratio:.2f}",
            f"hashed <= {PER_SOURCE}",
            verdict(checked <= PER_SOURCE),
        )
    ]


def main() -> None:
    options = arguments(__doc__ or "").parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-flood-") as work:
        finish(measure(Path(work), pages=20 if options.quick else 100), options.json)


if __name__ == "__main__":
    main()
