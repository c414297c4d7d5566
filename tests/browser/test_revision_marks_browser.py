"""The app's history shows a link's new target and a word made bold as changes (issue 30 item 5), in zh-CN."""

from __future__ import annotations

import requests

from tests.browser.test_editors_app import api_token, log_in, open_app

OLD, NEW = "https://www.example.org/a", "https://www.example.org/b"


def first_version_diff(browser, site, article_id: str):
    """The editor's way to the diff of an article's first version against now: its history, 查看差异."""
    page = open_app(browser, site)
    log_in(page)
    page.goto(f"{site.url}/admin#/articles/{article_id}")
    page.get_by_role("button", name="历史版本").click()
    oldest = page.locator(".revision").last
    oldest.get_by_role("button", name="查看差异").click()
    oldest.locator("table.diff").wait_for()
    return page, oldest


def test_the_history_diff_shows_mark_changes(browser, site):
    auth = {"Authorization": f"Bearer {api_token(site)}"}
    link = {"type": "link", "start": 0, "end": 4, "href": OLD}
    body = [{"type": "paragraph", "text": "通知全文见此", "marks": [link]}]
    article = {"title": "链接更正", "category": "industry", "body": body}
    created = requests.post(f"{site.url}/api/articles", json=article, headers=auth, timeout=30)
    assert created.status_code == 201, created.text
    bold = {"type": "bold", "start": 4, "end": 6}
    changed = {**created.json(), "body": [{**body[0], "marks": [{**link, "href": NEW}, bold]}]}
    saved = requests.put(f"{site.url}/api/articles/{created.json()['id']}", json=changed, headers=auth, timeout=30)
    assert saved.status_code == 200, saved.text
    page, oldest = first_version_diff(browser, site, created.json()["id"])
    diff = oldest.locator("table.diff")
    assert diff.locator(".diff-old").last.inner_text() == f"[通知全文]({OLD})见此"
    assert diff.locator(".diff-new").last.inner_text() == f"[通知全文]({NEW})**见此**"
    assert "修改" in diff.inner_text()
    assert "**加粗**" in oldest.locator(".diff-legend").inner_text()
    assert page.errors == []
    page.context.close()


def test_the_history_diff_names_a_video_and_an_attachment_put_in_anothers_place(browser, site):
    auth = {"Authorization": f"Bearer {api_token(site)}"}

    def body(video_id: str, filename: str) -> list[dict]:
        return [
            {"type": "paragraph", "text": "年会现场视频与报名表"},
            {"type": "video", "provider": "qq", "video_id": video_id},
            {"type": "attachment", "attachment_id": "abc123", "filename": filename, "size": 34_567},
        ]

    article = {"title": "年会视频更换", "category": "industry", "body": body("x0031abcdef", "报名表.docx")}
    created = requests.post(f"{site.url}/api/articles", json=article, headers=auth, timeout=30)
    assert created.status_code == 201, created.text
    changed = {**created.json(), "body": body("y0042ghijkl", "议程.pdf")}
    saved = requests.put(f"{site.url}/api/articles/{created.json()['id']}", json=changed, headers=auth, timeout=30)
    assert saved.status_code == 200, saved.text
    page, oldest = first_version_diff(browser, site, created.json()["id"])
    diff = oldest.locator("table.diff")
    rows = [
        [cell.inner_text() for cell in row.locator("th, td").all()]
        for row in diff.locator("tbody tr.diff-changed").all()
    ]
    assert rows == [
        ["修改 · 第 2 段", "视频 腾讯视频 x0031abcdef", "视频 腾讯视频 y0042ghijkl"],
        ["修改 · 第 3 段", "附件 报名表.docx", "附件 议程.pdf"],
    ]
    assert page.errors == []
    page.context.close()
