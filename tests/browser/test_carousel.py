"""The home page's 幻灯 carousel in Chromium against the local stack (Playwright's clock drives its timer): an
editor flags three articles 幻灯; the carousel turns by itself, stops when paused (WCAG 2.2.2) and is worked by
keyboard alone; it never moves by itself under prefers-reduced-motion or in 关怀模式; without script it is a
plain list. axe finds nothing serious at 390 and 1280 px. The flags are taken off afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_care_mode import blocking_violations, tab_to
from tests.browser.test_editors_app import log_in, open_app
from tests.browser.test_reader_browser import axe_source as axe_source  # noqa: F401 (a fixture)
from tests.browser.test_site_features import flag
from tests.local_stack import Stack

SLIDES = ["demo-congress-2026", "demo-elevator-check", "demo-garbage-sorting"]
TURN_MS = 5000


@pytest.fixture(scope="module")
def flagged(browser: Any, site: Stack) -> Iterator[list[str]]:
    """Three demo articles with photos flagged 幻灯 in the app."""
    page = open_app(browser, site)
    try:
        log_in(page)
        for article_id in SLIDES:
            flag(page, article_id, "幻灯（需有图片）")
        yield SLIDES
        for article_id in SLIDES:
            flag(page, article_id, "幻灯（需有图片）", checked=False)
    finally:
        page.context.close()


def home(browser: Any, site: Stack, width: int = 1280, **options: Any) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True, **options)
    page = context.new_page()
    page.clock.install()
    page.goto(f"{site.url}/")
    return page


def shown(page: Any) -> list[str]:
    """The captions of the slides on screen."""
    return page.locator(".carousel .headlines li:not([hidden]) figcaption").all_inner_texts()


def test_it_turns_by_itself_until_paused_and_keyboard_alone_works_it(browser, site: Stack, flagged, artifacts):
    page = home(browser, site)
    try:
        titles = page.locator(".carousel figcaption").all_text_contents()
        first = shown(page)
        page.clock.run_for(TURN_MS + 100)
        second = shown(page)
        page.screenshot(path=str(artifacts / "carousel-1280.png"))
        focus = tab_to(page, "暂停轮播")  # keyboard only from here
        assert page.locator(".carousel").get_attribute("data-turning") == "false"  # focus inside stops it
        page.keyboard.press("Enter")
        paused_label = page.locator(".carousel-controls button").first.inner_text()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # 下一张
        page.keyboard.press("Enter")
        third = shown(page)
        page.keyboard.press("Shift+Tab")  # 上一张
        page.keyboard.press("Enter")
        back = shown(page)
        page.mouse.click(5, 5)  # focus leaves; still paused
        page.locator("h2").first.focus()
        page.clock.run_for(3 * TURN_MS)
        still = shown(page)
        live = page.locator(".carousel .headlines").get_attribute("aria-live")
    finally:
        page.context.close()
    assert len(titles) == 3 and first == [titles[0]] and second == [titles[1]]
    assert focus["outline"].startswith("solid") and paused_label == "继续轮播"
    assert third == [titles[2]] and back == [titles[1]] and still == [titles[1]] and live == "polite"


@pytest.mark.parametrize("how", ["reduced-motion", "care-mode"])
def test_it_never_moves_by_itself_for_reduced_motion_or_in_care_mode(browser, site: Stack, flagged, how):
    page = home(browser, site, reduced_motion="reduce" if how == "reduced-motion" else "no-preference")
    try:
        if how == "care-mode":
            page.get_by_role("button", name="关怀模式").click()
            page.locator("h2").first.focus()
        first = shown(page)
        page.clock.run_for(3 * TURN_MS)
        after = shown(page)
        pause_hidden = page.locator(".carousel-controls button").first.is_hidden()
        page.get_by_role("button", name="下一张").click()
        moved = shown(page)
    finally:
        page.context.close()
    assert first == after and pause_hidden and moved != first


def test_without_script_it_is_a_plain_list(browser, site: Stack, flagged):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site.url}/")
        visible = page.locator(".carousel .headlines li").evaluate_all("items => items.filter(i => !i.hidden).length")
        controls = page.locator(".carousel-controls").count()
    finally:
        context.close()
    assert visible == 3 and controls == 0


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_is_clean_on_the_carousel(browser, site: Stack, flagged, axe_source, width):
    page = home(browser, site, width)
    try:
        blocking = blocking_violations(page, axe_source)
    finally:
        page.context.close()
    assert blocking == []
