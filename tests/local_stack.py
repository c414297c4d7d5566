"""The local stack (`python -m local.stack`, what `make run` starts) as a real process on free ports.

Shared by the end-to-end tests and the fault tests (tests/faults/), which stop and kill it.

Writing the demo content costs a fresh start most of its time (31 photos drawn, uploaded and made into
renditions: ~25 s idle, two minutes on a busy machine). So the run's first start on a new folder seeds it
as `make run` does, and the snapshot it saves before it answers becomes the demo site of every later new
folder: those starts restore it (local/snapshot.py), as `make run` does on its second start (~7 s idle).
"""

from __future__ import annotations

import atexit
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.site import a_reader

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "/articles/demo-congress-2026"
POLL = 0.1  # seconds between two looks at a condition; every wait has its own deadline
START_SECONDS = 300


def wait_until(condition: Callable[[], Any], timeout: float, what: Callable[[], str]) -> Any:
    """Poll `condition` until it returns something truthy (returned), failing with `what()` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, f"not within {timeout}s: {what()}"
        time.sleep(POLL)
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


demo_site_root: list[Path] = []  # where the demo site is kept: tests/conftest.py shares one among pytest's processes


@contextmanager
def _demo_site() -> Iterator[Path]:
    """The demo site's folder (it may not exist yet: the start that finds so seeds it), locked meanwhile, so
    another process (pytest-xdist's) waits for it instead of seeding its own."""
    if not demo_site_root:  # outside pytest (tests/faults/sigterm_loop.py): this process's own
        demo_site_root.append(Path(tempfile.mkdtemp(prefix="newsroom-demo-site-")))
        atexit.register(shutil.rmtree, demo_site_root[0], ignore_errors=True)
    with (demo_site_root[0] / "demo-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield demo_site_root[0] / "demo-site"


class Stack:
    def __init__(self, data_dir: Path, **environment: str) -> None:
        """Start on `data_dir`: a folder a stack saved to is restored; a new one gets the demo site."""
        if data_dir.exists():
            self._start(data_dir, environment)
            return
        with _demo_site() as demo_site:
            if not demo_site.exists():  # the run's first fresh start writes the demo content itself
                self._start(data_dir, environment)
                # Its folder, now it answers: the snapshot holds the demo content and no test has written yet
                # (a snapshot folder never changes once complete; a later save makes a new one).
                staging = demo_site.with_name("demo-site.new")
                shutil.rmtree(staging, ignore_errors=True)
                shutil.copytree(data_dir, staging)
                staging.rename(demo_site)
                return
            shutil.copytree(demo_site, data_dir)
        self._start(data_dir, environment)

    def _start(self, data_dir: Path, environment: dict[str, str]) -> None:
        self.port, self.aws_port = free_port(), free_port()
        env = {
            **os.environ,
            **environment,
            "NEWSROOM_PORT": str(self.port),
            "NEWSROOM_AWS_PORT": str(self.aws_port),
            "NEWSROOM_DATA_DIR": str(data_dir),
        }
        # A file, not a pipe: the server logs every request and must never block on it.
        self.log = data_dir.parent / f"stack-{self.port}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local.stack"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        # A deadline for a busy machine: the seeding start processes 31 photos, 0.45 s each on an idle core
        # and 2.5-4 s each at a load of 15 (a 2-core machine shared by the other test processes).
        try:
            wait_until(self.started, timeout=START_SECONDS, what=lambda: "the stack did not start:\n" + self.output)
        except BaseException:  # no fixture will stop a stack that never started: stop it here
            self.process.kill()
            self.process.wait(timeout=30)
            raise

    def started(self) -> bool:
        running = "Newsroom is running" in self.output
        assert running or self.process.poll() is None, (
            f"the stack exited with {self.process.returncode}:\n{self.output}"
        )
        return running

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str) -> tuple[int, str, bytes]:
        url = path if path.startswith("http") else f"http://127.0.0.1:{self.port}{path}"
        request = urllib.request.Request(url, headers=a_reader())  # a new reader each time: each view counts
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers["Content-Type"], response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers["Content-Type"], error.read()

    def views(self, article: str = ARTICLE) -> int:
        status, _, body = self.get(article)
        match = re.search(rb'class="views">(\d+)<', body)
        assert status == 200 and match, body[:500]
        return int(match.group(1))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, *signals: int) -> str:
        """Send SIGTERM (or `signals`, in a row) and expect a clean exit with everything saved."""
        for signum in signals or (signal.SIGTERM,):
            self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            pytest.fail("the stack did not stop within 60 s of SIGTERM:\n" + self.output)
        assert code == 0, self.output
        return self.output

    def kill(self) -> None:
        """SIGKILL: no handler, no final save."""
        self.process.kill()
        self.process.wait(timeout=30)
