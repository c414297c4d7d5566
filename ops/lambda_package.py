"""Make chalice's deployment zip start faster on Lambda (an ops step, never run there).

Lambda's /var/task is read-only, so Python cannot cache bytecode there and
compiles every module on each cold start (bench/: 588 ms against 298 ms with
bytecode). This step adds `.pyc` files compiled by this Python with
unchecked-hash invalidation, so they are used whatever the files' times. This
Python's version is the runtime's: chalice declares the Lambda runtime, and
downloads the wheels, of the Python it runs on (`runtime()`). It also drops
botocore's models of services the functions never call (about 19 MB, and their
entries in endpoints.json) and the documentation in the kept ones, keeping the
package under 50 MB. And it compiles the templates to Python modules
(chalicelib/templating.py loads them), so a new container's first page compiles
no template (bench/: 13 ms on a quiet machine).

`chalice deploy` reuses the zip it cached in `.chalice/deployments/` for the
same code and requirements, so running this on that cached zip between
`chalice package` and `chalice deploy` ships the result.
"""

from __future__ import annotations

import compileall
import gzip
import json
import py_compile
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

# The AWS services the Lambda functions call; botocore keeps only their models.
SERVICES = ("dynamodb", "s3", "sns", "sqs", "ssm", "sts")


def runtime() -> str:
    """The Lambda runtime chalice declares, and downloads wheels for, when it runs on this Python."""
    from chalice.config import Config

    return Config().lambda_python_version


LAMBDA_TASK_ROOT = "/var/task"


def this_python() -> str:
    return f"python{sys.version_info.major}.{sys.version_info.minor}"


def optimise(zip_path: Path) -> tuple[int, int]:
    """Rewrite `zip_path` in place; returns its unzipped size before and after, in bytes."""
    if runtime() != this_python():
        # chalice rounds an unsupported version to a runtime Lambda has; that runtime could not load this bytecode.
        raise RuntimeError(f"chalice packages for {runtime()} on {this_python()}: package with Python {runtime()[6:]}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "task"
        with zipfile.ZipFile(zip_path) as source:
            before = sum(info.file_size for info in source.infolist())
            modes = {info.filename: info.external_attr for info in source.infolist()}
            source.extractall(root)
        _drop_unused_service_models(root)
        _compile_templates(root)
        # chalice copies whatever __pycache__ chalicelib/ has, perhaps from another Python: only this one's ships.
        for cache in [p for p in root.rglob("__pycache__") if p.is_dir()]:
            shutil.rmtree(cache)
        if not compileall.compile_dir(
            str(root),
            quiet=1,
            force=True,
            # Where Lambda unpacks the zip: tracebacks name the real files, and the bytecode does not
            # change with this temporary directory's name, so unchanged code is the same zip at each deploy.
            ddir=LAMBDA_TASK_ROOT,
            workers=0,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        ):
            raise RuntimeError("some modules in the package do not compile")
        rebuilt = zip_path.with_suffix(".tmp")
        after = 0
        with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                name = path.relative_to(root).as_posix()
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = modes.get(name, 0o644 << 16)
                info.compress_type = zipfile.ZIP_DEFLATED
                data = path.read_bytes()
                target.writestr(info, data)
                after += len(data)
        shutil.move(rebuilt, zip_path)
    return before, after


def _compile_templates(root: Path) -> None:
    """The package's templates as modules in compiled_templates/, compiled to bytecode with the rest below."""
    from chalicelib.templating import COMPILED_TEMPLATES, compile_all

    templates = root / "templates"
    if not templates.is_dir():
        raise RuntimeError(f"{templates}: the package has no templates (vendor/templates)")
    compile_all(templates, root / COMPILED_TEMPLATES)


def _drop_unused_service_models(root: Path) -> None:
    """Keep the kept services' models, uncompressed, and only their entries in endpoints.json.

    botocore reads all of endpoints.json (1.25 MB) to create any client; with
    five services it takes about 20 ms less of a cold start (bench/).
    """
    data = root / "botocore" / "data"
    if not data.is_dir():
        return
    for entry in data.iterdir():
        if entry.is_dir() and entry.name not in SERVICES:
            shutil.rmtree(entry)
    endpoints_path = data / "endpoints.json"
    endpoints = json.loads(endpoints_path.read_text(encoding="utf-8"))
    for partition in endpoints["partitions"]:
        partition["services"] = {k: v for k, v in partition["services"].items() if k in SERVICES}
    endpoints_path.write_text(json.dumps(endpoints, separators=(",", ":")), encoding="utf-8")
    for service in SERVICES:
        for model in sorted((data / service).glob("*/*.json.gz")):
            _unpack_model(model)


def _unpack_model(path: Path) -> None:
    """A kept model uncompressed (botocore reads `.json` first) and, for a service model, without its documentation.

    Documentation is four fifths of a service model and only botocore's docstrings read it: creating the
    DynamoDB client parses 110 KB instead of unzipping and parsing 560 KB (about 3 ms of a cold start).
    """
    model = json.loads(gzip.decompress(path.read_bytes()))
    if path.name == "service-2.json.gz":
        model.pop("documentation", None)
        for operation in model.get("operations", {}).values():
            operation.pop("documentation", None)
        for shape in model.get("shapes", {}).values():
            shape.pop("documentation", None)
            for member in shape.get("members", {}).values():
                member.pop("documentation", None)
    path.with_suffix("").write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    path.unlink()


def cached_package(project_dir: Path, python_version: str | None = None) -> Path:
    """The zip `chalice deploy` will reuse for this code and these requirements (on this Python's runtime)."""
    from chalice.deploy.packager import LambdaDeploymentPackager
    from chalice.utils import OSUtils

    packager = LambdaDeploymentPackager(OSUtils(), None, None)  # type: ignore[arg-type]
    return Path(packager.deployment_package_filename(str(project_dir), python_version or runtime()))
