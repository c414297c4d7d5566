"""The 专题 (topic) and 友情链接 (links) pages: collections the association's staff put together."""

from __future__ import annotations

from typing import Any

from chalicelib import page_blocks, page_heads, page_links, pages
from chalicelib.article_body import Photo, PhotoMedia
from chalicelib.articles import ArticleSummary
from chalicelib.config import Site
from chalicelib.labels import labels_for
from chalicelib.link_context import link_groups
from chalicelib.navigation import Navigation
from chalicelib.statuses import PhotoStatus
from chalicelib.topics import Topic

LINKS = pages.LINKS


def render_topic(site: Site, nav: Navigation, topic: Topic, articles: list[ArticleSummary]) -> str:
    head = page_heads._head(
        site,
        title=f"{topic.title} - {site.name}",
        description=topic.intro[:120] or site.description,
        canonical=page_heads.absolute_url(site, f"/topics/{topic.slug}"),
    )
    context = {
        "topic": {
            "title": topic.title,
            "intro": topic.intro,
            "url": page_links.site_url(site, f"/topics/{topic.slug}"),
            "feed_url": page_links.site_url(site, f"/topics/{topic.slug}/feed.xml"),
            "banner": _banner(site, topic),
        },
        "articles": [pages.summary(site, a) for a in articles],
    }
    return pages.render_page(site, "topic.html", nav, context, breadcrumb=[], head=head)


def render_links(site: Site, nav: Navigation) -> str:
    """The 友情链接 page: every link by group, with its logo."""
    context = {"groups": link_groups(site, with_logos=True)}
    head = page_heads._head(
        site,
        title=f"{labels_for(site.language)['links']} - {site.name}",
        description=site.description,
        canonical=page_heads.absolute_url(site, LINKS),
    )
    return pages.render_page(site, "links.html", nav, context, breadcrumb=[], head=head)


def _banner(site: Site, topic: Topic) -> dict[str, Any] | None:
    """The topic's banner photo, the page's first screen (eager); decorative beside the title (empty alt)."""
    if not topic.banner or not topic.banner_photo_id:
        return None
    banner = topic.banner
    media = PhotoMedia(PhotoStatus.READY, banner.get("width"), banner.get("height"), banner.get("color"))
    media.widths = [int(w) for w in banner.get("widths") or []]
    return page_blocks.photo_context(site, Photo(topic.banner_photo_id, media=media), eager=True)
