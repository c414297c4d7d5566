"""`make mutation`'s list of equivalent mutants names code that exists (the cheap half of its check)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from mutation.entries import stale_entries
from mutation.report import listing_of, mutated_paths
from tests.conftest import ROOT

ENTRY = """
[[equivalent]]
mutant = "{mutant}"
change = '''
-{removed}
+    pass
'''
reason = "a test's own"
"""


def test_every_equivalent_entry_names_existing_code():
    assert stale_entries() == []


def test_the_run_covers_every_lambda_module_and_the_importer_and_each_list_is_one_of_its_modules():
    modules = mutated_paths()
    lambda_modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "chalicelib").rglob("*.py"))
    importer = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "ops" / "dedecms").glob("*.py"))
    assert modules == sorted(lambda_modules + importer)
    listed = {f.name for f in (ROOT / "mutation" / "equivalent").glob("*.toml")}
    names = [listing_of(path).name for path in modules]
    assert len(set(names)) == len(names)  # no two modules share a list
    assert listed <= set(names), listed - set(names)


def test_every_test_the_run_collects_imports_only_what_it_copies():
    """mutmut runs the tests in a copy of the project holding only its paths: a test importing anything else
    (`mutation/`, `bench/`) fails to collect there and stops the whole run before its first mutant."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    copied = {
        path.strip("/").split("/")[0].removesuffix(".py") for path in config["source_paths"] + config["also_copy"]
    }
    selection = config["pytest_add_cli_args_test_selection"]
    ignored = [ROOT / arg.removeprefix("--ignore=") for arg in selection if arg.startswith("--ignore=")]
    ours = {p.name.removesuffix(".py") for p in ROOT.iterdir() if p.is_dir() or p.suffix == ".py"} - {"tests"}
    missing = []
    for test in (ROOT / "tests").rglob("*.py"):
        if any(test.is_relative_to(path) for path in ignored):
            continue
        for node in ast.walk(ast.parse(test.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            missing += [(test.name, n) for n in names if n.split(".")[0] in ours - copied]
    assert missing == []


def test_an_entry_is_stale_once_its_function_or_its_line_is_gone(tmp_path: Path):
    entries = [
        ("chalicelib.login_throttle.x_count_attempt__mutmut_1", "    moment = clock.seconds()", ""),  # current
        ("chalicelib.login_throttle.x_count_attempt__mutmut_2", "    moment = time.time()", "no longer has"),
        ("chalicelib.login_throttle.x_gone__mutmut_1", "    moment = clock.seconds()", "no gone"),
        ("chalicelib.nowhere.x_f__mutmut_1", "    pass", "does not exist"),
        # a method's lines as `mutmut show` prints them: shifted left to the method's own level, not the class's
        ("chalicelib.richtext.buffer.xǁBufferǁ_clip__mutmut_1", "    length = len(self.text)", ""),
        ("chalicelib.richtext.buffer.xǁBufferǁ_clip__mutmut_2", "        length = len(self.text)", "no longer has"),
    ]
    for n, (mutant, removed, _) in enumerate(entries):
        (tmp_path / f"{n}.toml").write_text(ENTRY.format(mutant=mutant, removed=removed), encoding="utf-8")
    stale = stale_entries(tmp_path)
    assert len(stale) == 4
    for (mutant, _, problem), line in zip([e for e in entries if e[2]], stale, strict=True):
        assert mutant in line and problem in line
