"""The deployment zip carries the templates, the code and Lambda-compatible wheels."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024


def test_every_template_is_in_the_package_as_written(package):
    templates = sorted((ROOT / "templates").glob("*.html"))
    assert templates
    zip_file = package.zip
    for path in templates:
        assert zip_file.read(f"templates/{path.name}") == path.read_bytes()


def test_app_and_chalicelib_are_in_the_package(package):
    names = set(package.zip.namelist())
    assert "app.py" in names
    for path in (ROOT / "chalicelib").glob("*.py"):
        assert f"chalicelib/{path.name}" in names
    assert "jinja2/__init__.py" in names and "pynamodb/__init__.py" in names and "jwt/__init__.py" in names
    assert not [n for n in names if n.startswith(("local/", "tests/", "bench/"))]


def test_pillow_is_a_manylinux2014_wheel_with_its_bundled_libraries(package):
    """A Pillow built here from source would link this machine's libraries and fail on Lambda."""
    zip_file = package.zip
    names = zip_file.namelist()
    assert [n for n in names if n.startswith("pillow.libs/libjpeg")], "Pillow's bundled libjpeg is missing"
    assert [n for n in names if n.startswith("PIL/_imaging.cpython-311-x86_64-linux-gnu")]
    wheel = next(n for n in names if n.startswith("pillow-") and n.endswith(".dist-info/WHEEL"))
    tags = zip_file.read(wheel).decode()
    assert "Tag: cp311-cp311-manylinux2014_x86_64" in tags or "manylinux_2_17_x86_64" in tags, tags


def test_the_unzipped_package_fits_lambda(package):
    size = sum(info.file_size for info in package.zip.infolist())
    print(f"\nunzipped deployment package: {size / 1048576:.1f} MB (Lambda limit 250 MB)")
    assert size < LAMBDA_UNZIPPED_LIMIT
