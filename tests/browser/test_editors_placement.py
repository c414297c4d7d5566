"""Photos go where the editor is, successive pastes stay in order, and the caption list (issue 29, item 1)."""

from __future__ import annotations

from typing import Any

from tests.browser.test_editors_app import jpeg, log_in, new_article, open_app, png, wait_for_thumbnails, wait_saved

PASTE_IMAGE = """async ([bytes, name]) => {
    const file = new File([new Uint8Array(bytes)], name, {type: 'image/png'});
    const data = new DataTransfer();
    data.items.add(file);
    const paste = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
    document.activeElement.dispatchEvent(paste);
}"""


def block_names(page: Any) -> list[str]:
    """Each block as the editor sees it: a paragraph's text, or a photo's file name."""
    return page.locator(".block").evaluate_all(
        """items => items.map(li => {
            const text = li.querySelector('textarea, [contenteditable]');
            if (text) return text.value ?? text.innerText;
            const img = li.querySelector('.photo-preview img');
            return img ? img.alt : li.querySelector('.file-name')?.textContent || '?';
        })"""
    )


def test_chosen_photos_follow_the_paragraph_the_cursor_is_in_and_pastes_follow_them(browser, site, tmp_path):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "图片插入位置")
    page.get_by_label("段落", exact=True).first.fill("第一段")
    for text in ("第二段", "第三段"):
        page.get_by_role("button", name="添加段落").click()
        page.get_by_label("段落", exact=True).last.fill(text)
    page.get_by_label("段落", exact=True).first.click()
    files = []
    for name in ("甲.jpg", "乙.jpg", "丙.jpg"):
        path = tmp_path / name
        path.write_bytes(jpeg(len(files)))
        files.append(path)
    page.get_by_label("添加图片").set_input_files(files)
    assert page.evaluate("document.activeElement.classList.contains('caption-input')")
    page.evaluate(PASTE_IMAGE, [list(png()), "丁.png"])
    page.evaluate(PASTE_IMAGE, [list(png()), "戊.png"])
    wait_for_thumbnails(page, 5)
    assert block_names(page) == ["第一段", "甲.jpg", "乙.jpg", "丙.jpg", "丁.png", "戊.png", "第二段", "第三段"]
    focused = page.evaluate("document.activeElement.closest('.block').querySelector('.photo-preview img').alt")
    assert focused == "戊.png"  # the editor is in the last photo's caption
    assert page.errors == []
    page.context.close()


def test_captions_typed_in_the_caption_list_are_the_blocks_captions(browser, site, tmp_path, artifacts):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "图注列表")
    page.get_by_label("段落", exact=True).first.fill("正文")
    files = []
    for i in range(4):
        path = tmp_path / f"图{i + 1}.jpg"
        path.write_bytes(jpeg(i, 600, 900 if i % 2 else 400))
        files.append(path)
    page.get_by_label("添加图片").set_input_files(files)
    wait_for_thumbnails(page, 4)
    page.get_by_role("button", name="图注列表").click()
    assert page.locator(".blocks").is_hidden()
    assert page.locator(".caption-list img.caption-thumb").count() == 4
    for i in range(4):  # typed in a row: type, Tab, type
        page.keyboard.type(f"说明{i + 1}")
        page.keyboard.press("Tab")
    page.screenshot(path=str(artifacts / "caption-list-1280.png"), full_page=True)
    page.get_by_role("button", name="返回正文").click()
    captions = page.get_by_label("图片说明").evaluate_all("inputs => inputs.map(i => i.value)")
    assert captions == ["说明1", "说明2", "说明3", "说明4"]
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    assert page.errors == []
    page.context.close()


def test_the_reference_article_is_written_at_1280_with_no_drag_and_no_arrow(browser, site, tmp_path):
    """The done-when line: 9 paragraphs and 26 photos, each run chosen with the cursor in its paragraph, the
    captions typed in the caption list; the editor's blocks and the published page are in the reference order."""
    from bench.editor_workflow import published_order, reference_order, write_reference

    actions, editor, published = write_reference(browser, site, False, tmp_path)
    assert (actions.drags, actions.arrows) == (0, 0)
    assert len(editor) == 35 and editor == reference_order()  # every photo where the cursor was, in order
    assert published == published_order()  # the captions typed in the caption list, each under its photo
