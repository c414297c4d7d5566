"""The old site's URLs answer a 301 to the new pages (chalicelib/routes/legacy.py), from the stored map."""

from __future__ import annotations

import logging

import pytest

from chalicelib import legacy
from chalicelib.config import get_settings, get_site
from tests.aws_refusals import client_error, refuse

MAP = {
    "/a/news/industry/20230315/101.html": "/articles/dede-101",
    "/a/xiehui/20210901/201.html": "/articles/dede-201",
    "/plus/view.php?aid=101": "/articles/dede-101",
    "/a/news/industry": "/news/industry",
    "/a/news": "/news/news",
    "/a/news/mouji.html": "/articles/dede-107",
    "/a/news/industry/20230101/102.html": "/articles/dede-102",
    "/a/news/industry/local/20230101/103.html": "/articles/dede-103",
}


@pytest.fixture
def stored() -> None:
    for path, target in MAP.items():
        legacy.remember_redirect(path, target)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/a/news/industry/20230315/101.html", "/articles/dede-101"),
        ("/a/xiehui/20210901/201.html", "/articles/dede-201"),
        ("/plus/view.php?aid=101", "/articles/dede-101"),
        ("/a/news/industry/", "/news/industry"),
        ("/a/news/industry/index.html", "/news/industry"),
        ("/a/news", "/news/news"),
        ("/a/news/mouji.html", "/articles/dede-107"),
        ("/a/news/industry/20230101/102.html", "/articles/dede-102"),
        ("/a/news/industry/local/20230101/103.html", "/articles/dede-103"),  # a third-level channel's
    ],
)
def test_an_old_url_moves_permanently_to_its_new_page(client, stored, old, new):
    response = client.http.get(old)
    assert response.status_code == 301, response.body
    assert response.headers["Location"] == get_site().url + get_site().base_path + new
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert response.body == b""  # nothing to show: browsers and crawlers follow the Location


@pytest.mark.parametrize(
    "unknown",
    [
        "/a/news/industry/20230315/999.html",
        "/plus/view.php?aid=999",
        "/plus/view.php",
        "/plus/view.php?aid=1%20or%201",
        "/a/elsewhere/",
    ],
)
def test_an_unknown_old_url_is_the_sites_404(client, stored, unknown):
    response = client.http.get(unknown)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8" and "Location" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"  # the import may map it tomorrow
    assert response.body == client.http.get("/news/no-such-category").body  # the site's 404 page, in full


def test_old_paths_are_stored_in_one_form():
    assert legacy.old_path("/a/news/") == legacy.old_path("/a/news/index.html") == "/a/news"
    assert legacy.old_path("/a/%E6%96%B0%E9%97%BB/") == "/a/新闻"
    assert legacy.old_path("/plus/view.php", "12") == "/plus/view.php?aid=12"
    assert legacy.old_path("/") == legacy.old_path("/index.html") == "/"  # the old home page
    assert legacy.old_path("/a/XX/") == "/a/XX"  # only slashes come off the end


@pytest.mark.parametrize(
    ("code", "status", "level", "logged"),
    [
        ("InternalServerError", 500, logging.ERROR, "old URL failed"),  # unexpected: logged with its trace
        ("ProvisionedThroughputExceededException", 503, logging.WARNING, "old URL failed: AWS unavailable: "),
    ],
)
def test_an_old_url_whose_map_cannot_be_read_is_the_error_page_and_a_log_line_naming_it(
    client, stored, monkeypatch, caplog, code, status, level, logged
):
    """Ops read the failure in `make logs` (ops/log_tail.py) by what failed: an old URL."""
    refuse(monkeypatch, client_error(code, "not now"), operation="GetItem", table=get_settings().tables["legacy"])
    with caplog.at_level(logging.WARNING, logger="chalicelib.answers"):
        response = client.http.get("/a/news/industry/20230315/101.html")
    assert response.status_code == status and "Location" not in response.headers
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    (line,) = [r for r in caplog.records if r.name == "chalicelib.answers"]
    assert line.levelno == level and line.getMessage().startswith(logged)
    if status == 500:
        assert line.getMessage() == logged and line.exc_info is not None
