"""What the API's cold start imports: no Pillow, no S3 client, no AWS calls."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
import app
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("PIL", "jwt", "moto", "chalice.cli", "requests"))
print(",".join(heavy))
"""


def test_importing_the_app_loads_no_pillow_no_jwt_and_no_test_or_local_tools():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
