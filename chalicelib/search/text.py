"""Chinese and English text as search tokens: the one place that decides what matches what.

Chinese has no spaces between words, so text is cut into character bigrams (物业管理 -> 物业 业管 管理) and
each run's last character on its own (管理 -> 管理 理), so that every character starts a token: a
one-character query is the prefix query `物*`, with no second stream of single characters. Letters and
digits form words (ICP, 2024). A query is cut the same way and becomes an FTS5 expression made only of
quoted string literals joined by AND, so nothing a reader types (quotes, *, NEAR, AND, parentheses, ^, :)
is FTS5 syntax. The index keeps no positions (detail=none), so a term of three or more characters is the
AND of its bigrams, and `Query.matches` then checks the candidate's text for the term itself.
Everything is folded first (`fold`): NFKC (full-width ＩＣＰ and ２０２４ are ICP and 2024), traditional to
simplified Chinese (OpenCC's t2s: 物業管理 is 物业管理) and case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, NamedTuple

MAX_QUERY_CHARS = 64  # longer is not a search query; the page says so
MAX_TERMS = 8  # words and Chinese runs together

# Han ideographs (with extension A and the compatibility block; NFKC maps most of the latter) and the
# supplementary planes' extensions: each character is a token, pairs of them the bigrams.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_RUNS = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")


def normalise(text: str) -> str:
    """What is shown and matched: NFKC, so full-width letters and digits are plain ones. (Checking first
    is 2,000 times faster than normalising, and most text, stored text always, is normalised already.)"""
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


_T2S: Any = None


def simplified(text: str) -> str:
    """Traditional Chinese as simplified (OpenCC t2s, same length: one character for one). OpenCC is
    imported at the first search or index update, never by the reader's article pages (~16 ms)."""
    global _T2S
    if _T2S is None:
        import opencc

        _T2S = opencc.OpenCC("t2s")
    converted: str = _T2S.convert(text)
    return converted if len(converted) == len(text) else "".join(_T2S.convert(c) or c for c in text)


def fold(text: str) -> str:
    """What is matched: NFKC, simplified, case-folded. Same length as `normalise(text)` for Chinese."""
    return simplified(normalise(text)).casefold()


_fold = fold


class Run(NamedTuple):
    text: str  # case-folded
    han: bool  # Chinese characters, else a word of letters and digits


def runs(text: str) -> list[Run]:
    return [Run(m.group(0), m.group(1) is not None) for m in _RUNS.finditer(_fold(text))]


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(text: str) -> str:
    """Bigrams, each Chinese run's last character, and words, space-separated (FTS5's ascii tokenizer)."""
    tokens: list[str] = []
    for run in runs(text):
        if run.han:
            tokens.extend(bigrams(run.text))
            tokens.append(run.text[-1])
        else:
            tokens.append(run.text)
    return " ".join(tokens)


class QueryProblem(Exception):
    """A query that cannot be searched for; `reason` picks the page's explanation (empty, too_long, no_words)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Query:
    text: str  # as the reader typed it, normalised (shown back in the box)
    terms: tuple[Run, ...]  # each must match (folded); a Chinese run of 3+ characters is checked in the text

    def fts(self) -> str:
        """An FTS5 MATCH expression: quoted string literals (one-character ones as prefixes) joined by AND."""
        clauses = []
        for term in self.terms:
            if term.han and len(term.text) == 1:
                clauses.append(f"{_literal(term.text)} *")
            elif term.han:
                clauses.extend(_literal(pair) for pair in dict.fromkeys(bigrams(term.text)))
            else:
                clauses.append(_literal(term.text))
        return " AND ".join(clauses)

    @property
    def checked(self) -> tuple[str, ...]:
        """Terms the index only approximates (the AND of their bigrams): Chinese runs of 3+ characters."""
        return tuple(term.text for term in self.terms if term.han and len(term.text) > 2)

    def matches(self, text: str, simple: bool) -> bool:
        """Whether a candidate's normalised text holds every checked term. Checked terms are Chinese, which
        case-folding leaves alone; `simple` says the text is simplified already (its conversion is skipped)."""
        folded = text if simple else simplified(text)
        return all(term in folded for term in self.checked)

    def highlighter(self) -> re.Pattern[str]:
        """Where the terms are in folded text (`fold`), longest first; its positions are the shown text's."""
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


def _searchable(text: str) -> str:
    """`text` folded where that keeps every position (so 物業 is marked for 物业), else as it is."""
    folded = fold(text)
    return folded if len(folded) == len(text) else text


def marked(text: str, pattern: re.Pattern[str]) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for match in pattern.finditer(_searchable(text)):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()], False))
        segments.append(Segment(text[match.start() : match.end()], True))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:], False))
    return segments


def snippet(text: str, pattern: re.Pattern[str], limit: int = SNIPPET_CHARS) -> list[Segment]:
    """About `limit` characters around the first match (the start if none), its matches marked."""
    text = " ".join(text.split())
    first = pattern.search(_searchable(text))
    start = max(0, first.start() - SNIPPET_BEFORE) if first else 0
    start = max(0, min(start, len(text) - limit))
    end = min(len(text), start + limit)
    segments = marked(text[start:end], pattern)
    if start > 0:
        segments.insert(0, Segment("…", False))
    if end < len(text):
        segments.append(Segment("…", False))
    return segments
