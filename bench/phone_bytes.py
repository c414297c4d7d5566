"""Benchmark: the image bytes a phone downloads for the photo article, and the pages' bytes on the wire.

Starts the local stack (as benchmark 5 does: `python -m local.stack`, free ports, its demo content,
whose photos went through the real photo pipeline) and opens /articles/demo-congress-2026 in Debian's
Chromium through Playwright as a 390 px phone at DPR 2 and 3. The page is scrolled to the end so every
lazy photo loads; the bytes are the encoded body sizes of every image response Chromium received.

The ideal is, for each photo in the page, the rendition of the format Chromium takes (the first
`<source>` it supports: WebP) at the smallest width at least as wide as the photo's displayed width × DPR
(else the largest), its size read from the media bucket over HTTP. Target (issue 14): within 10% of it.

Page bytes: home, a category and the article, fetched over HTTP with and without
`Accept-Encoding: gzip` (the local stack compresses as API Gateway does with minimum_compression_size).
"""

from __future__ import annotations

import re
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from bench.report import Row, arguments, finish, verdict
from bench.view_counting import ARTICLE, LocalStack

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PHONE = {"width": 390, "height": 844}
DPRS = (2, 3)
TARGET = 1.10
PAGES = {"home": "/", "category": "/news/industry", "article": ARTICLE}
CANDIDATE = re.compile(r"(\S+) (\d+)w")


def fetch(url: str, gzip: bool = False) -> tuple[bytes, str]:
    """The body as sent (compressed if it was) and its Content-Encoding."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read(), response.headers.get("Content-Encoding", "")


def phone_visit(browser: Any, base: str, dpr: int) -> dict[str, Any]:
    """Open the article as a phone, load every photo; what it downloaded and what each photo needed."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=dpr, is_mobile=True, has_touch=True)
    requests: list[Any] = []
    page = context.new_page()
    page.on("requestfinished", lambda request: requests.append(request))
    try:
        page.goto(f"{base}{ARTICLE}", wait_until="load")
        page.evaluate(
            """async () => {
                for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
                    scrollTo(0, y);
                    await new Promise(requestAnimationFrame);
                }
                scrollTo(0, document.body.scrollHeight);
            }"""
        )
        page.wait_for_function("() => [...document.images].every(img => img.complete && img.currentSrc)", timeout=60000)
        photos = page.evaluate(
            """() => [...document.querySelectorAll('picture img')].map(img => ({
                shown: img.getBoundingClientRect().width,
                current: img.currentSrc,
                offered: img.parentElement.querySelector('source').srcset,
            }))"""
        )
        images = [
            (request.url, request.sizes()["responseBodySize"])
            for request in requests
            if request.resource_type == "image"
        ]
    finally:
        context.close()
    return {"photos": photos, "images": images}


def ideal_bytes(photos: list[dict[str, Any]], dpr: int, sizes: dict[str, int]) -> tuple[int, list[str]]:
    """The sum of the smallest sufficient renditions, and the URLs Chromium should have loaded."""
    total, urls = 0, []
    for photo in photos:
        offered = sorted(((int(width), url) for url, width in CANDIDATE.findall(photo["offered"])))
        needed = photo["shown"] * dpr
        url = next((url for width, url in offered if width >= needed), offered[-1][1])
        if url not in sizes:
            sizes[url] = len(fetch(url)[0])
        total += sizes[url]
        urls.append(url)
    return total, urls


def page_bytes(base: str) -> list[Row]:
    rows = []
    for name, path in PAGES.items():
        plain, _ = fetch(f"{base}{path}")
        packed, encoding = fetch(f"{base}{path}", gzip=True)
        print(
            f"  {name:8} {len(plain):7} bytes, {len(packed):6} bytes with Accept-Encoding: gzip ({encoding or 'none'})"
        )
        rows.append(
            Row(
                "Page bytes",
                f"{name} ({path}), as served with Accept-Encoding: gzip",
                f"{len(packed) / 1e3:.1f} KB ({encoding or 'not compressed'})",
                f"uncompressed {len(plain) / 1e3:.1f} KB",
                f"{len(packed) / len(plain):.2f}",
            )
        )
    return rows


def measure(work: Path) -> list[Row]:
    from playwright.sync_api import sync_playwright

    print("starting the local stack (demo content, photos through the pipeline)...", flush=True)
    stack = LocalStack(work)
    base = f"http://127.0.0.1:{stack.port}"
    rows: list[Row] = []
    try:
        print("page bytes:")
        rows.extend(page_bytes(base))
        sizes: dict[str, int] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                for dpr in DPRS:
                    visit = phone_visit(browser, base, dpr)
                    rows.append(phone_row(visit, dpr, sizes))
            finally:
                browser.close()
    finally:
        stack.stop()
    return rows


def phone_row(visit: dict[str, Any], dpr: int, sizes: dict[str, int]) -> Row:
    photos, images = visit["photos"], visit["images"]
    ideal, wanted = ideal_bytes(photos, dpr, sizes)
    renditions = [(url, size) for url, size in images if "/renditions/" in url]
    other = [(url, size) for url, size in images if "/renditions/" not in url]
    loaded = sum(size for _, size in renditions)
    extra = sorted({url for url, _ in renditions} - set(wanted))
    missing = sorted(set(wanted) - {url for url, _ in renditions})
    formats = sorted({url.rsplit(".", 1)[-1] for url, _ in renditions})
    shown = sorted({round(photo["shown"]) for photo in photos})
    widths = sorted({url.rsplit("/", 1)[-1] for url in wanted})
    print(f"  DPR {dpr}: displayed widths {shown} px; ideal renditions {widths}")
    print(
        f"  DPR {dpr}: {len(photos)} photos, {len(renditions)} rendition downloads ({', '.join(formats)}),"
        f" {loaded / 1e3:.1f} kB; ideal {ideal / 1e3:.1f} kB ({loaded / ideal:.3f}×);"
        f" other images {sum(s for _, s in other)} bytes; not the ideal: {extra[:3]}; ideal not loaded: {missing[:3]}"
    )
    ratio = loaded / ideal
    return Row(
        "Phone bytes",
        f"photo article at 390 px, DPR {dpr} in Chromium: {len(photos)} photos, image bytes downloaded",
        f"{loaded / 1e3:.0f} kB in {len(renditions)} {'/'.join(formats)} downloads",
        f"ideal {ideal / 1e3:.0f} kB (smallest rendition ≥ shown width × {dpr})",
        f"{ratio:.3f}",
        f"≤ {TARGET:.2f}",
        verdict(ratio <= TARGET),
    )


def main() -> None:
    options = arguments(__doc__ or "").parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no browser at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk")
    with tempfile.TemporaryDirectory(prefix="bench-phone-") as work:
        finish(measure(Path(work)), options.json)


if __name__ == "__main__":
    main()
