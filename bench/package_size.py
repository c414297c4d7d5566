"""Benchmark 6: the deployment package's size against Lambda's limits, and what fills it.

Lambda takes at most 250 MB unzipped (function plus layers) and 50 MB zipped for a direct
upload; our own goal is to stay under 50 MB unzipped.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from bench.package import package_zip
from bench.report import Row, arguments, finish, verdict

MB = 1024 * 1024
LAMBDA_UNZIPPED_LIMIT = 250 * MB
GOAL = 50 * MB
SHOWN = 8


def measure(zip_path: Path) -> list[Row]:
    with zipfile.ZipFile(zip_path) as archive:
        entries = archive.infolist()
    unzipped = sum(e.file_size for e in entries)
    by_top: dict[str, int] = {}
    for entry in entries:
        top = entry.filename.split("/", 1)[0]
        by_top[top] = by_top.get(top, 0) + entry.file_size
    largest = sorted(by_top.items(), key=lambda item: -item[1])[:SHOWN]
    zipped = zip_path.stat().st_size
    print(f"deployment.zip {zipped / MB:.1f} MB zipped, {unzipped / MB:.1f} MB unzipped, {len(entries)} files")
    for name, size in largest:
        print(f"  {size / MB:7.2f} MB  {name}")
    pillow = sum(size for name, size in by_top.items() if name.lower().startswith(("pil", "pillow")))
    return [
        Row(
            "6 Package",
            f"unzipped deployment package ({zipped / MB:.1f} MB zipped)",
            f"{unzipped / MB:.1f} MB",
            "Lambda limit 250 MB",
            f"{unzipped / LAMBDA_UNZIPPED_LIMIT:.2f}",
            "≤ 250 MB (goal 50 MB)",
            verdict(unzipped <= LAMBDA_UNZIPPED_LIMIT) + ("" if unzipped <= GOAL else ", goal MISSED"),
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
    parser.add_argument("--zip", help="a deployment.zip already built (bench.run passes it)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-package-") as work:
        finish(measure(package_zip(options.zip, Path(work))), options.json)


if __name__ == "__main__":
    main()
