"""Editors writing articles concurrently against the local stack while it is stopped or killed.

Shared by tests/faults/test_acknowledged_writes.py and `python -m tests.faults.sigterm_loop`
(the 50-SIGTERM run); every article that got a 201 must be there after a restart.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import requests

from tests.local_stack import Stack, wait_until

TOKEN_SECRET = "fault-tests-token-secret-" + "x" * 32  # one secret, so a token outlives a restart
WRITERS = 4
BEFORE_STOP = 20  # acknowledged writes before the stop signal


def start(data_dir: Path) -> Stack:
    return Stack(data_dir, TOKEN_SECRET=TOKEN_SECRET)


def token(stack: Stack) -> str:
    login = requests.post(
        f"http://127.0.0.1:{stack.port}/api/session",
        json={"username": "demo", "password": "demo-password"},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    return str(login.json()["token"])


class Writers:
    """Threads creating articles until the stack stops answering; `acknowledged` holds every 2xx."""

    def __init__(self, stack: Stack, bearer: str) -> None:
        self.url = f"http://127.0.0.1:{stack.port}/api/articles"
        self.headers = {"Authorization": f"Bearer {bearer}"}
        self.acknowledged: list[str] = []
        self.threads = [threading.Thread(target=self._write, args=(n,), daemon=True) for n in range(WRITERS)]
        for thread in self.threads:
            thread.start()

    def _write(self, writer: int) -> None:
        for number in range(100_000):
            body: dict[str, Any] = {
                "title": f"写入 {writer}-{number}",
                "category": "news",
                "body": [{"type": "paragraph", "text": "x"}],
            }
            try:
                response = requests.post(self.url, json=body, headers=self.headers, timeout=30)
            except requests.RequestException:
                return  # the stack stopped listening
            if response.status_code // 100 == 2:
                self.acknowledged.append(response.json()["id"])

    def wait_for(self, count: int) -> None:
        wait_until(lambda: len(self.acknowledged) >= count, timeout=60, what=lambda: f"{len(self.acknowledged)} writes")

    def join(self) -> list[str]:
        for thread in self.threads:
            thread.join(timeout=60)
            assert not thread.is_alive(), "a writer still got answers after the stack stopped"
        return list(self.acknowledged)


def missing_after_restart(stack: Stack, bearer: str, ids: list[str]) -> list[str]:
    base = f"http://127.0.0.1:{stack.port}/api/articles/"
    headers = {"Authorization": f"Bearer {bearer}"}
    with requests.Session() as session:
        return [i for i in ids if session.get(base + i, headers=headers, timeout=30).status_code != 200]
