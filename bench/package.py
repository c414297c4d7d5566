"""The deployment package as `make package` builds it, and its unpacked copies.

The example global site's: `python -m ops.site generate example-global`, `chalice package` in its generated
project, then `python -m ops.cli --stage example-global optimise-package`
on its zip (unchecked-hash .pyc for every module, botocore's models of unused services
dropped): that is what ships. The zip as chalice wrote it is kept next to it as
`deployment-raw.zip`, for the "without .pyc" comparisons.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
RAW_NAME = "deployment-raw.zip"
SITE = "example-global"


def build_package(out_dir: Path) -> Path:
    """Build as `make package` does into `out_dir`; returns the shipped (optimised) zip."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT")}
    env.update(AWS_DEFAULT_REGION="us-east-1", PYTHONDONTWRITEBYTECODE="1")
    chalice = Path(sys.executable).with_name("chalice")
    _run([sys.executable, "-m", "ops.site", "generate", SITE], env)
    _run(
        [str(chalice), "package", "--stage", SITE, str(out_dir.resolve())], env, PROJECT_DIR / "build" / "sites" / SITE
    )
    shipped = out_dir / "deployment.zip"
    shutil.copyfile(shipped, out_dir / RAW_NAME)
    _run([sys.executable, "-m", "ops.cli", "--stage", SITE, "optimise-package", str(shipped)], env)
    return shipped


def raw_zip(shipped: Path) -> Path:
    """chalice's zip before optimise-package, which build_package keeps next to the shipped one."""
    raw = shipped.with_name(RAW_NAME)
    if not raw.exists():
        raise FileNotFoundError(f"{raw}: build the package with bench.package.build_package")
    return raw


def _run(command: list[str], env: dict[str, str], cwd: Path = PROJECT_DIR) -> None:
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True, timeout=900)


def package_zip(path: str | None, work_dir: Path) -> Path:
    """The shipped zip bench.run built and passed on, or a fresh build."""
    if path:
        return Path(path)
    print("building the deployment package (chalice package + optimise-package, example-global)...", flush=True)
    return build_package(work_dir / "package")


def unpack(zip_path: Path, target: Path, strip_pyc: bool = False) -> Path:
    """Unzip as Lambda does into /var/task, optionally without any .pyc, then make it read-only."""
    if target.exists():
        make_writable(target)
        shutil.rmtree(target)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(target)
    if strip_pyc:  # chalice copies whatever chalicelib/__pycache__ holds
        for cache in sorted(target.rglob("__pycache__"), reverse=True):
            shutil.rmtree(cache)
    for path in [target, *target.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return target


def make_writable(target: Path) -> None:
    for path in [target, *target.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
