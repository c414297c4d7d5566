"""Benchmark 5: view counting under concurrent readers, against the real local stack over HTTP.

Starts `python -m local.stack` on free ports with a temporary data directory, then reads
/articles/demo-congress-2026 with 1 (the baseline), 8 and 32 concurrent clients. Each view
counts itself and the page shows the count it made, so after N views the next page must
show exactly before + N + 1. The local stack is moto + chalice's dev server in one Python
process on 2 cores: its rate measures the emulator, not DynamoDB; exactness is the point.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.package import PROJECT_DIR
from bench.report import Row, arguments, finish, verdict

ARTICLE = "/articles/demo-congress-2026"
VIEWS = re.compile(rb'class="views">(\d+)<')
START_TIMEOUT = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalStack:
    """`make run`'s stack in a subprocess, on free ports, logging to a file."""

    def __init__(self, work: Path) -> None:
        self.port, aws_port = free_port(), free_port()
        env = {
            **os.environ,
            "NEWSROOM_PORT": str(self.port),
            "NEWSROOM_AWS_PORT": str(aws_port),
            "NEWSROOM_DATA_DIR": str(work / "data"),
        }
        self.log = work / "stack.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local.stack"], cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while "Newsroom is running" not in self.log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the local stack did not start:\n" + self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.3)

    def view(self) -> int:
        """Read the article once (counting a view); the count the page shows."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{ARTICLE}", timeout=60) as response:
            match = VIEWS.search(response.read())
        if response.status != 200 or match is None:
            raise RuntimeError(f"article page answered {response.status} without a view count")
        return int(match.group(1))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def concurrent_views(stack: LocalStack, clients: int, per_client: int) -> tuple[float, int, bool]:
    """(views per second, failed requests, exact?) for `clients` readers of `per_client` views each."""
    before = stack.view()

    def reader(_: int) -> int:
        failed = 0
        for _ in range(per_client):
            try:
                stack.view()
            except Exception:
                failed += 1
        return failed

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        failures = sum(pool.map(reader, range(clients)))
    elapsed = time.perf_counter() - start
    after = stack.view()
    total = clients * per_client
    return total / elapsed, failures, failures == 0 and after == before + total + 1


def measure(work: Path, views_per_level: int) -> list[Row]:
    started = time.perf_counter()
    stack = LocalStack(work)
    print(f"local stack up in {time.perf_counter() - started:.0f} s", flush=True)
    try:
        stack.view()  # warm: clients, templates, navigation
        baseline, _, baseline_exact = concurrent_views(stack, 1, views_per_level // 4)
        results = {n: concurrent_views(stack, n, views_per_level // n) for n in (8, 32)}
    finally:
        stack.stop()
    print(f"  1 client: {baseline:.1f} views/s, exact {baseline_exact}")
    rows = []
    for clients, (rate, failures, exact) in results.items():
        print(
            f"  {clients} clients × {views_per_level // clients}: {rate:.1f} views/s, {failures} failed, exact {exact}"
        )
        rows.append(
            Row(
                "5 View counting",
                f"{clients} concurrent clients, {views_per_level} views over HTTP (local stack)",
                f"{rate:.0f} views/s, {'exact' if exact else 'NOT exact'}, {failures} failed",
                f"1 client: {baseline:.0f} views/s",
                f"{rate / baseline:.2f}",
                "exact",
                verdict(exact and baseline_exact),
            )
        )
    return rows


def main() -> None:
    options = arguments(__doc__ or "").parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-views-") as work:
        finish(measure(Path(work), views_per_level=64 if options.quick else 320), options.json)


if __name__ == "__main__":
    main()
