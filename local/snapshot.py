"""Local data that survives restarts: moto's tables and bucket saved to a folder, plus a journal.

moto's server keeps everything in memory and has no persistence flag. The local stack journals each
write before acknowledging it (local/journal.py) and, every few seconds and on shutdown, compacts
the journal into a snapshot of every table item and bucket object; at start the snapshot is written
back and the journal's newer segments replayed over it.

Layout of the data folder:
  current.json        which snapshot is complete, the first journal segment it does not hold, and the
                      media endpoint its renditions' URLs name (moto's, with its port);
                      replaced atomically (write, fsync, rename), so a kill at any moment leaves
                      either the old or the new snapshot in force, never none
  snapshot-{n:06d}/   {table}.json per table, objects.json and objects/ (the bucket)
  journal/            the writes since (local/journal.py)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chalicelib.config import Settings
from local import journal
from local.emulator import rotate_journal

log = logging.getLogger(__name__)

CURRENT = "current.json"
LEGACY = "snapshot.json"  # before the journal, the folder itself was the one snapshot


def tables_of(settings: Settings) -> list[str]:
    return list(settings.tables.values())


def journal_folder(folder: Path) -> Path:
    return folder / "journal"


def exists(folder: Path) -> bool:
    return (folder / CURRENT).is_file() or (folder / LEGACY).is_file()


def save(folder: Path, settings: Settings, dynamodb: Any, s3: Any) -> bool:
    """Write a complete snapshot beside the old one, then make it current; False if nothing changed.

    The journal gets a new segment first: every write before it is in the tables when they are
    read, so the snapshot holds them; later ones stay in the journal (replaying one the snapshot
    also holds is harmless). Objects already in the previous snapshot with the same ETag are
    hard-linked from it rather than downloaded again.
    """
    folder.mkdir(parents=True, exist_ok=True)
    journal_from = rotate_journal()
    if journal_from is None:  # no journal attached: nothing written before now is left to replay
        journal_from = max(journal.segment_numbers(journal_folder(folder)), default=0) + 1
    tables = {
        table: [item for page in dynamodb.get_paginator("scan").paginate(TableName=table) for item in page["Items"]]
        for table in tables_of(settings)
    }
    listing = [
        entry
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=settings.media_bucket)
        for entry in page.get("Contents", [])
    ]
    digest = hashlib.sha256(
        json.dumps([tables, [(e["Key"], e["ETag"]) for e in listing]], sort_keys=True, default=str).encode()
    ).hexdigest()
    current = _read_json(folder / CURRENT) or {}
    if current.get("digest") == digest:
        _make_current(folder, {**current, "journal_from": journal_from})
        journal.drop_before(journal_folder(folder), journal_from)
        return False
    previous = folder / current["snapshot"] if current.get("snapshot") else folder
    known = {o["key"]: o for o in _read_json(previous / "objects.json") or [] if o.get("etag")}
    generation = int(current.get("generation", 0)) + 1
    name = f"snapshot-{generation:06d}"
    staging = folder / f"{name}.new"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "objects").mkdir(parents=True)
    for table, items in tables.items():
        _write_durably(staging / f"{table}.json", json.dumps(items, ensure_ascii=False).encode())
    objects: list[dict[str, str]] = []
    for entry in listing:
        file = f"{len(objects):06d}"
        old = known.get(entry["Key"])
        if old and old["etag"] == entry["ETag"] and (previous / "objects" / old["file"]).exists():
            os.link(previous / "objects" / old["file"], staging / "objects" / file)
            objects.append({**old, "file": file})
            continue
        try:
            response = s3.get_object(Bucket=settings.media_bucket, Key=entry["Key"])
        except s3.exceptions.NoSuchKey:
            continue  # deleted since the listing: the journal holds the delete
        _write_durably(staging / "objects" / file, response["Body"].read())
        objects.append(
            {
                "key": entry["Key"],
                "file": file,
                "etag": entry["ETag"],
                "content_type": response.get("ContentType", "binary/octet-stream"),
                "cache_control": response.get("CacheControl"),
            }
        )
    _write_durably(staging / "objects.json", json.dumps(objects, ensure_ascii=False).encode())
    counts = {table: len(items) for table, items in tables.items()}
    _write_durably(staging / "snapshot-summary.json", json.dumps({"items": counts, "objects": len(objects)}).encode())
    journal.fsync_directory(staging / "objects")
    journal.fsync_directory(staging)
    staging.rename(folder / name)
    journal.fsync_directory(folder)
    _make_current(
        folder,
        {
            "snapshot": name,
            "generation": generation,
            "journal_from": journal_from,
            "digest": digest,
            "media_base_url": settings.media_base_url,
        },
    )
    _forget_all_but(folder, name)
    journal.drop_before(journal_folder(folder), journal_from)
    log.info("saved local data to %s: %s items, %s objects", folder / name, sum(counts.values()), len(objects))
    return True


def _make_current(folder: Path, current: dict[str, Any]) -> None:
    temporary = folder / f"{CURRENT}.new"
    _write_durably(temporary, json.dumps(current).encode())
    temporary.replace(folder / CURRENT)
    journal.fsync_directory(folder)


def _forget_all_but(folder: Path, name: str) -> None:
    """Older snapshots and what the layout before the journal kept in the folder itself."""
    for path in folder.iterdir():
        if path.is_dir() and path.name.startswith("snapshot-") and path.name != name:
            shutil.rmtree(path, ignore_errors=True)
    if (folder / LEGACY).exists():
        shutil.rmtree(folder / "objects", ignore_errors=True)
        for path in folder.glob("*.json"):
            if path.name != CURRENT:
                path.unlink()


def _write_durably(path: Path, data: bytes) -> None:
    with path.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def restore(folder: Path, settings: Settings, dynamodb: Any, s3: Any) -> int:
    """Write the current snapshot back into freshly provisioned tables and bucket, then replay the
    journal's writes since; the number of journal entries replayed."""
    current = _read_json(folder / CURRENT)
    source, journal_from = (folder / current["snapshot"], current["journal_from"]) if current else (folder, 0)
    rebase = media_moved((current or {}).get("media_base_url"), settings.media_base_url)
    for table in tables_of(settings):
        path = source / f"{table}.json"
        items = json.loads(rebase(path.read_text(encoding="utf-8"))) if path.exists() else []
        for start in range(0, len(items), 25):
            requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            pending: dict[str, Any] = {table: requests}
            while pending:
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    for entry in json.loads((source / "objects.json").read_text(encoding="utf-8")):
        extra = {"CacheControl": entry["cache_control"]} if entry.get("cache_control") else {}
        s3.put_object(
            Bucket=settings.media_bucket,
            Key=entry["key"],
            Body=(source / "objects" / entry["file"]).read_bytes(),
            ContentType=entry["content_type"],
            **extra,
        )
    return journal.replay(journal_folder(folder), journal_from, dynamodb, s3, rebase)


def media_moved(saved: str | None, now: str) -> Callable[[str], str]:
    """What turns saved items' media URLs into this start's: a photo's renditions name the media endpoint
    they were made under, moto's port included, and a start on another port serves them on its own."""
    if not saved or saved == now:
        return lambda text: text
    return lambda text: text.replace(f"{saved}/", f"{now}/")
