"""The site the DynamoDB and render benchmarks read: demo text, a 24-photo article, full listings.

Written through the same services editors use. Photos are records as the photo pipeline leaves
them (ready, with four widths of WebP + JPEG renditions), so pages show full <picture> markup.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

ARTICLE_ID = "demo-congress-2026"
PHOTOS_IN_ARTICLE = 24
FILLER_ARTICLES = 24  # enough for a full 20-item category page with a next page
DEMO_CONTENT = Path(__file__).resolve().parent.parent / "local" / "demo_content.json"
BLOCK_TYPES = {"p": "paragraph", "h": "heading", "photo": "photo"}
WIDTHS = (320, 640, 1024, 1600)


def make_site() -> str:
    """Categories, the demo articles (the congress article trimmed to 24 photos) and filler; returns its id."""
    from chalicelib import categories, editorial
    from chalicelib.article_body import from_json
    from chalicelib.articles import now

    content = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    for category in content["categories"]:
        categories.put_category(category["slug"], category["name"], category.get("parent"), category["position"])
    photo_count = 0
    for article in content["articles"]:
        body: list[dict[str, Any]] = []
        for kind, text in article["body"]:
            if kind == "photo":
                if article["id"] == ARTICLE_ID and _photos(body) == PHOTOS_IN_ARTICLE:
                    continue
                photo_count += 1
                body.append({"type": "photo", "photo_id": _make_photo(f"photo-{photo_count}"), "caption": text})
            else:
                body.append({"type": BLOCK_TYPES[kind], "text": text})
        fields: dict[str, Any] = {k: article.get(k) for k in ("title", "subtitle", "category", "source", "author")}
        fields.update(notice=bool(article.get("notice")), body=from_json(body))
        editorial.create_article(fields, article_id=article["id"])
        editorial.publish_article(article["id"], now() - timedelta(days=article["days_ago"]))
    for number in range(FILLER_ARTICLES):
        article_id = f"filler-{number:02d}"
        paragraph = content["articles"][number % len(content["articles"])]["title"] + "。" * 3
        editorial.create_article(
            {
                "title": f"行业简讯第{number + 1}期",
                "category": "industry",
                "body": from_json([{"type": "paragraph", "text": paragraph}]),
            },
            article_id=article_id,
        )
        editorial.publish_article(article_id, now() - timedelta(days=30 + number))
    return ARTICLE_ID


def _photos(body: list[dict[str, Any]]) -> int:
    return sum(1 for block in body if block["type"] == "photo")


def _make_photo(photo_id: str) -> str:
    from chalicelib.articles import now
    from chalicelib.models import PhotoModel

    renditions = [
        {"width": w, "height": round(w * 2 / 3), "format": f, "url": f"/renditions/{photo_id}/{w}.{f}"}
        for w in WIDTHS
        for f in ("webp", "jpg")
    ]
    PhotoModel(
        photo_id,
        status="ready",
        filename=f"{photo_id}.jpg",
        content_type="image/jpeg",
        size=2_400_000,
        width=2400,
        height=1600,
        color="#3a4f6d",
        renditions=renditions,
        created_at=now(),
    ).save()
    return photo_id
