"""`make rehearse`: the real `make deploy`, again, and `make destroy`, for a global and a China site, against
moto's server (ops/rehearsal_moto.py, in its own process) with fake credentials.

In a copy of the checkout (build/rehearsal/project: chalice's record of what it deployed must never mix
with a real one's), sharing the venv and chalice's cached packages. For each site, side by side: the
`make deploy` stopped by preflight for want of the token secret, having created nothing; the
one-time step (the token secret), `make deploy`; the account read back (ops.account_check); `make deploy`
again, which must leave the code, policies, triggers, routes and bucket settings as they were; then
`make destroy`, which must remove code and API and keep tables and bucket; a wrong confirmation deletes
nothing; `make destroy DATA=delete` with the site's name typed deletes the data. Exit 1 on any problem.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from chalicelib.config import PROJECT_DIR
from ops import account_check
from ops.expectations import Expected, expected
from ops.rehearsal_moto import ServerFailed, moto_server
from ops.site_check import deployed_api

INHERITED = ("PATH", "HOME", "LANG", "TMPDIR", "TERM", "USER")
CREDENTIALS = "rehearsal"  # moto takes any keys; these name nothing real
IGNORED = (
    "__pycache__",
    ".git",
    ".venv*",
    "build",
    "test-artifacts",
    ".localdata*",
    "mut*",
    ".pytest_cache",
    ".mypy_cache",
)


@dataclass(frozen=True)
class Site:
    name: str  # the site make deploys (its stage is named after it)
    region: str

    @property
    def make_args(self) -> list[str]:
        return [f"SITE={self.name}"]


# The rehearsal's own site files (ops/rehearsal_sites/), put in the copy's sites/: without a CDN, which
# `make package`'s single stack brings (moto's CloudFormation has neither CloudFront nor SAM's transform).
SITE_FILES = Path(__file__).resolve().parent / "rehearsal_sites"
SITES = (Site("rehearsal-global", "us-east-1"), Site("rehearsal-china", "cn-north-1"))


class Failed(Exception):
    """A step of the rehearsal went wrong; the message says which and how."""


def copy_project(root: Path, dest: Path) -> Path:
    """The checkout's files without git, builds or venvs, the venv linked. chalice's package cache is copied,
    not linked: chalice and optimise-package rewrite its zips in place, and a test run may package beside."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns(*IGNORED), symlinks=True)
    for venv in root.glob(".venv*"):
        (dest / venv.name).symlink_to(venv.resolve())
    shutil.rmtree(dest / ".chalice" / "deployed", ignore_errors=True)
    for site_file in SITE_FILES.glob("*.json"):
        shutil.copy(site_file, dest / "sites" / site_file.name)
    return dest


def environment(endpoint: str, region: str) -> dict[str, str]:
    """A shell's basics from this process's environment (no AWS_ setting of the machine's, no stage variable:
    `ops.cli` lays a stage's variables over what it inherits), pointed at moto in `region`."""
    env = {k: v for k, v in os.environ.items() if k in INHERITED or k.startswith(("LC_", "XDG_", "PIP_"))}
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID=CREDENTIALS,
        AWS_SECRET_ACCESS_KEY=CREDENTIALS,
        AWS_REGION=region,
        AWS_DEFAULT_REGION=region,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        # chalice ships chalicelib's __pycache__ as it finds it: bytecode written between two deploys
        # would change the code the second one uploads.
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


class EndpointSession:
    """A boto3 session in `region` whose clients all call `endpoint` (this process's environment untouched)."""

    def __init__(self, endpoint: str, region: str) -> None:
        self.endpoint = endpoint
        self.region_name = region
        self._session = boto3.session.Session(
            region_name=region, aws_access_key_id=CREDENTIALS, aws_secret_access_key=CREDENTIALS
        )

    def client(self, service: str, **options: Any) -> Any:
        options["endpoint_url"] = options.get("endpoint_url") or self.endpoint
        return self._session.client(service, **options)


class Rehearsal:
    def __init__(self, project: Path, endpoint: str, log: Path) -> None:
        self.project = project
        self.endpoint = endpoint
        self.log = log
        self.runtime = f"python{sys.version_info.major}.{sys.version_info.minor}"
        self._expected: dict[Site, Expected] = {}

    def make(self, site: Site, *args: str, stdin: str = "", expect: int = 0) -> str:
        """`make ARGS` in the copy, as ops would type it; its output, or Failed if it exits otherwise than `expect`."""
        # -o: the venv is the checkout's, installed already (the copy's requirement files are newer than its stamp).
        stamp = Path(sys.prefix).name + "/.installed"  # this Python's venv, which make picks too
        command = ["make", *(["-o", stamp] if (self.project / stamp).exists() else []), *args, *site.make_args]
        started = time.monotonic()
        done = subprocess.run(  # noqa: S603 (make, with the rehearsal's own arguments)
            command,
            cwd=self.project,
            env=environment(self.endpoint, site.region),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=900,
        )
        with self.log.open("a") as log:
            log.write(f"\n$ {' '.join(command)}  (exit {done.returncode})\n{done.stdout}\n{done.stderr}\n")
        if done.returncode != expect:
            raise Failed(f"{' '.join(command)} exited {done.returncode}:\n{(done.stdout + done.stderr)[-3000:]}")
        print(
            f"  {' '.join(args + tuple(site.make_args))}: exit {done.returncode} in {time.monotonic() - started:.0f} s"
        )
        return done.stdout + done.stderr

    def session(self, site: Site) -> EndpointSession:
        return EndpointSession(self.endpoint, site.region)

    def expected(self, site: Site) -> Expected:
        """What the site's deploy should leave (the app imported once a site: it takes seconds)."""
        if site not in self._expected:
            self._expected[site] = expected(self.project, site.name, site.region, self.runtime)
        return self._expected[site]

    def rest_api(self, site: Site) -> str | None:
        try:
            return deployed_api(self.project, site.name)[0]
        except (OSError, StopIteration):
            return None

    def deploy(self, site: Site) -> dict[str, Any]:
        """Preflight stopping a deploy without its token secret, the one-time step docs/deploy.md asks for,
        the first deploy and the account read back."""
        session = self.session(site)
        refused = self.make(site, "deploy", expect=2)  # generates build/sites/SITE, then stops
        wanted = self.expected(site)
        if "preflight: The token secret" not in refused or self._data(session, wanted):
            raise Failed(f"make deploy without its token secret went past preflight:\n{refused[-2000:]}")
        parameter = wanted.environment["TOKEN_SECRET_PARAMETER"]
        session.client("ssm").put_parameter(
            Name=parameter, Type="SecureString", Value=os.urandom(32).hex(), Overwrite=True
        )
        self.make(site, "deploy")
        self.check(site)
        return account_check.snapshot(session, wanted, self.rest_api(site))

    def check(self, site: Site) -> None:
        found = account_check.problems(self.session(site), self.expected(site), self.rest_api(site))
        if found:
            raise Failed(f"{site.name} in {site.region} is not what make deploy should leave:\n  " + "\n  ".join(found))
        print(f"  {site.name}: the account holds every function, role, trigger, route, setting and alarm expected")

    def redeploy(self, site: Site, before: dict[str, Any]) -> None:
        self.make(site, "deploy")
        after = account_check.snapshot(self.session(site), self.expected(site), self.rest_api(site))
        changed = sorted(account_check.differences(before, after))
        if changed:
            raise Failed(f"redeploying {site.name} with nothing changed changed {', '.join(changed)}")
        print(f"  {site.name}: the second deploy left code, policies, triggers, routes and bucket as they were")

    def destroy(self, site: Site) -> None:
        session = self.session(site)
        wanted = self.expected(site)
        api = self.rest_api(site)
        self.make(site, "destroy")
        left = self._left(session, wanted)
        try:
            session.client("apigateway").get_rest_api(restApiId=api or "none")
            left.append(f"the API {api}")
        except ClientError:
            pass
        if left:
            raise Failed(f"make destroy left {', '.join(left)} of {site.name}")
        self._data_kept(session, wanted, "make destroy")
        self.make(site, "destroy", "DATA=delete", stdin="not-the-name\n", expect=2)
        self._data_kept(session, wanted, "a wrong confirmation")
        self.make(site, "destroy", "DATA=delete", stdin=f"{site.name}\n")
        if self._data(session, wanted):
            raise Failed(f"make destroy DATA=delete left {', '.join(self._data(session, wanted))}")
        print(f"  {site.name}: destroy removed code and API, kept the data until DATA=delete and its name")

    def _left(self, session: Any, wanted: Expected) -> list[str]:
        """The stage's functions and roles that still exist."""
        left = []
        for function in wanted.functions.values():
            try:
                session.client("lambda").get_function(FunctionName=function.name)
                left.append(f"function {function.name}")
            except ClientError:
                pass
            try:
                session.client("iam").get_role(RoleName=function.role)
                left.append(f"role {function.role}")
            except ClientError:
                pass
        return left

    def _data(self, session: Any, wanted: Expected) -> list[str]:
        """The stage's tables and bucket that exist."""
        tables = set(session.client("dynamodb").list_tables()["TableNames"])
        names = [t for k, t in wanted.environment.items() if k.endswith("_TABLE") and t in tables]
        buckets = [b["Name"] for b in session.client("s3").list_buckets().get("Buckets", [])]
        return names + ([wanted.bucket] if wanted.bucket in buckets else [])

    def _data_kept(self, session: Any, wanted: Expected, after: str) -> None:
        tables = [v for k, v in wanted.environment.items() if k.endswith("_TABLE")]
        if sorted(self._data(session, wanted)) != sorted([*tables, wanted.bucket]):
            raise Failed(f"after {after}, only {self._data(session, wanted)} of the data is left")


def _shared_names(sites: list[Expected]) -> list[str]:
    """Names two sites both use: tables, bucket, queue, functions, roles, alert topic."""
    seen: dict[str, str] = {}
    shared = []
    for site in sites:
        env = site.environment
        names = [v for k, v in env.items() if k.endswith("_TABLE") or k in ("MEDIA_BUCKET", "PHOTO_QUEUE")]
        names += [f.name for f in site.functions.values()] + [f.role for f in site.functions.values()]
        for name in {*names, site.alert_topic}:
            if seen.setdefault(name, site.stage) != site.stage:
                shared.append(name)
    return sorted(shared)


def rehearse(root: Path, workdir: Path, sites: tuple[Site, ...] = SITES) -> None:
    """The whole rehearsal; raises Failed at the first problem."""
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "make.log"
    log.write_text("")
    project = copy_project(root, workdir / "project")
    with moto_server(workdir / "moto.log") as endpoint:
        rehearsal = Rehearsal(project, endpoint, log)
        print(f"rehearsal: moto at {endpoint}, the project copied to {project}, make's output in {log}")
        snapshots = {site: rehearsal.deploy(site) for site in sites}
        shared = _shared_names([rehearsal.expected(site) for site in sites])
        if shared:
            raise Failed(f"the sites share {', '.join(shared)}")
        for site in sites:  # side by side: each still whole after the other's deploy, then after its own redeploy
            rehearsal.check(site)
            rehearsal.redeploy(site, snapshots[site])
        for site in sites:
            rehearsal.destroy(site)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.rehearsal", description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default=str(PROJECT_DIR / "build" / "rehearsal"))
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        rehearse(PROJECT_DIR, Path(args.workdir))
    except (Failed, ServerFailed) as failure:
        print(f"rehearsal failed: {failure}", file=sys.stderr)
        return 1
    print(f"rehearsal passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
