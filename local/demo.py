"""Demo content for the local stack: categories, articles with captioned photos, notices.

Written through the same services editors use; the text lives in demo_content.json.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3

from chalicelib import categories, editorial
from chalicelib.articles import now
from chalicelib.config import Settings, endpoint_url
from chalicelib.models import PhotoModel
from local.demo_photos import draw_scene, encode

CONTENT = Path(__file__).with_name("demo_content.json")
BLOCK_TYPES = {"p": "paragraph", "h": "heading", "photo": "photo"}


def load_demo(settings: Settings) -> int:
    """Write the demo site; returns the number of articles."""
    content = json.loads(CONTENT.read_text(encoding="utf-8"))
    for category in content["categories"]:
        categories.put_category(
            category["slug"], category["name"], category.get("parent"), category["position"]
        )
    s3 = boto3.client("s3", region_name=settings.region, endpoint_url=endpoint_url())
    seed = 0
    for article in content["articles"]:
        body = []
        for kind, text in article["body"]:
            if kind == "photo":
                seed += 1
                body.append({"type": "photo", "photo_id": _upload_photo(s3, settings, seed, text), "caption": text})
            else:
                body.append({"type": BLOCK_TYPES[kind], "text": text})
        fields = {k: article.get(k) for k in ("title", "subtitle", "category", "source", "author", "notice")}
        fields["body"] = body
        editorial.create_article(fields, article_id=article["id"])
        published = now() - timedelta(days=article["days_ago"], hours=seed % 7)
        editorial.publish_article(article["id"], published_at=published)
    return len(content["articles"])


def ensure_demo_editor(password: str) -> str:
    """The local stack's one editor, `demo`; no other stage ever has a default account."""
    from chalicelib.auth import create_editor, hash_password
    from chalicelib.models import EditorModel

    try:
        editor = EditorModel.get("demo")
    except EditorModel.DoesNotExist:
        create_editor("demo", password)
    else:
        editor.update(actions=[EditorModel.password_hash.set(hash_password(password))])
    return password


def _upload_photo(s3: Any, settings: Settings, seed: int, caption: str) -> str:
    """Upload an original and one public rendition per format.

    Until the photo pipeline renders every width, the demo writes its single
    rendition itself; originals stay private as in production.
    """
    image = draw_scene(seed, 1600, 1067 if seed % 5 else 1200)
    data = encode(image, "JPEG")
    photo_id = editorial.new_id()
    s3.put_object(
        Bucket=settings.media_bucket, Key=f"uploads/{photo_id}", Body=data, ContentType="image/jpeg"
    )
    renditions = []
    for fmt, extension, content_type in (("WEBP", "webp", "image/webp"), ("JPEG", "jpg", "image/jpeg")):
        key = f"renditions/{photo_id}/{image.width}.{extension}"
        s3.put_object(
            Bucket=settings.media_bucket,
            Key=key,
            Body=encode(image, fmt),
            ContentType=content_type,
            CacheControl="public, max-age=31536000, immutable",
        )
        renditions.append(
            {"width": image.width, "height": image.height, "format": fmt.lower(), "url": f"{settings.media_base_url}/{key}"}
        )
    PhotoModel(
        photo_id,
        status="ready",
        filename=f"{caption}.jpg",
        content_type="image/jpeg",
        size=len(data),
        width=image.width,
        height=image.height,
        color="#%02x%02x%02x" % image.resize((1, 1)).getpixel((0, 0)),
        renditions=renditions,
        created_at=now(),
    ).save()
    return photo_id
