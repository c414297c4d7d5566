"""The mutation run's verdicts, kept in the repository between runs: `mutation/progress.tsv`.

The whole run takes longer on two cores than a working day on a machine that keeps its `mutants/` folder, so
`make mutation` resumes: before mutmut starts, `restore` puts back the verdicts that still hold, and mutmut runs
only the rest; after it (or after stopping it), `save` writes every verdict down again. A verdict still holds when

- the function's code is unchanged: mutmut compares each function's hash with the one stored beside the verdict
  and runs again every mutant of a function that changed (its own rule for a resumed run), and
- a killed mutant's test still exists: the test that failed is noted with the verdict (tests/conftest.py), and a
  kill whose test was removed or renamed, or whose test is not known, is run again.

mypy's refusals are never kept: mypy reads every mutant again at the start of each run. Nor are timeouts and
crashes (on a busy machine a timeout may be the machine's). Survivors are kept; a test added since then that kills
one shows when the mutant runs again (`mutmut run NAME`).

    python -m mutation.progress restore   # before `mutmut run`: seeds mutants/ from mutation/progress.tsv
    python -m mutation.progress save      # after it: mutants/ -> mutation/progress.tsv
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from mutation.report import ROOT, function_of, measured_commit, mutated_paths

PROGRESS = ROOT / "mutation" / "progress.tsv"
MUTANTS = ROOT / "mutants"
KILLERS = "mutmut-killers.tsv"  # in mutants/: tests/conftest.py writes it, from mutmut's working folder
BY_MYPY = 37  # mutmut's exit code for a mutant the type checker refused
SURVIVED = 0
KILLED = 1  # pytest's exit code when a test failed (a timeout or a crash is another)


@dataclass(frozen=True)
class Verdict:
    mutant: str  # chalicelib.auth.x_log_in__mutmut_12
    function_hash: str  # mutmut's hash of the function's code (its AST) when the verdict was reached
    exit_code: int  # mutmut's: 0 survived, 1 killed, others timeouts and crashes
    killer: str  # the test that failed, when one did


def module_paths() -> dict[str, str]:
    """Each mutated module's dotted name (as mutmut's mutant names start) -> its path."""
    paths = {}
    for path in mutated_paths():
        parts = list(Path(path).with_suffix("").parts)
        paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return paths


def module_of(mutant: str) -> str:
    """`chalicelib.auth.x_log_in__mutmut_12` -> `chalicelib.auth`; `…auth.xǁSessionǁas_dict__mutmut_1` too."""
    return function_of(mutant).rpartition(".")[0]


def local_function(mutant: str) -> str:
    """The function's name as mutmut's hashes key it: `x_log_in`, `xǁSessionǁas_dict`."""
    return function_of(mutant).rpartition(".")[2]


def read_progress(path: Path = PROGRESS) -> list[Verdict]:
    """The verdicts `save` wrote: a line a function, `function  hash  number=code[/killer] ...  killer ...`
    (tab-separated; a killer is the index of a test among the line's last columns, each test written once)."""
    if not path.exists():
        return []
    verdicts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        function, function_hash, outcomes, *tests = line.split("\t")
        for outcome in outcomes.split():
            number, _, rest = outcome.partition("=")
            exit_code, _, killer = rest.partition("/")
            test = tests[int(killer)] if killer else ""
            verdicts.append(Verdict(f"{function}__mutmut_{number}", function_hash, int(exit_code), test))
    return verdicts


def write_progress(verdicts: list[Verdict], path: Path) -> None:
    by_function: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        by_function.setdefault(function_of(verdict.mutant), []).append(verdict)
    lines = []
    for function, its in sorted(by_function.items()):
        tests = list(dict.fromkeys(v.killer for v in its if v.killer))
        outcomes = " ".join(
            f"{v.mutant.rpartition('__mutmut_')[2]}={v.exit_code}" + (f"/{tests.index(v.killer)}" if v.killer else "")
            for v in sorted(its, key=lambda v: int(v.mutant.rpartition("__mutmut_")[2]))
        )
        lines.append("\t".join([function, its[0].function_hash, outcomes, *tests]) + "\n")
    header = (
        f"# `python -m mutation.progress save` of a run on {measured_commit()}\n"
        "# function, its hash, each mutant's number=mutmut exit code (0 survived, 1 killed)/its killer, the killers\n"
    )
    path.write_text(header + "".join(lines), encoding="utf-8")


def test_exists(nodeid: str) -> bool:
    """Whether `tests/x.py::test_y[param]` (or `…::TestClass::test_y`) still names a test in the tree."""
    file, _, rest = nodeid.partition("::")
    test_file = ROOT / file
    if not rest or not test_file.is_file():
        return False
    name = rest.split("::")[-1].split("[")[0]
    return (
        re.search(rf"^\s*(async\s+)?def {re.escape(name)}\(", test_file.read_text(encoding="utf-8"), re.M) is not None
    )


def still_holds(verdict: Verdict) -> bool:
    """A survivor holds (its function unchanged, which mutmut checks), and a kill while its test exists. Nothing
    else does: mypy decides again, and a timeout, a crash or an interrupted run (a run stopped by hand) runs
    again, since on a busy machine a timeout may be the machine's, not the mutant's."""
    if verdict.exit_code == SURVIVED:
        return True
    return verdict.exit_code == KILLED and bool(verdict.killer) and test_exists(verdict.killer)


def restore(progress: Path = PROGRESS, mutants: Path = MUTANTS) -> int:
    """Seeds `mutants/` with the verdicts that still hold (mutmut drops those of functions changed since)."""
    if mutants.exists():
        sys.exit("mutants/ exists: restore seeds a new run only (rm -rf mutants first)")
    verdicts = read_progress(progress)
    kept = [v for v in verdicts if still_holds(v)]
    paths = module_paths()
    by_path: dict[str, list[Verdict]] = {}
    for verdict in kept:
        path = paths.get(module_of(verdict.mutant))
        if path is not None:  # a module no longer mutated
            by_path.setdefault(path, []).append(verdict)
    for path, module_verdicts in by_path.items():
        meta = mutants / f"{path}.meta"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(
            json.dumps(
                {
                    "exit_code_by_key": {v.mutant: v.exit_code for v in module_verdicts},
                    "hash_by_function_name": {local_function(v.mutant): v.function_hash for v in module_verdicts},
                    "type_check_error_by_key": {},
                    "durations_by_key": {},
                    "estimated_durations_by_key": {},
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    mutants.mkdir(exist_ok=True)
    (mutants / KILLERS).write_text("".join(f"{v.mutant}\t{v.killer}\n" for v in kept if v.killer), encoding="utf-8")
    print(f"{len(kept)} of {len(verdicts)} verdicts kept from {progress.name}")
    return 0


def save(mutants: Path = MUTANTS, progress: Path = PROGRESS) -> int:
    """Writes every decided mutant of `mutants/` (mypy's refusals aside) to `mutation/progress.tsv`."""
    killers: dict[str, str] = {}
    if (mutants / KILLERS).exists():
        for line in (mutants / KILLERS).read_text(encoding="utf-8").splitlines():
            mutant, _, nodeid = line.partition("\t")
            killers[mutant] = nodeid  # the latest run's (each run stops at its first failure, -x)
    verdicts = []
    for path in mutated_paths():
        meta = mutants / f"{path}.meta"
        if not meta.exists():
            continue
        data = json.loads(meta.read_text(encoding="utf-8"))
        hashes = data["hash_by_function_name"]
        for mutant, exit_code in data["exit_code_by_key"].items():
            if exit_code not in (SURVIVED, KILLED):  # not run, refused by mypy, a timeout or a crash: run again
                continue
            killer = killers.get(mutant, "") if exit_code == KILLED else ""
            verdicts.append(Verdict(mutant, hashes[local_function(mutant)], exit_code, killer))
    write_progress(verdicts, progress)
    print(f"{len(verdicts)} verdicts written to {progress.name}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["restore", "save"])
    return restore() if parser.parse_args().action == "restore" else save()


if __name__ == "__main__":
    sys.exit(main())
