"""HTML coming in (paste, WeChat, Word, DedeCMS) → body blocks, through nh3's allowlist, saying what was dropped.

`html_to_blocks(html, base_url)` is what importers call; `POST /api/convert/html` is the app's way in. nh3
(a Rust allowlist sanitiser) cleans first; `walker` reads what it keeps into blocks; `dropped` names, from
the input, what could not come along: scripts, styles, event attributes, frames, refused links and images.
Photo placeholders (`{"type": "photo", "src", "alt", "caption"}`, no `photo_id`) are not yet savable: the
caller fetches each `src` through the safe fetcher (or uploads a `data:` image) and puts the photo's id in.
nh3 is imported here only, so reader pages never load it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from chalicelib.richtext.links import absolute, is_photo_source, is_relative, link_problem
from chalicelib.richtext.walker import Walker

MAX_HTML = 2 * 1024 * 1024
KEPT_TAGS = {
    *("p", "div", "section", "article", "header", "footer", "center", "address", "pre", "hr", "br", "span"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "figcaption", "img"),
    *("b", "strong", "i", "em", "u", "ins", "a", "ul", "ol", "li"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"),
}
STYLED = ("p", "span", "b", "strong", "i", "em", "u", "font", "li", "td", "th", "div", "section", "h1", "h2", "h3")
KEPT_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "data-src", "alt"},
    "td": {"colspan", "style"},
    "th": {"colspan", "style"},
    **{tag: {"style"} for tag in STYLED if tag not in ("td", "th")},
}
CONTENT_DROPPED = {"script", "style", "iframe", "object", "embed", "applet", "noscript", "template", "svg", "math"}
CONTENT_DROPPED |= {"textarea", "select", "button", "title", "frameset", "frame", "noembed", "noframes", "xml"}
DROPPED_TAGS = {
    "script": "script",
    "style": "style",
    "iframe": "frame",
    "frame": "frame",
    "object": "embed",
    "embed": "embed",
    "applet": "embed",
    "form": "form",
    "input": "form",
    "button": "form",
    "select": "form",
    "textarea": "form",
    "svg": "svg",
    "math": "svg",
}


@dataclass
class Converted:
    blocks: list[dict[str, Any]]
    dropped: list[dict[str, Any]] = field(default_factory=list)


def html_to_blocks(html: str, base_url: str | None = None, relative_images: bool = False) -> Converted:
    """`html` as body blocks (format 2) and what was dropped: `[{"code", "count", "examples"?}]`.

    `relative_images`: an image's relative `src` is kept as it is (an importer that reads the old site's
    files resolves it), rather than dropped for want of a `base_url`.
    """
    import nh3

    html = html[:MAX_HTML]
    cleaned = nh3.clean(
        html,
        tags=KEPT_TAGS,
        clean_content_tags=CONTENT_DROPPED,
        attributes=KEPT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "data"},
    )
    walker = Walker(base_url, relative_images)
    walker.feed(cleaned)
    walker.close()
    walker.finish()
    return Converted(walker.blocks, dropped(html, base_url, relative_images))


class _Scan(HTMLParser):
    """Counts what the allowlist will drop, by stable code, with up to 3 examples of refused addresses."""

    def __init__(self, base_url: str | None, relative_images: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.relative_images = relative_images
        self.counts: dict[str, int] = {}
        self.examples: dict[str, list[str]] = {}

    def note(self, code: str, example: str | None = None) -> None:
        self.counts[code] = self.counts.get(code, 0) + 1
        if example is not None and len(self.examples.setdefault(code, [])) < 3:
            self.examples[code].append(example[:200])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_TAGS:
            self.note(DROPPED_TAGS[tag], dict(attrs).get("src") if tag in ("iframe", "embed") else None)
        for name, _ in attrs:
            if name.startswith("on"):
                self.note("event_attribute", name)
            elif name == "style" and tag in KEPT_TAGS:
                self.note("style_attribute")
        values = {name: (value or "").strip() for name, value in attrs}
        if tag == "a" and values.get("href") and link_problem(absolute(values["href"], self.base_url)):
            self.note("link", values["href"])
        if tag == "img":
            self._image(values)

    def _image(self, values: dict[str, str]) -> None:
        sources = [values.get("src", ""), values.get("data-src", "")]
        usable = [
            s for s in sources if s.startswith("data:image/") or (s and is_photo_source(absolute(s, self.base_url)))
        ]
        usable += [s for s in sources if self.relative_images and s and is_relative(s)]
        if not usable:
            self.note("image", next((s for s in sources if s), None))  # an empty one: no example


def dropped(html: str, base_url: str | None, relative_images: bool) -> list[dict[str, Any]]:
    scan = _Scan(base_url, relative_images)
    scan.feed(html)
    scan.close()
    return [
        {"code": code, "count": count, **({"examples": scan.examples[code]} if scan.examples.get(code) else {})}
        for code, count in sorted(scan.counts.items())
    ]
