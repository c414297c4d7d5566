"""One `make package STAGE=prod` build, shared by the deployment tests."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """What `make package` builds: chalice's SAM template merged with infra/, and the optimised zip."""
    out = tmp_path_factory.mktemp("package")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT")}
    env["AWS_DEFAULT_REGION"] = "us-east-1"
    bin_dir = Path(sys.executable).parent
    merge = out / "merge.json"
    subprocess.run(
        [sys.executable, "-m", "ops.cli", "--stage", STAGE, "merge-template", str(merge)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        [str(bin_dir / "chalice"), "package", "--stage", STAGE, "--merge-template", str(merge), str(out / "build")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=1200,
    )
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
