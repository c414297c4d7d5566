"""`python -m ops.cli import-dedecms` and `import-page` as ops type them, run in this process: the options parsed
by the parser ops/cli.py builds, then `run`; what ops see (exit code, report on stdout, errors on stderr) and
what is stored. (tests/e2e/test_dedecms_migration.py runs the command in a subprocess, against the local stack.)"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import re
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import boto3
import pymysql
import pytest

from chalicelib import categories, legacy
from chalicelib.article_body import to_json
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel, PhotoModel
from ops.dedecms.commands import add_commands, run
from tests.fixture_server import FixtureServer, loopback_allowed, serving
from tests.local_stack import ROOT
from tests.migration import sites
from tests.migration.mariadb import PASSWORD, USER, MariaDB

DOCS = ROOT / "docs" / "migration-dedecms.md"
CONGRESS = "article 101 协会召开2023年度会员大会"
FULL_BAR = "[" + "#" * 30 + "]"
HOSTS = ("--site-host", "www.example.org", "--site-host", "example.org")  # the old site's two names


def cli(*argv: str) -> int:
    """`python -m ops.cli ARGV...` for these two commands: ops/cli.py's subparsers, then the commands' `run`."""
    parser = argparse.ArgumentParser(prog="python -m ops.cli")
    add_commands(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(argv))


def stored_nothing() -> bool:
    bucket = boto3.client("s3").list_objects_v2(Bucket=get_settings().media_bucket)
    return (
        categories.list_categories() == []
        and list(ArticleModel.scan()) == []
        and list(PhotoModel.scan()) == []
        and bucket.get("KeyCount", 0) == 0
        and legacy.redirect_for("/plus/view.php?aid=101") is None
    )


def body(aid: int) -> list[dict[str, Any]]:
    return to_json(ArticleModel.get(f"dede-{aid}", consistent_read=True).body)


# --- import-dedecms: the database, by URL or field by field ---------------------------------------------------


def test_without_a_database_it_says_what_to_give_and_stops(capsys):
    assert cli("import-dedecms", "--web-root", "/srv/www/oldsite") == 2
    assert capsys.readouterr() == ("", "error: give --database-url or --database\n")
    assert stored_nothing()


def test_a_database_url_imports_the_site_and_prints_its_report(mariadb, web_root, capsys):
    assert cli("import-dedecms", "--database-url", mariadb.url("dede_utf8"), "--web-root", str(web_root)) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "categories created or changed: 4\n"
        "articles imported: 5, updated: 0, unchanged: 0, skipped: 3\n"
        f"photos uploaded: {sites.PHOTOS + 1}, already there: 1\n"
    )
    assert "\nskipped article 105 已删除的文章: in the recycle bin\n" in out and out.endswith("\n")
    assert ArticleModel.get("dede-101").title == "协会召开2023年度会员大会"
    assert len([b for b in body(101) if b["type"] == "photo"]) == sites.PHOTOS  # read from the web root
    # The defaults: tables named dede_*, {cmspath} empty, the day of the site's time zone (Beijing's here).
    assert legacy.redirect_for("/a/news/industry") == "/news/industry"
    assert legacy.redirect_for("/a/news/industry/local/20230101/102.html") == "/articles/dede-102"


def test_a_dry_run_writes_nothing_and_prints_what_it_would_do(mariadb, web_root, capsys):
    argv = ["import-dedecms", "--database-url", mariadb.url("dede_utf8"), "--web-root", str(web_root), "--dry-run"]
    assert cli(*argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:3] == [
        "articles would be imported: 5, would be updated: 0, unchanged: 0, skipped: 3",
        f"photos would be uploaded: {sites.PHOTOS + 1}, already there: 1",
    ]
    assert f"  would be created: {CONGRESS}" in out
    assert stored_nothing()


@pytest.fixture(scope="module")
def old_tables(mariadb: MariaDB) -> str:
    """An old GBK site as many were left: GBK bytes in latin1 tables, and a table prefix of its own (old_)."""
    database = "dede_old_prefix"
    with mariadb.connect(charset="latin1") as db:
        sites.load_site(db, database, "latin1", sites.GBK_CHANNELS, sites.gbk_articles(), stored_as="gbk")
        with db.cursor() as cursor:
            for table in ("addonarticle", "addonsoft", "archives", "arctype"):
                cursor.execute(f"RENAME TABLE `{database}`.`dede_{table}` TO `{database}`.`old_{table}`")
    return database


@pytest.mark.parametrize("connect", ["url", "fields"])
def test_the_prefix_and_charset_options_reach_the_database_by_url_or_by_fields(
    mariadb, old_tables, connect, capsys, monkeypatch
):
    if connect == "url":
        database = ["--database-url", mariadb.url(old_tables)]
    else:  # the host left to its default, 127.0.0.1; the password on stdin
        database = ["--database", old_tables, "--port", str(mariadb.port), "--user", USER, "--password-stdin"]
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert cli("import-dedecms", *database, "--prefix", "old_", "--stored-as", "gbk") == 0
    assert "articles imported: 1, updated: 0, unchanged: 0, skipped: 0\n" in capsys.readouterr().out
    imported = ArticleModel.get("dede-201")
    assert (imported.title, imported.author) == ("朱镕基同志题词展在京开幕", "张堃")  # no mojibake
    assert [c.name for c in categories.list_categories()] == ["协会新闻"]


def refuse_connections(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the importer asks the database server for; the server then refuses it (nothing listens)."""
    asked: list[dict[str, Any]] = []

    def connect(**kwargs: Any) -> None:
        asked.append(kwargs)
        raise pymysql.err.OperationalError(2003, f"Can't connect to MySQL server on '{kwargs['host']}'")

    monkeypatch.setattr(pymysql, "connect", connect)
    return asked


def test_by_fields_the_defaults_are_root_at_127_0_0_1_3306_and_the_password_is_prompted(monkeypatch):
    asked = refuse_connections(monkeypatch)
    prompts: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or "typed secret ")
    monkeypatch.setattr(sys, "stdin", io.StringIO("not the password\n"))  # only read with --password-stdin
    with pytest.raises(pymysql.err.OperationalError, match="'127.0.0.1'"):
        cli("import-dedecms", "--database", "dedecms")
    assert prompts == ["Database password: "]
    assert [{k: asked[0][k] for k in ("host", "port", "user", "password", "database", "charset")}] == [
        {"host": "127.0.0.1", "port": 3306, "user": "root", "password": "typed secret ", "database": "dedecms",
         "charset": "utf8mb4"}
    ]  # fmt: skip


@pytest.mark.parametrize("password", ["pass phrase ", "Kd8#qX"], ids=["trailing space", "last letter X"])
def test_by_fields_every_option_given_and_the_password_is_the_whole_line_on_stdin(monkeypatch, password):
    asked = refuse_connections(monkeypatch)
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("prompted despite --password-stdin"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\nthe next line\n"))
    argv = ["--host", "db.internal", "--port", "3307", "--user", "dede", "--database", "old", "--stored-as", "gbk"]
    with pytest.raises(pymysql.err.OperationalError, match="'db.internal'"):
        cli("import-dedecms", *argv, "--password-stdin")
    assert [{k: asked[0][k] for k in ("host", "port", "user", "password", "database", "charset")}] == [
        {"host": "db.internal", "port": 3307, "user": "dede", "password": password, "database": "old",
         "charset": "latin1"}  # --stored-as: latin1 columns, decoded here
    ]  # fmt: skip


# --- import-dedecms: what the site's options change ---------------------------------------------------------


def test_the_day_in_old_urls_is_the_sites_time_zone_unless_timezone_is_given(mariadb, configure):
    configure(SITE_TIMEZONE="UTC")
    assert cli("import-dedecms", "--database-url", mariadb.url("dede_utf8")) == 0
    # 2023-01-01 00:30 in Beijing is 2022-12-31 in UTC
    assert legacy.redirect_for("/a/news/industry/local/20221231/102.html") == "/articles/dede-102"
    assert legacy.redirect_for("/a/news/industry/local/20230101/102.html") is None
    assert cli("import-dedecms", "--database-url", mariadb.url("dede_utf8"), "--timezone", "Asia/Shanghai") == 0
    assert legacy.redirect_for("/a/news/industry/local/20230101/102.html") == "/articles/dede-102"


def test_cmspath_is_the_folder_the_old_urls_start_with(mariadb):
    assert cli("import-dedecms", "--database-url", mariadb.url("dede_utf8"), "--cmspath", "/site/") == 0
    assert legacy.redirect_for("/site/a/news/industry/20230315/101.html") == "/articles/dede-101"
    assert legacy.redirect_for("/site/a/news/industry") == "/news/industry"
    assert legacy.redirect_for("/a/news/industry") is None


@pytest.fixture(scope="module")
def remote() -> Iterator[FixtureServer]:
    """Another site, holding an image an old article shows."""
    image = (200, {"Content-Type": "image/jpeg"}, sites.jpeg(320, 240, (90, 160, 20)))
    with serving({"/remote.jpg": image}) as server:
        yield server


@pytest.fixture(scope="module")
def links_site(mariadb: MariaDB, remote: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """An old site whose article links relatively and shows images by its two hosts' addresses and another
    site's; a second article shows a file of 1.5 MB. Its database's name and its web root."""
    database, root = "dede_links", tmp_path_factory.mktemp("links-www")
    files = {
        "local.jpg": sites.jpeg(400, 300, (200, 100, 0)),
        "other.jpg": sites.jpeg(400, 300, (0, 100, 200)),
        "big.jpg": sites.jpeg(400, 300, (50, 50, 50)) + bytes(1536 * 1024),  # a JPEG followed by padding
    }
    (root / "uploads" / "cli").mkdir(parents=True)
    for name, data in files.items():
        (root / "uploads" / "cli" / name).write_bytes(data)
    text = (
        '<p>详见<a href="/a/news/20230315/101.html">大会报道</a>。</p>'
        '<p><img src="http://www.example.org/uploads/cli/local.jpg" /></p>'
        '<p><img src="http://example.org/uploads/cli/other.jpg" /></p>'
        f'<p><img src="{remote.origin}/remote.jpg" /></p>'
    )
    article = dict(typeid=1, arcrank=0, click=1, writer="", source="", litpic="", pubdate=sites.unix(2023, 5, 1, 9, 0))
    articles = [
        {**article, "id": 301, "title": "链接与图片", "body": text},
        {**article, "id": 302, "title": "大图", "body": '<p>大图：</p><p><img src="/uploads/cli/big.jpg" /></p>'},
    ]
    with mariadb.connect() as db:
        sites.load_site(db, database, "utf8mb4", [(1, 0, 1, "新闻", "{cmspath}/a/news", 0)], articles)
    return mariadb.url(database), root


def photo_count(aid: int) -> int:
    return sum(b["type"] == "photo" for b in body(aid))


def test_site_hosts_make_relative_links_absolute_and_their_images_local(links_site, remote, capsys):
    url, root = links_site
    assert cli("import-dedecms", "--database-url", url, "--web-root", str(root), *HOSTS) == 0
    out = capsys.readouterr().out.splitlines()
    assert "photos uploaded: 3, already there: 0" in out  # both hosts' images and the big one, from the web root
    link = body(301)[0]
    assert link["text"] == "详见大会报道。"
    assert link["marks"] == [
        {"type": "link", "start": 2, "end": 6, "href": "http://www.example.org/a/news/20230315/101.html"}
    ]
    assert photo_count(301) == 2
    remote_image = f"{remote.origin}/remote.jpg: on another site (allow with --remote-images)"
    assert [line for line in out if line.startswith("warning:")] == [
        f"warning: article 301 链接与图片: photo left out: {remote_image}"
    ]


def test_without_site_hosts_relative_links_are_left_out_and_the_sites_images_are_remote(links_site, capsys):
    url, root = links_site
    assert cli("import-dedecms", "--database-url", url, "--web-root", str(root)) == 0
    out = capsys.readouterr().out
    assert "warning: article 301 链接与图片: a link to /a/news/20230315/101.html was left out\n" in out
    assert "photo left out: http://www.example.org/uploads/cli/local.jpg: on another site" in out
    assert body(301)[0] == {"type": "paragraph", "text": "详见大会报道。"}
    assert photo_count(301) == 0 and photo_count(302) == 1


def test_remote_images_downloads_the_images_other_sites_hold(links_site, remote, capsys):
    url, root = links_site
    with loopback_allowed(remote.pair):
        assert cli("import-dedecms", "--database-url", url, "--web-root", str(root), *HOSTS, "--remote-images") == 0
    out = capsys.readouterr().out
    assert "photos uploaded: 4, already there: 0\n" in out and "warning:" not in out
    assert photo_count(301) == 3 and remote.seen[-1][0] == "/remote.jpg"


def test_the_sites_upload_limit_applies_to_the_old_sites_files(links_site, configure, capsys):
    configure(MAX_UPLOAD_BYTES=str(1024 * 1024))
    url, root = links_site
    assert cli("import-dedecms", "--database-url", url, "--web-root", str(root), *HOSTS) == 0
    out = capsys.readouterr().out
    assert "warning: article 302 大图: photo left out: /uploads/cli/big.jpg: larger than 1 MB\n" in out
    assert photo_count(302) == 0 and photo_count(301) == 2


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_progress_bar_shows_on_stderr_and_the_report_on_stdout(mariadb, capsys, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli("import-dedecms", "--database-url", mariadb.url("dede_utf8")) == 0
    archives = len(sites.utf8_articles())
    assert terminal.getvalue().endswith(f"articles {FULL_BAR} {archives}/{archives}\n")
    out = capsys.readouterr().out
    assert out.startswith("categories created or changed: 4\n") and "#" not in out


# --- import-page ------------------------------------------------------------------------------------------------


@pytest.fixture
def news() -> None:
    categories.put_category("news", "新闻中心", None, 10)
    categories.put_category("industry", "行业动态", "news", 20)


def test_a_saved_page_is_imported_and_again_is_unchanged_or_updated_each_time_success(tmp_path, news, capsys):
    page = sites.saved_page(tmp_path)
    assert cli("import-page", str(page)) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "categories created or changed: 0\n"
        "articles imported: 1, updated: 0, unchanged: 0, skipped: 0\n"
        f"photos uploaded: {sites.PHOTOS}, already there: 0\n"
    )
    assert ArticleModel.get("dede-101").category == "industry"  # from the breadcrumb
    assert cli("import-page", str(page)) == 0  # nothing to do is no failure
    assert "articles imported: 0, updated: 0, unchanged: 1, skipped: 0\n" in capsys.readouterr().out
    page.write_bytes(page.read_bytes().replace("大会审议通过".encode("gb2312"), "大会一致通过".encode("gb2312")))
    assert cli("import-page", str(page)) == 0
    assert "articles imported: 0, updated: 1, unchanged: 0, skipped: 0\n" in capsys.readouterr().out
    assert body(101)[2]["text"] == "大会一致通过了理事会工作报告和财务报告。"


def test_a_page_with_nothing_imported_exits_1_with_the_reason_and_category_names_one(tmp_path, capsys):
    page = sites.saved_page(tmp_path, aid=None)
    assert cli("import-page", str(page)) == 1
    out = capsys.readouterr().out
    assert f"skipped page {page.name}: no category: its breadcrumb names none here; give --category\n" in out
    assert list(ArticleModel.scan()) == []
    categories.put_category("news", "新闻中心", None, 10)
    categories.put_category("industry", "行业动态", "news", 20)  # what the breadcrumb names
    assert cli("import-page", str(page), "--category", "news") == 0
    assert [a.category for a in ArticleModel.scan()] == ["news"]  # the option over the breadcrumb


def test_a_page_dry_run_writes_nothing(tmp_path, news, capsys):
    page = sites.saved_page(tmp_path)
    assert cli("import-page", str(page), "--dry-run") == 0
    out = capsys.readouterr().out.splitlines()
    assert f"photos would be uploaded: {sites.PHOTOS}, already there: 0" in out
    assert f"  would be created: page {page.name}" in out
    assert list(ArticleModel.scan()) == [] and list(PhotoModel.scan()) == []
    assert boto3.client("s3").list_objects_v2(Bucket=get_settings().media_bucket).get("KeyCount", 0) == 0


def test_a_page_url_on_a_local_address_is_refused_with_exit_1(capsys):
    with serving() as server:
        assert cli("import-page", f"{server.origin}/a/news/101.html") == 1
        assert server.seen == []
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and "private or local address" in err


def test_a_page_url_that_fails_exits_1_with_the_error(capsys):
    with serving() as server, loopback_allowed(server.pair):
        assert cli("import-page", f"{server.origin}/a/news/101.html") == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and "404" in err and err.count("\n") == 1
    assert list(ArticleModel.scan()) == []


def test_a_page_url_redirected_to_another_host_is_refused_naming_the_old_site(capsys):
    elsewhere = "http://10.0.0.7/a/news/101.html"  # what a hacked old site could point the import at
    with serving({"/a/news/101.html": (302, {"Location": elsewhere}, b"")}) as server, loopback_allowed(server.pair):
        assert cli("import-page", f"{server.origin}/a/news/101.html") == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", "error: 10.0.0.7: not a host the old site is fetched from\n")


def test_a_page_urls_own_host_by_name_is_fetched_from_where_it_resolves_to(capsys):
    """The page's own host passes the host check (`localhost`: named, not a fixture pair); only then is its
    address judged, here a loopback one."""
    with serving() as server:
        assert cli("import-page", f"http://localhost:{server.port}/a/news/101.html") == 1
        assert server.seen == []
    out, err = capsys.readouterr()
    assert (out, err) == ("", "error: localhost: resolves to a private or local address\n")


def test_a_page_url_is_given_thirty_seconds(monkeypatch, capsys):
    """An old site can be slow: its page gets 30 s (the fetcher's default is 20), the time its connection is given."""
    timeouts: list[float] = []
    connect = socket.create_connection

    def timed(address: Any, timeout: float, *args: Any, **kwargs: Any) -> socket.socket:
        timeouts.append(timeout)
        return connect(address, timeout, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", timed)
    with serving() as server, loopback_allowed(server.pair):
        assert cli("import-page", f"{server.origin}/a/news/101.html") == 1  # a 404: the connection was made
    [timeout] = timeouts
    assert 29 < timeout <= 30


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_a_page_url_brings_its_images_only_with_remote_images(tmp_path, news, capsys):
    page = sites.saved_page(tmp_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=tmp_path))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        pair = f"127.0.0.1:{server.server_address[1]}"
        url = f"http://{pair}/{quote(page.name)}"
        with loopback_allowed(pair):
            assert cli("import-page", url, "--dry-run") == 0
            without = capsys.readouterr().out
            assert cli("import-page", url, "--remote-images") == 0
            report = capsys.readouterr().out
    finally:
        server.shutdown()
        server.server_close()
    assert without.count("on another site (allow with --remote-images)") == sites.PHOTOS
    assert f"photos uploaded: {sites.PHOTOS}, already there: 0\n" in report and "warning:" not in report
    assert sum(b["type"] == "photo" for b in body(101)) == sites.PHOTOS


# --- the options' documentation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["import-dedecms", "import-page"])
def test_every_option_of_the_commands_is_in_the_migration_guide(command, capsys):
    with pytest.raises(SystemExit) as done:
        cli(command, "--help")
    assert done.value.code == 0
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", capsys.readouterr().out)) - {"--help"}
    assert options and {o for o in options if o not in DOCS.read_text(encoding="utf-8")} == set()
