"""The deployment zip carries the templates, the code and wheels for the Lambda runtime of the Python that packaged
it (the one running these tests): that runtime declared, its bytecode, its wheels."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

from ops.lambda_package import SERVICES, cached_package

ROOT = Path(__file__).resolve().parents[2]
GOAL = 50 * 1024 * 1024  # Lambda's hard limit is 250 MB unzipped
RUNTIME = f"python{sys.version_info.major}.{sys.version_info.minor}"
ABI = f"cp{sys.version_info.major}{sys.version_info.minor}"
# The glibc of the OS under each Lambda runtime: Amazon Linux 2 for python3.11, Amazon Linux 2023 from python3.12 on.
LAMBDA_GLIBC = (2, 26) if RUNTIME == "python3.11" else (2, 34)


def test_every_function_declares_the_runtime_of_the_python_that_packaged_it(package):
    template = json.loads(package.template.read_text())
    functions = {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    assert set(functions) == {"APIHandler", "EditorToken", "ProcessPhotos", "CountViews", "FoldSearch"}
    assert {name: f["Properties"]["Runtime"] for name, f in functions.items()} == dict.fromkeys(functions, RUNTIME)


def test_every_template_is_in_the_package_as_written(package):
    templates = sorted((ROOT / "templates").glob("*.html"))
    assert templates
    zip_file = package.zip
    for path in templates:
        assert zip_file.read(f"templates/{path.name}") == path.read_bytes()


def test_the_default_icon_is_in_the_package_as_shipped(package):
    icon = ROOT / "chalicelib" / "static" / "favicon.ico"
    assert package.zip.read("chalicelib/static/favicon.ico") == icon.read_bytes()
    script = ROOT / "chalicelib" / "static" / "views.js"  # beacon mode's counting script
    assert package.zip.read("chalicelib/static/views.js") == script.read_bytes()


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
    ours_shipped = [n for n in package.zip.namelist() if "/" not in n or n.startswith("chalicelib/")]
    assert not [n for n in ours_shipped if n.endswith(("cli.py", "infra.py", "lambda_package.py"))]


def test_pillow_is_a_manylinux_wheel_for_the_runtime_with_its_bundled_libraries(package):
    """A Pillow built here from source would link this machine's libraries and fail on Lambda; so would a wheel
    for a newer glibc than the runtime's OS has."""
    zip_file = package.zip
    names = zip_file.namelist()
    assert [n for n in names if n.startswith("pillow.libs/libjpeg")], "Pillow's bundled libjpeg is missing"
    assert [n for n in names if n.startswith(f"PIL/_imaging.cpython-{ABI[2:]}-x86_64-linux-gnu")]
    wheel = next(n for n in names if n.startswith("pillow-") and n.endswith(".dist-info/WHEEL"))
    tags = re.findall(r"^Tag: (\S+)$", zip_file.read(wheel).decode(), re.MULTILINE)
    assert tags and all(tag.startswith(f"{ABI}-{ABI}-") for tag in tags), tags
    glibcs = [(2, 17) if "manylinux2014_x86_64" in tag else _glibc(tag) for tag in tags]
    assert min(glibcs) <= LAMBDA_GLIBC, (tags, LAMBDA_GLIBC)


def _glibc(tag: str) -> tuple[int, int]:
    found = re.search(r"-manylinux_(\d+)_(\d+)_x86_64$", tag)
    assert found, tag
    return int(found.group(1)), int(found.group(2))


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
        pyc = f"{folder}/__pycache__/{file[:-3]}.{sys.implementation.cache_tag}.pyc".lstrip("/")
        assert pyc in names, pyc
    assert sys.implementation.cache_tag == f"cpython-{ABI[2:]}"
    # chalicelib/__pycache__ may hold another Python's bytecode (the tests ran there): none of it ships.
    assert {n.rsplit(".", 2)[-2] for n in names if n.endswith(".pyc")} == {sys.implementation.cache_tag}
    header = zip_file.read(f"__pycache__/app.cpython-{ABI[2:]}.pyc")[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER  # this interpreter's, the runtime's version
    assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, source never checked


def test_botocore_keeps_only_the_models_of_services_the_functions_call(package):
    services = {n.split("/")[2] for n in package.zip.namelist() if n.startswith("botocore/data/") and n.count("/") > 3}
    assert services == set(SERVICES)


def test_chalice_deploy_reuses_the_package_make_deploy_optimises():
    """`make deploy` optimises the zip chalice cached for this code; chalice deploy then reuses it."""
    path = cached_package(ROOT)
    assert path.parent == ROOT / ".chalice" / "deployments" and path.name.endswith(f"-{RUNTIME}.zip")
    assert path.exists()  # built by `chalice package` in the package fixture, for this very code


def test_the_editors_app_is_in_the_package_as_written(package):
    from chalicelib.admin_app import ASSETS, ASSETS_DIR

    for name in ASSETS:
        assert package.zip.read(f"chalicelib/admin/{name}") == (ASSETS_DIR / name).read_bytes(), name


def test_every_template_ships_compiled_with_its_bytecode(package):
    """The API's first page loads templates compiled when packaging (chalicelib/templating.py), compiling none."""
    from chalicelib.templating import COMPILED_TEMPLATES, template_names

    names = set(package.zip.namelist())
    modules = sorted(n for n in names if n.startswith(COMPILED_TEMPLATES + "/") and n.endswith(".py"))
    assert len(modules) == len(template_names())
    for module in modules:
        folder, _, file = module.rpartition("/")
        assert f"{folder}/__pycache__/{file[:-3]}.{sys.implementation.cache_tag}.pyc" in names
