"""What the API's cold start imports: only what a reader's page needs; no AWS calls (bench/cold_start.py measures it).

boto3 (the reader's models use botocore through pynamodb; S3 and SSM clients are made where editors need them),
Pillow and JWT (editors and photos only), search's SQLite index (the search page's first use loads it), and test
or local tools stay out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NOT_FOR_READERS = (
    "boto3",
    "s3transfer",
    "PIL",
    "jwt",
    "sqlite3",
    "chalicelib.search",
    "moto",
    "chalice.cli",
    "requests",
)

SCRIPT = """
import gc, json, sys
import app
print(json.dumps({"modules": sorted(sys.modules), "gc": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def import_app() -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_importing_the_app_loads_nothing_a_readers_page_does_not_need():
    modules = import_app()["modules"]
    assert "chalicelib.pages" in modules and "botocore.client" in modules  # the check sees what is imported
    unwanted = [m for m in modules if any(m == name or m.startswith(f"{name}.") for name in NOT_FOR_READERS)]
    assert unwanted == []


def test_the_garbage_collector_runs_again_once_the_app_is_imported():
    """app.py pauses it while importing; what the imports made is frozen, out of later collections."""
    started = import_app()
    assert started["gc"] is True
    assert started["frozen"] > 10_000
