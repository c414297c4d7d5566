"""Pasting Word and WeChat HTML into the app keeps bold, links, lists and tables (converted by the server);
hostile text in marks, link targets and cells stays inert in the app."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.browser.test_editors_app import api_token, log_in, new_article, open_app, wait_saved
from tests.security.xss_payloads import PAYLOADS

FILES = Path(__file__).resolve().parent.parent / "richtext_files"
PASTE = """(html) => {
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', 'plain');
    const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
    document.activeElement.dispatchEvent(event);
}"""


def paste(page, name: str) -> None:
    page.get_by_label("段落", exact=True).first.click()
    page.evaluate(PASTE, (FILES / name).read_text(encoding="utf-8"))
    page.locator(".block-table").first.wait_for()


def test_a_word_paste_keeps_bold_links_the_numbered_list_and_the_table(browser, site):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "Word 粘贴")
    paste(page, "word.html")
    first = page.get_by_label("段落", exact=True).nth(2)
    assert first.locator("b, strong").first.inner_text() == "12月1日前"
    assert first.locator("a").get_attribute("href") == "https://www.example-xh.org.cn/baoming"
    assert page.locator(".block-list ol .rich-text").all_inner_texts() == [
        "会议时间：1月10日",
        "会议地点：国家会议中心",
        "乘地铁8号线",
    ]
    assert page.get_by_label("第 4 行第 2 列").inner_text() == "分组讨论"
    assert page.locator(".block-table input[type=checkbox]").is_checked()  # bold first row: a header
    assert page.errors == []
    page.context.close()


def test_a_wechat_paste_keeps_its_blocks_and_says_what_was_removed(browser, site):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "公众号粘贴")
    paste(page, "wechat.html")
    assert page.locator(".block-quote .rich-text").inner_text() == "“要把服务会员放在首位。”"
    assert page.locator(".block-list").count() == 2
    status = page.locator(".message-info").inner_text()
    assert "脚本" in status and "嵌入框架" in status
    # its image is fetched by the server (no internet here: a placeholder saying so, with 替换), not dropped
    placeholder = page.locator(".block-photo", has=page.locator(".photo-preview[data-state=failed]"))
    placeholder.get_by_text("图片未能获取", exact=True).wait_for()
    assert "mmbiz.qpic.cn" in placeholder.inner_text() and placeholder.get_by_role("button", name="替换").is_visible()
    placeholder.locator("button[data-action=remove]").click()  # saved without it
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    assert page.errors == []
    page.context.close()


def test_hostile_text_in_marks_links_and_cells_is_inert_in_the_app(browser, site):
    token = api_token(site)
    payload = " ".join(PAYLOADS)
    link = {"type": "link", "start": 0, "end": 5, "href": "https://a.cn/?q=%3Cscript%3E"}
    body = [
        {"type": "paragraph", "text": payload, "marks": [{"type": "bold", "start": 0, "end": 10}, link]},
        {"type": "list", "items": [{"text": payload, "items": [{"text": payload}]}]},
        {"type": "table", "header": True, "rows": [[{"text": payload}], [{"text": payload, "marks": [link]}]]},
        {"type": "quote", "text": payload},
    ]
    answer = requests.post(
        f"{site.url}/api/articles",
        json={"title": payload[:200], "category": "industry", "body": body},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    page = open_app(browser, site)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page)
    page.goto(f"{site.url}/admin#/articles/{answer.json()['id']}")
    page.locator(".block-table").wait_for()
    assert page.get_by_label("段落", exact=True).first.inner_text() == payload
    injected = page.evaluate(
        """() => [...document.querySelectorAll('.blocks img, .blocks svg, .blocks iframe, .blocks script,'
            + ' .blocks [onerror], .blocks [onload], .blocks [onmouseover]')].length"""
    )
    assert injected == 0 and dialogs == [] and page.errors == []
    page.context.close()
