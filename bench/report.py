"""Summary rows, medians and the one table `make bench` prints."""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    """One line of the summary table: our figure, the baseline's, their ratio, the target and the verdict."""

    benchmark: str
    measure: str
    ours: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""  # "met", "MISSED", or "" for figures without a target


COLUMNS = ("benchmark", "measure", "ours", "baseline", "ratio", "target", "verdict")


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def markdown_table(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = [str(getattr(row, column)).replace("|", "\\|") for column in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_rows(rows: Sequence[Row], path: Path) -> None:
    path.write_text(json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=1), encoding="utf-8")


def read_rows(path: Path) -> list[Row]:
    return [Row(**fields) for fields in json.loads(path.read_text(encoding="utf-8"))]


def arguments(description: str) -> argparse.ArgumentParser:
    """The options every benchmark module takes when run on its own or by bench.run."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", type=Path, help="write the summary rows here")
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test, not a result)")
    return parser


def finish(rows: Sequence[Row], json_path: Path | None) -> None:
    """Print the module's rows; hand them to bench.run if asked."""
    print(markdown_table(rows), flush=True)
    if json_path:
        write_rows(rows, json_path)
