"""Small modules and functions (house rules): no runtime module over 300 lines, no Python function over 50.

Measured with ast on what ships in the Lambda zip: app.py and chalicelib/ (ops/, local/ and tests/ do not ship).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50  # from `def` to the function's last line, nested functions included; decorators not
EXCEPTIONS: set[str] = set()


def runtime_modules() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """(name, lines) of every function or method in `source` longer than `limit` lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > limit:
                found.append((node.name, lines))
    return found


def measured() -> list[tuple[str, str]]:
    return [(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")) for path in runtime_modules()]


def test_no_runtime_module_is_over_300_lines() -> None:
    long = {name: len(text.splitlines()) for name, text in measured() if name not in EXCEPTIONS}
    assert {name: n for name, n in long.items() if n > MAX_MODULE_LINES} == {}


def test_no_runtime_function_is_over_50_lines() -> None:
    found = {name: long_functions(text) for name, text in measured() if name not in EXCEPTIONS}
    assert {name: functions for name, functions in found.items() if functions} == {}


def test_the_measure_sees_functions_methods_and_nested_ones() -> None:
    def lines(indent: int, count: int) -> str:
        return "".join(" " * indent + f"x{i} = {i}\n" for i in range(count))

    source = "def short():\n    pass\n\nclass A:\n    async def long(self):\n" + lines(8, 50)
    source += "    def fits(self):\n" + lines(8, 49)
    source += "def outer():\n    def inner():\n" + lines(8, 50)
    assert sorted(long_functions(source)) == [("inner", 51), ("long", 51), ("outer", 52)]


def test_the_modules_measured_are_those_that_ship() -> None:
    names = [name for name, _ in measured()]
    assert "app.py" in names and "chalicelib/models.py" in names and "chalicelib/routes/editors.py" in names
    assert all(name == "app.py" or name.startswith("chalicelib/") for name in names)
