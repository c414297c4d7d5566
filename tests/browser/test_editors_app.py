"""Editors using the app at /admin in Chromium, against the real local stack."""

from __future__ import annotations

import io
import time
from typing import Any

import requests
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, DESKTOP, PHONE
from tests.local_stack import Stack

PHOTOS = 10
TIMEOUT_MS = 60_000


def jpeg(index: int, width: int = 1200, height: int = 800) -> bytes:
    """A real JPEG, each a different colour so the thumbnails tell them apart."""
    image = Image.new("RGB", (width, height), ((index * 47) % 256, (index * 89) % 256, 160))
    image.paste((250, 250, 250), (width // 4, height // 4, width // 2, height // 2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def open_app(browser: Any, site: Stack, viewport: dict[str, int] = DESKTOP, **options: Any) -> Any:
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(f"{site.url}/admin")
    return page


def wait_saved(page: Any) -> None:
    """Wait for the app's 已保存。; should it never come, fail with what the app showed instead (its messages,
    the view and the save button's state), so a failure in CI says why."""
    try:
        page.get_by_text("已保存。").wait_for()
    except PlaywrightTimeoutError:
        shown = page.evaluate(
            """() => ({view: location.hash,
                       messages: [...document.querySelectorAll('.message')].map(m => m.textContent),
                       saveState: (document.querySelector('.save-state') || {}).textContent,
                       dialogs: [...document.querySelectorAll('dialog[open]')].map(d => d.textContent)})"""
        )
        raise AssertionError(f"已保存。 never appeared; the app showed {shown}") from None


def log_in(page: Any, username: str = "demo", password: str = DEMO_PASSWORD) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出").wait_for()


def expire_login(page: Any) -> None:
    """The app's token stops being accepted (its signature forged), as if the login had expired."""
    page.evaluate(
        """() => {
            const session = JSON.parse(sessionStorage.getItem('newsroom.session'));
            session.token = session.token.slice(0, -4) + 'AAAA';
            sessionStorage.setItem('newsroom.session', JSON.stringify(session));
        }"""
    )


def new_article(page: Any, title: str, category: str = "industry") -> None:
    page.get_by_role("link", name="新建文章").click()
    page.get_by_label("标题", exact=True).fill(title)
    page.get_by_label("栏目").select_option(category)


def create_account(page: Any, username: str, password: str) -> None:
    """An admin creates an editor account in 编辑账号 and sees it confirmed."""
    page.get_by_role("link", name="编辑账号").click()
    form = page.locator("form", has=page.get_by_role("heading", name="新建编辑账号"))
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(password)
    form.get_by_role("button", name="创建").click()
    page.get_by_text(f"已创建账号 {username}。").wait_for()


def preview_link(page: Any) -> str:
    """Open the article's preview (the tab is closed again) and return the link the editor can send."""
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="预览", exact=True).click()
    opened.value.close()
    link = page.locator("a.preview-url")
    link.wait_for()
    url = link.get_attribute("href")
    assert url and "/preview/" in url
    return str(url)


def wait_for_thumbnails(page: Any, count: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('.photo-preview[data-state=ready] img.thumb').length === n", arg=count
    )


def saved_version(page: Any) -> int:
    text = page.locator(".save-state").inner_text()
    return int("".join(c for c in text if c.isdigit()))


def api_token(site: Stack) -> str:
    answer = requests.post(f"{site.url}/api/session", json={"username": "demo", "password": DEMO_PASSWORD}, timeout=30)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def test_an_editor_writes_uploads_ten_photos_at_once_and_publishes(browser, site, artifacts, tmp_path):
    started = time.monotonic()
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "协会举办第五届物业服务技能大赛")
    page.get_by_label("副标题").fill("十支代表队同场竞技")
    page.get_by_label("来源").fill("协会秘书处")
    page.get_by_label("作者").fill("王丽")
    page.get_by_label("段落", exact=True).first.fill("5月18日，技能大赛在市体育中心举行。\n共有十支代表队参加。")
    page.get_by_role("button", name="添加小标题").click()
    page.get_by_label("小标题", exact=True).fill("赛场掠影")
    files = []
    for i in range(PHOTOS):
        path = tmp_path / f"现场{i + 1:02d}.jpg"
        path.write_bytes(jpeg(i))
        files.append(path)
    file_input = page.get_by_label("添加图片")
    assert file_input.get_attribute("multiple") is not None
    page.evaluate(
        """() => {
            window.progressBars = new Set();
            new MutationObserver(() => document.querySelectorAll('progress').forEach(p => window.progressBars.add(p)))
                .observe(document.body, {childList: true, subtree: true});
        }"""
    )
    file_input.set_input_files(files)
    captions = [f"第{i + 1}支代表队比赛现场" for i in range(PHOTOS)]
    for i, caption in enumerate(captions):
        page.get_by_label("图片说明").nth(i).fill(caption)
    page.get_by_label("替代文字").nth(0).fill("选手在操作台前")
    assert page.locator(".block-photo").count() == PHOTOS
    page.get_by_role("button", name="添加段落").click()
    page.get_by_label("段落", exact=True).last.fill("大赛评出一等奖两名。")
    wait_for_thumbnails(page, PHOTOS)
    assert page.evaluate("window.progressBars.size") >= PHOTOS  # each upload showed its own progress bar
    for img in page.locator(".photo-preview img.thumb").all():
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    page.screenshot(path=str(artifacts / "editor-1280.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_text("文章已发布。").wait_for()
    reader_url = page.locator(".publish-state a").get_attribute("href")
    assert reader_url and reader_url.startswith("/articles/")
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts / "editor-390.png"), full_page=True)
    assert page.errors == []

    reader = open_app(browser, site)
    reader.goto(site.url + reader_url)
    assert reader.locator("h1").inner_text() == "协会举办第五届物业服务技能大赛——十支代表队同场竞技"
    paragraphs = reader.locator(".body p").all_inner_texts()
    assert paragraphs[0] == "5月18日，技能大赛在市体育中心举行。\n共有十支代表队参加。"  # the line break survives
    assert paragraphs[-1] == "大赛评出一等奖两名。"
    assert reader.locator(".body h2").inner_text() == "赛场掠影"
    assert reader.locator("figcaption").all_inner_texts() == captions
    assert reader.locator("figure img").first.get_attribute("alt") == "选手在操作台前"
    images = reader.locator("figure img")
    assert images.count() == PHOTOS
    for i in range(PHOTOS):
        images.nth(i).scroll_into_view_if_needed()
        images.nth(i).evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
        assert images.nth(i).evaluate("img => img.naturalWidth") > 0, f"photo {i + 1} did not load"
    reader.screenshot(path=str(artifacts / "published-1280.png"), full_page=True)
    reader.set_viewport_size(PHONE)
    reader.screenshot(path=str(artifacts / "published-390.png"), full_page=True)
    print(f"\nwrote, uploaded {PHOTOS} photos, published and read in {time.monotonic() - started:.1f} s")
    page.context.close()
    reader.context.close()


def test_a_wrong_password_is_refused_with_a_message(browser, site):
    page = open_app(browser, site)
    log_in_attempt = page.get_by_label("用户名")
    log_in_attempt.fill("demo")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("alert").get_by_text("用户名或密码错误。").wait_for()
    assert page.get_by_role("button", name="退出").count() == 0
    assert page.evaluate("sessionStorage.getItem('newsroom.session')") is None
    page.context.close()


def test_pasted_word_text_becomes_one_paragraph_per_line_and_blocks_move_by_keyboard(browser, site):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "粘贴测试")
    paragraph = page.get_by_label("段落", exact=True).first
    paragraph.focus()
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData('text/plain', '\u3000\u3000第一段\\r\\n\u3000\u3000第二段\\r\\n\\r\\n第三段\\n\\n\\n第四段');
            const paste = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
            document.activeElement.dispatchEvent(paste);
        }"""
    )
    texts = page.get_by_label("段落", exact=True).evaluate_all("areas => areas.map(a => a.innerText)")
    assert texts == ["第一段", "第二段", "第三段", "第四段"]  # Word's lines, without their indentation
    page.get_by_role("button", name="下移 段落 第 1 块").click()
    page.keyboard.press("Enter")  # focus stays on the moved block's button: move it once more
    texts = page.get_by_label("段落", exact=True).evaluate_all("areas => areas.map(a => a.innerText)")
    assert texts == ["第二段", "第三段", "第一段", "第四段"]
    page.get_by_role("button", name="删除 段落 第 1 块").click()
    assert page.get_by_label("段落", exact=True).count() == 3
    page.context.close()


def test_a_pasted_clipboard_image_becomes_a_photo_block(browser, site):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "剪贴板图片")
    page.get_by_label("段落", exact=True).first.fill("下图为现场照片。")
    page.get_by_label("段落", exact=True).first.focus()
    page.evaluate(
        """async (bytes) => {
            const file = new File([new Uint8Array(bytes)], 'image.png', {type: 'image/png'});
            const data = new DataTransfer();
            data.items.add(file);
            const paste = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
            document.activeElement.dispatchEvent(paste);
        }""",
        list(png()),
    )
    wait_for_thumbnails(page, 1)
    assert page.get_by_label("段落", exact=True).first.inner_text() == "下图为现场照片。"
    assert page.locator(".block").nth(1).get_attribute("class") == "block block-photo"
    page.context.close()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_a_text_file_named_jpg_is_rejected_with_its_reason(browser, site, tmp_path):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "错误图片")
    fake = tmp_path / "不是图片.jpg"
    fake.write_text("这不是图片，只是文字。" * 20)
    page.get_by_label("添加图片").set_input_files([fake])
    problem = page.locator(".photo-preview[data-state=rejected]")
    problem.wait_for()
    assert "图片无法使用" in problem.inner_text()
    reason = problem.locator(".reason").inner_text()
    assert reason.strip(), "the rejection reason is missing"
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    page.get_by_role("button", name="发布", exact=True).click()
    refused = page.get_by_role("alert")
    refused.get_by_text("无法发布").wait_for()
    assert "第 1 块" in refused.inner_text()  # the empty paragraph was dropped on saving: the photo is first
    assert "has-error" in (page.locator(".block").nth(0).get_attribute("class") or "")
    page.context.close()


def saved_article(browser: Any, site: Stack, title: str, text: str) -> Any:
    """An editor's page showing a new article of one paragraph, saved."""
    page = open_app(browser, site)
    log_in(page)
    new_article(page, title)
    page.get_by_label("段落", exact=True).first.fill(text)
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    return page


def test_an_article_opened_before_the_category_list_arrives_is_saved_in_its_category(browser, site):
    """On a slow connection the list of categories can come after the article: saving meanwhile keeps the
    article's category (it was refused as 请选择栏目 with nothing to choose from; seen in CI under load)."""
    first = saved_article(browser, site, "栏目慢到", "正文。")
    second = open_app(browser, site)
    held: list[Any] = []
    second.route("**/api/categories", lambda route: held.append(route))  # held until the save is done
    log_in(second)
    second.goto(first.url)
    title = second.get_by_label("标题", exact=True)
    expect(title).to_have_value("栏目慢到")
    title.fill("栏目慢到（改）")
    second.get_by_role("button", name="保存").click()
    wait_saved(second)
    assert held  # the save did not wait for the list
    for route in held:
        route.continue_()
    category = second.get_by_label("栏目")
    expect(category.locator("option:checked")).not_to_have_text("industry")  # its name, from the list
    assert category.input_value() == "industry"
    assert category.locator("option[value=industry]").count() == 1  # the held choice gave way to the list's
    assert first.errors == [] and second.errors == []
    first.context.close()
    second.context.close()


def test_a_category_list_that_cannot_be_loaded_is_said_and_asked_for_again_when_opened(browser, site):
    """Without the categories an editor cannot file an article: a failure to load them is said (it was silent),
    and opening the category control asks again, in the article list and in the editor."""
    page = open_app(browser, site)
    failing = [True]
    page.route("**/api/categories", lambda route: route.abort() if failing[0] else route.continue_())
    log_in(page)
    said = page.get_by_role("alert").get_by_text(
        "栏目列表未能载入：网络连接失败，请检查网络后重试。点开栏目选择框会再试一次。"
    )
    expect(said).to_have_count(1)
    failing[0] = False
    page.locator("form[role=search]").get_by_label("栏目").focus()
    expect(page.locator("form[role=search]").get_by_label("栏目").locator("option[value=industry]")).to_have_count(1)
    failing[0] = True
    page.get_by_role("link", name="新建文章").click()
    category = page.get_by_label("栏目")
    expect(category.locator("option")).to_have_count(1)  # only 请选择栏目
    expect(said).to_have_count(1)  # said again: one message, the latest
    failing[0] = False
    category.focus()
    expect(category.locator("option[value=industry]")).to_have_count(1)
    expect(said).to_have_count(0)  # taken back: it no longer holds
    category.select_option("industry")
    page.get_by_label("标题", exact=True).fill("栏目迟到")
    page.get_by_label("段落", exact=True).first.fill("正文。")
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    assert page.errors == []
    page.context.close()


def test_two_editors_saving_the_same_article_see_the_conflict(browser, site):
    first = saved_article(browser, site, "冲突测试", "原文。")
    address = first.url
    second = open_app(browser, site)
    log_in(second)
    second.goto(address)
    second.get_by_label("标题", exact=True).fill("冲突测试（第二位编辑）")
    second.get_by_role("button", name="保存").click()
    wait_saved(second)
    first.get_by_label("段落", exact=True).first.fill("我的修改。")
    first.get_by_role("button", name="保存").click()
    conflict = first.locator(".conflict")
    conflict.get_by_text("文章已被他人修改").wait_for()
    assert "冲突测试（第二位编辑）" in conflict.inner_text()
    first.get_by_role("button", name="保留我的版本").click()
    wait_saved(first)
    assert saved_version(first) == 3
    second.reload()
    second.get_by_label("段落", exact=True).first.wait_for()
    assert second.get_by_label("段落", exact=True).first.inner_text() == "我的修改。"
    # and the other way: the second editor takes the first's version instead of theirs
    second.get_by_label("作者").fill("第二位编辑")
    first.get_by_label("作者").fill("第一位编辑")
    first.get_by_role("button", name="保存").click()
    wait_saved(first)
    second.get_by_role("button", name="保存").click()
    second.get_by_role("button", name="载入对方的版本").click()
    assert second.get_by_label("作者").input_value() == "第一位编辑"
    first.context.close()
    second.context.close()


def test_an_expired_session_keeps_what_was_typed(browser, site):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "过期会话")
    page.get_by_label("段落", exact=True).first.fill("这段文字写到一半，登录就过期了。")
    expire_login(page)
    page.get_by_role("button", name="保存").click()
    page.get_by_role("alert").get_by_text("登录已过期").wait_for()
    log_in(page)
    paragraph = page.get_by_label("段落", exact=True).first
    paragraph.wait_for()
    assert paragraph.inner_text() == "这段文字写到一半，登录就过期了。"
    assert page.get_by_label("标题", exact=True).input_value() == "过期会话"
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    page.context.close()


def test_a_late_refusal_of_the_expired_login_leaves_the_new_one_alone(browser, site):
    """A request sent under the old login and refused (401) only after the editor logged in again must not end
    the new session: the app ends a session only when the refused token is still the one it holds."""
    page = open_app(browser, site)
    log_in(page)
    held: list[Any] = []

    def hold_the_library(route: Any) -> None:
        if route.request.method == "GET" and not held:
            held.append(route)  # answered below, after the new login
        else:
            route.continue_()

    page.route("**/api/photos*", hold_the_library)
    page.get_by_role("link", name="图片库").click()
    deadline = time.monotonic() + 30
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the library's request was never sent"
    expire_login(page)
    page.get_by_role("link", name="文章").first.click()
    page.get_by_role("alert").get_by_text("登录已过期").wait_for()
    log_in(page)  # a second refusal of the old token, sent as the first was answered, must not clear this form
    held[0].fulfill(status=401, content_type="application/json", body='{"message": "token expired"}')
    page.wait_for_timeout(1000)  # the late answer arrives and is handled
    assert page.get_by_role("button", name="退出").is_visible()
    assert page.evaluate("() => sessionStorage.getItem('newsroom.session')") is not None
    page.context.close()


def test_a_preview_link_opens_without_an_account(browser, site):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "预览测试")
    page.get_by_label("段落", exact=True).first.fill("尚未发布的内容。")
    url = preview_link(page)
    stranger = browser.new_context()
    preview = stranger.new_page()
    response = preview.goto(url)
    assert response.status == 200 and response.headers["x-robots-tag"] == "noindex"
    assert "预览测试" in preview.locator("h1").inner_text()
    assert preview.locator("p", has_text="尚未发布的内容。").count() == 1
    assert preview.locator('meta[name="robots"][content="noindex"]').count() == 1
    stranger.close()
    page.context.close()


def test_a_disabled_editor_is_sent_back_to_the_login(browser, site):
    admin = open_app(browser, site)
    log_in(admin)
    create_account(admin, "zhao.min", "zhao-password-1")
    editor = open_app(browser, site)
    log_in(editor, "zhao.min", "zhao-password-1")
    assert editor.get_by_role("link", name="编辑账号").count() == 0  # editors do not manage accounts
    new_article(editor, "停用前写的稿子")
    editor.get_by_label("段落", exact=True).first.fill("账号停用时还在写。")
    admin.once("dialog", lambda dialog: dialog.accept())  # 确定停用账号…？
    admin.locator("tr", has_text="zhao.min").get_by_role("button", name="停用").click()
    admin.get_by_text("已停用 zhao.min").wait_for()
    editor.get_by_role("button", name="保存").click()
    editor.get_by_role("alert").get_by_text("登录已过期").wait_for()
    editor.get_by_label("用户名").fill("zhao.min")
    editor.get_by_label("密码").fill("zhao-password-1")
    editor.get_by_role("button", name="登录").click()
    editor.get_by_role("alert").get_by_text("账号已停用，请联系管理员。").wait_for()
    assert editor.evaluate("localStorage.getItem('newsroom.draft:zhao.min:new')")  # what was typed is still kept
    admin.context.close()
    editor.context.close()
