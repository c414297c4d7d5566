"""Local data that survives restarts: moto's tables and bucket saved to a folder.

moto's server keeps everything in memory and has no persistence flag, so the
local stack saves every table item and bucket object under the data folder
(periodically and on shutdown) and writes them back at start.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from chalicelib.config import Settings

log = logging.getLogger(__name__)


def tables_of(settings: Settings) -> list[str]:
    return [
        settings.articles_table,
        settings.categories_table,
        settings.counters_table,
        settings.photos_table,
        settings.editors_table,
    ]


def exists(folder: Path) -> bool:
    return (folder / "snapshot.json").is_file()


def save(folder: Path, settings: Settings, dynamodb: Any, s3: Any) -> None:
    """Write a complete snapshot beside the old one, then swap it in."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.with_name(folder.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "objects").mkdir(parents=True)
    counts = {}
    for table in tables_of(settings):
        items = [item for page in dynamodb.get_paginator("scan").paginate(TableName=table) for item in page["Items"]]
        (staging / f"{table}.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        counts[table] = len(items)
    objects = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=settings.media_bucket):
        for entry in page.get("Contents", []):
            response = s3.get_object(Bucket=settings.media_bucket, Key=entry["Key"])
            name = f"{len(objects):06d}"
            (staging / "objects" / name).write_bytes(response["Body"].read())
            objects.append(
                {
                    "key": entry["Key"],
                    "file": name,
                    "content_type": response.get("ContentType", "binary/octet-stream"),
                    "cache_control": response.get("CacheControl"),
                }
            )
    (staging / "objects.json").write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    (staging / "snapshot.json").write_text(json.dumps({"items": counts, "objects": len(objects)}))
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    staging.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    log.info("saved local data to %s: %s items, %s objects", folder, sum(counts.values()), len(objects))


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
