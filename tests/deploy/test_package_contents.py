"""The deployment zip carries the templates, the code and Lambda-compatible wheels."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ops.lambda_package import SERVICES, cached_package

ROOT = Path(__file__).resolve().parents[2]
GOAL = 50 * 1024 * 1024  # Lambda's hard limit is 250 MB unzipped


def test_every_template_is_in_the_package_as_written(package):
    templates = sorted((ROOT / "templates").glob("*.html"))
    assert templates
    zip_file = package.zip
    for path in templates:
        assert zip_file.read(f"templates/{path.name}") == path.read_bytes()


def test_app_and_chalicelib_are_in_the_package(package):
    names = set(package.zip.namelist())
    assert "app.py" in names
    modules = sorted((ROOT / "chalicelib").rglob("*.py"))
    assert (ROOT / "chalicelib" / "routes" / "editors.py") in modules
    for path in modules:
        assert path.relative_to(ROOT).as_posix() in names
    assert "jinja2/__init__.py" in names and "pynamodb/__init__.py" in names and "jwt/__init__.py" in names


def test_no_ops_local_test_bench_or_mutation_code_ships(package):
    """Provisioning, packaging, the CLI, the local stack, tests and benchmarks stay out of the Lambda zip."""
    ours = {"ops", "local", "tests", "bench", "mutation", "infra"}
    assert ours <= {p.name for p in ROOT.iterdir() if p.is_dir()}
    shipped = {name.split("/")[0] for name in package.zip.namelist()}
    assert not ours & shipped, sorted(ours & shipped)
    assert not [n for n in package.zip.namelist() if n.endswith(("cli.py", "infra.py", "lambda_package.py"))]


def test_pillow_is_a_manylinux2014_wheel_with_its_bundled_libraries(package):
    """A Pillow built here from source would link this machine's libraries and fail on Lambda."""
    zip_file = package.zip
    names = zip_file.namelist()
    assert [n for n in names if n.startswith("pillow.libs/libjpeg")], "Pillow's bundled libjpeg is missing"
    assert [n for n in names if n.startswith("PIL/_imaging.cpython-311-x86_64-linux-gnu")]
    wheel = next(n for n in names if n.startswith("pillow-") and n.endswith(".dist-info/WHEEL"))
    tags = zip_file.read(wheel).decode()
    assert "Tag: cp311-cp311-manylinux2014_x86_64" in tags or "manylinux_2_17_x86_64" in tags, tags


def test_the_unzipped_package_stays_under_50_mb(package):
    size = sum(info.file_size for info in package.zip.infolist())
    print(f"\nunzipped deployment package: {size / 1048576:.1f} MB (goal 50 MB, Lambda limit 250 MB)")
    assert size < GOAL


def test_every_module_has_bytecode_for_the_runtime_used_whatever_the_file_times(package):
    """/var/task is read-only: without .pyc in the zip, every cold start compiles everything."""
    zip_file = package.zip
    names = set(zip_file.namelist())
    sources = [n for n in names if n.endswith(".py") and not n.startswith("chalice/")]
    assert len(sources) > 300
    for source in sources:
        folder, _, file = source.rpartition("/")
        pyc = f"{folder}/__pycache__/{file[:-3]}.cpython-311.pyc".lstrip("/")
        assert pyc in names, pyc
    header = zip_file.read("__pycache__/app.cpython-311.pyc")[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, source never checked


def test_botocore_keeps_only_the_models_of_services_the_functions_call(package):
    services = {n.split("/")[2] for n in package.zip.namelist() if n.startswith("botocore/data/") and n.count("/") > 3}
    assert services == set(SERVICES)


def test_chalice_deploy_reuses_the_package_make_deploy_optimises():
    """`make deploy` optimises the zip chalice cached for this code; chalice deploy then reuses it."""
    path = cached_package(ROOT)
    assert path.parent == ROOT / ".chalice" / "deployments" and path.name.endswith("-python3.11.zip")
    assert path.exists()  # built by `chalice package` in the package fixture, for this very code


def test_the_editors_app_is_in_the_package_as_written(package):
    from chalicelib.admin_app import ASSETS, ASSETS_DIR

    for name in ASSETS:
        assert package.zip.read(f"chalicelib/admin/{name}") == (ASSETS_DIR / name).read_bytes(), name
