"""Server-rendered pages: each page's context (the jinja2 environment is templating.py's).

Templates autoescape everything; they get plain, already-formatted values and
only loop and branch. Every function here takes the `Site` it renders for; none
reads settings. The names each template
gets are documented once, in `BASE_CONTEXT` and `PAGE_CONTEXTS`, and `_render`
refuses any other set (tests/test_pages.py holds the templates to them).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from chalicelib import clock, media_blocks, page_heads
from chalicelib.article_body import Attachment, Body, Heading, Photo, PhotoMedia, Video
from chalicelib.articles import Article, ArticleSummary, Neighbours, Page
from chalicelib.categories import Category
from chalicelib.config import Site
from chalicelib.kept_parts import kept
from chalicelib.labels import labels_for
from chalicelib.media_keys import rendition_url
from chalicelib.navigation import Navigation
from chalicelib.richtext.text import plain, reader_block
from chalicelib.statuses import PhotoStatus
from chalicelib.templating import TEMPLATES_DIR, environment
from chalicelib.topics import Topic

if TYPE_CHECKING:  # the search page's modules load with its first search (chalicelib/reader.py), not every page's
    from chalicelib.search import ResultPage
    from chalicelib.search.text import Segment

# Only a photo that is above the fold on a phone loads at once: the first one, if at most this
# much text comes before it (a 390 px phone shows about 20 CJK characters a line under the title).
EAGER_TEXT_BEFORE = 120
# The article column's width (base.html): the page less the margins below 600 px, the page less
# the box's margins and padding up to 918 px, then 820 px. Phones fetch the rendition they need.
PHOTO_SIZES = "(max-width: 600px) calc(100vw - 24px), (max-width: 918px) calc(100vw - 98px), 820px"
# A home headline: four in a row from 760 px (each a quarter of the 1080 px page less gaps), two below.
HEADLINE_SIZES = "(max-width: 600px) calc(50vw - 18px), (max-width: 760px) calc(50vw - 60px), 240px"
BEIAN_ICP_URL = "https://beian.miit.gov.cn/"
BEIAN_PUBLIC_SECURITY_URL = "https://beian.mps.gov.cn/"
SCRIPT_PATH = "/assets/reader.js"  # print and close links, 关怀模式 (CSP script-src 'self')
CURSOR_PATH = "/assets/cursor.svg"  # 关怀模式's extra-large cursor (img-src 'self')

# What base.html (and so every page) gets.
BASE_CONTEXT = {
    "site": (
        "name, language, today (the date line; empty on the static 404 page), year, contact_url, login_url, "
        "home_url, search_url, script_url, cursor_url, address, phone, icp (filing number), icp_url, public_security "
        "(filing number), public_security_url; the optional ones empty when unset"
    ),
    "labels": "interface text in the site's language (chalicelib/labels.py)",
    "menu": "top-level categories, each with name and url; empty if the navigation could not be read",
    "notices": "notice articles, each with title and url; empty if the navigation could not be read",
    "breadcrumb": "the page's category trail, outermost first, each with name and url; empty off category pages",
    "head": (
        "for search engines, previews and feeds (page_heads.py): title, description, canonical_url, robots, "
        "og_type, locale, image (url, width, height, alt), published_time, modified_time, json_ld (escaped), "
        "prev_url, next_url, feeds (title, url), icon_url; absolute URLs"
    ),
}

# What each page template gets on top of BASE_CONTEXT.
PAGE_CONTEXTS: dict[str, dict[str, str]] = {
    "home.html": {
        "headlines": "the carousel: up to 5 flagged 幻灯 articles with a photo, else the newest with one: title, url, "
        "date, datetime, photo (_photo, title as caption)",
        "channels": "top-level categories, each with name, url and its latest articles (as in category.html)",
        "headline": "the 头条 article (title, subtitle, url, date, datetime) or None",
        "recommended": "推荐 articles, as in channels",
    },
    "topic.html": {
        "topic": "the 专题: title, intro (plain text), url, feed_url",
        "articles": "its articles readers may see, in the editors' order (as in category.html)",
    },
    "category.html": {
        "category": "the category shown: name, url",
        "subcategories": "its child categories, each with name and url",
        "articles": "this page of its articles, newest first: title, subtitle, url, date, datetime",
        "next_url": "the next page's url, or None on the last page",
        "first_url": "the first page's url, or None on the first page",
        "previous_url": "the previous page's url (the first page's on the second), or None on the first page",
        "total": "how many articles the category holds",
    },
    "article.html": {
        "article": "title, subtitle, date, datetime (ISO 8601), source, author, views (this view included in "
        "server mode; as of the render in beacon mode)",
        "list_url": "its category's listing",
        "older": "the previous article in its category (title, url, date, datetime), or None",
        "newer": "the next article in its category (title, url, date, datetime), or None",
        "related": "a few more articles of its category: title, url, date, datetime",
        "blocks": "the body in order: paragraph and quote with runs (richtext.text.runs), list with ordered and "
        "entries (runs, nested entries), table with head (cells or None) and rows of cells (runs), heading with text, "
        "photo with photo (see _photo), attachment with url, filename, label and size, video with caption and "
        "player (an allowed provider's iframe URL) or src and poster (an MP4 of ours)",
        "counting": "beacon mode: url (a POST there counts the view and answers it) and script_url; else None",
    },
    "preview.html": {
        "article": "title, subtitle, date (of publication, or of the last save), datetime, source, author; no views",
        "list_url": "its category's listing",
        "older": "None: a preview has no neighbours",
        "newer": "None",
        "related": "empty",
        "blocks": "as article.html's",
        "counting": "None: a preview counts nothing",
    },
    "admin.html": {
        "site": "name, language, home_url",
        "labels": "interface text in the site's language (chalicelib/labels.py)",
        "app": "the editors' app shell's settings: assets_url, base_path, api_base, media_origin, timezone",
    },
    "feed_content.html": {
        "blocks": "as article.html's (photos are left out)",
        "labels": "interface text in the site's language (chalicelib/labels.py)",
    },
    "search.html": {
        "query": "the search as typed (normalised), shown back in the form; empty if none",
        "problem": "None, or why the query was not searched: empty, too_long or no_words (the search_{problem} label)",
        "results": "this page's hits, most relevant first: url, date, category (a name or None), title and snippet "
        "as segments (text, mark: a matched term)",
        "next_url": "the next page's url, or None",
        "previous_url": "the previous page's url, or None",
    },
    "error.html": {
        "kind": "not_found, bad_request or error: picks the {kind}_title and {kind}_text labels",
    },
}


# Pages that do not extend base.html (no reader chrome, no inline style): they get only their own context.
STANDALONE = frozenset({"admin.html", "feed_content.html"})


@functools.lru_cache(maxsize=1)
def reader_script() -> str:
    return (TEMPLATES_DIR / SCRIPT_PATH.lstrip("/")).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def care_cursor() -> str:
    return (TEMPLATES_DIR / CURSOR_PATH.lstrip("/")).read_text(encoding="utf-8")


def render_home(
    site: Site,
    nav: Navigation,
    headlines: list[tuple[ArticleSummary, Photo]],
    channels: list[tuple[Category, list[ArticleSummary]]],
    headline: ArticleSummary | None = None,
    recommended: tuple[ArticleSummary, ...] = (),
) -> str:
    context = {
        "headline": _summary(site, headline) if headline else None,
        "recommended": [_summary(site, a) for a in recommended],
        "headlines": [
            {**_summary(site, a), "photo": _headline_photo(site, a, block, eager=i == 0)}
            for i, (a, block) in enumerate(headlines)
        ],
        "channels": [
            {
                "name": c.name,
                "url": category_url(site, c.slug),
                "articles": [_summary(site, a) for a in articles],
            }
            for c, articles in channels
        ],
    }
    return _render(site, "home.html", nav, context, breadcrumb=[], head=page_heads.home_head(site))


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
            "url": site_url(site, f"/topics/{topic.slug}"),
            "feed_url": site_url(site, f"/topics/{topic.slug}/feed.xml"),
        },
        "articles": [_summary(site, a) for a in articles],
    }
    return _render(site, "topic.html", nav, context, breadcrumb=[], head=head)


def render_category(
    site: Site,
    nav: Navigation,
    category: Category,
    page: Page,
    cursor: str | None,
    previous_cursor: str | None = None,
    total: int = 0,
) -> str:
    path = page_heads.category_path(category.slug)
    first_page = not cursor
    next_path = page_heads.cursor_path(path, page.next_cursor) if page.next_cursor else None
    prev_path = None if first_page else page_heads.cursor_path(path, previous_cursor)
    context = {
        "category": {"name": category.name, "url": site_url(site, path)},
        "subcategories": [{"name": c.name, "url": category_url(site, c.slug)} for c in nav.children(category.slug)],
        "articles": [_summary(site, a) for a in page.items],
        "next_url": site_url(site, next_path) if next_path else None,
        "first_url": None if first_page else site_url(site, path),
        "previous_url": site_url(site, prev_path) if prev_path else None,
        "total": total,
    }
    head = page_heads.category_head(site, category, cursor, next_path, prev_path)
    return _render(site, "category.html", nav, context, breadcrumb=nav.trail(category.slug), head=head)


def render_article(
    site: Site,
    nav: Navigation,
    article: Article,
    views: int,
    around: Neighbours | None = None,
    counting_script: str | None = None,
) -> str:
    """The article; with `counting_script` (the script's path, beacon mode) the page counts its view itself."""
    around = around or Neighbours(older=None, newer=None, related=[])
    counting = None
    if counting_script is not None:
        counting = {"url": site_url(site, f"/views/{quote(article.id)}"), "script_url": site_url(site, counting_script)}
    blocks, head = kept(  # the same for every view of the same stored article (repr: all of it, body too)
        ("article", site, repr(article)), lambda: (_blocks(site, article.body), page_heads.article_head(site, article))
    )
    context = {
        "article": {**_article(site, article), "views": views},
        "blocks": blocks,
        "list_url": category_url(site, article.category),
        "older": _summary(site, around.older) if around.older else None,
        "newer": _summary(site, around.newer) if around.newer else None,
        "related": [_summary(site, a) for a in around.related],
        "counting": counting,
    }
    return _render(site, "article.html", nav, context, breadcrumb=nav.trail(article.category), head=head)


def render_feed_content(site: Site, body: Body) -> str:
    """An article's text as the HTML of its Atom entry's content (headings, paragraphs, quotes, lists, tables)."""
    blocks = [b for b in _blocks(site, body) if b["type"] != "photo"]
    return environment().get_template("feed_content.html").render(blocks=blocks, labels=labels_for(site.language))


def render_admin(site: Site, media_origin: str, assets_version: str | None = None) -> str:
    """The editors' app shell: the app reads its settings from data attributes (no inline script); its files
    under `/admin/assets/{assets_version}/`, a name that changes with their content (admin_app.py)."""
    app = {
        "assets_url": site_url(site, f"/admin/assets/{assets_version}" if assets_version else "/admin/assets"),
        "base_path": site.base_path,
        "api_base": site_url(site, "/api"),
        "media_origin": media_origin,
        "timezone": site.timezone,
    }
    site_context = {"name": site.name, "language": site.language, "home_url": site_url(site, "/")}
    context = {"site": site_context, "labels": labels_for(site.language), "app": app}
    return environment().get_template("admin.html").render(**context)


def render_preview(site: Site, nav: Navigation, article: Article) -> str:
    """The article page as it would look, marked as a preview, without a view count."""
    context = {
        "article": _article(site, article),
        "blocks": _blocks(site, article.body),
        "list_url": category_url(site, article.category),
        "older": None,
        "newer": None,
        "related": [],
        "counting": None,
    }
    head = page_heads.unlisted_head(site)  # noindex, no canonical: a preview is nobody's page
    return _render(site, "preview.html", nav, context, breadcrumb=nav.trail(article.category), head=head)


def _article(site: Site, article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "date": format_date(site, article.published_at),
        "datetime": page_heads.iso_datetime(site, article.published_at),
        "source": article.source,
        "author": article.author,
    }


def render_search(site: Site, nav: Navigation, query: str, problem: str | None, results: ResultPage | None) -> str:
    """The search page: the form, then the hits (or why there are none). Titles and snippets come as
    segments; the template escapes each and marks the matched ones."""
    from chalicelib.search.text import marked, snippet

    hits = results.hits if results else []
    terms = results.query.highlighter() if results else None
    context = {
        "query": query,
        "problem": problem,
        "results": [
            {
                "url": article_url(site, hit.id),
                "date": format_date(site, hit.published_at),
                "category": (category.name if (category := nav.find(hit.category)) else None),
                "title": _segments(marked(hit.title, terms)),
                "snippet": _segments(snippet(hit.body, terms)),
            }
            for hit in hits
            if terms is not None
        ],
        "next_url": _search_url(site, query, results.page + 1) if results and results.has_next else None,
        "previous_url": _search_url(site, query, results.page - 1) if results and results.page > 1 else None,
    }
    return _render(site, "search.html", nav, context, breadcrumb=[], head=page_heads.unlisted_head(site))


def _segments(segments: list[Segment]) -> list[dict[str, Any]]:
    return [{"text": segment.text, "mark": segment.mark} for segment in segments]


def _search_url(site: Site, query: str, page: int) -> str:
    suffix = f"&page={page}" if page > 1 else ""
    return site_url(site, f"/search?q={quote(query)}{suffix}")


def render_error(site: Site, nav: Navigation | None, status_code: int, static: bool = False) -> str:
    kind = {404: "not_found", 400: "bad_request"}.get(status_code, "error")
    head = page_heads.unlisted_head(site)
    return _render(site, "error.html", nav, {"kind": kind}, breadcrumb=[], head=head, static=static)


def render_static_not_found(site: Site) -> str:
    """The 404 page API Gateway answers unknown paths with (a gateway response: no code runs).

    Rendered when deploying, so it has no menu, notices or date line (they would go stale).
    """
    return render_error(site, None, 404, static=True)


def site_url(site: Site, path: str) -> str:
    """A link within the site, under the path API Gateway serves it from."""
    return f"{site.base_path}{path}"


def category_url(site: Site, slug: str) -> str:
    return site_url(site, page_heads.category_path(slug))


def article_url(site: Site, article_id: str) -> str:
    return site_url(site, page_heads.article_path(article_id))


def format_date(site: Site, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(site.timezone)).strftime("%Y-%m-%d")


def today_text(site: Site, moment: datetime | None = None) -> str:
    labels = labels_for(site.language)
    day = (moment or clock.now()).astimezone(ZoneInfo(site.timezone))
    date = labels["date_format"].format(year=day.year, month=day.month, day=day.day)
    return f"{date} {labels[f'weekday_{day.weekday()}']}"


def _render(
    site: Site,
    template: str,
    nav: Navigation | None,
    context: dict[str, Any],
    breadcrumb: list[Category],
    head: dict[str, Any] | None = None,
    static: bool = False,
) -> str:
    """Render `template` with the base context and its page context, exactly as documented."""
    if set(context) != set(PAGE_CONTEXTS[template]):
        raise ValueError(f"{template} documents {sorted(PAGE_CONTEXTS[template])} but was given {sorted(context)}")
    base = {
        "site": {
            "name": site.name,
            "language": site.language,
            "today": "" if static else today_text(site),
            "year": clock.now().astimezone(ZoneInfo(site.timezone)).year,
            "contact_url": site.contact_url,
            "login_url": site_url(site, "/admin"),
            "home_url": site_url(site, "/"),
            "search_url": site_url(site, "/search"),
            "script_url": site_url(site, SCRIPT_PATH),
            "cursor_url": site_url(site, CURSOR_PATH),
            "address": site.address,
            "phone": site.phone,
            "icp": site.icp_filing,
            "icp_url": BEIAN_ICP_URL,
            "public_security": site.public_security_filing,
            "public_security_url": BEIAN_PUBLIC_SECURITY_URL,
        },
        "labels": labels_for(site.language),
        "menu": [{"name": c.name, "url": category_url(site, c.slug)} for c in nav.top_level()] if nav else [],
        "notices": [{"title": n.title, "url": article_url(site, n.id)} for n in nav.notices] if nav else [],
        "breadcrumb": [{"name": c.name, "url": category_url(site, c.slug)} for c in breadcrumb],
        "head": head or page_heads.unlisted_head(site),
    }
    return environment().get_template(template).render(**base, **context)


def _summary(site: Site, article: ArticleSummary) -> dict[str, Any]:
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "url": article_url(site, article.id),
        "date": format_date(site, article.published_at),
        "datetime": page_heads.iso_datetime(site, article.published_at),
    }


def _headline_photo(site: Site, article: ArticleSummary, block: Photo, eager: bool) -> dict[str, Any]:
    """A home headline: the photo links to its article and is captioned with its title (so alt is empty)."""
    return {**_photo(site, block, eager, sizes=HEADLINE_SIZES), "caption": article.title, "alt": ""}


def _blocks(site: Site, body: Body) -> list[dict[str, Any]]:
    blocks = []
    photos_seen = 0
    text_before = 0  # characters of text above the first photo
    for block in body:
        if rich := reader_block(block, site.url):  # paragraphs, quotes, lists, tables: runs of marked text
            blocks.append(rich)
            text_before += len(plain(block)) if not photos_seen else 0
        elif isinstance(block, Heading):
            blocks.append({"type": "heading", "text": block.text})
            text_before += len(block.text) if not photos_seen else 0
        elif isinstance(block, Photo):
            eager = photos_seen == 0 and text_before <= EAGER_TEXT_BEFORE
            blocks.append({"type": "photo", "photo": _photo(site, block, eager)})
            photos_seen += 1
        elif isinstance(block, Attachment | Video):
            blocks.append(media_blocks.page_block(block, site.base_path, site.media_base_url))
    return blocks


UNKNOWN_MEDIA = PhotoMedia(PhotoStatus.PENDING)  # a photo block saved without its snapshot: shown as pending


def _photo(site: Site, block: Photo, eager: bool, sizes: str = PHOTO_SIZES) -> dict[str, Any]:
    """What a photo block needs to render without a layout shift or a broken image.

    The caption is the figure's text: an alt that would only repeat it is empty, so screen readers
    read it once (the figure is named by its figcaption); an alt of its own is kept.
    """
    media = block.media or UNKNOWN_MEDIA
    caption = block.caption or ""
    alt = block.alt or caption
    width, height = media.width, media.height
    photo: dict[str, Any] = {
        "caption": caption,
        "alt": "" if alt == caption else alt,
        "width": int(width) if width else None,
        "height": int(height) if height else None,
        "color": media.color or "#e8e8e8",
        "loading": "eager" if eager else "lazy",
        "priority": "high" if eager else None,  # the first screen's photo: the LCP element, fetched first
        "state": media.status,
        "src": None,
        "sources": [],
        "srcset": None,
        "sizes": sizes,
    }
    if photo["state"] != PhotoStatus.READY:
        return photo
    photo_id = block.photo_id
    widths = sorted(media.widths)
    if not widths:  # never the original: it is private and keeps its metadata
        photo["state"] = "unavailable"
        return photo
    base = site.media_base_url
    photo["sources"] = [
        {"type": "image/webp", "srcset": ", ".join(f"{rendition_url(base, photo_id, w, 'webp')} {w}w" for w in widths)},
    ]
    photo["srcset"] = ", ".join(f"{rendition_url(base, photo_id, w, 'jpg')} {w}w" for w in widths)
    photo["src"] = rendition_url(base, photo_id, widths[-1], "jpg")
    return photo
