"""An editor imports a WeChat article through the app, attaches a file and publishes; a reader reads and downloads.

The WeChat fixture set (tests/wechat_fixtures.py) is served on a free port, and this module's own local stack
is started with FETCH_LOOPBACK_HOSTS naming that port, as `make run` would be.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import wechat_fixtures as fx
from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.test_editors_app import log_in, new_article, open_app, wait_saved
from tests.fixture_server import FixtureServer, serving
from tests.local_stack import Stack

ATTACHMENT = "2026年会员大会报名表.pdf"


@pytest.fixture(scope="module")
def wechat() -> Iterator[FixtureServer]:
    with serving() as server:
        server.routes.update(fx.routes(server.origin, photos=3))
        yield server


@pytest.fixture(scope="module")
def intake_site(browser: Any, wechat: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp("intake") / "data"
    stack = Stack(data_dir, NEWSROOM_DEMO_PASSWORD=DEMO_PASSWORD, FETCH_LOOPBACK_HOSTS=wechat.pair)
    yield stack
    if stack.process.poll() is None:
        stack.stop()


def test_a_wechat_article_is_imported_attached_to_published_and_read(browser, intake_site, wechat, tmp_path):
    page = open_app(browser, intake_site)
    log_in(page)
    new_article(page, "（导入后替换）")
    page.get_by_role("button", name="从公众号导入").click()
    page.get_by_label("文章链接").fill(wechat.origin + "/s/AbCdEfGh123")
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_url("**/admin#/articles/*")
    page.get_by_label("标题", exact=True).wait_for()
    page.wait_for_function(
        "n => document.querySelectorAll('.photo-preview[data-state=ready] img.thumb').length === n", arg=3
    )
    assert page.get_by_label("标题", exact=True).input_value() == fx.TITLE
    pdf = tmp_path / ATTACHMENT
    pdf.write_bytes(b"%PDF-1.7\n% registration form\n" + b"0" * 2000)
    page.locator(".intake-tools input[type=file][multiple]").set_input_files(str(pdf))
    page.locator(".block-attachment").wait_for()
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_text("文章已发布。").wait_for()
    reader_url = page.locator(".publish-state a").get_attribute("href")
    assert page.errors == []

    reader = open_app(browser, intake_site)
    reader.goto(intake_site.url + reader_url)
    assert reader.locator("figcaption").all_inner_texts()[:3] == [fx.caption(n) for n in (1, 2, 3)]
    html = reader.content()
    assert "mmbiz" not in html and wechat.origin not in html  # nothing hotlinked
    media = intake_site.url.replace(str(intake_site.port), str(intake_site.aws_port))
    for src in reader.locator("figure img").evaluate_all("images => images.map(i => i.currentSrc || i.src)"):
        assert src.startswith(media + "/newsroom-local-media/renditions/"), src
    assert reader.locator(".body table td").all_inner_texts()[:2] == ["议程", "时间"]  # the table kept as a table
    assert reader.locator("iframe").get_attribute("src") == f"https://v.qq.com/txp/iframe/player.html?vid={fx.VID}"
    link = reader.get_by_role("link", name=ATTACHMENT)
    with reader.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert download.suggested_filename == ATTACHMENT
    assert download.path().read_bytes() == pdf.read_bytes()
    page.context.close()
    reader.context.close()


def test_a_word_document_is_imported_through_the_app_and_a_doc_is_refused(browser, intake_site, tmp_path):
    from tests.test_word_import import notice_docx

    page = open_app(browser, intake_site)
    log_in(page)
    new_article(page, "（导入后替换）")
    old = tmp_path / "旧通知.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)
    word = page.locator(".intake-tools input[type=file][accept='.docx,.doc']")
    word.set_input_files(str(old))
    page.get_by_text("请另存为 .docx").first.wait_for()
    document = tmp_path / "年会通知.docx"
    document.write_bytes(notice_docx())
    word.set_input_files(str(document))
    page.wait_for_url("**/admin#/articles/*")
    page.wait_for_function(
        "n => document.querySelectorAll('.photo-preview[data-state=ready] img.thumb').length === n", arg=2
    )
    assert page.get_by_label("标题", exact=True).input_value() == "年会通知"
    assert page.get_by_label("小标题", exact=True).first.input_value() == "关于召开2026年会员大会的通知"
    assert page.errors == []
    page.context.close()
