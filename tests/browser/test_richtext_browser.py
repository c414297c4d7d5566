"""A notice with a bold deadline, a link, a numbered list and a 3×4 table, written by keyboard and toolbar,
published, read at 390 and 1280 px (the table scrolls inside itself, axe clean) and printed."""

from __future__ import annotations

from tests.browser.conftest import PHONE
from tests.browser.test_editors_app import log_in, new_article, open_app, wait_saved
from tests.browser.test_reader_browser import AXE, BLOCKING

LINK = "https://www.example.org/baoming"
CELLS = [
    ["时间", "内容", "地点", "负责人"],
    ["9:00", "报到签到", "一层大厅", "会务组"],
    ["9:30", "开幕式", "报告厅", "秘书处"],
]


def write_notice(page) -> None:
    paragraph = page.get_by_label("段落", exact=True).first
    paragraph.click()
    page.keyboard.type("报名截止：")
    page.keyboard.press("Control+b")
    page.keyboard.type("12月1日")
    page.keyboard.press("Control+b")
    page.keyboard.type("，详见报名页")
    for _ in range(3):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Control+k")
    page.get_by_label("链接地址").fill(LINK)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="添加段落").click()
    page.keyboard.type("报到签到")
    page.keyboard.press("Enter")
    page.keyboard.type("大会开幕")
    page.get_by_role("button", name="编号列表").last.click()
    page.get_by_role("button", name="添加段落").click()
    page.keyboard.type("日程如下")
    page.get_by_role("button", name="表格").last.click()
    page.get_by_role("button", name="添加列").click()
    for r, row in enumerate(CELLS):
        for c, text in enumerate(row):
            page.get_by_label(f"第 {r + 1} 行第 {c + 1} 列").fill(text)


def test_a_notice_with_marks_a_list_and_a_table_is_written_published_read_and_printed(browser, site, artifacts):
    page = open_app(browser, site, bypass_csp=True)  # CSP bypassed so axe can run as the test's own script
    log_in(page)
    new_article(page, "关于报名参加2027年会员大会的通知")
    write_notice(page)
    page.screenshot(path=str(artifacts / "richtext-editor-1280.png"), full_page=True)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    assert axe_violations(page) == [], "the editor with its toolbar, list and table"
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_text("文章已发布。").wait_for()
    path = page.locator(".publish-state a").get_attribute("href")
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts / "richtext-editor-390.png"), full_page=True)
    assert page.errors == []
    page.context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    reader = context.new_page()  # CSP bypassed so axe can run as the test's own script
    reader.goto(site.url + path)
    reader.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    body = reader.locator(".body")
    assert body.locator("strong").all_inner_texts() == ["12月1日"]
    link = body.locator("a")
    assert link.inner_text() == "报名页" and link.get_attribute("href") == LINK
    assert link.get_attribute("title") == LINK and link.get_attribute("rel") == "noopener"
    assert body.locator("ol > li").all_inner_texts() == ["报到签到", "大会开幕"], body.inner_html()
    assert body.locator("th").all_inner_texts() == CELLS[0]
    assert [r.locator("td").all_inner_texts() for r in body.locator("tbody tr").all()] == CELLS[1:]
    reader.screenshot(path=str(artifacts / "richtext-read-1280.png"), full_page=True)
    for width in (1280, 390):
        reader.set_viewport_size({"width": width, "height": 844})
        page_width, window, table_width, box = reader.evaluate(
            """() => { const s = document.querySelector('.table-scroll');
                return [document.documentElement.scrollWidth, innerWidth, s.scrollWidth, s.clientWidth]; }"""
        )
        assert page_width <= window, f"the page scrolls sideways at {width} px"
        if width == 390:
            assert table_width > box, "the table scrolls inside itself on a phone"
            reader.screenshot(path=str(artifacts / "richtext-read-390.png"), full_page=True)
        violations = axe_violations(reader)
        assert violations == [], f"at {width} px"
    reader.set_viewport_size({"width": 794, "height": 1123})  # an A4 page at 96 dpi
    reader.emulate_media(media="print")
    after = reader.evaluate("() => getComputedStyle(document.querySelector('.body a'), '::after').content")
    assert LINK in after  # printouts show the link's address
    assert reader.evaluate("() => getComputedStyle(document.querySelector('.table-scroll')).overflowX") == "visible"
    reader.screenshot(path=str(artifacts / "richtext-print.png"), full_page=True)
    reader.context.close()


def axe_violations(page) -> list:
    results = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results if v["impact"] in BLOCKING]
