"""The editor on a 390 px phone with touch: 保存/预览/发布 always on screen, targets of 44 px (issue 29, item 8)."""

from __future__ import annotations

from tests.browser.conftest import PHONE
from tests.browser.test_editors_app import TIMEOUT_MS, log_in, wait_saved


def test_the_phone_bar_stays_on_screen_and_targets_are_44_px(browser, site, artifacts):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{site.url}/admin")
    log_in(page)
    page.get_by_role("link", name="新建文章").tap()
    page.get_by_label("标题", exact=True).fill("手机上写的稿子")
    page.get_by_label("栏目").select_option("industry")
    for i in range(6):  # a long body: the page scrolls well past one screen
        page.get_by_role("button", name="添加段落").tap()
        page.get_by_label("段落", exact=True).last.fill(f"第{i + 1}段。" * 40)
    page.evaluate("window.scrollTo(0, 700)")  # mid-page, the sidebar's own 保存 far below
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * PHONE["height"]
    bar = page.locator(".phone-bar")
    box = bar.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"] + 1 and box["y"] >= PHONE["height"] - 120
    small = page.evaluate(
        """() => [...document.querySelectorAll('button, a, select, input:not([type=file]):not([hidden])')]
            .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden') && !e.matches('.skip'))
            .map(e => [e.textContent.trim() || e.getAttribute('aria-label') || e.name, e.getBoundingClientRect()])
            .filter(([, r]) => r.height < 44 || (r.width < 44 && r.width > 0))
            .map(([name, r]) => `${name}: ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )
    assert small == [], small
    page.screenshot(path=str(artifacts / "editor-phone-bar-390.png"))
    bar.get_by_role("button", name="保存").tap()
    wait_saved(page)
    context.close()
