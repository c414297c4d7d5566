"""Benchmark: what downscaling in the browser before upload saves a phone on 4G (issue 29, item 8).

Camera-sized JPEGs (12 MP, 4000 x 3000, quality 92, with noise so they compress like photographs: 3-6 MB
each) are handed to the app's own `downscaled()` (chalicelib/admin/downscale.js, loaded unchanged into
Debian's Chromium through Playwright), which redraws each at the largest rendition's width. Measured in the
same run: the bytes before (the baseline: what the app uploaded until now) and after, and the browser's time
to downscale. Upload time on a throttled 4G uplink is bytes / 9 Mbit/s (the issue's 80 MB in about 70 s);
the time saved is the baseline's upload minus (downscaling + the smaller upload).
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from bench.report import Row, arguments, finish, median

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "chalicelib" / "admin" / "downscale.js"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
UPLINK_BITS_PER_SECOND = 9_000_000  # 4G as the issue timed it: 80 MB of originals in about 70 s
RUN = """async ([source, encoded, runs]) => {
    const module = await import('data:text/javascript;base64,' + btoa(source));
    const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
    const file = new File([bytes], 'camera.jpg', {type: 'image/jpeg'});
    const times = [];
    let out = file;
    for (let i = 0; i < runs; i += 1) {
        const started = performance.now();
        out = await module.downscaled(file);
        times.push(performance.now() - started);
    }
    const probe = await createImageBitmap(out);
    return {size: out.size, times, width: probe.width, height: probe.height};
}"""


def camera_photo(seed: int) -> bytes:
    """A 12 MP JPEG with a photograph's detail (gradients, shapes, sensor-like noise)."""
    width, height = 4000, 3000
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(base)
    for n in range(40):
        x, y = (seed * 131 + n * 977) % width, (seed * 71 + n * 613) % height
        draw.ellipse((x, y, x + 300 + n * 7, y + 200 + n * 5), fill=((n * 37) % 256, (seed * 53 + n * 19) % 256, 140))
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    photo = Image.blend(base, noise, 0.18)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=92)
    return out.getvalue()


def measure(count: int, runs: int) -> list[Row]:
    from playwright.sync_api import sync_playwright

    source = re.sub(r"^export ", "", MODULE.read_text(encoding="utf-8"), flags=re.M).replace(
        "async function downscaled", "export async function downscaled"
    )
    originals = [camera_photo(seed) for seed in range(count)]
    results: list[dict[str, Any]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.goto("about:blank")
        for data in originals:
            results.append(page.evaluate(RUN, [source, base64.b64encode(data).decode(), runs]))
        browser.close()
    before = sum(len(d) for d in originals)
    after = sum(r["size"] for r in results)
    downscale_s = sum(median(r["times"]) for r in results) / 1000
    upload_before = before * 8 / UPLINK_BITS_PER_SECOND
    upload_after = after * 8 / UPLINK_BITS_PER_SECOND + downscale_s
    sizes = {(r["width"], r["height"]) for r in results}
    name = "upload downscale"
    return [
        Row(
            name,
            f"bytes of {count} 12 MP photos (now at {sorted(sizes)})",
            f"{after / 1e6:.1f} MB",
            f"{before / 1e6:.1f} MB",
            f"{after / before:.2f}",
        ),
        Row(name, "browser time to downscale, per photo (median of runs)", f"{downscale_s / count * 1000:.0f} ms"),
        Row(
            name,
            "time to send them on 4G (9 Mbit/s up), downscaling included",
            f"{upload_after:.1f} s",
            f"{upload_before:.1f} s",
            f"{upload_after / upload_before:.2f}",
        ),
    ]


def main() -> None:
    options = arguments(__doc__ or "").parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no browser at {CHROMIUM}: apt-get install -y chromium")
    finish(measure(2 if options.quick else 6, 1 if options.quick else 3), options.json)


if __name__ == "__main__":
    main()
