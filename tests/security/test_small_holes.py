"""Smaller holes: a non-canonical cursor timestamp, `used_by` growing on refused saves, HSTS and CSP."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.models import PhotoModel
from tests.api_helpers import call
from tests.site import make_article


def cursor_of(key: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "published_at",
    [
        # pynamodb reads a short year as zero-padded (year 999, long past), but DynamoDB compares strings:
        # "999-..." sorts after today, beyond the range condition, and DynamoDB refuses such a start key.
        "999-01-01T00:00:00.000000+0000",
        "26-01-01T00:00:00.000000+0000",
        "0999-01-01T00:00:00.000000+0000",  # canonical and in the past: fine, an empty page
    ],
)
def test_a_cursor_with_a_non_canonical_timestamp_is_a_400(client: Any, auth: dict[str, str], published_at: str) -> None:
    make_article("a1", category="industry", published_at=now() - timedelta(days=2))
    expected = 200 if published_at.startswith("0999") else 400
    for path in ("/news/industry", "/news/news"):
        response = client.http.get(f"{path}?cursor={cursor_of({'id': 'a1', 'published_at': published_at})}")
        assert response.status_code == expected, (published_at, response.status_code)
    listing = call(
        client, "GET", f"/api/articles?cursor={cursor_of({'id': 'a1', 'created_at': published_at})}", None, auth
    )
    assert listing.status_code == expected


def test_a_refused_article_save_leaves_the_photos_used_by_alone(client: Any, auth: dict[str, str]) -> None:
    photo = [{"type": "photo", "photo_id": "photo1"}]
    refused = [
        {"title": "t", "category": "nope", "body": photo},  # unknown category
        {"title": "t", "category": "news", "body": photo, "cover_photo_id": "nophoto"},  # unknown cover
        {"title": "t", "category": "news", "body": [*photo, {"type": "photo", "photo_id": "nophoto"}]},
    ]
    for body in refused:
        assert call(client, "POST", "/api/articles", body, auth).status_code == 400
    assert PhotoModel.get("photo1").used_by is None
    created = call(client, "POST", "/api/articles", {"title": "t", "category": "news", "body": []}, auth).json
    stale = {"title": "t", "category": "news", "body": photo, "version": created["version"] + 1}
    assert call(client, "PUT", f"/api/articles/{created['id']}", stale, auth).status_code == 409
    assert PhotoModel.get("photo1").used_by is None
    saved = call(client, "PUT", f"/api/articles/{created['id']}", {**stale, "version": created["version"]}, auth)
    assert saved.status_code == 200
    assert PhotoModel.get("photo1").used_by == {created["id"]}


@pytest.mark.parametrize("path", ["/", "/news/news", "/articles/missing", "/admin"])
def test_html_responses_carry_hsts_and_a_csp_without_plain_http_images(
    client: Any, auth: dict[str, str], path: str
) -> None:
    response = client.http.get(path)
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    img_src = re.search(r"img-src ([^;]*)", response.headers["Content-Security-Policy"])
    assert img_src is not None
    sources = img_src.group(1).split()
    assert "http:" not in sources
    media = urlsplit(get_settings().media_base_url)  # the local stack's moto serves media over http
    allowed = {"'self'", "https:", f"{media.scheme}://{media.netloc}"}
    if path == "/admin":  # the editors' app shows a photo being uploaded from the file itself
        allowed |= {"blob:", "data:"}
    assert set(sources) <= allowed, sources
