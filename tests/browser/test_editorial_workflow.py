"""Review before publishing in the app, in Chromium against the local stack: a contributor submits, a reviewer
returns it with a comment, the contributor mends and resubmits, the reviewer approves and publishes, and the
review record shows every step; then the history shows the revisions, a diff, and restores one."""

from __future__ import annotations

from typing import Any

import requests
from playwright.sync_api import expect

from tests.browser.test_editors_app import api_token, log_in, open_app
from tests.local_stack import Stack

WRITER, CHECKER, PASSWORD = "xiao.li", "wang.shen", "review-flow-2026"
CATEGORY = "reviewed"


def set_up(site: Stack) -> None:
    """A category needing one approval, a contributor and a reviewer (an admin's work, through the API)."""
    auth = {"Authorization": f"Bearer {api_token(site)}"}
    category: dict[str, Any] = {"name": "需审核栏目", "review_levels": 1, "position": 90}
    answer = requests.put(f"{site.url}/api/categories/{CATEGORY}", json=category, headers=auth, timeout=30)
    assert answer.status_code == 200, answer.text
    for username, role in ((WRITER, "contributor"), (CHECKER, "reviewer")):
        account = {"username": username, "password": PASSWORD, "role": role}
        answer = requests.post(f"{site.url}/api/editors", json=account, headers=auth, timeout=30)
        assert answer.status_code in (201, 409), answer.text


def says(page: Any, text: str) -> bool:
    """Waits until the app's message area says `text` (it fails the test by timing out otherwise)."""
    page.wait_for_function("t => document.querySelector('.messages').innerText.includes(t)", arg=text)
    return True


# The editor drawn and open to input. While the page draws it again, the fieldset is briefly absent: a predicate
# that throws there would end the wait at once instead of waiting on.
EDITOR_READY = "() => { const form = document.querySelector('fieldset.editor'); return !!form && !form.disabled; }"


def review_steps(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(".review-step").all_inner_texts()]


def open_from_inbox(page: Any, title: str) -> None:
    page.get_by_role("link", name="待我审核").click()
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name="通过").wait_for()
    page.wait_for_function(EDITOR_READY)


def test_submit_return_resubmit_approve_publish_with_the_review_record(browser, site, artifacts):
    set_up(site)
    title = "关于召开理事会的通知"
    writer = open_app(browser, site)
    log_in(writer, WRITER, PASSWORD)
    writer.get_by_role("link", name="新建文章").click()
    writer.get_by_label("标题", exact=True).fill(title)
    writer.get_by_label("栏目").select_option(CATEGORY)
    writer.get_by_label("段落", exact=True).first.fill("理事会定于下月召开。")
    writer.get_by_role("button", name="发布", exact=True).click()
    assert says(writer, "撰稿人不能发布")
    writer.get_by_role("button", name="提交审核").click()
    assert says(writer, "已提交审核")
    article_url = writer.url

    checker = open_app(browser, site)
    log_in(checker, CHECKER, PASSWORD)
    open_from_inbox(checker, title)
    checker.get_by_label("审核意见").fill("请写明会议时间和地点")
    checker.get_by_role("button", name="退回").click()
    assert says(checker, "已退回")

    writer.goto(article_url)
    writer.reload()
    writer.get_by_text("请写明会议时间和地点").wait_for()
    writer.wait_for_function(EDITOR_READY)
    writer.get_by_label("段落", exact=True).first.fill("理事会定于12月20日上午9时在协会会议室召开。")
    writer.get_by_role("button", name="提交审核").click()
    assert says(writer, "已提交审核")

    open_from_inbox(checker, title)
    checker.get_by_role("button", name="通过").click()
    assert says(checker, "已审核通过")
    checker.get_by_role("button", name="发布", exact=True).click()
    checker.locator(".publish-state .badge-published").wait_for()
    steps = review_steps(checker)
    assert len(steps) == 4, steps
    assert WRITER in steps[0] and "提交审核" in steps[0]
    assert CHECKER in steps[1] and "退回" in steps[1] and "请写明会议时间和地点" in steps[1]
    assert WRITER in steps[2] and "提交审核" in steps[2]
    assert CHECKER in steps[3] and "通过" in steps[3]
    checker.screenshot(path=str(artifacts / "review-record-1280.png"), full_page=True)

    history = checker.get_by_role("button", name="历史版本")
    closed = history.get_attribute("aria-expanded")
    history.click()
    revisions = checker.locator(".revision")
    revisions.first.wait_for()
    assert (closed, history.get_attribute("aria-expanded")) == ("false", "true")  # what a screen reader is told
    assert revisions.count() >= 4
    oldest = revisions.last
    oldest.get_by_role("button", name="查看差异").click()
    diff = oldest.locator("table.diff")
    diff.wait_for()
    assert "理事会定于下月召开。" in diff.inner_text() and "12月20日" in diff.inner_text()
    oldest.get_by_role("button", name="恢复此版本").click()
    assert says(checker, "待发布的修改稿")  # published: the live text stays until published again
    article_id = article_url.rsplit("/", 1)[-1]
    live = requests.get(f"{site.url}/articles/{article_id}", timeout=30).text
    assert "12月20日" in live and "下月召开" not in live
    assert not writer.errors and not checker.errors


def test_the_second_levels_inbox_names_the_author_and_who_approved_the_first_level(browser, site):
    """Past level 1 the inbox row still names who submitted it, and says who approved the level before; the
    category is named as the staff named it."""
    set_up(site)
    admin = {"Authorization": f"Bearer {api_token(site)}"}
    category: dict[str, Any] = {"name": "两级审核栏目", "review_levels": 2, "position": 91}
    assert requests.put(f"{site.url}/api/categories/twice", json=category, headers=admin, timeout=30).ok

    def bearer(username: str) -> dict[str, str]:
        login = {"username": username, "password": PASSWORD}
        answer = requests.post(f"{site.url}/api/session", json=login, timeout=30)
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    writer, checker = bearer(WRITER), bearer(CHECKER)
    title = "关于年度会费收缴的通知"
    article = {"title": title, "category": "twice", "body": [{"type": "paragraph", "text": "请于月底前缴纳。"}]}
    created = requests.post(f"{site.url}/api/articles", json=article, headers=writer, timeout=30).json()["id"]
    assert requests.post(f"{site.url}/api/articles/{created}/submit", headers=writer, timeout=30).ok
    approve = {"decision": "approve"}
    assert requests.post(f"{site.url}/api/articles/{created}/review", json=approve, headers=checker, timeout=30).ok

    page = open_app(browser, site)
    log_in(page)
    page.get_by_role("link", name="待我审核").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title))
    # retried until it holds: the inbox can be drawn again while it is read (a stale read once gave no cells)
    expect(row.get_by_role("cell").nth(2)).to_have_text("两级审核栏目")
    expect(row.get_by_role("cell").nth(3)).to_have_text(f"第 2 级审核（{CHECKER} 已通过上一级）")
    expect(row.get_by_role("cell").nth(4)).to_have_text(WRITER)
    assert not page.errors
