"""The deployment package chalice builds carries the templates the pages need."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def deployment_zip(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("package")
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    chalice = Path(sys.executable).with_name("chalice")
    subprocess.run(
        [str(chalice), "package", "--stage", "prod", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    return zipfile.ZipFile(out / "deployment.zip")


def test_every_template_is_in_the_package_as_written(deployment_zip):
    templates = sorted(p for p in (ROOT / "templates").glob("*.html"))
    assert templates
    for path in templates:
        assert deployment_zip.read(f"templates/{path.name}") == path.read_bytes()


def test_app_and_chalicelib_are_in_the_package(deployment_zip):
    names = set(deployment_zip.namelist())
    assert "app.py" in names
    for path in (ROOT / "chalicelib").glob("*.py"):
        assert f"chalicelib/{path.name}" in names
    assert "jinja2/__init__.py" in names and "pynamodb/__init__.py" in names
