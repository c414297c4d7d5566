"""What the counting function's cold start imports (issue 28): its handler's module, as Lambda loads it, in a fresh
interpreter. One GetItem and one ADD need botocore's client, not pynamodb nor the page layer: no templates, no
jinja2, no Pillow, no search, not even chalice (bench/cold_start.py measures its cold start against bare botocore
and one client)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NOT_FOR_COUNTING = (
    "jinja2",
    "markupsafe",
    "chalicelib.pages",
    "chalicelib.templating",
    "chalicelib.reader",
    "PIL",
    "chalicelib.imaging",
    "sqlite3",
    "chalicelib.search",
    "chalicelib.article_body",  # the body's types: the count never reads a body
    "boto3",
    "pynamodb",  # the two requests go through dynamodb.py's botocore client; pynamodb's models are the API's
    "jwt",
    "app",
    "chalice",  # answers.py and observing.py answer and observe without it; routes/beacon.py registers the function
)

SCRIPT = """
import json, sys
import chalicelib.routes.counting
handler = chalicelib.routes.counting.count_views
print(json.dumps(sorted(sys.modules)))
"""


def test_the_counting_function_imports_no_page_layer():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    modules = json.loads(result.stdout)
    assert "chalicelib.counters" in modules and "botocore.exceptions" in modules  # the check sees what is imported
    unwanted = [m for m in modules if any(m == name or m.startswith(f"{name}.") for name in NOT_FOR_COUNTING)]
    assert unwanted == [], unwanted


GC_SCRIPT = """
import gc, json
import chalicelib.routes.counting
print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def test_the_counting_function_imports_with_the_collector_paused_and_leaves_it_running():
    """What its imports made is frozen (left out of later collections), and the collector runs again after."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", GC_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["enabled"] is True and state["frozen"] > 10_000
