"""Page contexts as documented in pages.py, and the sites dev and prod serve, rendered in-process."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from jinja2 import meta, nodes

from chalicelib import categories, page_contexts, pages, templating
from chalicelib.config import Site, get_site
from chalicelib.labels import LABELS
from tests.site import a_reader, make_article, make_categories, make_photo

PARTIALS = {"base.html"}  # besides the _underscored ones: templates no page function renders directly


def template_names() -> list[str]:
    return sorted(p.name for p in templating.TEMPLATES_DIR.glob("*.html"))


def parse(template: str) -> nodes.Template:
    env = templating.environment()
    assert env.loader is not None
    return env.parse(env.loader.get_source(env, template)[0])


def includes(node: nodes.Node, bound: frozenset[str] = frozenset()) -> Iterator[tuple[str, frozenset[str]]]:
    """Each template `node` includes, with the names the enclosing `with` and `for` give it."""
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Include):
            assert isinstance(child.template, nodes.Const), "includes name their template literally"
            yield child.template.value, bound
        inner = bound
        if isinstance(child, nodes.With):
            inner = bound | {t.name for t in child.targets if isinstance(t, nodes.Name)}
        elif isinstance(child, nodes.For):
            targets = [child.target, *child.target.find_all(nodes.Name)]  # a name, or a tuple of names
            inner = bound | {n.name for n in targets if isinstance(n, nodes.Name)}
        yield from includes(child, inner)


def names_needed(template: str) -> set[str]:
    """What `template`, the template it extends and everything it includes take from the context."""
    ast = parse(template)
    names = set(meta.find_undeclared_variables(ast))
    for extends in ast.find_all(nodes.Extends):
        assert isinstance(extends.template, nodes.Const)
        names |= names_needed(extends.template.value)
    for included, bound in includes(ast):
        names |= names_needed(included) - bound
    return names


def test_every_page_template_has_a_documented_context():
    page_templates = [t for t in template_names() if not t.startswith("_") and t not in PARTIALS]
    assert sorted(page_contexts.PAGE_CONTEXTS) == page_templates


@pytest.mark.parametrize("template", sorted(page_contexts.PAGE_CONTEXTS))
def test_a_page_uses_exactly_the_names_its_context_documents(template):
    if template in page_contexts.STANDALONE:
        assert names_needed(template) == set(page_contexts.PAGE_CONTEXTS[template])
        return
    documented = set(page_contexts.BASE_CONTEXT) | set(page_contexts.PAGE_CONTEXTS[template])
    assert not set(page_contexts.BASE_CONTEXT) & set(page_contexts.PAGE_CONTEXTS[template]), (
        "a page name hides a base name"
    )
    assert names_needed(template) == documented


def test_the_partials_need_only_what_their_includers_give():
    # Were `articles` not bound by home.html's `with`, home.html would need it from the context.
    assert names_needed("_article_list.html") == {"articles", "labels"}
    assert "articles" not in names_needed("home.html") and "photo" not in names_needed("article.html")


@pytest.mark.parametrize("template", template_names())
def test_every_label_a_template_names_exists(template):
    used = {
        node.attr
        for node in parse(template).find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name == "labels"
    }
    for language, labels in LABELS.items():
        assert used <= set(labels), (language, used - set(labels))


def test_render_refuses_an_undocumented_context():
    site = Site("Newsroom", "en", "", "UTC", "mailto:office@example.org", "https://media.example.test")
    with pytest.raises(ValueError, match="error.html"):
        pages.render_page(site, "error.html", None, {"kind": "error", "status_code": 500}, breadcrumb=[])
    with pytest.raises(ValueError, match="category.html"):
        pages.render_page(
            site, "category.html", None, {"category": {"name": "News", "url": "/news/news"}}, breadcrumb=[]
        )


def links(body: str) -> list[str]:
    return [html.unescape(link) for link in re.findall(r'(?:href|src)="([^"]*)"', body)]


NEW_YORK = ZoneInfo("America/New_York")
ENGLISH_PAGES = {"/": 200, "/news/news": 200, "/news/industry": 200, "/articles/late": 200}


def test_the_english_site(client, configure):
    site = configure(
        SITE_LANGUAGE="en",
        SITE_NAME="Property Managers Association",
        SITE_DESCRIPTION="News of the property managers' association",
        SITE_TIMEZONE="America/New_York",
    )
    categories.put_category("news", "News", None, 10)
    categories.put_category("industry", "Industry", "news", 11)
    make_article("notice", category="news", title="Annual meeting notice", notice=True)
    published = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)  # still March 1st in New York
    make_article("late", title="A late story", author="Desk", published_at=published, body=[])
    statuses = {}
    for path in [*ENGLISH_PAGES, "/articles/nope"]:
        before = datetime.now(timezone.utc).astimezone(NEW_YORK).date()
        response = client.http.get(path, headers=a_reader())
        after = datetime.now(timezone.utc).astimezone(NEW_YORK).date()
        statuses[path] = response.status_code
        body = response.body.decode()
        assert '<html lang="en">' in body, path
        welcome = re.search(r"<span>Welcome, today is ([^<]*)</span>", body)
        assert welcome, f"{path}: the date line is missing"
        assert welcome.group(1) in {f"{d:%Y-%m-%d} {d:%A}" for d in (before, after)}
        assert "Editor login" in body and "Contact us" in body and "All rights reserved" in body
        tag = "h1" if path == "/" else "p"  # the site's name is the home page's heading
        assert f'<div class="masthead"><div class="wrap"><{tag} class="name"><a href="/">{site.name}</a>' in body
        assert not re.search(r"[\u4e00-\u9fff]", body), f"{path}: Chinese text on the English site"
    assert statuses == {**ENGLISH_PAGES, "/articles/nope": 404}
    article = client.http.get("/articles/late", headers=a_reader()).body.decode()
    assert (
        'Published: <time datetime="2026-03-01T22:00:00-05:00">2026-03-01</time>' in article
        and "Author: Desk" in article
    )
    assert 'Views: <span class="views">2</span></span>' in article  # no unit after the count in English
    assert "Page not found" in client.http.get("/articles/nope").body.decode()


API_PAGES = ["/", "/news/news", "/news/industry", "/articles/long-read", "/admin", "/articles/nope"]


def test_the_site_under_api_links_only_under_api(client, configure):
    """What dev and prod serve on API Gateway's own URL: every page mounted at /api."""
    origin = "https://site.example.test"
    configure(SITE_BASE_PATH="/api", SITE_URL=origin, PAGE_SIZE="1", MEDIA_BASE_URL="https://media.example.test/")
    make_categories()
    make_photo("p1")
    make_article("notice-1", category="policy", title="关于开展信用评价工作的通知", notice=True)
    make_article("older", title="较早的文章", published_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    make_article("long-read", body=[{"type": "photo", "photo_id": "p1", "caption": "合影"}])
    internal: set[str] = set()
    media: set[str] = set()
    for path in API_PAGES:
        for link in links(client.http.get(path).body.decode()):
            if link.startswith(("mailto:", "#")):  # the skip link's target is on the page
                continue
            link = link.removeprefix(origin)  # canonical, prev/next and feed links are absolute
            if link.startswith("https:"):
                assert link.startswith("https://media.example.test/renditions/p1/"), f"{path} links to {link}"
                media.add(link)
            else:
                assert link.startswith("/api/"), f"{path} links to {link}"
                internal.add(link)
    assert media, "the photo's rendition is missing"
    kinds = {re.sub(r"^/api/(\w*).*", r"\1", link) for link in internal}
    assert kinds == {"", "admin", "news", "articles", "feed", "favicon", "assets"}
    assert any("?cursor=" in link for link in internal), "no next-page link at one article a page"
    for link in sorted(internal):  # API Gateway hands the app the path without its stage
        assert client.http.get(link.removeprefix("/api"), headers={"Accept": "*/*"}).status_code == 200, link


def test_the_footer_shows_the_configured_address_phone_and_filings_and_hides_them_when_unset(client, configure):
    make_categories()
    plain = client.http.get("/").body.decode().split("<footer>")[1]
    assert "beian" not in plain and "地址" not in plain and "电话" not in plain
    configure(
        SITE_ADDRESS="北京市朝阳区某某路1号",
        SITE_PHONE="010-12345678",
        SITE_ICP_FILING="京ICP备12345678号-1",
        SITE_PUBLIC_SECURITY_FILING="京公网安备11010502030143号",
    )
    footer = client.http.get("/").body.decode().split("<footer>")[1]
    assert "地址：北京市朝阳区某某路1号" in footer and "电话：010-12345678" in footer
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener" target="_blank">京ICP备12345678号-1</a>' in footer
    assert '<a href="https://beian.mps.gov.cn/" rel="noopener" target="_blank">京公网安备11010502030143号</a>' in footer
    configure(SITE_PUBLIC_SECURITY_FILING="")  # the public-security number is optional on its own
    footer = client.http.get("/").body.decode().split("<footer>")[1]
    assert "beian.miit.gov.cn" in footer and "beian.mps.gov.cn" not in footer


def test_the_static_404_page_has_the_design_and_nothing_that_goes_stale():
    page = pages.render_static_not_found(get_site())
    assert "页面未找到" in page and "返回首页" in page and 'class="masthead"' in page and "<footer>" in page
    assert "欢迎您" not in page  # no date line frozen at deploy time
    assert 'class="menu"' in page and page.count("<li>") == 1  # the menu holds only 首页: categories change
