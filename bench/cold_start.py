"""Benchmark 3: the API's cold start, measured the way Lambda starts it.

The deployment zip is unpacked into a read-only directory (Lambda's /var/task), and each run
is a fresh interpreter (`python -I -S -B`) whose sys.path is that directory plus the standard
library. It imports `app` with the prod stage's environment, creates the DynamoDB client the
first article view uses (the article, counter and category models share one client) and
loads the article page's templates (compiled when packaging in the shipped package, from
their sources in the raw zip; not in the total). `-B` stands in for the read-only file system: we run
as root, whom chmod does not stop, and Lambda's Python cannot write __pycache__ either.

Variants: the shipped package (`make package`: chalice's zip after optimise-package, with
unchecked-hash .pyc compiled by this Python, the runtime's), and chalice's raw zip
without any .pyc. Baselines in the same run: bare `import boto3, pynamodb.models, jinja2`
from the venv with its .pyc (the issue's baseline), and the floor: those imports plus one
botocore DynamoDB client. The counting function (`chalicelib.routes.counting`, its own Lambda
function) against its own floor: bare `import botocore` and one DynamoDB client, both from the
shipped package. Medians of runs interleaved across variants. `-X importtime` shows
which packages dominate. Besides wall time, each child reports its CPU time (`process_time`):
on a machine others load, wall times of a run stretch by whatever else runs, CPU times far less,
so the CPU ratio is the steadier comparison of the same work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.cold_start_programs import (
    APP,
    BARE,
    BARE_CLIENT,
    BARE_PACKAGE,
    COUNTING,
    COUNTING_FLOOR,
    HAND_SIGNED,
    MINIMUM,
)
from bench.package import PROJECT_DIR, package_zip, raw_zip, unpack
from bench.report import Row, arguments, finish, median, verdict

TARGET = 1.0  # issue 14: below the bare imports

BASELINE = "bare imports, venv with .pyc"
FLOOR = "bare imports + one DynamoDB client, venv with .pyc"
SHIPPED = "app, shipped package (.pyc)"
RAW = "app, raw chalice zip without .pyc"
COUNTER = "counting function, shipped package"
COUNTER_FLOOR = "bare botocore + one DynamoDB client, shipped package"
SIGNED = "imports of a hand-signed client (no botocore), shipped package"
LEAST = "chalice + jinja2 + botocore + one client, shipped package"


def child_environment() -> dict[str, str]:
    """What Lambda gives the example global site's function: the stage's variables, a region, credentials."""
    from ops.stages import environment_for_stage

    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return environment_for_stage("example-global", inherited, credentials="example", project_dir=PROJECT_DIR)


def run_child(flags: list[str], code: str, args: list[str], env: dict[str, str]) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, *flags, "-c", code, *args],
        env=env,
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return {k: v * 1000 for k, v in json.loads(result.stdout.strip().splitlines()[-1]).items()}


def dominant_packages(flags: list[str], code: str, args: list[str], env: dict[str, str], shown: int = 6) -> str:
    """Self time of `-X importtime` summed by top-level package, largest first."""
    result = subprocess.run(
        [sys.executable, *flags, "-X", "importtime", "-c", code, *args],
        env=env,
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    totals: dict[str, int] = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line[len("import time:") :].split("|")
        top = name.strip().split(".")[0]
        top = "stdlib" if top in sys.stdlib_module_names else top
        totals[top] = totals.get(top, 0) + int(own)
    largest = sorted(totals.items(), key=lambda item: -item[1])[:shown]
    return ", ".join(f"{name} {micros / 1000:.0f}" for name, micros in largest) + " ms"


def measure(zip_path: Path, work: Path, runs: int) -> list[Row]:
    shipped = unpack(zip_path, work / "task")
    raw = unpack(raw_zip(zip_path), work / "task-raw", strip_pyc=True)
    env = child_environment()
    lambda_like = ["-I", "-S", "-B"]
    variants = {
        BASELINE: (["-I"], BARE, []),
        FLOOR: (["-I"], BARE_CLIENT, []),
        "bare imports, raw zip without .pyc": (lambda_like, BARE_PACKAGE, [str(raw)]),
        "bare imports, shipped package": (lambda_like, BARE_PACKAGE, [str(shipped)]),
        SHIPPED: (lambda_like, APP, [str(shipped)]),
        RAW: (lambda_like, APP, [str(raw)]),
        COUNTER: (lambda_like, COUNTING, [str(shipped)]),
        COUNTER_FLOOR: (lambda_like, COUNTING_FLOOR, [str(shipped)]),
        SIGNED: (lambda_like, HAND_SIGNED, [str(shipped)]),
        LEAST: (lambda_like, MINIMUM, [str(shipped)]),
    }
    for flags, code, args in variants.values():  # the venv writes its .pyc; the page cache warms
        run_child(flags, code, args, env)
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, (flags, code, args) in variants.items():
            samples[name].append(run_child(flags, code, args, env))
    result = {name: {part: median([s[part] for s in runs_]) for part in runs_[0]} for name, runs_ in samples.items()}
    for name, parts in result.items():
        detail = ", ".join(f"{part} {ms:.0f}" for part, ms in parts.items())
        print(f"  {name:52} {detail} ms (median of {runs})")
    rows = _api_rows(result) + _counting_rows(result)
    no_pyc = dominant_packages(lambda_like, APP, [str(raw)], env)
    with_pyc = dominant_packages(lambda_like, APP, [str(shipped)], env)
    counting = dominant_packages(lambda_like, COUNTING, [str(shipped)], env)
    print(f"  import self time by package, raw zip: {no_pyc}\n  shipped package: {with_pyc}\n  counting: {counting}")
    rows.append(Row("3 Cold start", "largest imports (self time, shipped package)", with_pyc, "", "", "", ""))
    rows.append(Row("3 Cold start", "largest imports of the counting function (self time)", counting, "", "", "", ""))
    return rows


def _api_rows(result: dict[str, dict[str, float]]) -> list[Row]:
    baseline = result[BASELINE]["import"]
    floor = result[FLOOR]
    floor_total = floor["import"] + floor["clients"]
    raw_bare = result["bare imports, raw zip without .pyc"]["import"]
    rows = [
        Row(
            "3 Cold start",
            "baseline: bare import boto3, pynamodb.models, jinja2",
            f"{baseline:.0f} ms (venv, .pyc)",
            f"{raw_bare:.0f} ms (read-only zip, no .pyc)",
            f"{raw_bare / baseline:.2f}",
            "",
            "",
        ),
        Row(
            "3 Cold start",
            "floor: the bare imports + one botocore DynamoDB client",
            f"{floor_total:.0f} ms ({floor['import']:.0f} + {floor['clients']:.0f})",
            f"{baseline:.0f} ms",
            f"{floor_total / baseline:.2f}",
            "",
            "",
        ),
    ]
    for name, label in ((SHIPPED, "shipped package (with .pyc)"), (RAW, "raw chalice zip, no .pyc")):
        parts = result[name]
        total = parts["import"] + parts["clients"]
        rows.append(
            Row(
                "3 Cold start",
                f"import app + shared DynamoDB client, {label}",
                f"{total:.0f} ms ({parts['import']:.0f} + {parts['clients']:.0f}; templates +{parts['templates']:.0f})",
                f"{baseline:.0f} ms",
                f"{total / baseline:.2f} ({total / floor_total:.2f} of the floor)",
                f"≤ {TARGET}",
                verdict(total / baseline <= TARGET),
            )
        )
    return rows + [_api_cpu_row(result), _least_row(result)]


def _least_row(result: dict[str, dict[str, float]]) -> Row:
    """Issue 28's budget: what chalice, jinja2 and one botocore client cost before pynamodb and our code."""
    least, baseline, shipped = result[LEAST]["cpu"], result[BASELINE]["cpu"], result[SHIPPED]["cpu"]
    return Row(
        "3 Cold start",
        "budget, CPU: import chalice, jinja2, botocore + one DynamoDB client (no pynamodb, none of our code)",
        f"{least:.0f} ms; room left under ≤ 1.0×: {baseline - least:.0f} ms, for pynamodb and our code "
        f"(which take {shipped - least:.0f} ms)",
        f"{baseline:.0f} ms (bare imports)",
        f"{least / baseline:.2f}",
        "",
        "",
    )


def _api_cpu_row(result: dict[str, dict[str, float]]) -> Row:
    shipped_cpu, baseline_cpu, floor_cpu = result[SHIPPED]["cpu"], result[BASELINE]["cpu"], result[FLOOR]["cpu"]
    return Row(
        "3 Cold start",
        "CPU time (process_time) of the same: import app + shared client, shipped package",
        f"{shipped_cpu:.0f} ms",
        f"{baseline_cpu:.0f} ms (bare imports; with the client {floor_cpu:.0f} ms)",
        f"{shipped_cpu / baseline_cpu:.2f} ({shipped_cpu / floor_cpu:.2f} of the floor)",
        f"≤ {TARGET}",
        verdict(shipped_cpu / baseline_cpu <= TARGET),
    )


def _counting_rows(result: dict[str, dict[str, float]]) -> list[Row]:
    ours, floor = result[COUNTER], result[COUNTER_FLOOR]
    total, floor_total = ours["import"] + ours["clients"], floor["import"] + floor["clients"]
    return [
        Row(
            "3 Cold start",
            "counting function: import its handler + shared DynamoDB client, shipped package",
            f"{total:.0f} ms ({ours['import']:.0f} + {ours['clients']:.0f})",
            f"import botocore + one client: {floor_total:.0f} ms ({floor['import']:.0f} + {floor['clients']:.0f})",
            f"{total / floor_total:.2f}",
            f"≤ {TARGET}",
            verdict(total / floor_total <= TARGET),
        ),
        Row(
            "3 Cold start",
            "counting function, CPU time (process_time) of the same",
            f"{ours['cpu']:.0f} ms",
            f"{floor['cpu']:.0f} ms",
            f"{ours['cpu'] / floor['cpu']:.2f}",
            f"≤ {TARGET}",
            verdict(ours["cpu"] / floor["cpu"] <= TARGET),
        ),
        Row(
            "3 Cold start",
            "lower bound without botocore: the imports a hand-signed client needs (hashlib, hmac, http.client, ssl)",
            f"{result[SIGNED]['import']:.0f} ms, CPU {result[SIGNED]['cpu']:.0f} ms",
            f"import botocore + one client: {floor_total:.0f} ms, CPU {floor['cpu']:.0f} ms",
            f"{result[SIGNED]['cpu'] / floor['cpu']:.2f} (CPU)",
            "",
            "measured, not built",
        ),
    ]


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--zip", help="a shipped deployment.zip from bench.package.build_package (bench.run passes it)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cold-start-") as work:
        zip_path = package_zip(options.zip, Path(work))
        finish(measure(zip_path, Path(work), runs=3 if options.quick else 9), options.json)


if __name__ == "__main__":
    main()
