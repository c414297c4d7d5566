"""The editors' app's JavaScript functions stay short (house rule: under 80 lines), measured from the source.

No JavaScript parser ships here, so the measure is a careful scan: comments, strings, template literals and
regular-expression literals are blanked first, then each `{` that opens a function (a `function`, an arrow's
body or a method) is matched with its `}`.
"""

from __future__ import annotations

import re

import pytest

from chalicelib.admin_app import ASSETS_DIR

MAX_LINES = 80
KEYWORDS = {"if", "for", "while", "switch", "catch", "with", "function"}
REGEX_BEFORE = set("(,=:[!&|?{};+-*%<>~^") | {""}


def blanked(source: str) -> str:
    """The source with comments, strings, template text and regex literals as spaces (newlines kept)."""
    out = list(source)
    i, n = 0, len(source)

    def blank(start: int, end: int) -> None:
        for k in range(start, end):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c, pair = source[i], source[i : i + 2]
        if pair == "//":
            end = source.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif pair == "/*":
            end = source.find("*/", i + 2) + 2
            blank(i, end)
            i = end
        elif c in "'\"`":
            j = i + 1
            while j < n and source[j] != c:
                if source[j] == "\\":
                    j += 1
                elif c == "`" and source[j : j + 2] == "${":  # an expression inside a template: kept
                    depth, j = 1, j + 2
                    blank(i + 1, j - 2)
                    i = j - 1
                    while j < n and depth:
                        depth += {"{": 1, "}": -1}.get(source[j], 0)
                        j += 1
                    i = j - 1
                    continue
                j += 1
            blank(i + 1, j)
            i = j + 1
        elif c == "/" and (_previous(source, i) in REGEX_BEFORE or _previous_word(source, i) == "return"):
            j, in_class = i + 1, False
            while j < n and source[j] != "\n" and (source[j] != "/" or in_class):
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            blank(i + 1, j)
            i = j + 1
        else:
            i += 1
    return "".join(out)


def _previous(source: str, i: int) -> str:
    j = i - 1
    while j >= 0 and source[j] in " \t\n":
        j -= 1
    return source[j] if j >= 0 else ""


def _previous_word(source: str, i: int) -> str:
    match = re.search(r"(\w+)\s*$", source[:i])
    return match.group(1) if match else ""


def function_sizes(source: str) -> list[tuple[str, int, int]]:
    """(header, first line, lines) of every function body in `source`."""
    text = blanked(source)
    starts: list[int] = []
    found: list[tuple[str, int, int]] = []
    line_of = [0] * (len(text) + 1)
    number = 1
    for index, char in enumerate(text):
        line_of[index] = number
        number += char == "\n"
    for index, char in enumerate(text):
        if char == "{":
            starts.append(index)
        elif char == "}" and starts:
            start = starts.pop()
            header = text[text.rfind("\n", 0, start) + 1 : start].strip()
            if _opens_function(header):
                first, last = line_of[start], line_of[index]
                found.append((source.split("\n")[first - 1].strip()[:60], first, last - first + 1))
    return found


def _opens_function(header: str) -> bool:
    if re.search(r"\bfunction\b[^{]*$", header) or header.endswith("=>"):
        return True
    method = re.search(r"(?:^|[\s,{])(?:async\s+)?(?:get\s+|set\s+)?([\w$]+)\s*\([^()]*\)\s*$", header)
    return bool(method and method.group(1) not in KEYWORDS)


def test_the_scan_measures_functions_arrows_and_methods():
    source = "function a() {\n  if (x) {\n    y(`${z}`, /}/);\n  }\n}\nconst b = () => {\n  return 1;\n};\n"
    source += "const o = {\n  m(q) {\n    return '{';\n  },\n};\n"
    assert [(line, size) for _, line, size in function_sizes(source)] == [(1, 5), (6, 3), (10, 3)]


@pytest.mark.parametrize("name", sorted(p.name for p in ASSETS_DIR.glob("*.js")))
def test_no_function_of_the_app_is_longer_than_80_lines(name):
    source = (ASSETS_DIR / name).read_text(encoding="utf-8")
    sizes = function_sizes(source)
    long = [f"{header} (line {line}): {size} lines" for header, line, size in sizes if size > MAX_LINES]
    assert long == [], long
