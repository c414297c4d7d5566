"""The statuses an article and a photo go through, each spelled once."""

from __future__ import annotations

from enum import StrEnum


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class PhotoStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    REJECTED = "rejected"
