"""Building test content through the same services editors and the demo use."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from chalicelib import article_body, categories, editorial
from chalicelib.articles import now


def make_categories() -> None:
    categories.put_category("news", "新闻中心", None, 10)
    categories.put_category("industry", "行业动态", "news", 11)
    categories.put_category("policy", "政策法规", None, 20)


def make_article(
    article_id: str,
    *,
    category: str = "industry",
    title: str = "协会召开年度会员大会",
    published_at: datetime | None = None,
    publish: bool = True,
    **fields: Any,
) -> str:
    body = fields.pop("body", [{"type": "paragraph", "text": "正文第一段。"}])
    fields["body"] = article_body.from_json(body)  # as validation hands a save to the services
    editorial.create_article({"title": title, "category": category, **fields}, article_id)
    if publish:
        editorial.publish_article(article_id, published_at or now() - timedelta(hours=1))
    return article_id


def make_photo(photo_id: str, width: int = 1600, height: int = 1067, status: str = "ready") -> str:
    """A photo record as the upload pipeline leaves it."""
    from chalicelib.models import PhotoModel
    from chalicelib.photos import COLLECTION

    PhotoModel(
        photo_id,
        status=status,
        filename=f"{photo_id}.jpg",
        content_type="image/jpeg",
        size=1000,
        width=width if status == "ready" else None,
        height=height if status == "ready" else None,
        color="#808080",
        renditions=[
            {"width": w, "height": round(w * height / width), "format": f, "url": f"https://media.test/{photo_id}/{w}"}
            for w in (320, 640, 1024, 1600)
            if w <= width
            for f in ("webp", "jpeg")
        ]
        if status == "ready"
        else None,
        created_at=now(),
        collection=COLLECTION,
    ).save()
    return photo_id


_readers = itertools.count()


def a_reader() -> dict[str, str]:
    """A new reader's browser headers: server mode counts each reader once a window, and machines (no
    User-Agent, as the test client sends) never (chalicelib/counters.py)."""
    return {"User-Agent": f"Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0 reader/{next(_readers)}"}
