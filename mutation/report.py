"""Per-module report of a `mutmut run`: mutants, killed, survivors, and whether each survivor is explained.

A survivor is explained when `mutation/equivalent/<module>.toml` has an entry for the same function with
the same change (the `-`/`+` lines of `mutmut show`): mutmut's numbering within a function may shift
as the function grows, the change itself may not, so an entry goes stale when the code under it changes.
Exits 1 when a module's mutation score (killed over killable: its mutants less its listed equivalents) is
below 90%, a survivor is unexplained, or an entry explains no survivor any more (a test now kills it: the
entry was wrong or is out of date).

    python -m mutation.report            # the table, then each unexplained survivor's diff
    python -m mutation.report --draft    # TOML entries to fill in for the unexplained survivors
    python -m mutation.report --only chalicelib/feeds.py chalicelib/search/   # those modules of a partial run
    python -m mutation.report --unfinished   # a run stopped part way: mutants not run yet are counted as left
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_DIR = ROOT / "mutation" / "equivalent"
TARGET = 0.90
TOOLING = "mutation"  # this folder: the run's tooling and what it writes, not the code it measures
# mutmut's statuses that mean the tests noticed the mutant (a hang is noticed too).
DETECTED = {"killed", "timeout", "caught by type check"}


@dataclass
class Module:
    path: str
    total: int = 0
    killed: int = 0
    by_mypy: int = 0  # of the killed: refused by `mypy --strict` before any test ran
    equivalent: int = 0
    left: int = 0  # not run yet (a run stopped part way, `--unfinished`)
    unused: list[str] = field(default_factory=list)  # entries no survivor needs any more
    unexplained: list[tuple[str, str, str]] = field(default_factory=list)  # name, status, change

    @property
    def kill_rate(self) -> float:
        decided = self.total - self.left
        return self.killed / decided if decided else 1.0

    @property
    def score(self) -> float:
        """The mutation score: killed over the mutants a test could kill (the listed equivalents cannot be), of
        those run."""
        killable = self.total - self.left - self.equivalent
        return self.killed / killable if killable else 1.0


def mutated_paths() -> list[str]:
    """The modules `[tool.mutmut] only_mutate`'s patterns pick from its source paths, as mutmut matches them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    files = sorted(
        path.relative_to(ROOT).as_posix() for source in config["source_paths"] for path in (ROOT / source).rglob("*.py")
    )
    return [f for f in files if any(fnmatch.fnmatch(f, pattern) for pattern in config["only_mutate"])]


def listing_of(path: str) -> Path:
    """A module's list of equivalent mutants: `auth.toml` for chalicelib/auth.py, `routes.editors.toml`,
    `search.toml` (chalicelib/search/__init__.py), `ops.dedecms.pages.toml`."""
    parts = list(Path(path).with_suffix("").parts)
    parts = parts[1:] if parts[0] == "chalicelib" else parts
    parts = parts[:-1] if parts[-1] == "__init__" else parts
    return EQUIVALENT_DIR / f"{'.'.join(parts) or 'chalicelib'}.toml"


def equivalents(path: str) -> set[tuple[str, str]]:
    """(function, change) pairs explained in the module's list."""
    listed = listing_of(path)
    if not listed.exists():
        return set()
    entries = tomllib.loads(listed.read_text()).get("equivalent", [])
    return {(function_of(entry["mutant"]), entry["change"].strip()) for entry in entries}


def function_of(mutant: str) -> str:
    """`chalicelib.auth.x_log_in__mutmut_12` -> `chalicelib.auth.x_log_in`."""
    return mutant.rpartition("__mutmut_")[0]


def change_of(name: str, path: str) -> str:
    """The removed and added lines of a mutant, as `mutmut show` prints them."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name, path=Path(path))
    lines = [line for line in diff.splitlines() if line[:1] in "-+" and not line.startswith(("---", "+++"))]
    return "\n".join(lines).strip()


def survey(only: list[str] | None = None, unfinished: bool = False, mutants: Path = ROOT / "mutants") -> list[Module]:
    """Every mutated module's counts, or those whose path starts with one of `only` (a run limited to them);
    `unfinished`: mutants not run yet are counted as left instead of failing the report."""
    from mutmut.stats import status_by_exit_code

    modules = []
    for path in mutated_paths():
        if only and not path.startswith(tuple(only)):
            continue
        meta = mutants / f"{path}.meta"
        if not meta.exists() and not _has_functions(ROOT / path):
            continue  # nothing to mutate (an empty __init__.py, constants only)
        if not meta.exists():
            sys.exit(f"{meta} is missing: run `make mutation` (or `mutmut run`) first")
        exit_codes = json.loads(meta.read_text())["exit_code_by_key"]
        explained = equivalents(path)
        used: set[tuple[str, str]] = set()
        module = Module(path, total=len(exit_codes))
        for name, code in sorted(exit_codes.items(), key=lambda item: _natural(item[0])):
            status = status_by_exit_code[code]
            if status == "not checked" and unfinished:
                module.left += 1
                continue
            if status == "not checked":
                sys.exit(f"{name} was not checked: the run did not finish; run `make mutation` again")
            if status in DETECTED:
                module.killed += 1
                module.by_mypy += status == "caught by type check"
                continue
            change = change_of(name, path)
            if (function_of(name), change) in explained:
                module.equivalent += 1
                used.add((function_of(name), change))
            else:
                module.unexplained.append((name, status, change))
        # an entry of a module not finished may explain a survivor still to come
        module.unused = [] if module.left else sorted(function for function, _ in explained - used)
        modules.append(module)
    return modules


def _has_functions(path: Path) -> bool:
    import ast

    return any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) for n in ast.walk(ast.parse(path.read_text())))


def _natural(name: str) -> tuple[str, int]:
    function, _, number = name.rpartition("__mutmut_")
    return function, int(number) if number.isdigit() else 0


def print_table(modules: list[Module]) -> None:
    unfinished = any(m.left for m in modules)
    heads = ("module", "mutants", "killed", "(mypy)", "survived", "equivalent", *("left",) * unfinished)
    print(f"{heads[0]:<28} " + " ".join(f"{h:>10}" for h in (*heads[1:], "kill rate", "score")))
    everything = Module("all")
    for m in modules:
        _print_row(m, unfinished)
        for counted in ("total", "killed", "by_mypy", "equivalent", "left"):
            setattr(everything, counted, getattr(everything, counted) + getattr(m, counted))
    _print_row(everything, unfinished)


def _print_row(m: Module, unfinished: bool) -> None:
    counts = [m.total, m.killed, m.by_mypy, m.total - m.left - m.killed, m.equivalent, *(m.left,) * unfinished]
    print(f"{m.path:<28} " + " ".join(f"{n:>10}" for n in counts) + f" {m.kill_rate:>10.1%} {m.score:>10.1%}")


def measured_commit() -> str:
    """The commit the run's code came from, and whether the tree differed from it (mutation/ aside)."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: S603, S607 (git, our own arguments)

    head = git("rev-parse", "HEAD")
    changed = git("status", "--porcelain", "--untracked-files=no", "--", ".", f":!{TOOLING}")
    return f"commit {head or '(unknown)'}" + (" with uncommitted changes" if changed else "")


def print_draft(modules: list[Module]) -> None:
    for m in modules:
        if m.unexplained:
            print(f"# mutation/equivalent/{listing_of(m.path).name}")
        for name, status, change in m.unexplained:
            quotes = "'''"
            print(f'[[equivalent]]\nmutant = "{name}"  # {status}')
            print(f'change = {quotes}\n{change}\n{quotes}\nreason = ""\n')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draft", action="store_true", help="print TOML entries for the unexplained survivors")
    parser.add_argument("--only", nargs="+", metavar="PATH", help="only the modules whose paths start so")
    parser.add_argument("--unfinished", action="store_true", help="a run stopped part way: count what is left")
    args = parser.parse_args()
    modules = survey(args.only, args.unfinished)
    if args.draft:
        print_draft(modules)
        return 0
    print(f"The code measured: {measured_commit()}\n")
    print_table(modules)
    failing = [m for m in modules if m.score < TARGET]
    unexplained = [survivor for m in modules for survivor in m.unexplained]
    for name, status, change in unexplained:
        print(f"\n{status}: {name}\n{change}")
    for m in modules:
        for function in m.unused:
            print(f"\nno longer needed: an entry for {function} in mutation/equivalent/{listing_of(m.path).name}")
    for m in failing:
        print(f"\n{m.path}: mutation score {m.score:.1%} is below {TARGET:.0%}")
    if unexplained:
        print(f"\n{len(unexplained)} surviving mutants are not on mutation/equivalent/*.toml (--draft lists them)")
    unused = [function for m in modules for function in m.unused]
    left = sum(m.left for m in modules)
    if left:
        print(f"\nnot finished: {left} mutants not run yet (`make mutation` resumes)")
    return 1 if failing or unexplained or unused or left else 0


if __name__ == "__main__":
    sys.exit(main())
