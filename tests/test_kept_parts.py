"""The article page's kept parts (chalicelib/kept_parts.py): every view of the same stored article renders the
same page, and a change that bumps no version (a photo processed after publishing) shows on the next view."""

from __future__ import annotations

import re

from chalicelib import kept_parts
from chalicelib.article_photos import refresh_articles
from chalicelib.models import PhotoModel
from tests.site import make_article, make_categories, make_photo


def figure(client, article_id: str) -> str:
    body = client.http.get(f"/articles/{article_id}").body.decode()
    return body.split("<figure>")[1].split("</figure>")[0]


def without_count(page: str) -> str:
    return re.sub(r'class="views">\d+<', "", page)


def test_a_photo_processed_after_a_view_shows_on_the_next_one(client):
    make_categories()
    make_photo("slow", status="pending")
    make_article("pending", body=[{"type": "photo", "photo_id": "slow", "caption": "合影"}])
    assert "<img" not in figure(client, "pending")  # its blocks are now kept
    used_by = PhotoModel.get("slow").used_by
    make_photo("slow")  # processed: ready, with renditions
    photo = PhotoModel.get("slow")
    photo.used_by = used_by
    refresh_articles(photo)  # the article's snapshot, as processing does it: version unchanged
    shown = figure(client, "pending")
    assert "<img" in shown and "图片处理中" not in shown


def test_every_view_of_the_same_article_renders_the_same_page(client):
    make_categories()
    make_photo("p1")
    make_article("a", body=[{"type": "paragraph", "text": "正文"}, {"type": "photo", "photo_id": "p1"}])
    first = without_count(client.http.get("/articles/a").body.decode())
    assert len(kept_parts._kept) >= 1
    assert without_count(client.http.get("/articles/a").body.decode()) == first


def test_an_edit_and_an_unpublish_after_a_view_show_on_the_next_one(client):
    """The Article a view makes is kept by the stored values it read (chalicelib/articles.py): any change read
    back is another key, and visibility is checked on every view."""
    from chalicelib import editorial

    make_categories()
    make_article("kept", title="旧标题")
    assert "旧标题" in client.http.get("/articles/kept").body.decode()
    stored = editorial.get_article("kept")
    fields = {"title": "新标题", "category": stored.category, "body": stored.body, "version": stored.version}
    editorial.replace_article("kept", fields)
    page = client.http.get("/articles/kept").body.decode()
    assert "新标题" in page and "旧标题" not in page
    editorial.unpublish_article("kept")
    assert client.http.get("/articles/kept").status_code == 404


def test_the_body_is_rendered_once_for_each_stored_article(client, monkeypatch):
    """A warm view renders only article.html; the body's HTML (article_body.html) is kept until the article's
    stored values change (pages.article_body), and the kept HTML is the body as rendered, escaped."""
    import jinja2

    from chalicelib import editorial
    from chalicelib.article_body import from_json

    rendered: list[str] = []
    original = jinja2.Template.render

    def spy(self, *args, **kwargs):
        rendered.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", spy)
    make_categories()
    make_article("once", body=[{"type": "paragraph", "text": "<b>不是标签</b>"}])
    first = client.http.get("/articles/once").body.decode()
    second = client.http.get("/articles/once").body.decode()
    assert rendered == ["article_body.html", "article.html", "article.html"]
    assert "&lt;b&gt;不是标签&lt;/b&gt;" in first and "<b>不是标签" not in first
    assert without_count(first) == without_count(second)
    stored = editorial.get_article("once")
    body = from_json([{"type": "paragraph", "text": "改过的正文"}])
    editorial.replace_article(
        "once", {"title": stored.title, "category": stored.category, "body": body, "version": stored.version}
    )
    assert "改过的正文" in client.http.get("/articles/once").body.decode()
    assert rendered[3:] == ["article_body.html", "article.html"]


def test_only_the_last_kept_articles_parts_are_kept_the_oldest_going_first(monkeypatch):
    """A container keeps at most KEPT articles' parts, so a site of thousands of articles stays in its memory."""
    monkeypatch.setattr(kept_parts, "KEPT", 2)
    monkeypatch.setattr(kept_parts, "_kept", {})
    made: list[str] = []

    def part(key: str) -> str:
        def make() -> str:
            made.append(key)
            return key.upper()

        return kept_parts.kept(key, make)

    assert [part("a"), part("b"), part("a")] == ["A", "B", "A"] and made == ["a", "b"]
    assert part("c") == "C" and list(kept_parts._kept) == ["b", "c"]  # a, the oldest, went
    assert part("a") == "A" and made == ["a", "b", "c", "a"]
