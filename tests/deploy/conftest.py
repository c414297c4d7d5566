"""One `make package STAGE=prod` build, shared by the deployment tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAGE = "prod"


@dataclass(frozen=True)
class Package:
    directory: Path
    template: Path
    zip_path: Path

    @property
    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(self.zip_path)


def _packaging_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT")}
    env["AWS_DEFAULT_REGION"] = "us-east-1"
    return env


def _merged_template(project: Path, out: Path) -> Path:
    """`make package`'s first two steps in `project`: the merge template, then chalice's package merged with it."""
    env = _packaging_env()
    merge = out / "merge.json"
    subprocess.run(
        [sys.executable, "-m", "ops.cli", "--stage", STAGE, "merge-template", str(merge)],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    chalice = str(Path(sys.executable).parent / "chalice")
    subprocess.run(
        [chalice, "package", "--stage", STAGE, "--merge-template", str(merge), str(out / "build")],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        timeout=1200,
    )
    return out / "build" / "sam.json"


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """What `make package` builds: chalice's SAM template merged with infra/, and the optimised zip."""
    out = tmp_path_factory.mktemp("package")
    env = _packaging_env()
    _merged_template(ROOT, out)
    zip_path = out / "build" / "deployment.zip"
    subprocess.run(
        [sys.executable, "-m", "ops.cli", "--stage", STAGE, "optimise-package", str(zip_path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return Package(out / "build", out / "build" / "sam.json", zip_path)


@pytest.fixture(scope="session")
def traced_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make package`'s template for the stage with X-Ray on (`"xray": true`), built in a copy of the project."""
    project = tmp_path_factory.mktemp("traced") / "project"
    ignored = shutil.ignore_patterns(
        ".git", ".venv*", ".local*", "build", "tests", "test-artifacts", "docs", "bench", "mut*"
    )
    shutil.copytree(ROOT, project, ignore=ignored)  # with .chalice/deployments: chalice's cached dependencies
    config_path = project / ".chalice" / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["stages"][STAGE]["xray"] = True
    config_path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return _merged_template(project, tmp_path_factory.mktemp("traced-package"))
