"""Sanitised HTML (nh3's output, see `convert`) walked into body blocks.

Paragraphs, headings and quotes at the top; lists (one level of nesting; deeper items join the second
level), tables (every row padded to the widest; a first row of <th> or in <thead> is the header), and photo
placeholders `{"type": "photo", "src", "alt", "caption"}` for images, which an importer or the app turns into
photos. Word's list paragraphs (`mso-list`) become lists.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from chalicelib.richtext.buffer import Buffer, finished, join
from chalicelib.richtext.links import absolute, is_photo_source, is_relative, link_problem
from chalicelib.richtext.schema import MAX_COLUMNS

BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "figure", "pre", "hr", "center", "address"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
STYLE_TAGS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline"}
# Style properties read, in any case (old IE editors wrote FONT-WEIGHT: bold), each from a declaration's start: every
# other property (colour, size, font) is left unread, and so is one whose name only ends in a read one.
DECLARATION = r"(?:^|;)\s*"
BOLD_STYLE = re.compile(DECLARATION + r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.I)
ITALIC_STYLE = re.compile(DECLARATION + r"font-style\s*:\s*(italic|oblique)", re.I)
UNDERLINE_STYLE = re.compile(DECLARATION + r"text-decoration(?:-line)?\s*:[^;]*underline", re.I)
WORD_LIST = re.compile(DECLARATION + r"mso-list\s*:\s*l(\d+)\s+level([1-9])", re.I)  # Word numbers levels from 1
WORD_MARKER = re.compile(DECLARATION + r"mso-list\s*:\s*ignore", re.I)
ORDERED_MARKER = re.compile(r"^[(（]?([0-9]+|[一二三四五六七八九十百]+|[a-zA-Z]|[ivxIVX]+)[.)）、．]")
MAX_HEADING = 200


class Walker(HTMLParser):
    def __init__(self, base_url: str | None, relative_images: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.relative_images = relative_images
        self.blocks: list[dict[str, Any]] = []
        self.buffer = Buffer()
        self.open: list[tuple[str, set[str], str | None, bool]] = []  # tag, styles, link, Word marker
        self.lists: list[dict[str, Any]] = []  # the list block, then a nested one while inside it
        self.list_depth = 0
        self.target: dict[str, Any] | None = None
        self.table: dict[str, Any] | None = None
        self.nested_tables = 0
        self.in_cell = False
        self.quote_depth = 0
        self.heading: str | None = None
        self.word_list: str | None = None  # the id of the Word list being read (mso-list: l1 level1)
        self.marker = ""
        self.pending_photos: list[dict[str, Any]] = []

    def finish(self) -> None:
        """The end: a Word list (paragraphs, so never closed by a tag) ends, and the text gathered is placed.
        html_to_blocks feeds the walker nh3's output, in which every list, table, quote and heading is closed."""
        self._close_word_list()
        self._flush()

    # Where text goes: an open cell, list item or quote keeps its block boundaries as line breaks.
    def _inside(self) -> bool:
        return bool(self.in_cell or self.lists or self.quote_depth)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "br":
            self.buffer.line_break()
            return
        if tag == "img":
            self._image(values)
            return
        self._boundary(tag, opening=True, values=values)
        styles, href, marker = self._styles(tag, values)
        self.open.append((tag, styles, href, marker))

    def handle_endtag(self, tag: str) -> None:
        if not any(entry[0] == tag for entry in self.open):
            return
        while self.open:
            entry = self.open.pop()
            if entry[3]:
                self.marker_ended()
            if entry[0] == tag:
                break
        self._boundary(tag, opening=False, values={})

    def handle_data(self, data: str) -> None:
        if any(entry[3] for entry in self.open):
            self.marker += data
            return
        if self.table is not None and not self.in_cell:
            return  # whitespace between rows and cells
        styles = set().union(*(entry[1] for entry in self.open))
        href = next((entry[2] for entry in reversed(self.open) if entry[2]), None)
        self.buffer.add(data, styles, href)

    def _styles(self, tag: str, values: dict[str, str]) -> tuple[set[str], str | None, bool]:
        style = values.get("style", "")
        styles = {STYLE_TAGS[tag]} if tag in STYLE_TAGS else set()
        for name, pattern in (("bold", BOLD_STYLE), ("italic", ITALIC_STYLE), ("underline", UNDERLINE_STYLE)):
            if pattern.search(style):
                styles.add(name)
        href = None
        if tag == "a" and values.get("href"):
            href = self.resolve(values["href"])
            href = href if link_problem(href) is None else None
        return styles, href, bool(WORD_MARKER.search(style))

    def resolve(self, url: str) -> str:
        return absolute(url, self.base_url)

    def _image(self, values: dict[str, str]) -> None:
        candidates = [values.get("src", "").strip(), values.get("data-src", "").strip()]
        usable = [self.resolve(c) for c in candidates if c]  # a `data:` one is no link: it is taken below
        source = next((c for c in usable if is_photo_source(c)), "")
        source = source or next((c for c in candidates if c.startswith("data:image/")), "")
        if not source and self.relative_images:
            source = next((c for c in candidates if c and is_relative(c)), "")
        if not source:
            return  # reported by `convert.dropped`
        photo = {"type": "photo", "src": source, "alt": values.get("alt", "").strip()}
        if self._inside() or self.heading:
            self.pending_photos.append(photo)
        else:
            self._flush()
            self.blocks.append(photo)

    def _boundary(self, tag: str, *, opening: bool, values: dict[str, str]) -> None:
        if tag in ("ul", "ol"):
            self._list_edge(tag, opening)
        elif tag == "li":
            self._item_edge(opening)
        elif tag in ("table", "tr", "td", "th", "thead", "caption"):  # tbody and tfoot: their rows are rows
            self._table_edge(tag, opening, values)
        elif tag == "blockquote":
            self._quote_edge(opening)
        elif tag in HEADINGS or tag in BLOCK_TAGS or tag == "figcaption":
            self._block_edge(tag, opening, values)

    def _block_edge(self, tag: str, opening: bool, values: dict[str, str]) -> None:
        word = WORD_LIST.search(values.get("style", "")) if opening and tag == "p" else None
        if self.word_list:  # only ever at the top level: a table or quote closes it, and neither opens inside it
            if word:
                self._word_item(word.group(1), int(word.group(2)))
                return
            if not opening:
                self._settle()
                if tag == self.heading:
                    self.heading = None  # a heading around a Word list ends here, not at the next block
                return
            self._close_word_list()
        if self._inside():
            self.buffer.separate()
            return
        self._flush()
        if tag in HEADINGS or tag == "figcaption":
            self.heading = tag if opening else None
        if word:
            self._word_item(word.group(1), int(word.group(2)))

    def _flush(self) -> None:
        """The gathered text as blocks at the top level (a heading, a caption or paragraphs)."""
        if self.heading:
            inline = self.buffer.take()
            text = inline["text"].replace("\n", " ")
            if self.heading == "figcaption" and self.blocks and self.blocks[-1]["type"] == "photo" and text:
                self.blocks[-1]["caption"] = text
            elif text and len(text) <= MAX_HEADING and self.heading != "figcaption":
                self.blocks.append({"type": "heading", "text": text})
            elif text:
                self.blocks.append({"type": "paragraph", **inline})
        else:
            self.blocks.extend({"type": "paragraph", **p} for p in self.buffer.take_paragraphs())
        self._place_photos()

    def _place_photos(self) -> None:
        self.blocks.extend(self.pending_photos)
        self.pending_photos = []

    # Lists: `lists` holds the list block and, inside it, the nested list being filled; `target` is the item
    # whose text the buffer holds.
    def _list_edge(self, tag: str, opening: bool) -> None:
        if self.in_cell or self.quote_depth:
            self.buffer.separate()
            return
        self._settle()
        if opening:
            if not self.list_depth:
                self._flush()
                self._close_word_list()
            self.list_depth += 1
            if self.list_depth <= 2:
                self.lists.append({"type": "list", "ordered": tag == "ol", "items": []})
            return
        if not self.list_depth:
            return  # its list is closed already: a Word list paragraph inside it closed lists down to its level
        self.list_depth -= 1
        if self.list_depth >= 2:
            return  # a list nested deeper: its items joined the second level
        done = self.lists.pop()
        items = finished(done["items"])
        self.target = None
        if self.lists:
            parents = self.lists[-1]["items"]
            if not parents:
                parents.append({"text": ""})
            parents[-1].setdefault("items", []).extend(items)
        elif items:
            self.blocks.append({"type": "list", "ordered": done["ordered"], "items": items})
            self._place_photos()

    def _item_edge(self, opening: bool) -> None:
        if self.in_cell or self.quote_depth or not self.lists:
            self.buffer.separate()
            return
        self._settle()
        self.target = None
        if opening:
            self.target = {"text": ""}
            self.lists[-1]["items"].append(self.target)

    def _settle(self) -> None:
        """The buffer's text into the item being written (or a new item if text stands in a list itself)."""
        if not self.lists:
            return
        inline = self.buffer.take()
        if not inline["text"]:
            return
        if self.target is None:
            self.target = {"text": ""}
            self.lists[-1]["items"].append(self.target)
        join(self.target, inline)

    def _word_item(self, list_id: str, level: int) -> None:
        """A Word list paragraph opens: an item of list `list_id` (levels past 2 join level 2)."""
        self._settle()
        if self.word_list != list_id:
            self._close_word_list()
            self._flush()
            self.word_list = list_id
            self.marker = ""
        depth = min(level, 2)
        while self.list_depth > depth:
            self._list_edge("ul", opening=False)
        while self.list_depth < depth:
            self._list_edge("ul", opening=True)
            self.word_list = list_id
        self._item_edge(opening=True)

    def _close_word_list(self) -> None:
        if not self.word_list:
            return
        self.word_list = None
        while self.list_depth:
            self._list_edge("ul", opening=False)

    def marker_ended(self) -> None:
        """After a Word list's first marker ("1." or "·"): the list is numbered if the marker is a number."""
        if self.word_list and self.lists and len(self.lists[-1]["items"]) == 1 and self.marker.strip():
            self.lists[-1]["ordered"] = bool(ORDERED_MARKER.match(self.marker.strip()))
        self.marker = ""

    # Tables and quotes
    def _table_edge(self, tag: str, opening: bool, values: dict[str, str]) -> None:
        from chalicelib.richtext.tables import table_edge

        table_edge(self, tag, opening, values, MAX_COLUMNS)

    def _quote_edge(self, opening: bool) -> None:
        if self.in_cell or self.lists:
            self.buffer.separate()
            return
        if opening:
            self._close_word_list()
            if not self.quote_depth:
                self._flush()
                self._close_word_list()
            self.quote_depth += 1
            return
        self.quote_depth = max(0, self.quote_depth - 1)
        if not self.quote_depth:
            inline = self.buffer.take()
            if inline["text"]:
                self.blocks.append({"type": "quote", **inline})
            self._place_photos()
