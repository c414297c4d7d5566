"""The reader site in Chromium against the local stack with its demo content: axe-core finds no serious or
critical violation at 390 and 1280 px; nothing scrolls sideways at 320 px; a 390 px phone loads the
rendition its screen needs; the article's print view. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.local_stack import ARTICLE, ROOT, Stack

AXE = ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"  # `make test` fetches it (Makefile)
ARTIFACTS = ROOT / "test-artifacts"
PAGES = {
    "home": "/",
    "category": "/news/industry",
    "article": ARTICLE,
    "not-found": "/news/",
    "search": "/search?q=%E7%89%A9%E4%B8%9A",  # 物业
    "editors-app": "/admin",  # its login form (tests/browser/test_editors_app.py uses the rest)
}
WIDTHS = (390, 1280)
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def stack(site: Stack) -> Stack:
    return site  # the browser tests' one local stack (conftest): a start costs about a minute


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.exists(), f"{AXE} is missing: `make test` fetches axe-core (see the Makefile's rule for it)"
    return AXE.read_text(encoding="utf-8")


def open_page(browser: Any, stack: Stack, path: str, width: int, **options: Any) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900}, **options)
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{stack.port}{path}", wait_until="load")
    return page


def load_every_image(page: Any) -> None:
    """Scroll to the end so lazy photos load, then wait until every image has loaded."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
                scrollTo(0, y);
                await new Promise(requestAnimationFrame);
            }
        }"""
    )
    page.wait_for_function("() => [...document.images].every(img => img.complete && img.currentSrc)", timeout=30000)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_violation(browser, stack, axe_source, name, width):
    # axe is injected as a script of the test's own: the page's CSP (script-src 'self') would refuse it.
    page = open_page(browser, stack, PAGES[name], width, bypass_csp=True)
    try:
        page.add_script_tag(content=axe_source)
        results = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    finally:
        page.context.close()
    blocking = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results if v["impact"] in BLOCKING
    ]
    assert blocking == [], f"{name} at {width} px"


@pytest.mark.parametrize("name", PAGES)
def test_nothing_scrolls_sideways_at_320_px(browser, stack, name):
    page = open_page(browser, stack, PAGES[name], 320)
    try:
        load_every_image(page)
        widths = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    finally:
        page.context.close()
    assert widths[0] <= widths[1], f"{name}: {widths[0]} px of content in a {widths[1]} px window"


def test_a_phone_loads_for_every_photo_the_smallest_rendition_it_needs(browser, stack):
    page = open_page(browser, stack, ARTICLE, 390, device_scale_factor=3, is_mobile=True, has_touch=True)
    try:
        load_every_image(page)
        photos = page.evaluate(
            """() => [...document.querySelectorAll('.body img')].map(img => ({
                shown: img.getBoundingClientRect().width,
                current: img.currentSrc,
                offered: img.parentElement.querySelector('source').srcset,
            }))"""
        )
        text = page.evaluate("document.querySelector('.body p').getBoundingClientRect().width / innerWidth")
        eager = page.evaluate("[...document.images].filter(img => img.loading === 'eager').length")
    finally:
        page.context.close()
    assert len(photos) >= 20
    assert text >= 0.9, f"text uses {text:.0%} of a 390 px phone's width"
    assert eager <= 1
    wrong = []
    for photo in photos:
        offered = sorted(int(w) for w in re.findall(r"/(\d+)\.webp \d+w", photo["offered"]))
        needed = photo["shown"] * 3
        best = next((w for w in offered if w >= needed), offered[-1])
        loaded = int(re.search(r"/(\d+)\.(?:webp|jpg)$", photo["current"]).group(1))
        if loaded != best:
            wrong.append((photo["current"].rsplit("/", 2)[-2:], round(photo["shown"]), best))
    assert wrong == [], "photos loaded at another rendition than the smallest wide enough"


def test_screenshots_at_390_and_1280_px_and_the_print_view(browser, stack):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page = open_page(browser, stack, "/", width)
        page.screenshot(path=str(ARTIFACTS / f"home-{width}.png"))
        page.context.close()
        page = open_page(browser, stack, ARTICLE, width)
        try:
            page.screenshot(path=str(ARTIFACTS / f"article-{width}.png"))
            load_every_image(page)
            page.locator(".article-end").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"article-{width}-end.png"))
        finally:
            page.context.close()
    page = open_page(browser, stack, ARTICLE, 800)
    try:
        load_every_image(page)
        page.pdf(path=str(ARTIFACTS / "article-print.pdf"), format="A4", print_background=True)
        page.emulate_media(media="print")
        hidden = page.evaluate(
            """() => ['.topbar', '.menu', '.notices', '.crumbs', 'footer', '.article-end'].filter(
                s => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display !== 'none')"""
        )
        printed = page.locator("[data-print-url]").inner_text()
        widest = page.evaluate("Math.max(...[...document.images].map(i => i.getBoundingClientRect().right))")
        page.set_viewport_size({"width": 800, "height": 2400})
        page.evaluate("scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / "article-print.png"))
        page.evaluate("scrollTo(0, document.body.scrollHeight)")
        page.screenshot(path=str(ARTIFACTS / "article-print-end.png"))
    finally:
        page.context.close()
    assert hidden == [], "the print view shows more than the article"
    assert printed.startswith(f"http://127.0.0.1:{stack.port}{ARTICLE} · ") and re.search(r"\d{4}-\d\d-\d\d$", printed)
    assert widest <= 800
    assert all((ARTIFACTS / f"article-{w}.png").stat().st_size > 10_000 for w in WIDTHS)


def test_print_shows_once_the_script_runs_and_close_goes_back_to_the_list(browser, stack):
    page = open_page(browser, stack, "/news/industry", 1280)
    try:
        page.click(f'a[href="{ARTICLE}"]')
        page.wait_for_url(f"**{ARTICLE}")
        assert page.locator("[data-print]").is_visible()  # the script ran under the page's own CSP
        page.click("[data-close]")
        page.wait_for_url("**/news/industry")
    finally:
        page.context.close()
