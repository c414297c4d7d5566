"""Whether each entry of `mutation/equivalent/` still names code that exists: cheap, so `make test` runs it.

An entry names a mutant (`chalicelib.auth.x_log_in__mutmut_15`, a method as `...xǁClassǁmethod__mutmut_3`)
and its change; the function must still exist in that module and hold every removed (`-`) line of the
change, indented as `mutmut show` prints it (the report matches changes exactly). Whether the mutant still
survives is the full run's question (`make mutation`, mutation/report.py).

    python -m mutation.entries     # lists the stale entries; exits 1 if there are any
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_DIR = ROOT / "mutation" / "equivalent"


def stale_entries(folder: Path = EQUIVALENT_DIR) -> list[str]:
    """`file: mutant (why)` for every entry whose function or removed lines are gone."""
    stale = []
    for listed in sorted(folder.glob("*.toml")):
        for entry in tomllib.loads(listed.read_text(encoding="utf-8")).get("equivalent", []):
            problem = _problem(entry["mutant"], entry["change"])
            if problem:
                stale.append(f"{listed.name}: {entry['mutant']} ({problem})")
    return stale


def _problem(mutant: str, change: str) -> str | None:
    function = mutant.rpartition("__mutmut_")[0]
    module, _, mangled = function.rpartition(".")
    path = ROOT / Path(*module.split(".")).with_suffix(".py")
    if not path.exists():  # a package's own functions, as mutmut names them: `chalicelib.search.x_search`
        path = ROOT / Path(*module.split(".")) / "__init__.py"
    if not path.exists():
        return f"{module} does not exist"
    names = mangled.removeprefix("x").split("ǁ") if "ǁ" in mangled else [mangled.removeprefix("x_")]
    source = path.read_text(encoding="utf-8")
    node = _find(ast.parse(source), [n for n in names if n])
    if node is None:
        return f"no {'.'.join(n for n in names if n)} in {path.relative_to(ROOT)}"
    first, last = getattr(node, "lineno", 1), getattr(node, "end_lineno", None) or 0
    indent = getattr(node, "col_offset", 0)  # mutmut prints a method as a function: its lines shifted left
    # Whole lines (a last line's comment too), indented as `mutmut show` prints them: entries match exactly.
    lines = {line[indent:].rstrip() for line in source.splitlines()[first - 1 : last]}
    removed = [line[1:].rstrip() for line in change.strip("\n").splitlines() if line.startswith("-")]
    missing = [line for line in removed if line.strip() and line not in lines]
    return f"the function no longer has: {missing[0].strip()}" if missing else None


def _find(tree: ast.AST, names: list[str]) -> ast.AST | None:
    """The function (or method, `Class`, `method`) of that name at the module's top level."""
    scope: list[ast.stmt] = tree.body if isinstance(tree, ast.Module) else []
    node: ast.AST | None = None
    for name in names:
        node = next(
            (
                n
                for n in scope
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.name == name
            ),
            None,
        )
        if node is None:
            return None
        scope = node.body if isinstance(node, ast.ClassDef) else []
    return node


if __name__ == "__main__":
    problems = stale_entries()
    print("\n".join(problems) or "every entry names existing code")
    sys.exit(1 if problems else 0)
