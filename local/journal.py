"""An append-only journal of the local stack's writes, so an acknowledged write survives any stop.

moto keeps everything in memory. Every DynamoDB item write and S3 object write the emulator applies
is appended here, as the item's or object's state after the write, and fsynced before moto answers
(local/emulator.py calls `record_*` while it holds the lock that orders writes): a 2xx means the
write is on disk. At start the journal is replayed over the last snapshot; each snapshot starts a
new segment (`rotate`) and drops the ones it contains (local/snapshot.py). Replaying a state twice
is harmless, so a segment may overlap its snapshot.

Layout: `journal/{n:06d}.log`, one JSON entry a line; an object's bytes in `journal/{n:06d}.blobs/`.
A torn last line (the process killed mid-write, before the fsync, so never acknowledged) is skipped.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

log = logging.getLogger(__name__)


def segment_numbers(folder: Path) -> list[int]:
    return sorted(int(path.stem) for path in folder.glob("*.log") if path.stem.isdigit())


def fsync_directory(folder: Path) -> None:
    """Make a file's creation or rename in `folder` durable, not only its bytes."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class Journal:
    """Appends entries to the current segment; a new one is started past every existing one."""

    def __init__(self, folder: Path, first_segment: int = 1) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        existing = segment_numbers(folder)
        self.segment = max([first_segment - 1, *existing]) + 1
        self.entries = 0  # in the current segment
        self.blobs = 0
        self._file: BinaryIO = self._open(self.segment)

    def _open(self, segment: int) -> BinaryIO:
        handle = (self.folder / f"{segment:06d}.log").open("ab")
        fsync_directory(self.folder)
        return handle

    def rotate(self) -> int:
        """Start a new segment (the caller holds the emulator's write lock); its number."""
        self._file.close()
        self.segment += 1
        self.entries = self.blobs = 0
        self._file = self._open(self.segment)
        return self.segment

    def record_item(self, table: str, key: dict[str, Any], item: dict[str, Any] | None) -> None:
        """A DynamoDB item as it now is (None: deleted)."""
        self._append({"table": table, "key": key, "item": item})

    def record_object(self, bucket: str, key: str, body: bytes | None, content_type: str, cache_control: str) -> None:
        """An S3 object as it now is (body None: deleted); its bytes are made durable first."""
        entry: dict[str, Any] = {"bucket": bucket, "object": key}
        if body is not None:
            blobs = self.folder / f"{self.segment:06d}.blobs"
            if self.blobs == 0:
                blobs.mkdir(exist_ok=True)
                fsync_directory(self.folder)
            self.blobs += 1
            name = f"{self.blobs:06d}"
            with (blobs / name).open("wb") as blob:
                blob.write(body)
                blob.flush()
                os.fsync(blob.fileno())
            fsync_directory(blobs)
            entry.update(blob=f"{blobs.name}/{name}", content_type=content_type, cache_control=cache_control)
        self._append(entry)

    def _append(self, entry: dict[str, Any]) -> None:
        self._file.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self.entries += 1

    def close(self) -> None:
        self._file.close()


def entries(folder: Path, from_segment: int) -> Iterator[dict[str, Any]]:
    """Every entry of the segments from `from_segment` on, in the order they were written."""
    for segment in segment_numbers(folder):
        if segment < from_segment:
            continue
        lines = (folder / f"{segment:06d}.log").read_bytes().split(b"\n")
        for number, line in enumerate(lines):
            if not line:
                continue
            try:
                yield json.loads(line)
            except ValueError:
                if number < len(lines) - 1:  # only the very last write may be torn
                    raise
                log.warning("journal segment %s ends in a torn entry (never acknowledged): skipped", segment)


def drop_before(folder: Path, segment: int) -> None:
    """Forget the segments a snapshot now holds."""
    for number in segment_numbers(folder):
        if number < segment:
            shutil.rmtree(folder / f"{number:06d}.blobs", ignore_errors=True)
            (folder / f"{number:06d}.log").unlink(missing_ok=True)


def replay(
    folder: Path, from_segment: int, dynamodb: Any, s3: Any, rebase: Callable[[str], str] = lambda text: text
) -> int:
    """Apply the journal's entries through the AWS clients (no journal attached); how many.

    `rebase` rewrites an item's JSON text (its media URLs, for a start on another port: local/snapshot.py)."""
    count = 0
    for entry in entries(folder, from_segment):
        if "table" in entry:
            if entry["item"] is None:
                dynamodb.delete_item(TableName=entry["table"], Key=entry["key"])
            else:
                item = json.loads(rebase(json.dumps(entry["item"], ensure_ascii=False)))
                dynamodb.put_item(TableName=entry["table"], Item=item)
        elif entry.get("blob") is None:
            s3.delete_object(Bucket=entry["bucket"], Key=entry["object"])
        else:
            extra = {"CacheControl": entry["cache_control"]} if entry.get("cache_control") else {}
            s3.put_object(
                Bucket=entry["bucket"],
                Key=entry["object"],
                Body=(folder / entry["blob"]).read_bytes(),
                ContentType=entry["content_type"],
                **extra,
            )
        count += 1
    return count
