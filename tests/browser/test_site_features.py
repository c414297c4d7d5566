"""Admins run the association's site from the app: the site settings and the home page's features, seen by a
reader in Chromium against the local stack (its settings are put back afterwards for the other tests)."""

from __future__ import annotations

from typing import Any

from tests.browser.test_care_mode import blocking_violations
from tests.browser.test_editors_app import jpeg, log_in, open_app, wait_saved
from tests.browser.test_reader_browser import axe_source as axe_source  # noqa: F401 (a fixture)
from tests.local_stack import ARTICLE, Stack

ICP = "沪ICP备20260001号-2"
NAME = "上海市物业管理协会"


def test_an_admin_changes_the_icp_number_and_the_name_and_readers_see_them(browser, site: Stack, artifacts):
    page = open_app(browser, site)
    try:
        log_in(page)
        page.get_by_role("link", name="网站设置").click()
        name, icp = page.get_by_label("网站名称"), page.get_by_label("ICP备案号")
        page.wait_for_function("() => document.getElementById('setting-site_name').value !== ''")
        before = (name.input_value(), icp.input_value())
        icp.fill("x" * 61)
        page.get_by_role("button", name="保存").click()
        page.get_by_text("“ICP备案号”内容过长或含有不允许的字符。").wait_for()
        assert icp.get_attribute("aria-invalid") == "true"
        name.fill(NAME)
        icp.fill(ICP)
        page.get_by_role("button", name="保存").click()
        page.get_by_text("网站设置已保存。").wait_for()
        page.screenshot(path=str(artifacts / "settings-1280.png"), full_page=True)
        reader = page.context.new_page()
        reader.goto(f"{site.url}{ARTICLE}")
        footer = reader.locator("footer").inner_text()
        title = reader.title()
        name.fill(before[0])
        icp.fill(before[1])
        page.get_by_role("button", name="保存").click()
        page.get_by_text("网站设置已保存。").wait_for()
        assert page.errors == []
    finally:
        page.context.close()
    assert ICP in footer and NAME in footer and title.endswith(NAME)


def test_an_admin_sets_the_short_name_logo_footer_links_and_notices_and_a_phone_reader_sees_them(
    browser, site: Stack, artifacts
):
    page = open_app(browser, site)
    try:
        log_in(page)
        page.get_by_role("link", name="网站设置").click()
        page.wait_for_function("() => document.getElementById('setting-site_name').value !== ''")
        page.get_by_label("网站简称（手机上显示）").fill("市物协")
        page.get_by_label("页脚链接（每行一个：名称 空格 网址，如“关于我们 /articles/about”）").fill("友情链接 /links")
        page.get_by_label("通知栏显示条数（0 为不显示）").fill("1")
        page.get_by_label("图片说明样式").select_option(label="居左")
        page.get_by_label("网站标志（可选）").set_input_files(
            [{"name": "logo.jpg", "mimeType": "image/jpeg", "buffer": jpeg(7, 480, 160)}]
        )
        page.get_by_text("标志已就绪").wait_for()
        page.get_by_role("button", name="保存").click()
        page.get_by_text("网站设置已保存。").wait_for()
        phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        phone.goto(f"{site.url}{ARTICLE}")
        masthead = phone.locator(".masthead .name a").inner_text()
        logo = phone.locator(".masthead img.logo").evaluate("img => img.complete && img.naturalWidth")
        notices = phone.locator(".notices li").count()
        footer_link = phone.locator("footer .footer-nav a").get_attribute("href")
        caption = phone.locator(".body figcaption").first.evaluate("e => getComputedStyle(e).textAlign")
        phone.screenshot(path=str(artifacts / "settings-reader-390.png"))
        phone.context.close()
        page.get_by_label("网站简称（手机上显示）").fill("")
        page.get_by_label("页脚链接（每行一个：名称 空格 网址，如“关于我们 /articles/about”）").fill("")
        page.get_by_label("通知栏显示条数（0 为不显示）").fill("5")
        page.get_by_label("图片说明样式").select_option(label="居中")
        page.get_by_role("button", name="去掉标志").click()
        page.get_by_role("button", name="保存").click()
        page.get_by_text("网站设置已保存。").wait_for()
        assert page.errors == []
    finally:
        page.context.close()
    assert masthead == "市物协" and logo and notices == 1 and footer_link == "/links" and caption == "left"


def flag(page: Any, article_id: str, *labels: str, checked: bool = True) -> None:
    page.goto(page.url.split("#")[0] + f"#/articles/{article_id}")
    page.get_by_label("标题", exact=True).wait_for()
    page.wait_for_function("() => document.querySelector('.title-input').value !== ''")
    for label in labels:
        page.get_by_label(label).set_checked(checked)
    page.get_by_role("button", name="保存").click()
    wait_saved(page)


def test_an_editor_flags_an_article_and_a_keyboard_reader_reaches_it_on_the_home_page(
    browser, site: Stack, artifacts, axe_source
):
    article_id = ARTICLE.rsplit("/", 1)[1]
    page = open_app(browser, site)
    try:
        log_in(page)
        flag(page, article_id, "头条", "幻灯（需有图片）")
        reader = page.context.new_page()
        reader.goto(f"{site.url}/")
        title = reader.locator(".headline-title a").inner_text()
        carousel = reader.locator(".headlines figcaption").all_inner_texts()
        reader.screenshot(path=str(artifacts / "home-features-1280.png"))
        reached = []
        for _ in range(40):  # keyboard only: Tab until the headline and the carousel's link have had focus
            reader.keyboard.press("Tab")
            reached.append(reader.evaluate("document.activeElement.getAttribute('href')"))
        phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True).new_page()
        phone.goto(f"{site.url}/")
        blocking = blocking_violations(phone, axe_source)
        phone.context.close()
        flag(page, article_id, "头条", "幻灯（需有图片）", checked=False)
        assert page.errors == []
    finally:
        page.context.close()
    assert title and carousel == [title]
    assert reached.count(ARTICLE) >= 2  # the 头条 line and the carousel photo
    assert blocking == []  # axe on the home page with its features, at 390 px


def test_an_editor_builds_a_topic_in_the_app_and_a_reader_reads_it(browser, site: Stack, artifacts):
    page = open_app(browser, site)
    try:
        log_in(page)
        page.get_by_role("link", name="专题").click()
        page.get_by_label("专题网址名（小写字母、数字、连字符）").fill("browser-topic")
        page.get_by_role("button", name="打开").click()
        page.get_by_label("专题标题").fill("浏览器专题")
        page.get_by_label("专题简介").fill("专题简介文字")
        page.get_by_label("横幅图片（可选）").set_input_files(
            [{"name": "banner.jpg", "mimeType": "image/jpeg", "buffer": jpeg(5, 1600, 500)}]
        )
        page.get_by_label("按标题查找已发布的文章").fill("通知")
        page.get_by_label("按标题查找已发布的文章").press("Enter")
        found = page.get_by_role("list", name="找到的文章").locator("li > span:first-child")
        found.first.wait_for()
        titles = found.all_inner_texts()
        for title in titles[:2]:
            page.get_by_role("button", name=f"加入专题 {title}").click()
        page.get_by_role("button", name=f"上移 {titles[1]}").click()  # the second first
        page.get_by_text("横幅图片已就绪").wait_for()
        page.get_by_role("button", name="保存").click()
        page.get_by_text("专题已保存。").wait_for()
        page.screenshot(path=str(artifacts / "topic-app-1280.png"), full_page=True)
        reader = page.context.new_page()
        reader.goto(f"{site.url}/topics/browser-topic")
        heading = reader.locator("h1").inner_text()
        banner = reader.locator(".topic-banner img").evaluate("img => img.complete && img.naturalWidth")
        listed = reader.locator("main li a").all_inner_texts()
        reader.screenshot(path=str(artifacts / "topic-page-1280.png"), full_page=True)
        reader.locator("main").get_by_role("link", name=titles[0]).click()
        reader.wait_for_url(f"{site.url}/articles/**")  # read the article, not the topic page it left
        named = reader.locator(".article-topics a").all_inner_texts()
        assert page.errors == []
    finally:
        page.context.close()
    assert len(titles) >= 2 and all("通知" in title for title in titles) and heading == "浏览器专题"
    assert banner and [title for title in listed if title in titles[:2]] == [titles[1], titles[0]]
    assert named == ["浏览器专题"]
