"""`make package` builds for each profile, shared by the deployment tests: the example sites' (sites/*.json), and
variants (X-Ray on; a China site without a CDN) generated in a copy of the project."""

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
SITE = "example-global"
CHINA = "example-china"
TRACED = "example-traced"  # the global example with "xray": true
DIRECT = "example-cn-direct"  # the China example with "cdn": false


@dataclass(frozen=True)
class Package:
    directory: Path
    template: Path
    zip_path: Path

    @property
    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(self.zip_path)


def _packaging_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("AWS_ENDPOINT", "AWS_REGION", "AWS_DEFAULT"))}


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    subprocess.run(command, cwd=cwd, env=env or _packaging_env(), check=True, capture_output=True, timeout=1200)


def site_template(project: Path, site: str, out: Path) -> Path:
    """`make package SITE=site`'s first steps in `project`: generate the site's chalice project, then chalice's
    package merged with the generated merge.json, in the site's region."""
    _run([sys.executable, "-m", "ops.site", "generate", site], project)
    region = json.loads((project / "sites" / f"{site}.json").read_text(encoding="utf-8"))["region"]
    chalice = str(Path(sys.executable).parent / "chalice")
    env = {**_packaging_env(), "AWS_DEFAULT_REGION": region}
    site_dir = project / "build" / "sites" / site
    _run([chalice, "package", "--stage", site, "--merge-template", "merge.json", str(out / "build")], site_dir, env)
    return out / "build" / "sam.json"


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """What `make package SITE=example-global` builds: chalice's SAM template merged with infra/, the optimised zip."""
    out = tmp_path_factory.mktemp("package")
    site_template(ROOT, SITE, out)
    zip_path = out / "build" / "deployment.zip"
    _run([sys.executable, "-m", "ops.cli", "--stage", SITE, "optimise-package", str(zip_path)], ROOT)
    return Package(out / "build", out / "build" / "sam.json", zip_path)


@pytest.fixture(scope="session")
def china_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make package SITE=example-china`'s template."""
    return site_template(ROOT, CHINA, tmp_path_factory.mktemp("china-package"))


@pytest.fixture(scope="session")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with two more site files: TRACED and DIRECT."""
    project = tmp_path_factory.mktemp("variants") / "project"
    ignored = shutil.ignore_patterns(
        ".git", ".venv*", ".local*", "build", "tests", "test-artifacts", "docs", "bench", "mut*"
    )
    shutil.copytree(ROOT, project, ignore=ignored)  # with .chalice/deployments: chalice's cached dependencies
    for base, site, change in ((SITE, TRACED, {"xray": True}), (CHINA, DIRECT, {"cdn": False})):
        data = json.loads((ROOT / "sites" / f"{base}.json").read_text(encoding="utf-8"))
        data.update(site=site, **change)
        if site == DIRECT:  # without CloudFront, the API's custom domain takes an ACM certificate of the region
            data["certificate"] = "5e0c1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"
            del data["server_certificate"]
        (project / "sites" / f"{site}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def traced_template(variants: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The global example's template with X-Ray on (`"xray": true` in its site file)."""
    return site_template(variants, TRACED, tmp_path_factory.mktemp("traced-package"))


@pytest.fixture(scope="session")
def direct_template(variants: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The China example's template without a CDN (`"cdn": false`)."""
    return site_template(variants, DIRECT, tmp_path_factory.mktemp("direct-package"))
