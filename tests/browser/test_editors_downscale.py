"""Photos downscaled in the browser before upload (issue 29, item 8): a camera's 12 MP JPEG turned upright by
its EXIF orientation and sent at the largest rendition's width, far smaller; a small photo sent as it is."""

from __future__ import annotations

from typing import Any

from tests.browser.test_editors_app import jpeg, log_in, new_article, open_app, wait_for_thumbnails, wait_saved
from tests.browser.test_editors_housekeeping import api
from tests.photo_files import camera_jpeg


def test_a_large_photo_is_uploaded_upright_at_the_largest_renditions_width(browser, site, tmp_path):
    big = tmp_path / "相机原图.jpg"
    big.write_bytes(camera_jpeg(4000, 3000, orientation=6))  # held upright: 3000 x 4000 as seen
    small = tmp_path / "小图.jpg"
    small.write_bytes(jpeg(40, 800, 600))
    page = open_app(browser, site)
    posted: list[int] = []

    def bucket_post(request: Any) -> None:
        if request.method == "POST" and "/api/" not in request.url:
            posted.append(int(request.header_value("content-length") or 0))

    page.on("request", bucket_post)
    log_in(page)
    new_article(page, "大图先缩小")
    page.get_by_label("添加图片").set_input_files([big, small])
    wait_for_thumbnails(page, 2)
    page.get_by_role("button", name="保存").click()
    wait_saved(page)
    article_id = page.evaluate("location.hash.split('/').pop()")
    ids = [b["photo_id"] for b in api(site, "GET", f"/articles/{article_id}")["body"] if b["type"] == "photo"]
    first, second = (api(site, "GET", f"/photos/{i}") for i in ids)
    assert (first["width"], first["height"]) == (1600, 2133)  # upright, as wide as the largest rendition
    assert (second["width"], second["height"]) == (800, 600)
    assert len(posted) == 2
    assert 0 < posted[0] < big.stat().st_size / 2  # the form's fields included
    assert posted[1] > small.stat().st_size  # sent as it was (with the form's fields)
    assert page.errors == []
    page.context.close()
