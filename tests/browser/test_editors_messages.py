"""Every message an editor sees is Chinese (issue 29, items 2-3): refusals worded from their codes, limits in
MB and 万像素, errors kept until dismissed, 重试 and 替换 on a failed photo; the categories screen."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.errors import CODES
from tests.browser.test_editors_app import jpeg, log_in, new_article, open_app, wait_for_thumbnails
from tests.test_error_codes import CLIENT_CODES, LATIN_ALLOWED

SAMPLE = {"field": "body[3].caption", "limit": 26214400, "low": 1, "high": 9}


def english_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", text)) - LATIN_ALLOWED


def test_every_code_the_api_can_return_reads_as_chinese_in_the_app(browser, site):
    page = open_app(browser, site)
    log_in(page)
    worded = page.evaluate(
        """async ([codes, sample]) => {
            const messages = await import('/admin/assets/messages.js');
            return Object.fromEntries(codes.map(code => [code, [
                messages.wordCode(code, sample),
                messages.refusalText(400, {message: 'English text', code, ...sample}),
            ]]));
        }""",
        [sorted(CODES | CLIENT_CODES), SAMPLE],
    )
    for code, texts in worded.items():
        for text in texts:
            assert re.search(r"[\u4e00-\u9fff]", text) and not english_words(text), f"{code}: {text}"
            assert "{" not in text, f"{code}: a placeholder left: {text}"
    assert worded["file_too_large"][0] == "文件太大（上限 25 MB）。"
    assert worded["too_long"][0] == "第 4 块的图片说明太长了（最多 26214400 个字）。"
    assert worded["too_many_pixels"][0].startswith("图片像素过多（上限 2621 万像素）")
    unknown = page.evaluate(
        "async () => (await import('/admin/assets/messages.js')).refusalText(502, {message: 'Bad Gateway'})"
    )
    assert unknown == "服务器出错了，请稍后再试；如果一直出现，请联系管理员。"
    page.context.close()


def make_editor_account(page: Any, username: str, password: str) -> None:
    page.get_by_role("link", name="编辑账号").click()
    form = page.locator("form", has=page.get_by_role("heading", name="新建编辑账号"))
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(password)
    form.get_by_role("button", name="创建").click()


def test_refusals_are_chinese_and_stay_until_dismissed(browser, site):
    page = open_app(browser, site)
    log_in(page)
    make_editor_account(page, "li.na", "li-na-password")
    page.get_by_text("已创建账号 li.na。").wait_for()
    make_editor_account(page, "li.na", "li-na-password")
    alert = page.get_by_role("alert")
    alert.get_by_text("用户名已被使用，请换一个。").wait_for()
    page.get_by_role("link", name="栏目管理").click()  # a new view: its own messages
    page.get_by_label("标识").fill("Bad Slug")
    page.get_by_label("名称", exact=True).fill("坏标识")
    page.get_by_role("button", name="创建").click()
    alert.get_by_text("标识只能使用 1–64 个小写字母").wait_for()
    page.get_by_label("标识").fill("policy")  # 政策法规's 标识
    page.get_by_label("名称", exact=True).fill("覆盖")
    page.get_by_role("button", name="创建").click()
    alert.get_by_text("标识已存在。").wait_for()
    assert alert.get_by_text("标识只能使用 1–64 个小写字母").is_visible()  # the first error is still there
    page.get_by_role("button", name="关闭提示").first.click()
    assert alert.get_by_text("标识只能使用").count() == 0 and alert.get_by_text("标识已存在。").is_visible()
    assert page.locator("tr", has_text="policy").locator("input").first.input_value() == "政策法规"  # unchanged
    page.context.close()


def test_the_categories_screen_creates_top_level_categories_and_is_for_admins(browser, site, artifacts):
    page = open_app(browser, site)
    log_in(page)
    page.get_by_role("link", name="栏目管理").click()
    page.locator("table.categories").wait_for()
    parent = page.get_by_label("上级栏目", exact=True)
    assert parent.input_value() == ""  # （顶级栏目）, not the last top-level category
    assert page.get_by_label("标识").evaluate("i => { new RegExp(i.pattern, 'v'); return true; }")
    page.get_by_label("标识").fill("events")
    page.get_by_label("名称", exact=True).fill("活动")
    page.get_by_role("button", name="创建").click()
    page.get_by_text("栏目“活动”已保存。").wait_for()
    row = page.locator("tr", has_text="events")
    row.wait_for()
    assert row.locator("select").input_value() == ""  # top-level
    assert parent.input_value() == ""
    page.screenshot(path=str(artifacts / "categories-1280.png"), full_page=True)
    make_editor_account(page, "wang.fang", "wang-fang-password")
    page.get_by_text("已创建账号 wang.fang。").wait_for()
    editor = open_app(browser, site)
    log_in(editor, "wang.fang", "wang-fang-password")
    editor.goto(f"{site.url}/admin#/categories")
    editor.get_by_text("仅管理员可用。").wait_for()
    assert editor.get_by_role("button", name="创建").count() == 0
    page.context.close()
    editor.context.close()


def test_a_failed_upload_has_retry_and_replace_and_reasons_are_chinese(browser, site, tmp_path):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "上传失败")
    page.get_by_label("段落", exact=True).first.fill("正文")
    big = tmp_path / "太大.jpg"
    big.write_bytes(b"\xff\xd8\xff" + b"\0" * (26 * 1024 * 1024))
    fake = tmp_path / "文字.jpg"
    fake.write_text("不是图片" * 50)
    good = tmp_path / "好图.jpg"
    good.write_bytes(jpeg(3))
    page.get_by_label("添加图片").set_input_files([big, fake])
    failed = page.locator(".photo-preview[data-state=failed]").first
    failed.get_by_text("文件太大（上限 25 MB）。").wait_for()
    assert (
        failed.get_by_role("button", name="重试").is_visible()
        and failed.get_by_role("button", name="替换").is_visible()
    )
    rejected = page.locator(".photo-preview[data-state=rejected]")
    rejected.get_by_text("文件不是 JPEG、PNG 或 WebP 图片。").wait_for()
    rejected.locator("input[type=file]").set_input_files(good)  # 替换
    wait_for_thumbnails(page, 1)

    aborted: list[str] = []

    def abort_the_first_upload(route: Any) -> None:
        request = route.request
        if request.method == "POST" and "/api/" not in request.url and not aborted:
            aborted.append(request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", abort_the_first_upload)
    page.get_by_label("段落", exact=True).first.click()
    other = tmp_path / "另一张.jpg"  # `good` again would be the library's photo, with nothing to upload
    other.write_bytes(jpeg(4, 1111, 777))  # content no other test of the session uploads
    page.get_by_label("添加图片").set_input_files(other)
    interrupted = page.locator(".photo-preview[data-state=failed]", has_text="上传中断")
    interrupted.wait_for()
    interrupted.get_by_role("button", name="重试").click()
    wait_for_thumbnails(page, 2)
    assert aborted
    assert page.errors == []
    page.context.close()
