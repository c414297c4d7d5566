"""The statuses an article and a photo go through, each spelled once."""

from __future__ import annotations

from enum import StrEnum


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    TRASHED = "trashed"  # deleted, restorable by admins until purged (chalicelib/trash.py)


class PhotoStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    REJECTED = "rejected"
