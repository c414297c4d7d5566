"""Housekeeping in the app (issue 29, item 7): search, delete to the trash and restore, bulk actions with
refusals named per article, one library photo per file, and a used photo that cannot be deleted."""

from __future__ import annotations

import time
from typing import Any

import requests
from playwright.sync_api import expect

from tests.browser.test_editors_app import (
    api_token,
    jpeg,
    log_in,
    new_article,
    open_app,
    wait_for_thumbnails,
    wait_saved,
)
from tests.browser.test_editors_safety import answer_dialog
from tests.local_stack import Stack


def api(site: Stack, method: str, path: str, body: Any = None) -> Any:
    answer = requests.request(
        method, f"{site.url}/api{path}", json=body, headers={"Authorization": f"Bearer {api_token(site)}"}, timeout=30
    )
    assert answer.status_code < 300, (path, answer.status_code, answer.text)
    return answer.json() if answer.content else None


def draft(site: Stack, title: str, body: list[dict[str, Any]] | None = None) -> str:
    text = [{"type": "paragraph", "text": "正文。"}]
    return str(api(site, "POST", "/articles", {"title": title, "category": "industry", "body": body or text})["id"])


def uploaded_photo(site: Stack, data: bytes, name: str) -> str:
    """A photo uploaded as the browser does (a form, then S3), waited for until the processor has answered."""
    form = api(site, "POST", "/photos", {"filename": name, "content_type": "image/jpeg", "size": len(data)})
    upload = form["upload"]
    requests.post(upload["url"], data=upload["fields"], files={"file": (name, data)}, timeout=30).raise_for_status()
    for _ in range(120):
        if api(site, "GET", f"/photos/{form['photo_id']}")["status"] != "pending":
            return str(form["photo_id"])
        time.sleep(0.5)
    raise AssertionError("the photo was never processed")


def search(page: Any, words: str) -> None:
    page.get_by_label("搜索标题").fill(words)
    page.get_by_label("搜索标题").press("Enter")


def test_an_article_deleted_to_the_trash_and_restored_by_an_admin(browser, site):
    article_id = draft(site, "回收站里的通知")
    api(site, "POST", f"/articles/{article_id}/publish")
    draft(site, "另一篇通知")
    assert requests.get(f"{site.url}/articles/{article_id}", timeout=30).status_code == 200
    page = open_app(browser, site)
    log_in(page)
    search(page, "回收站里")
    rows = page.locator("table.articles tbody tr")
    expect(rows).to_have_count(1)
    assert "回收站里的通知" in rows.first.inner_text()

    asked = answer_dialog(page, accept=False)
    page.get_by_role("button", name="删除《回收站里的通知》").click()
    assert asked and "回收站" in asked[0] and "30 天" in asked[0]
    assert requests.get(f"{site.url}/articles/{article_id}", timeout=30).status_code == 200  # not deleted
    answer_dialog(page, accept=True)
    page.get_by_role("button", name="删除《回收站里的通知》").click()
    page.get_by_text("《回收站里的通知》已移到回收站。").wait_for()
    page.get_by_text("暂无文章。").wait_for()
    assert requests.get(f"{site.url}/articles/{article_id}", timeout=30).status_code == 404  # readers: gone

    page.get_by_role("link", name="回收站").click()
    row = page.locator("tr", has_text="回收站里的通知")
    row.wait_for()
    assert "保留 30 天" in page.locator(".hint").first.inner_text()
    row.get_by_role("button", name="恢复《回收站里的通知》").click()
    page.get_by_text("《回收站里的通知》已恢复为草稿。").wait_for()
    page.get_by_role("link", name="返回文章列表").click()
    search(page, "回收站里")
    restored = page.locator("table.articles tbody tr")
    expect(restored).to_have_count(1)
    assert "草稿" in restored.inner_text()
    assert page.errors == []
    page.context.close()


def test_bulk_publish_reports_each_refusal_in_chinese_and_publishes_the_rest(browser, site):
    good = [draft(site, f"批量发布甲{n}") for n in range(2)]
    broken = uploaded_photo(site, b"not a picture at all", "坏图.jpg")  # the processor rejects it
    bad = draft(site, "批量发布坏图", [{"type": "photo", "photo_id": broken, "caption": "坏"}])
    page = open_app(browser, site)
    log_in(page)
    search(page, "批量发布")
    expect(page.locator("table.articles tbody tr")).to_have_count(3)
    page.get_by_label("全选本页").check()
    assert page.get_by_text("已选 3 篇").is_visible()
    page.get_by_role("button", name="发布所选").click()
    page.get_by_text("已发布 2 篇。").wait_for()
    page.get_by_text("《批量发布坏图》未能完成：有图片缺失或无法使用，请先替换。").wait_for()
    for article_id in good:
        assert requests.get(f"{site.url}/articles/{article_id}", timeout=30).status_code == 200
    assert requests.get(f"{site.url}/articles/{bad}", timeout=30).status_code == 404

    page.get_by_role("checkbox", name="选择《批量发布甲0》").check()
    page.get_by_label("目标栏目").select_option("policy")
    page.get_by_role("button", name="移动到栏目").click()
    page.get_by_text("已移动 1 篇。").wait_for()
    assert api(site, "GET", f"/articles/{good[0]}")["category"] == "policy"
    assert page.errors == []
    page.context.close()


def test_the_same_file_twice_is_one_library_photo_and_a_used_photo_is_not_deleted(browser, site, tmp_path):
    content = jpeg(7, 900, 600)
    first, copy = tmp_path / "同一张照片.jpg", tmp_path / "同一张照片-副本.jpg"
    first.write_bytes(content)
    copy.write_bytes(content)
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "同一张照片用两次")
    page.get_by_label("添加图片").set_input_files([first])
    wait_for_thumbnails(page, 1)
    page.get_by_label("添加图片").set_input_files([copy])  # the same bytes under another name
    wait_for_thumbnails(page, 2)
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    article_id = page.evaluate("location.hash.split('/').pop()")
    blocks = api(site, "GET", f"/articles/{article_id}")["body"]
    photo_ids = [b["photo_id"] for b in blocks if b["type"] == "photo"]
    assert len(photo_ids) == 2 and photo_ids[0] == photo_ids[1]

    page.get_by_role("link", name="图片库").click()
    tiles = page.locator("ul.library > li")
    tiles.first.wait_for()
    assert page.locator("ul.library .file-name", has_text="同一张照片").count() == 1  # not one tile per upload
    asked = answer_dialog(page, accept=True)
    page.get_by_role("button", name="删除图片 同一张照片.jpg").click()
    assert asked
    page.get_by_text("这张图片正被 1 篇文章使用（含回收站中的文章），不能删除：《同一张照片用两次》。").wait_for()
    assert api(site, "GET", f"/photos/{photo_ids[0]}")["status"] == "ready"

    unused = uploaded_photo(site, jpeg(8, 640, 480), "没人用的照片.jpg")
    page.reload()
    answer_dialog(page, accept=True)
    page.get_by_role("button", name="删除图片 没人用的照片.jpg").click()
    page.get_by_text("图片 没人用的照片.jpg 已删除。").wait_for()
    assert page.locator("ul.library .file-name", has_text="没人用的照片").count() == 0
    token = {"Authorization": f"Bearer {api_token(site)}"}
    gone = requests.get(f"{site.url}/api/photos/{unused}", headers=token, timeout=30)
    assert gone.status_code == 404
    assert page.errors == []
    page.context.close()


def test_one_versioned_module_set_and_one_status_poll_for_all_the_photos(browser, site, tmp_path):
    """Item 11: every module from the shell's content version; the photos being processed polled together."""
    page = open_app(browser, site)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.reload()
    log_in(page)
    new_article(page, "四张照片一起查")
    files = []
    for n in range(4):
        path = tmp_path / f"一起查{n}.jpg"
        path.write_bytes(jpeg(20 + n, 1000, 700))
        files.append(path)
    page.get_by_label("添加图片").set_input_files(files)
    wait_for_thumbnails(page, 4)
    modules = [u for u in requested if "/admin/assets/" in u]
    versions = {u.split("/admin/assets/")[1].split("/")[0] for u in modules}
    assert len(modules) > 20 and len(versions) == 1 and len(versions.pop()) == 16
    photo_reads = [u for u in requested if "/api/photos/" in u and "/api/photos/status" not in u]
    assert photo_reads == []  # no poller per photo
    polls = [u for u in requested if "/api/photos/status?ids=" in u]
    assert polls and max(len(u.split("ids=")[1].split(",")) for u in polls) >= 2
    assert page.errors == []
    page.context.close()


def test_the_preview_link_has_a_qr_code_of_itself(browser, site):
    import segno

    page = open_app(browser, site)
    log_in(page)
    new_article(page, "扫码预览")
    page.get_by_label("段落", exact=True).first.fill("正文。")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="预览", exact=True).click()
    opened.value.close()
    qr = page.get_by_role("img", name="预览链接的二维码")
    qr.wait_for()
    url = page.locator(".preview-url").inner_text()
    assert qr.get_attribute("src") == segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    assert page.get_by_text("用手机扫码即可打开预览。").is_visible()
    assert page.errors == []
    page.context.close()
