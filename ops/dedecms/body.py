"""DedeCMS article HTML -> Newsroom blocks, with lxml (never by hand).

What the old editors (and WeChat pastes) produce: `<p>&nbsp;</p>` spacers, inline styles, `<strong>`
subheadings, images wrapped in links, and under each image a short centred line that is its caption.
The result is the blocks an editor would have typed: paragraphs (with `<br>` kept as "\\n", bold and links
kept as marks), headings, lists and tables (read by the rich-text converter, `chalicelib.richtext.convert`),
and photo blocks that still name their image by `src` (the importer turns each into a photo id).
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml.etree import ParserError

from chalicelib.richtext.buffer import CJK_WRAP
from chalicelib.richtext.convert import html_to_blocks
from chalicelib.richtext.links import absolute, link_problem

MAX_CAPTION = 120  # a line longer than this after a photo is text, not its caption
MAX_BOLD_HEADING = 40  # a paragraph all in <strong> and no longer than this is a subheading
BLOCK_TAGS = {"p", "div", "section", "article", "center", "blockquote", "pre", "figure", "figcaption"}
BLOCK_TAGS |= {"li", "dl", "dd", "dt"}  # list items outside a list, and definition lists: a paragraph each
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
DROPPED_SILENTLY = {"script", "style", "noscript", "head", "title", "meta", "link"}
DROPPED_REPORTED = {"iframe", "embed", "object", "video", "audio", "form", "input", "button", "select"}
JUNK_ALT = re.compile(r"^(from clipboard|image|img|图片|picture|photo|untitled|null|undefined)?$", re.IGNORECASE)
FILE_NAME = re.compile(r"\.(jpe?g|png|gif|bmp|webp|tiff?)$|^(img|dsc|image|qq|微信)[\w\- ]*\d+$", re.IGNORECASE)
SPACE = " \t\r\f\v\u3000\xa0"  # what clean_text collapses to one space
CENTRED = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)


@dataclass
class Converted:
    """Blocks (photo blocks carry `src` for now) and what did not carry over as it was."""

    blocks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Run:
    kind: str  # paragraph, heading, photo, table
    centred: bool
    text: str = ""
    src: str = ""
    alt: str = ""
    bold: bool = True  # every piece of text so far was inside <strong>/<b>
    marks: list[dict[str, Any]] = field(default_factory=list)  # bold and links, on `text` as gathered
    blocks: list[dict[str, Any]] = field(default_factory=list)  # a list's or a table's, converted


def to_blocks(html: str, base_url: str | None = None) -> Converted:
    """Convert one article body; relative links are read against `base_url` (left out without one)."""
    result = Converted()
    if not html.strip():
        return result
    try:
        root = lxml.html.fragment_fromstring(html, create_parent=True)  # in a <div>
    except ParserError:
        return result
    walker = _Walker(result.warnings, base_url)
    walker.walk(root, centred=False, bold=False)
    walker.close()
    result.blocks = _assemble(walker.runs)
    return result


class _Walker:
    """Flattens the tree into runs: each block element starts one, each image is one of its own."""

    def __init__(self, warnings: list[str], base_url: str | None) -> None:
        self.runs: list[_Run] = []
        self.current: _Run | None = None
        self.warnings = warnings
        self.base_url = base_url
        self.href: str | None = None  # the link the text being read is in

    def walk(self, element: Any, centred: bool, bold: bool) -> None:
        """Gather `element`, then its tail; `centred` and `bold` are what holds it (and so its tail) inherits."""
        outside = (centred, bold)
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if not tag or tag in DROPPED_SILENTLY:  # comments, processing instructions
            self.text(element.tail, *outside)
            return
        if tag in DROPPED_REPORTED:
            self.warnings.append(f"dropped a <{tag}> (no such block here)")
            self.text(element.tail, *outside)
            return
        centred = centred or tag == "center" or _centred(element)
        bold = bold or tag in ("strong", "b")
        if tag == "img":
            self.close()
            src = (element.get("src") or "").strip()
            if src:
                alt = element.get("alt") or element.get("title") or ""
                self.runs.append(_Run("photo", centred, src=src, alt=alt))
            else:
                self.warnings.append("dropped an image without src")
        elif tag == "br":
            self.open(centred).text += "\n"
        elif tag in HEADINGS:
            self.close()
            self.runs.append(_Run("heading", centred, text=element.text_content()))
        elif tag == "table" and _layout(element):  # the template's one-cell frame around the body
            self.close()
            for cell in element.iter("td", "th"):
                self.walk(cell, centred, bold)
            self.close()
        elif tag in ("table", "ul", "ol"):
            self.close()
            self.runs.append(_Run("blocks", centred, blocks=self.converted(element)))
        elif tag == "a":
            linked = element.text_content().strip()  # a link around an image only is no link here
            outer, self.href = self.href, self.link(element.get("href")) if linked else None
            self.text(element.text, centred, bold)
            for child in element:
                self.walk(child, centred, bold)
            self.href = outer
        elif tag in BLOCK_TAGS:
            self.close()
            prefix = _list_marker(element) if tag == "li" else ""
            self.text(prefix + (element.text or ""), centred, bold)
            for child in element:
                self.walk(child, centred, bold)
            self.close()
        else:  # inline: a, span, strong, font, em ...
            self.text(element.text, centred, bold)
            for child in element:
                self.walk(child, centred, bold)
        self.text(element.tail, *outside)

    def open(self, centred: bool) -> _Run:
        if self.current is None:
            self.current = _Run("paragraph", centred)
        return self.current

    def text(self, value: str | None, centred: bool, bold: bool) -> None:
        if not value:
            return
        if not value.strip():  # spaces of any kind, no-break ones too
            if self.current is not None:
                self.current.text += " "
            return
        run = self.open(centred)
        start = len(run.text)
        run.text += value
        run.bold = run.bold and bold
        if bold:
            run.marks.append({"type": "bold", "start": start, "end": len(run.text)})
        if self.href:
            run.marks.append({"type": "link", "start": start, "end": len(run.text), "href": self.href})

    def link(self, href: str | None) -> str | None:
        """A link's target made absolute, or None (reported) when it cannot be one: javascript:, relative..."""
        href = (href or "").strip()
        if not href or href.startswith("#"):
            return None
        target = absolute(href, self.base_url)
        if link_problem(target):
            self.warnings.append(f"a link to {href[:100]} was left out")
            return None
        return target

    def converted(self, element: Any) -> list[dict[str, Any]]:
        """A list or a table as blocks (the rich-text converter), photos in it after it."""
        html = lxml.html.tostring(element, encoding="unicode")
        converted = html_to_blocks(html, self.base_url, relative_images=True)
        self.warnings += [f"left out of a list or table: {d['code']} ({d['count']})" for d in converted.dropped]
        return converted.blocks

    def close(self) -> None:
        if self.current is not None:
            self.runs.append(self.current)
            self.current = None


def _centred(element: Any) -> bool:
    return (element.get("align") or "").lower() == "center" or bool(CENTRED.search(element.get("style") or ""))


def _layout(table: Any) -> bool:
    """A table with one cell is layout (DedeCMS's templates frame the body in one), not data."""
    return sum(1 for _ in table.iter("td", "th")) == 1


def _list_marker(item: Any) -> str:
    parent = item.getparent()
    if parent is not None and parent.tag == "ol":
        return f"{list(parent).index(item) + 1}. "
    return "• "


def _clean_line(value: str) -> str:
    return re.sub(r"[ \t\r\f\v\u3000\xa0]+", " ", value).strip()


def clean_text(value: str) -> str:
    """Spaces collapsed and trimmed on each line; blank lines dropped (`<br>` kept as one "\\n")."""
    lines = [_clean_line(line) for line in value.replace("\r", "").split("\n")]
    return "\n".join(line for line in lines if line)


def useful_alt(alt: str, src: str) -> str | None:
    """The image's alt unless it is what old editors left there: 'from clipboard', a file name, nothing."""
    alt = _clean_line(alt)
    name = posixpath.basename(src)
    if JUNK_ALT.match(alt) or FILE_NAME.search(alt) or alt in (name, posixpath.splitext(name)[0]):
        return None
    return alt


def _assemble(runs: list[_Run]) -> list[dict[str, Any]]:
    """Runs -> blocks: empty ones dropped, the short centred line after a photo made its caption."""
    blocks: list[dict[str, Any]] = []
    runs = [r for r in runs if r.kind in ("photo", "blocks") or clean_text(r.text)]
    index = 0
    while index < len(runs):
        run = runs[index]
        index += 1
        if run.kind == "photo":
            block: dict[str, Any] = {"type": "photo", "src": run.src}
            following = runs[index] if index < len(runs) else None
            if following is not None and _is_caption(following):
                block["caption"] = clean_text(following.text)
                index += 1
            alt = useful_alt(run.alt, run.src)
            if alt and alt != block.get("caption"):
                block["alt"] = alt
            blocks.append(block)
            continue
        if run.kind == "blocks":
            blocks += [_photo_alt(b) if b["type"] == "photo" else b for b in run.blocks]
            continue
        text = clean_text(run.text)
        if run.kind == "heading" or (run.kind == "paragraph" and _bold_heading(run, text)):
            blocks.append({"type": "heading", "text": CJK_WRAP.sub("", text).replace("\n", " ")})  # one line
        else:
            blocks.append({"type": "paragraph", **clean_marked(run.text, run.marks)})
    return blocks


def _photo_alt(block: dict[str, Any]) -> dict[str, Any]:
    alt = useful_alt(block.get("alt") or "", block["src"])
    return {k: v for k, v in {**block, "alt": alt}.items() if v}


def clean_marked(text: str, marks: list[dict[str, Any]]) -> dict[str, Any]:
    """`clean_text(text)` with `marks` (offsets in `text`) moved onto it and joined where they touch."""
    kept: list[int] = []  # for each character of the result, where it was in `text`
    for match in re.finditer(r"[^\n]+", text):
        line = [(i, " " if c in SPACE else c) for i, c in enumerate(match.group(), match.start())]
        # a space after a space, or first on the line, goes (so a kept line never starts with one)
        squeezed = [p for n, p in enumerate(line) if p[1] != " " or (n and line[n - 1][1] != " ")]
        while squeezed and squeezed[-1][1] == " ":
            squeezed.pop()
        if squeezed:
            kept += ([match.start() - 1] if kept else []) + [i for i, _ in squeezed]  # the "\n" before the line
    cleaned = clean_text(text)
    if "".join(" " if text[i] in SPACE else text[i] for i in kept) != cleaned:
        return {"text": cleaned}  # a character clean_text drops (a lone "\r"): the marks' places are unsure
    moved: list[dict[str, Any]] = []
    for mark in marks:
        start, end = bisect_left(kept, mark["start"]), bisect_left(kept, mark["end"])
        if start < end and cleaned[start:end].strip():
            same = (m for m in reversed(moved) if m["type"] == mark["type"] and m.get("href") == mark.get("href"))
            last = next(same, None)
            if last and last["end"] >= start:
                last["end"] = max(last["end"], end)
            else:
                moved.append({**mark, "start": start, "end": end})
    return {"text": cleaned, "marks": moved} if moved else {"text": cleaned}


def _is_caption(run: _Run) -> bool:
    text = clean_text(run.text)
    return run.kind == "paragraph" and run.centred and "\n" not in text and len(text) <= MAX_CAPTION


def _bold_heading(run: _Run, text: str) -> bool:
    return run.bold and not run.centred and "\n" not in text and len(text) <= MAX_BOLD_HEADING
