"""A DynamoDB that accepts connections and never answers: pages and API calls answer 503, in time.

Before, botocore's defaults (pynamodb: 15 s connect, 30 s read, 4 attempts) held a page for minutes,
far past the API function's 10 s timeout (.chalice/config.json).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUNCTION_TIMEOUT = 10  # seconds: the API function's lambda_timeout
GENEROUS = 15  # an upper bound that only proves nothing hangs; the budget itself is asserted below


@pytest.fixture(scope="module")
def silent_endpoint() -> Iterator[str]:
    """A TCP server on 127.0.0.1 that accepts every connection, reads nothing and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stopping.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stopping.set()
    thread.join(timeout=5)
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture(scope="module")
def answers(silent_endpoint: str) -> dict[str, dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("AWS_CONNECT_TIMEOUT_SECONDS", "AWS_READ_TIMEOUT_SECONDS", "AWS_MAX_ATTEMPTS"):
        env.pop(name, None)  # the defaults are what is tested
    try:
        run = subprocess.run(
            [sys.executable, "-m", "tests.faults.hung_aws_requests", silent_endpoint],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=4 * GENEROUS,  # both requests and the process's start, with room to spare
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"a page and an API call against a silent DynamoDB took more than {4 * GENEROUS} s")
    assert run.returncode == 0, run.stderr
    return {answer["name"]: answer for answer in json.loads(run.stdout)}


def test_a_hung_database_gets_readers_the_503_page_with_retry_after(answers):
    page = answers["page"]
    assert page["seconds"] < GENEROUS, page["seconds"]
    assert page["status"] == 503
    assert page["headers"]["Content-Type"] == "text/html; charset=utf-8"
    assert page["headers"]["Retry-After"].isdigit() and page["headers"]["Cache-Control"] == "no-store"
    assert "<title>服务暂时不可用" in page["body"] and "请稍后再试" in page["body"]
    assert "Traceback" not in page["body"] and "Timeout" not in page["body"]


def test_a_hung_database_gets_editors_a_503_json_with_retry_after(answers):
    api = answers["api"]
    assert api["seconds"] < GENEROUS, api["seconds"]
    assert api["status"] == 503 and api["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert api["headers"]["Retry-After"].isdigit()
    assert json.loads(api["body"])["message"] == "service temporarily unavailable"


def test_the_client_budget_fits_in_the_functions_timeout():
    """Attempts x (connect + read) plus botocore's backoff (at most 1 s a retry in standard mode)."""
    from chalicelib.config import get_settings

    settings = get_settings()
    worst = settings.aws_max_attempts * (settings.aws_connect_timeout + settings.aws_read_timeout)
    worst += settings.aws_max_attempts - 1
    assert worst < FUNCTION_TIMEOUT - 2, worst  # room left for the 503 page itself
