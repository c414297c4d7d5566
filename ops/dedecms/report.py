"""What an import did: imported, updated, unchanged, skipped (with the reason) and warnings; and its progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Report:
    dry_run: bool = False
    categories: list[str] = field(default_factory=list)  # created or changed
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    warnings: list[str] = field(default_factory=list)
    redirects: int = 0  # old URLs stored or changed
    photos_uploaded: int = 0
    photos_reused: int = 0
    files_uploaded: int = 0  # attachments: the old site's linked files
    files_reused: int = 0

    def changed(self) -> bool:
        return bool(
            self.categories
            or self.created
            or self.updated
            or self.redirects
            or self.photos_uploaded
            or self.files_uploaded
        )

    def lines(self) -> list[str]:
        would = "would be " if self.dry_run else ""
        out = [
            f"categories {would}created or changed: {len(self.categories)}",
            f"articles {would}imported: {len(self.created)}, {would}updated: {len(self.updated)}, "
            f"unchanged: {len(self.unchanged)}, skipped: {len(self.skipped)}",
            f"photos {would}uploaded: {self.photos_uploaded}, already there: {self.photos_reused}",
            f"files {would}uploaded: {self.files_uploaded}, already there: {self.files_reused}",
            f"old URLs {would}redirected (new or changed): {self.redirects}",
        ]
        if self.dry_run:
            out += [f"  {would}created: {name}" for name in self.categories + self.created]
            out += [f"  {would}updated: {name}" for name in self.updated]
        out += [f"skipped {what}: {why}" for what, why in self.skipped]
        out += [f"warning: {warning}" for warning in self.warnings]
        return out


class Progress:
    """A one-line progress bar on a terminal; nothing elsewhere (logs stay clean)."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None, total: int, label: str) -> None:
        self.stream = stream if stream is not None and stream.isatty() else None
        self.total = max(total, 1)
        self.label = label
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.stream is not None:
            filled = self.WIDTH * min(self.done, self.total) // self.total
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
            self.stream.flush()

    def finish(self) -> None:
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()
