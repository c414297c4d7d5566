"""Server-rendered pages: each page's context (the jinja2 environment is templating.py's).

Templates autoescape everything; they get plain, already-formatted values and
only loop and branch. Every function here takes the `Site` it renders for; none
reads settings. The names each template gets are documented once, in
page_contexts.py, and `_render` refuses any other set (tests/test_pages.py holds
the templates to them). An article's body blocks are page_blocks.py's; links
and dates page_links.py's.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from markupsafe import Markup

from chalicelib import clock, page_heads
from chalicelib.article_body import Body, Photo
from chalicelib.articles import Article, ArticleSummary, Neighbours, Page
from chalicelib.categories import Category
from chalicelib.chrome_context import chrome_context
from chalicelib.config import Site
from chalicelib.kept_parts import kept
from chalicelib.labels import labels_for
from chalicelib.link_context import link_groups
from chalicelib.navigation import Navigation
from chalicelib.page_blocks import CAROUSEL_SIZES, HEADLINE_SIZES, body_blocks, headline_photo
from chalicelib.page_contexts import PAGE_CONTEXTS
from chalicelib.page_links import article_url, category_url, format_date, site_url, today_text
from chalicelib.templating import TEMPLATES_DIR, environment

if TYPE_CHECKING:  # the search page's modules load with its first search (chalicelib/reader.py), not every page's
    from chalicelib.search import ResultPage
    from chalicelib.search.text import Segment

BEIAN_ICP_URL = "https://beian.miit.gov.cn/"
BEIAN_PUBLIC_SECURITY_URL = "https://beian.mps.gov.cn/"
SCRIPT_PATH = "/assets/reader.js"  # print and close links, 关怀模式 (CSP script-src 'self')
LINKS = "/links"  # the 友情链接 page
CURSOR_PATH = "/assets/cursor.svg"  # 关怀模式's extra-large cursor (img-src 'self')


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
    carousel: bool = False,
) -> str:
    """The home page; `carousel`: the headlines are editors' 幻灯 (a carousel), not the newest photos (a grid)."""
    sizes = CAROUSEL_SIZES if carousel else HEADLINE_SIZES
    context = {
        "carousel": carousel,
        "headline": summary(site, headline) if headline else None,
        "recommended": [summary(site, a) for a in recommended],
        "headlines": [
            {**summary(site, a), "photo": headline_photo(site, a, block, eager=i == 0, sizes=sizes)}
            for i, (a, block) in enumerate(headlines)
        ],
        "channels": [
            {"name": c.name, "url": category_url(site, c.slug), "articles": [summary(site, a) for a in articles]}
            for c, articles in channels
        ],
    }
    return render_page(site, "home.html", nav, context, breadcrumb=[], head=page_heads.home_head(site))


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
        "category": {"name": category.name},
        "subcategories": [{"name": c.name, "url": category_url(site, c.slug)} for c in nav.children(category.slug)],
        "articles": [summary(site, a) for a in page.items],
        "next_url": site_url(site, next_path) if next_path else None,
        "first_url": None if first_page else site_url(site, path),
        "previous_url": site_url(site, prev_path) if prev_path else None,
        "total": total,
    }
    head = page_heads.category_head(site, category, cursor, next_path, prev_path)
    return render_page(site, "category.html", nav, context, breadcrumb=nav.trail(category.slug), head=head)


def render_article(
    site: Site,
    nav: Navigation,
    article: Article,
    views: int,
    around: Neighbours | None = None,
    counting_script: str | None = None,
    topics: list[tuple[str, str]] | None = None,
) -> str:
    """The article; with `counting_script` (the script's path, beacon mode) the page counts its view itself;
    `topics`: the (slug, title) of the 专题 listing it."""
    around = around or Neighbours(older=None, newer=None, related=[])
    counting = None
    if counting_script is not None:
        counting = {"url": site_url(site, f"/views/{quote(article.id)}"), "script_url": site_url(site, counting_script)}
    stored = article.stored or repr(article)  # all of the stored article, body too
    body, head = kept(  # the same for every view of the same stored article: rendered once while kept
        ("article", site, stored), lambda: (article_body(site, article.body), page_heads.article_head(site, article))
    )
    context = {
        "article": {**_article(site, article), "views": views},
        "body": body,
        "list_url": category_url(site, article.category),
        "older": summary(site, around.older) if around.older else None,
        "newer": summary(site, around.newer) if around.newer else None,
        "related": [summary(site, a) for a in around.related],
        "counting": counting,
        "topics": [{"title": title, "url": site_url(site, f"/topics/{slug}")} for slug, title in topics or []],
    }
    return render_page(site, "article.html", nav, context, breadcrumb=nav.trail(article.category), head=head)


def article_body(site: Site, body: Body) -> Markup:
    """The body's HTML for article.html (its blocks through article_body.html): over half of a page's render."""
    template, labels = environment().get_template("article_body.html"), labels_for(site.language)
    return Markup(template.render(blocks=body_blocks(site, body), labels=labels))  # noqa: S704 -- autoescaped


def render_feed_content(site: Site, body: Body) -> str:
    """An article's text as the HTML of its Atom entry's content (headings, paragraphs, quotes, lists, tables)."""
    blocks = [b for b in body_blocks(site, body) if b["type"] != "photo"]
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
    context: dict[str, Any] = {
        "article": _article(site, article),
        "body": article_body(site, article.body),
        "list_url": category_url(site, article.category),
        "older": None,
        "newer": None,
        "related": [],
        "counting": None,
        "topics": [],
    }
    head = page_heads.unlisted_head(site)  # noindex, no canonical: a preview is nobody's page
    return render_page(site, "preview.html", nav, context, breadcrumb=nav.trail(article.category), head=head)


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
    return render_page(site, "search.html", nav, context, breadcrumb=[], head=page_heads.unlisted_head(site))


def _segments(segments: list[Segment]) -> list[dict[str, Any]]:
    return [{"text": segment.text, "mark": segment.mark} for segment in segments]


def _search_url(site: Site, query: str, page: int) -> str:
    suffix = f"&page={page}" if page > 1 else ""
    return site_url(site, f"/search?q={quote(query)}{suffix}")


def render_error(site: Site, nav: Navigation | None, status_code: int, static: bool = False) -> str:
    kind = {404: "not_found", 400: "bad_request"}.get(status_code, "error")
    head = page_heads.unlisted_head(site)
    return render_page(site, "error.html", nav, {"kind": kind}, breadcrumb=[], head=head, static=static)


def render_static_not_found(site: Site) -> str:
    """The 404 page API Gateway answers unknown paths with (a gateway response: no code runs).

    Rendered when deploying, so it has no menu, notices or date line (they would go stale).
    """
    return render_error(site, None, 404, static=True)


def render_page(
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
            "links_url": site_url(site, LINKS),
            **chrome_context(site),
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
        "notices": [{"title": n.title, "url": article_url(site, n.id)} for n in nav.notices[: site.notices_shown]]
        if nav
        else [],
        "breadcrumb": [{"name": c.name, "url": category_url(site, c.slug)} for c in breadcrumb],
        "links": link_groups(site),
        "head": head or page_heads.unlisted_head(site),
    }
    return environment().get_template(template).render(**base, **context)


def summary(site: Site, article: ArticleSummary) -> dict[str, Any]:
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "url": article_url(site, article.id),
        "date": format_date(site, article.published_at),
        "datetime": page_heads.iso_datetime(site, article.published_at),
    }
