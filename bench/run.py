"""`make bench`: every benchmark, each in its own process, then one summary table.

Each module runs with `--json` and hands back its rows; a module that fails becomes a
FAILED row and the others still run. The deployment package is built once and shared by
the cold-start and package-size benchmarks. `--quick` is a smoke test, not a result.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.package import PROJECT_DIR, build_package
from bench.report import Row, markdown_table, read_rows

BENCHMARKS = (
    "dynamodb_cost",
    "render",
    "cold_start",
    "thumbnails",
    "view_counting",
    "package_size",
    "login_flood",
    "search",
    "avif",
    "phone_bytes",
    "edge_cost",
    "wechat_import",
    "body_types",
    "editor_workflow",  # these two drive Debian's Chromium (/usr/bin/chromium) with Playwright, as the browser tests
    "upload_downscale",
)
NEEDS_PACKAGE = {"cold_start", "package_size"}


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}, {when}"


def run_benchmark(name: str, work: Path, zip_path: Path | None, quick: bool) -> list[Row]:
    out = work / f"{name}.json"
    command = [sys.executable, "-m", f"bench.{name}", "--json", str(out)]
    if quick:
        command.append("--quick")
    if name in NEEDS_PACKAGE and zip_path:
        command += ["--zip", str(zip_path)]
    print(f"\n== {name} ==", flush=True)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_DIR, stdout=sys.stdout, stderr=subprocess.PIPE, text=True)
    print(f"({name}: {time.perf_counter() - started:.0f} s)", flush=True)
    if result.returncode != 0 or not out.exists():
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(result.stderr[-4000:], file=sys.stderr)
        return [Row(name, "benchmark failed", last[:200], verdict="FAILED")]
    return read_rows(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs: a smoke test, not a result")
    parser.add_argument("--only", help="comma-separated benchmarks, e.g. render,thumbnails")
    options = parser.parse_args()
    chosen = options.only.split(",") if options.only else list(BENCHMARKS)
    started = time.perf_counter()
    print(f"machine: {machine()}", flush=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        zip_path = None
        if NEEDS_PACKAGE & set(chosen):
            print("building the deployment package (chalice package + optimise-package, prod)...", flush=True)
            try:
                zip_path = build_package(work / "package")
            except subprocess.CalledProcessError as error:
                rows.append(Row("package", "package build failed", str(error.stderr)[-200:], verdict="FAILED"))
                chosen = [name for name in chosen if name not in NEEDS_PACKAGE]
        for name in chosen:
            rows.extend(run_benchmark(name, work, zip_path, options.quick))
    print(f"\n== summary ({'QUICK, not a result; ' if options.quick else ''}{machine()}) ==\n")
    print(markdown_table(rows))
    print(f"\nall benchmarks: {time.perf_counter() - started:.0f} s")
    return 1 if any(row.verdict == "FAILED" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
