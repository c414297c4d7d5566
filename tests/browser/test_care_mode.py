"""关怀模式 (the elder-friendly mode) in Chromium against the local stack: at each text step (and in high
contrast), at 390 and 1280 px, the text grows and the page still fits its width, and axe finds no serious or
critical violation; keyboard alone turns it on, picks a
step and reads; the choice is remembered. Screenshots are kept in test-artifacts/care-*.png."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_reader_browser import BLOCKING, WIDTHS, open_page
from tests.browser.test_reader_browser import axe_source as axe_source  # noqa: F401 (a fixture)
from tests.browser.test_reader_browser import stack as stack  # noqa: F401 (a fixture)
from tests.local_stack import ARTICLE

STEPS = {"": 1.0, "15": 1.5, "20": 2.0}


def turn_on(page: Any, step: str, contrast: bool = False) -> None:
    page.get_by_role("button", name="关怀模式").click()
    page.locator(f'[data-care-text="{step}"]').click()
    if contrast:
        page.get_by_role("button", name="高对比度").click()


def blocking_violations(page: Any, axe: str) -> list[Any]:
    page.add_script_tag(content=axe)
    results = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results if v["impact"] in BLOCKING]


@pytest.mark.parametrize("contrast", [False, True], ids=["colours", "contrast"])
@pytest.mark.parametrize("step", STEPS, ids=lambda step: f"text-{step or '10'}")
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_is_clean_at_every_text_step(browser, stack, axe_source, artifacts, width, step, contrast):
    page = open_page(browser, stack, ARTICLE, width, bypass_csp=True)
    try:
        turn_on(page, step, contrast)
        assert page.get_by_role("button", name="关怀模式").get_attribute("aria-pressed") == "true"
        root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        text = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        spacing = page.evaluate(
            "(() => { const s = getComputedStyle(document.querySelector('.body p'));"
            " return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()"
        )
        cursor = page.evaluate("getComputedStyle(document.querySelector('.body p')).cursor")
        page.screenshot(path=str(artifacts / f"care-{width}-{step or '10'}{'-contrast' if contrast else ''}.png"))
        blocking = blocking_violations(page, axe_source)
    finally:
        page.context.close()
    assert root == 16 * STEPS[step] and text >= 16 * STEPS[step]  # the text grows, in rem
    assert overflow == 0  # and the page still fits its width: no sideways scrolling
    assert spacing >= 1.5
    assert "/assets/cursor.svg" in cursor
    assert blocking == [], f"{width} px, text {step or '1'}×, contrast {contrast}"


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(
        "(() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return {text: e.textContent.trim(), outline: s.outlineStyle + ' ' + s.outlineWidth}; })()"
    )


def tab_to(page: Any, text: str, limit: int = 40) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["text"] == text:
            return now
    raise AssertionError(f"Tab never reached {text!r}")


def test_keyboard_alone_turns_it_on_picks_a_step_reads_and_it_is_remembered(browser, stack):
    page = open_page(browser, stack, ARTICLE, 390)
    try:
        tab_to(page, "关怀模式")
        page.keyboard.press("Enter")
        assert page.evaluate("document.documentElement.classList.contains('care')")
        focus = tab_to(page, "2倍")
        assert focus["outline"] == "solid 3px"  # the strong focus ring of the mode
        page.keyboard.press("Space")
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == 32
        tab_to(page, "朗读")
        voices = page.evaluate("speechSynthesis.getVoices().filter(v => v.lang.replace('_', '-') === 'zh-CN').length")
        page.keyboard.press("Enter")
        said = page.locator(".care-status").inner_text()
        reading = page.locator("[data-care-read]").inner_text()
        page.reload()
        remembered = page.evaluate("[...document.documentElement.classList].sort().join(' ')")
        pressed = page.get_by_role("button", name="关怀模式").get_attribute("aria-pressed")
        tab_to(page, "关怀模式")
        page.keyboard.press("Enter")  # off again: the page as it was
        after = page.evaluate("[document.documentElement.className, document.getElementById('care-bar').hidden]")
    finally:
        page.context.close()
    if voices:
        assert reading == "停止朗读" and said == ""
    else:  # Debian's headless Chromium has no speech voices: the reader is told so
        assert "没有中文朗读语音" in said and reading == "朗读"
    assert remembered == "care care-20" and pressed == "true"
    assert after == ["", True]


@pytest.mark.parametrize("path", ["/", "/news/news", "/links", "/search?q=%E7%89%A9%E4%B8%9A"])
@pytest.mark.parametrize("width", WIDTHS)
def test_other_pages_fit_their_width_at_twice_the_text(browser, stack, axe_source, artifacts, width, path):
    page = open_page(browser, stack, path, width, bypass_csp=True)
    try:
        turn_on(page, "20")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        name = path.strip("/").split("?")[0].replace("/", "-") or "home"
        page.screenshot(path=str(artifacts / f"care-{width}-20-{name}.png"))
        blocking = blocking_violations(page, axe_source)
    finally:
        page.context.close()
    assert overflow == 0 and blocking == []
