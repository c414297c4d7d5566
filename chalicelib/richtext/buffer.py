"""Inline text being gathered from HTML: text with marks, whitespace collapsed as a browser would show it."""

from __future__ import annotations

import re
from typing import Any

SPACES = re.compile(r"[ \t\r\n\f\xa0]+")
# A source line break between two CJK characters is no space on the page (Word and DedeCMS wrap lines so).
CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_WRAP = re.compile(rf"(?<=[{CJK}])[ \t]*[\r\n]+[ \t\r\n]*(?=[{CJK}])")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n\s*")


class Buffer:
    """Text and `[start, end)` marks (code points); `add` with the styles and link active at that point."""

    def __init__(self) -> None:
        self.text = ""
        self.marks: list[dict[str, Any]] = []

    def add(self, data: str, styles: set[str], href: str | None) -> None:
        data = SPACES.sub(" ", CJK_WRAP.sub("", data))
        if data.startswith(" ") and (not self.text or self.text[-1] in " \n"):
            data = data[1:]
        if not data:
            return
        start, self.text = len(self.text), self.text + data
        for style in sorted(styles):
            self._mark({"type": style, "start": start, "end": len(self.text)})
        if href:
            self._mark({"type": "link", "start": start, "end": len(self.text), "href": href})

    def _mark(self, mark: dict[str, Any]) -> None:
        """Add `mark`, joining it to an equal one that ends where it starts."""
        for other in self.marks:
            if (
                other["type"] == mark["type"]
                and other.get("href") == mark.get("href")
                and other["end"] == mark["start"]
            ):
                other["end"] = mark["end"]
                return
        self.marks.append(mark)

    def line_break(self) -> None:
        self.text = self.text.rstrip(" ")
        self._clip()  # before the break: a mark ends with the text it covers, never on the line break
        self.text += "\n"

    def separate(self) -> None:
        """A block boundary inside an item, cell or quote: a new line unless at one already."""
        if self.text and not self.text.endswith("\n"):
            self.line_break()

    def _clip(self) -> None:
        length = len(self.text)
        for mark in self.marks:
            mark["end"] = min(mark["end"], length)
        self.marks = [m for m in self.marks if m["start"] < m["end"]]

    def take(self) -> dict[str, Any]:
        """The gathered inline (`{"text", "marks"}`, trimmed), leaving the buffer empty."""
        inline = cut(self.text, self.marks, 0, len(self.text))
        self.text, self.marks = "", []
        return inline

    def take_paragraphs(self) -> list[dict[str, Any]]:
        """The gathered text split where a blank line is (`<br><br>` between paragraphs), leaving it empty."""
        pieces, start = [], 0
        for found in PARAGRAPH_BREAK.finditer(self.text):
            pieces.append(cut(self.text, self.marks, start, found.start()))
            start = found.end()
        pieces.append(cut(self.text, self.marks, start, len(self.text)))
        self.text, self.marks = "", []
        return [piece for piece in pieces if piece["text"]]


def cut(text: str, marks: list[dict[str, Any]], start: int, end: int) -> dict[str, Any]:
    """`text[start:end]` without surrounding whitespace, with the marks that fall in it, moved to its offsets."""
    part = text[start:end]
    lead = len(part) - len(part.lstrip())
    part = part.strip()
    start += lead
    end = start + len(part)
    kept = []
    for mark in marks:
        low, high = max(mark["start"], start), min(mark["end"], end)
        if text[low:high].strip():  # empty when the mark ends before the part starts
            kept.append({**mark, "start": low - start, "end": high - start})
    return {"text": part, "marks": kept} if kept else {"text": part}


def join(target: dict[str, Any], inline: dict[str, Any]) -> None:
    """Append `inline` to `target`'s text (on a new line if it has some), marks moved along."""
    shift = len(target["text"]) + 1 if target["text"] else 0
    target["text"] = f"{target['text']}\n{inline['text']}" if target["text"] else inline["text"]
    moved = [{**m, "start": m["start"] + shift, "end": m["end"] + shift} for m in inline.get("marks", [])]
    if moved:
        target["marks"] = target.get("marks", []) + moved


def finished(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """List items as stored: empty ones gone; the sub-items of an item without text take its place."""
    kept: list[dict[str, Any]] = []
    for item in items:
        subs = [sub for sub in item.pop("items", []) if sub["text"]]
        if item["text"]:
            kept.append({**item, "items": subs} if subs else item)
        else:
            kept.extend(subs)
    return kept
