"""A PUT racing a DELETE of the same article: a 404 or 409, never a 500, and no deleted article comes back.

Each order is forced with a botocore hook (tests/test_editorial.py's `just_before`): the other request
runs whole between this one's read and its write.
"""

from __future__ import annotations

from typing import Any

from chalicelib import editorial
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel
from chalicelib.validation import article_fields
from tests.api_helpers import call
from tests.site import make_article
from tests.test_editorial import just_before

EDIT = {"title": "改", "category": "industry", "body": [{"type": "photo", "photo_id": "photo1"}], "version": 1}


def articles_table() -> str:
    return get_settings().tables["articles"]


def test_an_article_deleted_while_it_is_saved_stays_deleted(client: Any, auth: dict[str, str]) -> None:
    article_id = make_article("race", publish=False)
    with just_before("PutItem", articles_table(), lambda: editorial.delete_article(article_id)) as ran:
        response = call(client, "PUT", f"/api/articles/{article_id}", EDIT, auth)
    assert ran and response.status_code in (404, 409), response.json
    assert ArticleModel.count(article_id, consistent_read=True) == 0


def test_an_article_saved_while_it_is_deleted_stays_saved(client: Any, auth: dict[str, str]) -> None:
    article_id = make_article("race", publish=False)
    save = lambda: editorial.replace_article(article_id, article_fields(EDIT, with_version=True))  # noqa: E731
    with just_before("TransactWriteItems", articles_table(), save) as ran:
        response = call(client, "DELETE", f"/api/articles/{article_id}", None, auth)
    assert ran and response.status_code == 409, response.json
    assert ArticleModel.get(article_id, consistent_read=True).title == "改"
