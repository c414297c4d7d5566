"""Demo content for the local stack: categories, articles with captioned photos, notices.

Written through the same services editors use; the text lives in demo_content.json.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from chalicelib import categories, editorial
from chalicelib.article_body import from_json
from chalicelib.articles import now
from local.demo_photos import draw_scene, encode

CONTENT = Path(__file__).with_name("demo_content.json")
BLOCK_TYPES = {"p": "paragraph", "h": "heading", "photo": "photo"}


def load_demo() -> list[str]:
    """Write the demo site; returns the ids of the photos it uploaded."""
    content = json.loads(CONTENT.read_text(encoding="utf-8"))
    for category in content["categories"]:
        categories.put_category(category["slug"], category["name"], category.get("parent"), category["position"])
    photo_ids = []
    seed = 0
    for article in content["articles"]:
        body = []
        for kind, text in article["body"]:
            if kind == "photo":
                seed += 1
                photo_ids.append(_upload_photo(seed, text))
                body.append({"type": "photo", "photo_id": photo_ids[-1], "caption": text})
            else:
                body.append({"type": BLOCK_TYPES[kind], "text": text})
        fields = {k: article.get(k) for k in ("title", "subtitle", "category", "source", "author", "notice")}
        fields["body"] = from_json(body)
        editorial.create_article(fields, article_id=article["id"])
        published = now() - timedelta(days=article["days_ago"], hours=seed % 7)
        editorial.publish_article(article["id"], published_at=published)
    return photo_ids


def ensure_demo_editor(password: str) -> str:
    """The local stack's one account, `demo`, an admin; no other stage ever has a default account.

    Its documented password (`demo-password`) breaks the rule against passwords containing the username
    (chalicelib/passwords.py): the demo account is stored here, past the rules, and only here."""
    from datetime import datetime, timezone

    from chalicelib import admins
    from chalicelib.auth import hash_password
    from chalicelib.models import EditorModel
    from chalicelib.roles import Role

    try:
        editor = EditorModel.get("demo")
    except EditorModel.DoesNotExist:
        created = datetime.now(timezone.utc)
        admins.create_account(
            EditorModel("demo", password_hash=hash_password(password), created_at=created, role=str(Role.ADMIN))
        )
    else:
        editor.update(
            actions=[EditorModel.password_hash.set(hash_password(password)), EditorModel.role.set(str(Role.ADMIN))]
        )
    return password


def _upload_photo(seed: int, caption: str) -> str:
    """Upload a drawn photo the way an editor's browser does: presigned POST straight to S3.

    The photo pipeline then makes its renditions, as for any upload.
    """
    import requests

    from chalicelib.photos import start_upload

    image = draw_scene(seed, 2400, 1600 if seed % 5 else 1800)
    data = encode(image, "JPEG", quality=88)
    form = start_upload({"filename": f"{caption}.jpg", "content_type": "image/jpeg", "size": len(data)})
    response = requests.post(
        form["upload"]["url"], data=form["upload"]["fields"], files={"file": ("photo.jpg", data)}, timeout=30
    )
    response.raise_for_status()
    return str(form["photo_id"])
