"""Chinese and English text as search tokens: the one place that decides what matches what.

Chinese has no spaces between words, so text is cut into character bigrams (物业管理 -> 物业 业管 管理)
plus, in a column of their own, single characters (for one-character queries); letters and digits form
words (ICP, 2024). A query is cut the same way and becomes an FTS5 expression made only of quoted string
literals, so nothing a reader types (quotes, *, NEAR, AND, parentheses, ^, :) is FTS5 syntax.
Everything is NFKC-normalised and case-folded first: full-width ＩＣＰ and ２０２４ are ICP and 2024.
Traditional and simplified forms are not folded together: no well-kept conversion library is installed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

MAX_QUERY_CHARS = 64  # longer is not a search query; the page says so
MAX_TERMS = 8  # words and Chinese runs together

# Han ideographs (with extension A and the compatibility block; NFKC maps most of the latter) and the
# supplementary planes' extensions: each character is a token, pairs of them the bigrams.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_RUNS = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")


def normalise(text: str) -> str:
    """What is shown and matched: NFKC, so full-width letters and digits are plain ones."""
    return unicodedata.normalize("NFKC", text)


def _fold(text: str) -> str:
    return normalise(text).casefold()


class Run(NamedTuple):
    text: str  # case-folded
    han: bool  # Chinese characters, else a word of letters and digits


def runs(text: str) -> list[Run]:
    return [Run(m.group(0), m.group(1) is not None) for m in _RUNS.finditer(_fold(text))]


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


class Tokens(NamedTuple):
    pairs: str  # bigrams and words in text order, space-separated (phrases match across them)
    singles: str  # every Chinese character, space-separated


def index_tokens(text: str) -> Tokens:
    pairs: list[str] = []
    singles: list[str] = []
    for run in runs(text):
        if run.han:
            pairs.extend(bigrams(run.text))
            singles.extend(run.text)
        else:
            pairs.append(run.text)
    return Tokens(" ".join(pairs), " ".join(singles))


class QueryProblem(Exception):
    """A query that cannot be searched for; `reason` picks the page's explanation (empty, too_long, no_words)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Query:
    text: str  # as the reader typed it, normalised (shown back in the box)
    terms: tuple[Run, ...]  # each must match; a Chinese run of 2+ characters as a phrase of its bigrams

    def fts(self, pair_columns: str, single_columns: str) -> str:
        """An FTS5 MATCH expression: column filters and quoted string literals joined by AND, nothing else."""
        clauses = []
        for term in self.terms:
            if term.han and len(term.text) == 1:
                clauses.append(f"{{{single_columns}}} : {_literal(term.text)}")
            elif term.han:
                clauses.append(f"{{{pair_columns}}} : {_literal(' '.join(bigrams(term.text)))}")
            else:
                clauses.append(f"{{{pair_columns}}} : {_literal(term.text)}")
        return " AND ".join(clauses)

    def highlighter(self) -> re.Pattern[str]:
        """Where the terms are in shown (normalised, not folded) text: case-insensitive, longest first."""
        needles = sorted({t.text for t in self.terms}, key=len, reverse=True)
        return re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)


def parse_query(raw: str | None) -> Query:
    text = " ".join(normalise(raw or "").split())
    if not text:
        raise QueryProblem("empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryProblem("too_long")
    terms = tuple(dict.fromkeys(runs(text)))
    if not terms:
        raise QueryProblem("no_words")
    if len(terms) > MAX_TERMS:
        raise QueryProblem("too_long")
    return Query(text, terms)


def _literal(text: str) -> str:
    """An FTS5 string literal: double quotes around, inner ones doubled."""
    return '"' + text.replace('"', '""') + '"'


class Segment(NamedTuple):
    text: str
    mark: bool  # a matched term: the template wraps it in <mark> (after escaping, as it escapes everything)


SNIPPET_CHARS = 110
SNIPPET_BEFORE = 24  # characters shown before the first match


def marked(text: str, pattern: re.Pattern[str]) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()], False))
        segments.append(Segment(match.group(0), True))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:], False))
    return segments


def snippet(text: str, pattern: re.Pattern[str], limit: int = SNIPPET_CHARS) -> list[Segment]:
    """About `limit` characters around the first match (the start if none), its matches marked."""
    text = " ".join(text.split())
    first = pattern.search(text)
    start = max(0, first.start() - SNIPPET_BEFORE) if first else 0
    start = max(0, min(start, len(text) - limit))
    end = min(len(text), start + limit)
    segments = marked(text[start:end], pattern)
    if start > 0:
        segments.insert(0, Segment("…", False))
    if end < len(text):
        segments.append(Segment("…", False))
    return segments
