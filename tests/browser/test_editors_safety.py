"""Confirmations, publication dates, logout and per-editor local drafts (issue 29, items 4 and 5)."""

from __future__ import annotations

from typing import Any

from tests.browser.test_editors_app import create_account, expire_login, log_in, new_article, open_app


def answer_dialog(page: Any, accept: bool) -> list[str]:
    """Answer the next confirm() and keep what it asked."""
    asked: list[str] = []

    def handle(dialog: Any) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", handle)
    return asked


def published_at(page: Any, article_id: str) -> str:
    """The article's publication time as the API has it (to the microsecond)."""
    return str(
        page.evaluate(
            """async (id) => {
                const {api} = await import('/admin/assets/api.js');
                return (await api('GET', `/articles/${id}`)).published_at;
            }""",
            article_id,
        )
    )


def publish_state(page: Any) -> str:
    return str(page.locator(".publish-state").inner_text())


def test_unpublishing_asks_first_and_publishing_again_keeps_the_first_date(browser, site):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "撤回确认")
    page.get_by_label("段落", exact=True).first.fill("正文。")
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_text("文章已发布。").wait_for()
    first = publish_state(page)
    article_id = page.evaluate("location.hash.split('/').pop()")
    first_date = published_at(page, article_id)
    asked = answer_dialog(page, accept=False)
    page.get_by_role("button", name="撤回").click()
    assert asked and "撤回" in asked[0]
    assert publish_state(page) == first  # still published
    asked = answer_dialog(page, accept=True)
    page.get_by_role("button", name="撤回").click()
    page.get_by_text("文章已撤回").wait_for()
    page.get_by_role("link", name="返回文章列表").click()
    row = page.locator("tr", has_text="撤回确认")
    row.wait_for()
    assert "草稿" in row.inner_text() and "最后修改" in row.inner_text()
    row.get_by_role("link", name="撤回确认").click()
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_text("文章已发布。").wait_for()
    assert publish_state(page) == first
    assert published_at(page, article_id) == first_date  # the first publication's moment, not now
    page.context.close()


def test_logout_says_every_device_and_clears_this_editors_drafts_asking_first(browser, site):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "未保存的稿子")
    page.get_by_label("段落", exact=True).first.fill("还没保存。")
    asked = answer_dialog(page, accept=False)
    page.get_by_role("button", name="退出").click()
    assert asked and "所有设备" in asked[0]
    assert page.get_by_role("button", name="保存").is_visible()  # stayed
    answer_dialog(page, accept=True)
    page.get_by_role("button", name="退出").click()
    info = page.locator(".message-info")
    info.get_by_text("所有设备").wait_for()
    assert page.locator(".message-error").count() == 0
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('newsroom.draft')).length") == 0
    page.context.close()


def test_two_editors_sharing_a_browser_never_see_each_others_unsaved_text(browser, site):
    page = open_app(browser, site)
    log_in(page)
    create_account(page, "chen.jing", "chen-jing-password")
    page.get_by_role("link", name="文章", exact=True).click()
    new_article(page, "甲的稿子")
    page.get_by_label("段落", exact=True).first.fill("甲还没保存的文字。")
    expire_login(page)  # the session ends: the draft stays, for the same editor
    page.get_by_role("button", name="保存").click()
    page.get_by_role("alert").get_by_text("登录已过期").wait_for()
    log_in(page, "chen.jing", "chen-jing-password")
    page.get_by_label("标题", exact=True).wait_for()
    assert page.get_by_label("标题", exact=True).input_value() == ""
    assert page.get_by_label("段落", exact=True).first.inner_text().strip() == ""
    assert "甲" not in page.locator("main").inner_text()
    page.get_by_role("button", name="退出").click()  # nothing unsaved: no question
    page.get_by_label("用户名").wait_for()
    log_in(page)  # the first editor again, back in the new article: their text comes back, and can be discarded
    page.get_by_label("段落", exact=True).first.wait_for()
    assert page.get_by_label("段落", exact=True).first.inner_text() == "甲还没保存的文字。"
    answer_dialog(page, accept=True)
    page.get_by_role("button", name="放弃本机草稿").click()
    page.get_by_text("已放弃本机草稿。").wait_for()
    assert page.get_by_label("段落", exact=True).first.inner_text().strip() == ""
    assert page.get_by_label("标题", exact=True).input_value() == ""
    page.context.close()


def test_disabling_an_account_asks_first(browser, site):
    page = open_app(browser, site)
    log_in(page)
    create_account(page, "sun.li", "sun-li-password")
    row = page.locator("tr", has_text="sun.li")
    asked = answer_dialog(page, accept=False)
    row.get_by_role("button", name="停用").click()
    assert asked and "sun.li" in asked[0]
    assert row.get_by_role("button", name="停用").is_visible()
    answer_dialog(page, accept=True)
    row.get_by_role("button", name="停用").click()
    page.get_by_text("已停用 sun.li").wait_for()
    page.context.close()
