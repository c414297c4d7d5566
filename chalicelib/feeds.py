"""Atom 1.0 feeds of the newest articles: the whole site's and each category's.

Built with ElementTree, so every title and summary is escaped by the XML library; characters XML 1.0
cannot hold (control characters an editor may paste) are dropped first. URLs are absolute, ids are the
articles' absolute URLs, and each entry has its own author (the site when the article names none).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from chalicelib import published
from chalicelib.articles import ArticleSummary, list_category, now
from chalicelib.config import Site
from chalicelib.errors import NotFound
from chalicelib.excerpts import first_paragraph, shorten
from chalicelib.navigation import get_navigation
from chalicelib.page_heads import absolute_url, article_path, category_path, feed_path, iso_datetime
from chalicelib.pages import render_feed_content
from chalicelib.site_settings import get_site

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_ENTRIES = 50
SUMMARY_CHARS = 200
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# XML 1.0's Char is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; this is its complement,
# spelled out: negating those ranges builds a table of the whole of Unicode (10-20 ms of the API's cold start).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def site_feed() -> bytes:
    """The newest articles of every channel."""
    site = get_site()
    channels = [c.slug for c in get_navigation().top_level()]
    articles = published.latest(channels, FEED_ENTRIES)
    return atom_feed(site, site.name, feed_path(), "/", articles)


def category_feed(slug: str) -> bytes:
    """A category's newest articles; a top-level category's include its sub-categories', as on its page."""
    site = get_site()
    category = get_navigation().find(slug)
    if category is None:
        raise NotFound("category not found", code="category_not_found", category=slug)
    articles = list_category(slug, channel=category.parent is None, cursor=None, limit=FEED_ENTRIES).items
    title = f"{category.name} - {site.name}"
    return atom_feed(site, title, feed_path(slug), category_path(slug), articles)


def atom_feed(site: Site, title: str, self_path: str, page_path: str, articles: list[ArticleSummary]) -> bytes:
    details = published.details([a.id for a in articles])
    visible = [a for a in articles if a.id in details]  # unpublished between the Query and the BatchGet: left out
    entries = []
    for article in visible:
        detail = details[article.id]
        updated = max(article.published_at, detail.updated_at or article.published_at)
        entries.append((article, detail, updated))
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: site.language})
    _text(feed, "id", absolute_url(site, self_path))
    _text(feed, "title", title)
    _text(feed, "subtitle", site.description)
    _text(feed, "updated", iso_datetime(site, max((u for _, _, u in entries), default=now())))
    _link(feed, "self", absolute_url(site, self_path), "application/atom+xml")
    _link(feed, "alternate", absolute_url(site, page_path), "text/html")
    author = ET.SubElement(feed, "author")
    _text(author, "name", site.name)
    _text(author, "uri", absolute_url(site, "/"))
    _text(feed, "generator", "Newsroom")
    for article, detail, updated in entries:
        url = absolute_url(site, article_path(article.id))
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", url)
        _text(entry, "title", article.title)
        _link(entry, "alternate", url, "text/html")
        _text(entry, "published", iso_datetime(site, article.published_at))
        _text(entry, "updated", iso_datetime(site, updated))
        entry_author = ET.SubElement(entry, "author")
        _text(entry_author, "name", detail.author or site.name)
        summary = first_paragraph(detail.body, SUMMARY_CHARS) or shorten(article.subtitle or article.title)
        _text(entry, "summary", summary)
        ET.SubElement(entry, "content", {"type": "html"}).text = xml_chars(render_feed_content(site, detail.body))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def xml_chars(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (control characters an editor may paste)."""
    return _NOT_XML.sub("", text)


def _text(parent: ET.Element, name: str, text: str) -> None:
    ET.SubElement(parent, name).text = xml_chars(text)


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "href": href, "type": media_type})


def topic_feed(slug: str) -> bytes:
    """A 专题's articles in its order, as an Atom feed."""
    from chalicelib.topics import get_topic, topic_articles

    site = get_site()
    topic = get_topic(slug)
    path = f"/topics/{slug}"
    return atom_feed(site, f"{topic.title} - {site.name}", f"{path}/feed.xml", path, topic_articles(topic))
