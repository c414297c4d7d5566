"""Local data that survives restarts: moto's tables and bucket saved to a folder.

moto's server keeps everything in memory and has no persistence flag, so the
local stack saves every table item and bucket object under the data folder
(periodically and on shutdown) and writes them back at start.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from chalicelib.config import Settings

log = logging.getLogger(__name__)


def tables_of(settings: Settings) -> list[str]:
    return list(settings.tables.values())


def exists(folder: Path) -> bool:
    return (folder / "snapshot.json").is_file()


def save(folder: Path, settings: Settings, dynamodb: Any, s3: Any) -> bool:
    """Write a complete snapshot beside the old one, then swap it in; False if nothing changed.

    Objects already in the previous snapshot with the same ETag are hard-linked
    from it rather than downloaded again.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
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
    previous = _read_json(folder / "snapshot.json") or {}
    if previous.get("digest") == digest:
        return False
    known = {o["key"]: o for o in _read_json(folder / "objects.json") or [] if o.get("etag")}
    staging = folder.with_name(folder.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "objects").mkdir(parents=True)
    for table, items in tables.items():
        (staging / f"{table}.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    objects: list[dict[str, str]] = []
    for entry in listing:
        name = f"{len(objects):06d}"
        old = known.get(entry["Key"])
        if old and old["etag"] == entry["ETag"] and (folder / "objects" / old["file"]).exists():
            os.link(folder / "objects" / old["file"], staging / "objects" / name)
            objects.append({**old, "file": name})
            continue
        response = s3.get_object(Bucket=settings.media_bucket, Key=entry["Key"])
        (staging / "objects" / name).write_bytes(response["Body"].read())
        objects.append(
            {
                "key": entry["Key"],
                "file": name,
                "etag": entry["ETag"],
                "content_type": response.get("ContentType", "binary/octet-stream"),
                "cache_control": response.get("CacheControl"),
            }
        )
    (staging / "objects.json").write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    counts = {table: len(items) for table, items in tables.items()}
    (staging / "snapshot.json").write_text(json.dumps({"items": counts, "objects": len(objects), "digest": digest}))
    old_folder = folder.with_name(folder.name + ".old")
    shutil.rmtree(old_folder, ignore_errors=True)
    if folder.exists():
        folder.rename(old_folder)
    staging.rename(folder)
    shutil.rmtree(old_folder, ignore_errors=True)
    log.info("saved local data to %s: %s items, %s objects", folder, sum(counts.values()), len(objects))
    return True


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def restore(folder: Path, settings: Settings, dynamodb: Any, s3: Any) -> None:
    """Write a snapshot back into freshly provisioned tables and bucket."""
    for table in tables_of(settings):
        path = folder / f"{table}.json"
        items = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        for start in range(0, len(items), 25):
            requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            pending: dict[str, Any] = {table: requests}
            while pending:
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    for entry in json.loads((folder / "objects.json").read_text(encoding="utf-8")):
        extra = {"CacheControl": entry["cache_control"]} if entry.get("cache_control") else {}
        s3.put_object(
            Bucket=settings.media_bucket,
            Key=entry["key"],
            Body=(folder / "objects" / entry["file"]).read_bytes(),
            ContentType=entry["content_type"],
            **extra,
        )
