"""Benchmark 6: the deployment package's size against Lambda's limits, and what fills it.

Lambda takes at most 250 MB unzipped (function plus layers) and 50 MB zipped for a direct
upload; our own goal is to stay under 50 MB unzipped. Measured on the shipped zip (after
optimise-package), compared with chalice's raw zip: .pyc added, botocore models dropped.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from bench.package import package_zip, raw_zip
from bench.report import Row, arguments, finish, verdict

MB = 1024 * 1024
LAMBDA_UNZIPPED_LIMIT = 250 * MB
GOAL = 50 * MB
SHOWN = 8


def sizes(zip_path: Path) -> tuple[int, dict[str, int], int]:
    """Unzipped bytes, unzipped bytes by top-level entry, files."""
    with zipfile.ZipFile(zip_path) as archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
    by_top: dict[str, int] = {}
    for entry in entries:
        top = entry.filename.split("/", 1)[0]
        by_top[top] = by_top.get(top, 0) + entry.file_size
    return sum(e.file_size for e in entries), by_top, len(entries)


def pyc_and_models(zip_path: Path) -> tuple[int, int]:
    """Unzipped bytes of .pyc files and of botocore's service models (botocore/data/*/)."""
    with zipfile.ZipFile(zip_path) as archive:
        entries = archive.infolist()
    pyc = sum(e.file_size for e in entries if e.filename.endswith(".pyc"))
    models = sum(e.file_size for e in entries if e.filename.startswith("botocore/data/") and e.filename.count("/") > 2)
    return pyc, models


def measure(zip_path: Path) -> list[Row]:
    raw = raw_zip(zip_path)
    unzipped, by_top, files = sizes(zip_path)
    raw_unzipped, _, raw_files = sizes(raw)
    (pyc, models), (raw_pyc, raw_models) = pyc_and_models(zip_path), pyc_and_models(raw)
    largest = sorted(by_top.items(), key=lambda item: -item[1])[:SHOWN]
    zipped = zip_path.stat().st_size
    print(f"shipped deployment.zip {zipped / MB:.1f} MB zipped, {unzipped / MB:.1f} MB unzipped, {files} files")
    raw_zipped = raw.stat().st_size
    print(f"chalice's raw zip {raw_zipped / MB:.1f} MB zipped, {raw_unzipped / MB:.1f} MB unzipped, {raw_files} files")
    for name, size in largest:
        print(f"  {size / MB:7.2f} MB  {name}")
    pillow = sum(size for name, size in by_top.items() if name.lower().startswith(("pil", "pillow")))
    return [
        Row(
            "6 Package",
            f"unzipped shipped package ({zipped / MB:.1f} MB zipped)",
            f"{unzipped / MB:.1f} MB",
            "Lambda limit 250 MB",
            f"{unzipped / LAMBDA_UNZIPPED_LIMIT:.2f}",
            "≤ 250 MB (goal 50 MB)",
            verdict(unzipped <= LAMBDA_UNZIPPED_LIMIT) + ("" if unzipped <= GOAL else ", goal MISSED"),
        ),
        Row(
            "6 Package",
            "optimise-package: .pyc added / botocore models dropped",
            f"+{(pyc - raw_pyc) / MB:.1f} / −{(raw_models - models) / MB:.1f} MB",
            f"raw chalice zip {raw_unzipped / MB:.1f} MB",
            f"{unzipped / raw_unzipped:.2f}",
            "",
            "",
        ),
        Row(
            "6 Package",
            "largest top-level entries",
            ", ".join(f"{name} {size / MB:.1f}" for name, size in largest[:5]) + " MB",
            "",
            "",
            "",
            "",
        ),
        Row("6 Package", "Pillow (photo function only) in the API's package", f"{pillow / MB:.1f} MB", "", "", "", ""),
    ]


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--zip", help="a shipped deployment.zip from bench.package.build_package (bench.run passes it)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-package-") as work:
        finish(measure(package_zip(options.zip, Path(work))), options.json)


if __name__ == "__main__":
    main()
