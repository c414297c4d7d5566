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
botocore DynamoDB client. Medians of runs interleaved across variants. `-X importtime` shows
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

from bench.package import PROJECT_DIR, package_zip, raw_zip, unpack
from bench.report import Row, arguments, finish, median, verdict

TARGET = 1.0  # issue 14: below the bare imports

# Child programs; argv[1] is the unpacked package. sys.path: the package, then the standard library.
_PATH = """
import sys, time, json
start, cpu = time.perf_counter(), time.process_time()
sys.path[:] = [sys.argv[1]] + [p for p in sys.path if p and "site-packages" not in p]
"""
BARE = """
import time, json
start, cpu = time.perf_counter(), time.process_time()
import boto3, pynamodb.models, jinja2
print(json.dumps({"import": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""
BARE_CLIENT = """
import time, json
start, cpu = time.perf_counter(), time.process_time()
import boto3, pynamodb.models, jinja2
imported = time.perf_counter()
import botocore.session
botocore.session.get_session().create_client("dynamodb", region_name="us-east-1")
clients, cpu = time.perf_counter() - imported, time.process_time() - cpu
print(json.dumps({"import": imported - start, "clients": clients, "cpu": cpu}))
"""
BARE_PACKAGE = (
    _PATH
    + """
import boto3, pynamodb.models, jinja2
print(json.dumps({"import": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""
)
APP = (
    _PATH
    + """
import app
imported = time.perf_counter()
from chalicelib.models import ArticleModel, CategoryModel, CounterModel
made = {id(model._get_connection().connection.client) for model in (ArticleModel, CounterModel, CategoryModel)}
assert len(made) == 1, "the models no longer share one botocore client"
clients, cpu = time.perf_counter(), time.process_time() - cpu
from chalicelib import templating
env = templating.environment()
for name in ["article.html", "base.html"] + [n for n in templating.template_names() if n.startswith("_")]:
    env.get_template(name)
templates = time.perf_counter() - clients
print(json.dumps({"import": imported - start, "clients": clients - imported, "templates": templates, "cpu": cpu}))
"""
)

BASELINE = "bare imports, venv with .pyc"
FLOOR = "bare imports + one DynamoDB client, venv with .pyc"
SHIPPED = "app, shipped package (.pyc)"
RAW = "app, raw chalice zip without .pyc"


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
    shipped_cpu, baseline_cpu, floor_cpu = result[SHIPPED]["cpu"], result[BASELINE]["cpu"], floor["cpu"]
    rows.append(
        Row(
            "3 Cold start",
            "CPU time (process_time) of the same: import app + shared client, shipped package",
            f"{shipped_cpu:.0f} ms",
            f"{baseline_cpu:.0f} ms (bare imports; with the client {floor_cpu:.0f} ms)",
            f"{shipped_cpu / baseline_cpu:.2f} ({shipped_cpu / floor_cpu:.2f} of the floor)",
            "",
            "",
        )
    )
    no_pyc = dominant_packages(lambda_like, APP, [str(raw)], env)
    with_pyc = dominant_packages(lambda_like, APP, [str(shipped)], env)
    print(f"  import self time by package, raw zip: {no_pyc}\n  shipped package: {with_pyc}")
    rows.append(Row("3 Cold start", "largest imports (self time, shipped package)", with_pyc, "", "", "", ""))
    return rows


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--zip", help="a shipped deployment.zip from bench.package.build_package (bench.run passes it)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cold-start-") as work:
        zip_path = package_zip(options.zip, Path(work))
        finish(measure(zip_path, Path(work), runs=3 if options.quick else 9), options.json)


if __name__ == "__main__":
    main()
