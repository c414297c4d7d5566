"""The DedeCMS move as ops would do it: `import-dedecms` from a real MariaDB into the running local stack,
photos processed by its worker, and the old site's URLs answering 301s to the new pages over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
import requests

from chalicelib.config import get_settings
from tests.local_stack import ROOT, Stack, wait_until
from tests.migration import sites
from tests.migration.mariadb import MariaDB


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("dedecms-stack") / "data")
    yield running
    if running.process.poll() is None:
        running.stop()


def import_dedecms(stack: Stack, mariadb: MariaDB, web_root: Path) -> str:
    env = {**os.environ, "NEWSROOM_AWS_PORT": str(stack.aws_port)}
    env.pop("AWS_ENDPOINT_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "--stage", "local", "import-dedecms",
         "--database-url", mariadb.url("dede_utf8"), "--web-root", str(web_root)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_site_moves_and_its_old_urls_lead_to_the_new_pages(stack, mariadb, web_root):
    report = import_dedecms(stack, mariadb, web_root)
    assert "articles imported: 5, updated: 0, unchanged: 0, skipped: 3" in report
    assert f"photos uploaded: {sites.PHOTOS + 1}, already there: 1" in report

    photos = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{stack.aws_port}")

    def pending() -> list[str]:
        items = photos.scan(TableName=get_settings().tables["photos"])["Items"]
        return [item["photo_id"]["S"] for item in items if item["status"]["S"] == "pending"]

    # Asked of the tables, not the page: every page view is a request the stack's worker competes with.
    wait_until(lambda: not pending(), timeout=180, what=lambda: f"the worker left {pending()} pending")
    status, _, page = stack.get("/articles/dede-101")
    assert status == 200 and page.count(b"<picture") == sites.PHOTOS and b'class="placeholder"' not in page
    moves = {
        "/a/news/industry/20230315/101.html": "/articles/dede-101",
        "/plus/view.php?aid=101": "/articles/dede-101",
        "/a/news/industry/local/20230101/102.html": "/articles/dede-102",
        "/a/news/industry/": "/news/industry",
        "/a/tongzhi/": "/news/tongzhi",
    }
    for old, new in moves.items():
        response = requests.get(stack.url + old, allow_redirects=False, timeout=30)
        assert (response.status_code, response.headers.get("Location")) == (301, stack.url + new), old
        assert requests.get(stack.url + old, timeout=30).status_code == 200
    assert requests.get(stack.url + "/plus/view.php?aid=103", allow_redirects=False, timeout=30).status_code == 404

    again = import_dedecms(stack, mariadb, web_root)
    assert "articles imported: 0, updated: 0, unchanged: 5, skipped: 3" in again
    assert "photos uploaded: 0" in again and "old URLs redirected (new or changed): 0" in again
