"""mutation/progress.py: the verdicts a resumed `make mutation` keeps, and those it runs again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mutation import progress, report
from tests import conftest

FUNCTION = "chalicelib.auth.x_verify_password"
THIS_TEST = "tests/test_mutation_progress.py::test_a_run_resumes_with_the_verdicts_that_still_hold"


def _run_folder(root: Path, exit_codes: dict[str, int | None], killers: list[str]) -> Path:
    """A `mutants/` folder as mutmut and tests/conftest.py leave it after a run."""
    mutants = root / "mutants"
    (mutants / "chalicelib").mkdir(parents=True)
    meta = {
        "exit_code_by_key": exit_codes,
        "hash_by_function_name": {"x_verify_password": "8e1bc536ff50", "xǁSessionǁas_dict": "1251a2af7d54"},
        "type_check_error_by_key": {},
        "durations_by_key": {},
        "estimated_durations_by_key": {},
    }
    (mutants / "chalicelib" / "auth.py.meta").write_text(json.dumps(meta))
    (mutants / progress.KILLERS).write_text("".join(line + "\n" for line in killers))
    return mutants


def test_a_run_resumes_with_the_verdicts_that_still_hold(tmp_path: Path) -> None:
    codes = {
        f"{FUNCTION}__mutmut_1": 0,  # survived
        f"{FUNCTION}__mutmut_2": 1,  # killed by a test that exists
        f"{FUNCTION}__mutmut_3": 1,  # killed by a test since removed
        f"{FUNCTION}__mutmut_4": 1,  # killed, no test noted (the session failed outside any test)
        f"{FUNCTION}__mutmut_5": 37,  # refused by mypy
        f"{FUNCTION}__mutmut_6": None,  # not run yet
        f"{FUNCTION}__mutmut_7": -24,  # timed out (SIGXCPU): may be the machine's, runs again
        "chalicelib.auth.xǁSessionǁas_dict__mutmut_1": 1,  # a method, killed by a test that exists
    }
    killers = [
        f"{FUNCTION}__mutmut_2\ttests/test_auth.py::an_earlier_run_of_the_same_mutant",
        f"{FUNCTION}__mutmut_2\t{THIS_TEST}",
        f"{FUNCTION}__mutmut_3\ttests/test_auth.py::test_that_was_removed",
        f"chalicelib.auth.xǁSessionǁas_dict__mutmut_1\t{THIS_TEST}",
    ]
    saved = tmp_path / "progress.tsv"
    progress.save(_run_folder(tmp_path / "before", codes, killers), saved)
    written = {v.mutant: (v.function_hash, v.exit_code, v.killer) for v in progress.read_progress(saved)}
    assert len(written) == 5  # mypy's refusal, the timeout and the mutant not run are not written
    assert written[f"{FUNCTION}__mutmut_2"] == ("8e1bc536ff50", 1, THIS_TEST)  # the latest run's killer
    assert written[f"{FUNCTION}__mutmut_1"] == ("8e1bc536ff50", 0, "")
    assert written["chalicelib.auth.xǁSessionǁas_dict__mutmut_1"] == ("1251a2af7d54", 1, THIS_TEST)
    assert len(saved.read_text().splitlines()) == 2 + 2  # a header, then a line a function, each test once

    resumed = tmp_path / "after" / "mutants"
    progress.restore(saved, resumed)
    meta = json.loads((resumed / "chalicelib" / "auth.py.meta").read_text())
    assert meta["exit_code_by_key"] == {
        f"{FUNCTION}__mutmut_1": 0,
        f"{FUNCTION}__mutmut_2": 1,
        "chalicelib.auth.xǁSessionǁas_dict__mutmut_1": 1,
    }
    assert meta["hash_by_function_name"] == {"x_verify_password": "8e1bc536ff50", "xǁSessionǁas_dict": "1251a2af7d54"}
    assert (resumed / progress.KILLERS).read_text().splitlines() == [
        f"{FUNCTION}__mutmut_2\t{THIS_TEST}",
        f"chalicelib.auth.xǁSessionǁas_dict__mutmut_1\t{THIS_TEST}",
    ]


def test_a_restore_only_seeds_a_new_run(tmp_path: Path) -> None:
    saved = tmp_path / "progress.tsv"
    progress.save(_run_folder(tmp_path, {f"{FUNCTION}__mutmut_1": 0}, []), saved)
    with pytest.raises(SystemExit, match="mutants/ exists"):
        progress.restore(saved, tmp_path / "mutants")


def test_a_module_no_longer_mutated_is_left_out(tmp_path: Path) -> None:
    saved = tmp_path / "progress.tsv"
    saved.write_text(f"# header\nchalicelib.gone.x_f\tabc\t1=1/0\t{THIS_TEST}\n")
    progress.restore(saved, tmp_path / "mutants")
    assert [p.name for p in (tmp_path / "mutants").iterdir()] == [progress.KILLERS]


@pytest.mark.parametrize(
    ("nodeid", "exists"),
    [
        (THIS_TEST, True),
        ("tests/test_mutation_progress.py::test_a_test_is_known_by_its_file_and_name[x-True]", True),
        ("tests/test_mutation_progress.py::test_no_such_test", False),
        ("tests/test_no_such_file.py::test_a_run_resumes_with_the_verdicts_that_still_hold", False),
        ("tests/test_mutation_progress.py", False),
        ("", False),
    ],
)
def test_a_test_is_known_by_its_file_and_name(nodeid: str, exists: bool) -> None:
    assert progress.test_exists(nodeid) is exists


def test_the_run_and_the_progress_agree_on_the_killers_file() -> None:
    assert conftest.KILLERS == progress.KILLERS


def test_a_report_of_a_run_stopped_part_way_counts_what_is_left(tmp_path: Path) -> None:
    codes = {f"{FUNCTION}__mutmut_1": 1, f"{FUNCTION}__mutmut_2": 37, f"{FUNCTION}__mutmut_3": None}
    mutants = _run_folder(tmp_path, codes, [])
    [module] = report.survey(["chalicelib/auth.py"], unfinished=True, mutants=mutants)
    assert (module.total, module.killed, module.by_mypy, module.left) == (3, 2, 1, 1)
    assert module.score == 1.0 and module.unused == []  # its entries may explain survivors still to come
    with pytest.raises(SystemExit, match="was not checked"):
        report.survey(["chalicelib/auth.py"], mutants=mutants)
