"""Issue 27: an editor takes back the preview links of an article from the editor (撤销预览链接)."""

from __future__ import annotations

from tests.browser.test_editors_app import log_in, new_article, open_app, preview_link


def test_an_editor_revokes_the_preview_links_and_the_old_link_is_the_sites_404(browser, site):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "撤销预览测试")
    page.get_by_label("段落", exact=True).first.fill("只给同事看的内容。")
    url = preview_link(page)
    page.get_by_role("button", name="撤销预览链接").click()
    page.get_by_text("已撤销：此前发出的预览链接均已失效。").wait_for()
    assert page.locator("a.preview-url").count() == 0
    stranger = browser.new_context()
    response = stranger.new_page().goto(url)
    assert response is not None and response.status == 404
    stranger.close()
    page.context.close()
