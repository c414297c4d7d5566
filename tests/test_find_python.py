"""ops/find_python.sh: the Python make builds its venv with, or a message saying what to install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "ops" / "find_python.sh"
VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
REAL = Path(os.path.realpath(sys.executable))  # the interpreter itself, not a venv's link to it
NEEDS = "Newsroom needs Python 3.11, 3.12, 3.13 or 3.14"


def find(*args: str, path: str | None = None, pyenv_root: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    if pyenv_root is not None:
        env["PYENV_ROOT"] = str(pyenv_root)
    return subprocess.run(["/bin/sh", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60)


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def test_the_python_named_is_used_with_its_version():
    found = find(str(REAL))
    assert found.returncode == 0, found.stderr
    exe, version = found.stdout.split()
    assert version == VERSION
    assert subprocess.run([exe, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True).returncode == 0


def test_a_python_that_does_not_run_is_refused_naming_the_versions_and_how_to_install_one():
    found = find("no-such-python3")
    assert found.returncode == 1 and not found.stdout
    assert "PYTHON=no-such-python3 does not run" in found.stderr
    assert NEEDS in found.stderr and "apt install python3.13-venv" in found.stderr and "pyenv install" in found.stderr


def test_an_unsupported_version_is_refused(tmp_path):
    old = executable(tmp_path / "python3.10", '#!/bin/sh\necho "$0 3.10"\n')  # answers as Python 3.10 would
    found = find(str(old))
    assert found.returncode == 1 and not found.stdout
    assert f"PYTHON={old} is Python 3.10." in found.stderr and NEEDS in found.stderr


def test_with_no_supported_python_anywhere_make_stops_with_the_message(tmp_path):
    found = find(path=str(tmp_path / "empty-bin"), pyenv_root=tmp_path / "no-pyenv")
    assert found.returncode == 1 and not found.stdout
    assert "no supported Python found" in found.stderr and NEEDS in found.stderr


def test_a_version_pyenv_installed_but_did_not_select_is_found(tmp_path):
    """pyenv's shim for a version not selected exits 127 ("command not found"): the install itself is used."""
    bin_dir = tmp_path / "bin"
    executable(bin_dir / f"python{VERSION}", "#!/bin/sh\necho 'pyenv: command not found' >&2\nexit 127\n")
    installed = tmp_path / "pyenv" / "versions" / f"{VERSION}.99" / "bin" / f"python{VERSION}"
    installed.parent.mkdir(parents=True)
    installed.symlink_to(REAL)
    for args in ((), (f"python{VERSION}",)):
        found = find(*args, path=str(bin_dir), pyenv_root=tmp_path / "pyenv")
        assert found.returncode == 0, found.stderr
        assert found.stdout.split() == [str(installed), VERSION]
