"""Test set-up: settings and fake credentials before `app` is imported, moto for AWS.

pynamodb reads table names at import and chalice's test client sets the
stage's variables only during a request, so the local stage's variables are
put in place here, first. `AWS_ENDPOINT_URL` must be unset or calls bypass moto.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGE = "local"

from tests import log_check  # noqa: E402

log_check.install()  # first: lines logged while importing the app are checked too

from local.emulator import behave_like_aws, use_in_process_moto  # noqa: E402

use_in_process_moto(STAGE)

import boto3  # noqa: E402
import pytest  # noqa: E402
from chalice.test import Client  # noqa: E402
from moto import mock_aws  # noqa: E402

from app import app  # noqa: E402
from chalicelib.clock import set_time  # noqa: E402
from chalicelib.config import Site, get_settings, get_site  # noqa: E402
from chalicelib.login_throttle import forget_refusals  # noqa: E402
from chalicelib.navigation_cache import forget_navigation  # noqa: E402
from chalicelib.site_settings import forget_site_settings  # noqa: E402
from local.snapshot import tables_of  # noqa: E402
from ops.infra import provision  # noqa: E402

_moto: list[Any] = []  # the process's one moto account, once provisioned
_REAL_ENVIRONMENT = os.environ

# `make test` runs the suite in two processes (pytest-xdist, `-n 2 --dist loadfile`), a test file at a time;
# the files sharing a session-scoped fixture that takes long to start run in one process, so it starts once.
SHARED_SESSION_FIXTURES = {
    "tests/browser/": "browser",  # Chromium and the local stack `site`
    "tests/deploy/": "deploy",  # the package chalice builds (two builds at once in one folder collide)
    "tests/migration/": "mariadb",  # the MariaDB server
    "tests/e2e/test_dedecms_migration.py": "mariadb",
}


def shared_scope(nodeid: str) -> str:
    """The unit of work a test is sent to a process in: its file, or its shared fixture's group."""
    path = nodeid.split("::", 1)[0]
    return next((group for prefix, group in SHARED_SESSION_FIXTURES.items() if path.startswith(prefix)), path)


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook (its `xdist_group` marks are lost on pytest 9's node ids)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedFixtureScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return shared_scope(nodeid)

    return SharedFixtureScheduling(config, log)


KILLERS = "mutmut-killers.tsv"  # in mutmut's `mutants` folder, beside its own stats (mutation/progress.py reads it)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `make mutation`, a mutant's tests run in the order most likely to stop early (mutmut names them in
    no order and stops at the first failure): first the tests that killed other mutants of the same function,
    those that killed most first, then the rest cheapest first."""
    function = _function_under_mutation()
    if function is None:
        return
    duration, killed = _recorded_durations(), _killers().get(function, {})
    # stable: a file's tests keep their order
    items.sort(key=lambda item: (-killed.get(item.nodeid, 0), duration.get(item.nodeid, 0.0)))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Under `make mutation`, the test that killed a mutant is noted: first for its function's other mutants, then
    for a later run, which keeps the verdict only while that test exists (mutation/progress.py)."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if "__mutmut_" in mutant and report.failed:  # not a clean or stats run
        with open(KILLERS, "a", encoding="utf-8") as noted:  # one short line: appends from two workers stay whole
            noted.write(f"{mutant}\t{report.nodeid}\n")


def _function_under_mutation() -> str | None:
    """`chalicelib.auth.x_log_in` while mutmut runs the tests against one of its mutants; None otherwise."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    return mutant.rpartition("__mutmut_")[0] if "__mutmut_" in mutant else None  # not a clean or stats run


def _killers() -> dict[str, dict[str, int]]:
    """For each function, the tests that killed its mutants so far in this run, and how many each killed."""
    found: dict[str, dict[str, int]] = {}
    try:
        lines = Path(KILLERS).read_text(encoding="utf-8").splitlines()
    except OSError:
        return found
    for line in lines:
        mutant, _, nodeid = line.partition("\t")
        function = mutant.rpartition("__mutmut_")[0]
        tests = found.setdefault(function, {})
        tests[nodeid] = tests.get(nodeid, 0) + 1
    return found


@functools.cache
def _recorded_durations() -> dict[str, float]:
    """Each test's time as mutmut's own run recorded it (mutmut runs the tests from its `mutants` folder)."""
    try:
        return dict(json.loads(Path("mutmut-stats.json").read_text())["duration_by_test"])
    except (OSError, ValueError, KeyError):
        return {}


@pytest.fixture(scope="session", autouse=True)
def shared_demo_site(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The local stacks' demo site (tests/local_stack.py) is seeded once a run: pytest-xdist's processes
    keep it in the folder their own temporary folders are in."""
    from tests import local_stack

    base = tmp_path_factory.getbasetemp()
    local_stack.demo_site_root[:] = [base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base]


@pytest.fixture(autouse=True)
def real_environment() -> Iterator[None]:
    """Each test starts and ends with the process's real environment. chalice's test client swaps `os.environ`
    for a copy during a request and then puts back what it found, so two requests at once in threads can leave
    a copy in place; every later test's `TZ` (or any variable that C code reads) would then never reach the
    process, and a test of another time zone would pass whatever the code did."""
    os.environ = _REAL_ENVIRONMENT  # noqa: B003 (the real object itself, not a copy)
    yield
    os.environ = _REAL_ENVIRONMENT  # noqa: B003 (the real object itself, not a copy)


@pytest.fixture(autouse=True)
def every_line_has_a_request_id() -> Iterator[None]:
    """The test fails if a line it logged (its fixtures' too) is not JSON with a request id: tests/log_check.py."""
    mark = len(log_check.CHECK.bad)
    yield
    bad = log_check.CHECK.take(mark)
    assert not bad, "log lines without JSON fields or a request id:\n" + "\n".join(bad)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Lines logged outside any test (imports, session fixtures) fail the session."""
    bad = log_check.CHECK.bad
    if bad:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("log lines outside any test without JSON fields or a request id:", red=True)
            for line in bad:
                reporter.write_line(f"  {line}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def aws() -> None:
    """One moto account for the process, provisioned like a real stage.

    Started once and never stopped: `make mutation` runs a pytest session per
    mutant in a process forked from one that ran the suite, and each then
    inherits the provisioned account instead of provisioning it again.
    """
    if not _moto:
        behave_like_aws()
        mock = mock_aws()
        mock.start()
        provision(get_settings())
        _moto.append(mock)


@pytest.fixture(autouse=True)
def empty_aws(aws: None) -> Iterator[None]:
    """Every test starts with empty tables and bucket, as a new container would: no cached navigation or refusals."""
    empty_tables_and_bucket()
    forget_navigation()
    forget_site_settings()
    forget_refusals()
    yield
    forget_navigation()
    forget_site_settings()
    forget_refusals()
    set_time(None)  # a test that stopped the clock leaves the real one to the next


def empty_tables_and_bucket() -> None:
    settings = get_settings()
    for table in _moto_tables(tables_of(settings)):
        table.items.clear()
    s3 = _s3()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=settings.media_bucket):
        if page.get("Contents"):
            objects = [{"Key": entry["Key"]} for entry in page["Contents"]]
            s3.delete_objects(Bucket=settings.media_bucket, Delete={"Objects": objects, "Quiet": True})


def _moto_tables(names: list[str]) -> list[Any]:
    """The tables in moto's own store, emptied there as its `reset` would: a scan and a delete of each table
    through the API cost every test ~0.1 s (moto 5 keeps a table's items in `items`; no table has a stream)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    tables = dynamodb_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]].tables
    return [tables[name] for name in names]


@functools.cache
def _s3() -> Any:
    return boto3.client("s3")


@pytest.fixture
def clock() -> Callable[[datetime | float | None], None]:
    """Stops chalicelib.clock at the moment given (epoch seconds or a datetime); the real clock after the test."""
    return set_time


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The import tests' MariaDB (tests/migration/mariadb.py) with the old sites loaded: one server for the
    session, for tests/migration and tests/e2e/test_dedecms_migration.py."""
    from tests.migration import sites
    from tests.migration.mariadb import MariaDB

    server = MariaDB(tmp_path_factory.mktemp("mariadb"))
    try:
        with server.connect() as db:
            sites.load_site(db, "dede_utf8", "utf8mb4", sites.CHANNELS, sites.utf8_articles())
            sites.load_site(db, "dede_gbk", "gbk", sites.GBK_CHANNELS, sites.gbk_articles())
        with server.connect(charset="latin1") as db:  # as PHP with `SET NAMES latin1` wrote
            sites.load_site(db, "dede_latin1", "latin1", sites.GBK_CHANNELS, sites.gbk_articles(), stored_as="gbk")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The old sites' upload folder, for the import tests."""
    from tests.migration import sites

    root = tmp_path_factory.mktemp("wwwroot")
    sites.write_uploads(root)
    return root


@pytest.fixture
def client() -> Iterator[Any]:
    with Client(app, stage_name=STAGE, project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def auth() -> dict[str, str]:
    """An editor's Authorization header, the site's categories and a processed photo, `photo1`."""
    from tests.api_helpers import bearer, make_editor
    from tests.site import make_categories, make_photo

    make_editor()
    make_categories()
    make_photo("photo1")
    return bearer()


@pytest.fixture
def admin_auth(auth: dict[str, str]) -> dict[str, str]:
    """An admin's Authorization header (admins also manage categories and accounts), with `auth`'s site."""
    from tests.api_helpers import bearer, make_admin

    return bearer(make_admin())


def forget_settings() -> None:
    get_settings.cache_clear()
    get_site.cache_clear()


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Site]]:
    """Set environment variables and read the settings afresh; conftest's are back afterwards.

    The settings are read at once, not on the first request: chalice's test
    client puts the stage's own variables (SITE_LANGUAGE among them) in place
    while a request runs.
    """

    def configure(**variables: str) -> Site:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        forget_settings()
        return get_site()

    yield configure
    monkeypatch.undo()
    forget_settings()
