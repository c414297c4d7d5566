"""Chromium through Playwright against the real local stack, started once for the browser tests.

The browser is Debian's chromium (`apt-get install -y chromium fonts-noto-cjk`), never a downloaded build;
NEWSROOM_CHROMIUM points the tests at another Chrome or Chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.local_stack import ROOT, Stack

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
DEMO_PASSWORD = "demo-password"  # local/stack.py's default for NEWSROOM_DEMO_PASSWORD
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        missing = f"no browser at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk, or set NEWSROOM_CHROMIUM"
        if os.environ.get("NEWSROOM_BROWSER_REQUIRED"):  # CI (.ci/run): the browser tests always run
            pytest.fail(missing)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The local stack on free ports, as `make run` starts it."""
    data_dir = tmp_path_factory.mktemp("browser") / "data"
    stack = Stack(data_dir, NEWSROOM_DEMO_PASSWORD=DEMO_PASSWORD)
    yield stack
    if stack.process.poll() is None:
        stack.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
