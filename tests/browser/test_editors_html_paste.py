"""HTML pasted from Word, WPS or a web page (issue 29, item 2): paragraphs and headings kept, its images
brought in through the server's safe fetcher (served here by a local fixture server), a data: image uploaded,
and an image that cannot be fetched left as a placeholder saying so, with 替换 to upload it."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.test_editors_app import jpeg, log_in, new_article, open_app, wait_for_thumbnails
from tests.browser.test_richtext_paste import PASTE
from tests.fixture_server import FixtureServer, serving
from tests.local_stack import Stack


@pytest.fixture(scope="module")
def images() -> Iterator[FixtureServer]:
    with serving({"/img/meeting.jpg": (200, {"Content-Type": "image/jpeg"}, jpeg(31, 1000, 700))}) as server:
        yield server


@pytest.fixture(scope="module")
def paste_site(browser: Any, images: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp("paste") / "data"
    stack = Stack(data_dir, NEWSROOM_DEMO_PASSWORD=DEMO_PASSWORD, FETCH_LOOPBACK_HOSTS=images.pair)
    yield stack
    if stack.process.poll() is None:
        stack.stop()


def block_kinds(page: Any) -> list[str]:
    """Each block as the editor sees it: its kind, and a paragraph's or heading's text."""
    return list(
        page.locator(".block").evaluate_all(
            """items => items.map(li => {
                const preview = li.querySelector('.photo-preview');
                if (preview) return 'photo:' + (preview.dataset.state || '?');
                const text = li.querySelector('[contenteditable]') || li.querySelector('textarea, input');
                return (li.className.match(/block-(\\w+)/) || [])[1] + ':' + (text.value ?? text.innerText);
            })"""
        )
    )


def test_pasted_html_keeps_its_structure_and_brings_its_images_in(browser, paste_site, images, tmp_path):
    png = base64.b64encode(jpeg(32, 300, 200)).decode()  # JPEG bytes behind a data: URL
    html = (
        "<html><body><!--StartFragment--><p class=MsoNormal>第一段，会议开幕。</p>"
        "<h2>会议议程</h2><p>第二段。</p>"
        f'<p><img src="{images.origin}/img/meeting.jpg"></p><p>第三段。</p>'
        f'<p><img src="{images.origin}/img/gone.jpg"></p>'
        f'<p><img src="data:image/jpeg;base64,{png}"></p>'
        '<p><img src="file:///C:/Users/wang/AppData/Local/Temp/clip_image001.png"></p>'
        "<p>末段。</p><!--EndFragment--></body></html>"
    )
    page = open_app(browser, paste_site)
    log_in(page)
    new_article(page, "粘贴网页内容")
    page.get_by_label("段落", exact=True).first.click()
    page.evaluate(PASTE, html)
    page.locator(".block-photo").nth(2).wait_for()
    wait_for_thumbnails(page, 2)  # the fetched one and the data: one
    missing = page.locator(".photo-preview[data-state=failed]")
    missing.first.wait_for()
    assert missing.count() == 1
    kinds = block_kinds(page)
    assert kinds[:3] == ["paragraph:第一段，会议开幕。", "heading:会议议程", "paragraph:第二段。"], kinds
    assert [k.split(":")[0] for k in kinds[3:]] == ["photo", "paragraph", "photo", "photo", "paragraph"]
    assert kinds[3] == "photo:ready" and kinds[4] == "paragraph:第三段。" and kinds[-1] == "paragraph:末段。"
    gone = missing.nth(0)
    assert "图片未能获取" in gone.inner_text() and "/img/gone.jpg" in gone.inner_text()
    assert "请点“替换”上传图片文件" in gone.inner_text()
    assert "粘贴时已移除：网站无法读取的图片" in page.locator(".messages").inner_text()  # the file: image
    assert [path for path, _ in images.seen] == ["/img/meeting.jpg", "/img/gone.jpg"]  # the server fetched them

    replacement = tmp_path / "会议现场.jpg"
    replacement.write_bytes(jpeg(33, 800, 600))
    gone.locator("input[type=file]").set_input_files(replacement)  # 替换: upload the file itself
    wait_for_thumbnails(page, 3)
    assert page.errors == []
    page.context.close()


def test_an_image_whose_address_is_internal_is_a_placeholder_saying_so(browser, paste_site, images):
    """Any public site's images come in; a name for loopback (or the metadata address) is refused, in Chinese,
    and so is a port that is not a web port."""
    seen = len(images.seen)
    html = (
        f'<p>正文。</p><p><img src="http://localhost:{images.port}/img/meeting.jpg"></p>'
        '<p><img src="http://169.254.169.254/latest/meta-data/"></p>'
        '<p><img src="http://93.184.216.34:6379/a.jpg"></p>'  # a public address's database port
    )
    page = open_app(browser, paste_site)
    log_in(page)
    new_article(page, "粘贴内部地址")
    page.get_by_label("段落", exact=True).first.click()
    page.evaluate(PASTE, html)
    missing = page.locator(".photo-preview[data-state=failed]")
    missing.nth(2).wait_for()
    for index in range(2):
        assert "该网址指向内部地址，无法获取。" in missing.nth(index).inner_text()
    assert "只能获取网站常用端口（80、443、8080、8443）上的网址。" in missing.nth(2).inner_text()
    assert len(images.seen) == seen  # nothing reached the fixture server through its other name
    assert page.errors == []
    page.context.close()
