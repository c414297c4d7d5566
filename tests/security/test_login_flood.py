"""Login floods against the real local stack (moto's server, writes serialised as DynamoDB does)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib import login_throttle
from tests.local_stack import Stack

DEMO = ("demo", "demo-password")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    # As behind a CDN (one trusted proxy): the tests choose the client's address.
    running = Stack(tmp_path_factory.mktemp("flood") / "data", TRUSTED_PROXY_HOPS="1", NEWSROOM_DEMO_PASSWORD=DEMO[1])
    yield running
    running.stop()


def log_in(stack: Stack, password: str, source: str, username: str = DEMO[0]) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{stack.port}/api/session",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": source},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def within_one_window(seconds: float = 90) -> None:
    """The stack runs on the real clock (another process): a flood that straddled a window boundary would be
    counted in two windows. Start it where `seconds` remain in the current one."""
    left = login_throttle.WINDOW - time.time() % login_throttle.WINDOW
    if left < seconds:
        time.sleep(left + 0.5)


def test_concurrent_guesses_are_counted_before_any_is_checked(stack: Stack) -> None:
    within_one_window()
    with ThreadPoolExecutor(11) as pool:
        answers = Counter(pool.map(lambda _: log_in(stack, "wrong-password", "198.51.100.1"), range(11)))
    assert answers == {401: login_throttle.PER_ACCOUNT_AND_SOURCE, 429: 11 - login_throttle.PER_ACCOUNT_AND_SOURCE}


def test_the_holder_logs_in_and_readers_are_served_during_a_flood(stack: Stack) -> None:
    within_one_window()
    with ThreadPoolExecutor(8) as pool:
        flood = pool.map(lambda n: log_in(stack, "wrong-password", "198.51.100.2", f"user{n % 30}"), range(60))
        assert log_in(stack, DEMO[1], "192.0.2.20") == 200
        assert stack.get("/")[0] == 200
        answers = Counter(flood)
    assert answers[401] == login_throttle.PER_SOURCE and answers[429] == 60 - login_throttle.PER_SOURCE
