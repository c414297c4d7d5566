"""关怀模式 on every reader page: the top bar's switch, its tools, the one script and the cursor it uses."""

from __future__ import annotations

import re

from tests.site import make_article, make_categories

SWITCH = re.compile(r'<button type="button" class="care-switch" aria-pressed="false"[^>]*>关怀模式</button>')


def test_every_page_has_the_switch_its_tools_and_the_script(client):
    make_categories()
    make_article("a1", title="协会召开年会")
    for path in ("/", "/news/news", "/articles/a1", "/search?q=年会", "/news/nothing-here"):
        page = client.http.get(path).body.decode()
        assert len(SWITCH.findall(page)) == 1, path
        assert 'id="care-bar"' in page and "1.5倍" in page and "2倍" in page and "高对比度" in page, path
        assert page.count('src="/assets/reader.js"') == 1, path
        assert 'cursor:url("/assets/cursor.svg")' in page, path


def test_the_cursor_is_an_svg_from_the_site(client):
    answer = client.http.get("/assets/cursor.svg")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "image/svg+xml"
    assert answer.body.startswith(b"<svg") and b'width="48"' in answer.body
