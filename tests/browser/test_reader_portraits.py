"""Portrait photos on the reader's page are capped in height, on screen and in print (issue 29, item 9)."""

from __future__ import annotations

from tests.browser.test_editors_app import jpeg, log_in, new_article, open_app, wait_for_thumbnails

CM = 96 / 2.54  # CSS pixels per centimetre


def test_a_speaker_photo_does_not_fill_the_screen_or_a_printed_page(browser, site, tmp_path, artifacts):
    page = open_app(browser, site)
    log_in(page)
    new_article(page, "竖幅照片")
    page.get_by_label("段落", exact=True).first.fill("会长讲话。")
    portrait = tmp_path / "讲话.jpg"
    portrait.write_bytes(jpeg(5, 1200, 1800))
    page.get_by_label("添加图片").set_input_files(portrait)
    wait_for_thumbnails(page, 1)
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_text("文章已发布。").wait_for()
    url = page.locator(".publish-state a").get_attribute("href")
    reader = open_app(browser, site)
    reader.goto(site.url + url)
    image = reader.locator(".body figure img")
    image.evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    assert image.get_attribute("fetchpriority") == "high" and image.get_attribute("loading") == "eager"
    box = image.bounding_box()
    assert box and box["height"] <= 720 and abs(box["width"] / box["height"] - 1200 / 1800) < 0.02  # not squashed
    reader.screenshot(path=str(artifacts / "portrait-1280.png"), full_page=True)
    reader.emulate_media(media="print")
    printed = image.bounding_box()
    assert printed and printed["height"] <= 11 * CM + 1
    page.context.close()
    reader.context.close()
