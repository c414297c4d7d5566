"""The deployment package as `chalice package --stage prod` builds it, and its unpacked copies."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def build_package(out_dir: Path) -> Path:
    """Run `chalice package` into `out_dir`; returns the deployment zip."""
    chalice = Path(sys.executable).with_name("chalice")
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    subprocess.run(
        [str(chalice), "package", "--stage", "prod", str(out_dir)],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    return out_dir / "deployment.zip"


def package_zip(path: str | None, work_dir: Path) -> Path:
    """The zip bench.run built and passed on, or a fresh build."""
    if path:
        return Path(path)
    print("building the deployment package (chalice package --stage prod)...", flush=True)
    return build_package(work_dir / "package")


def unpack(zip_path: Path, target: Path, compile_pyc: bool = False) -> Path:
    """Unzip as Lambda does into /var/task, optionally add .pyc, then make it read-only."""
    if target.exists():
        make_writable(target)
        shutil.rmtree(target)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(target)
    if compile_pyc:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(target)],
            check=True,
            capture_output=True,
        )
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
