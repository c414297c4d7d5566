"""友情链接 in Chromium against the local stack: an admin adds links in the app (one with a logo uploaded
through the photo pipeline), orders them, and a reader sees them in the footer and with the logo on /links
(the links are emptied afterwards for the other tests)."""

from __future__ import annotations

from typing import Any

from tests.browser.test_care_mode import blocking_violations
from tests.browser.test_editors_app import jpeg, log_in, open_app
from tests.browser.test_reader_browser import axe_source as axe_source  # noqa: F401 (a fixture)
from tests.local_stack import Stack


def add_link(page: Any, group: str, name: str, url: str) -> Any:
    page.get_by_role("button", name="添加链接").click()
    row = page.locator(".link-row").last
    row.get_by_label("分组").select_option(label=group)
    row.get_by_label("名称").fill(name)
    row.get_by_label("网址").fill(url)
    return row


def test_an_admin_adds_links_with_a_logo_and_readers_see_them(browser, site: Stack, artifacts, axe_source):
    page = open_app(browser, site, bypass_csp=True)  # axe is added to the reader's page
    try:
        log_in(page)
        page.get_by_role("link", name="友情链接").click()
        page.get_by_role("heading", name="友情链接").wait_for()
        add_link(page, "政府部门", "市住建委", "https://zjw.example.gov.cn/")
        row = add_link(page, "会员单位", "示范物业", "javascript:alert(1)")
        page.get_by_role("button", name="保存").click()
        page.get_by_text("链接地址须以 http:// 或 https:// 开头。").wait_for()
        invalid = row.get_by_label("网址").get_attribute("aria-invalid")
        row.get_by_label("网址").fill("https://member.example.cn/")
        row.get_by_label("标志图片（可选）").set_input_files(
            [{"name": "logo.jpg", "mimeType": "image/jpeg", "buffer": jpeg(3, 600, 300)}]
        )
        row.get_by_text("标志图片已就绪").wait_for()
        page.get_by_role("button", name="上移 示范物业").click()  # the member first
        page.get_by_role("button", name="保存").click()
        page.get_by_text("友情链接已保存。").wait_for()
        page.screenshot(path=str(artifacts / "links-app-1280.png"), full_page=True)
        reader = page.context.new_page()
        reader.goto(f"{site.url}/")
        footer = reader.locator("footer .footer-links").inner_text()
        reader.get_by_role("link", name="全部友情链接").click()
        reader.get_by_role("heading", name="友情链接", level=1).wait_for()
        logo = reader.locator(".link-list img").evaluate("img => img.complete && img.naturalWidth")
        listed = reader.locator(".link-list a").all_inner_texts()
        reader.screenshot(path=str(artifacts / "links-page-1280.png"), full_page=True)
        blocking = blocking_violations(reader, axe_source)
        page.get_by_role("button", name="移出 示范物业").click()
        page.get_by_role("button", name="移出 市住建委").click()
        page.get_by_role("button", name="保存").click()
        page.get_by_text("友情链接已保存。").wait_for()
        assert page.errors == []
    finally:
        page.context.close()
    assert invalid == "true"
    assert footer.index("会员单位") < footer.index("示范物业") < footer.index("政府部门") < footer.index("市住建委")
    assert logo and listed == ["示范物业", "市住建委"]
    assert blocking == []


def test_the_links_page_is_axe_clean_at_390_px(browser, site: Stack, axe_source):
    page = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True).new_page()
    try:
        page.goto(f"{site.url}/links")
        blocking = blocking_violations(page, axe_source)
    finally:
        page.context.close()
    assert blocking == []
