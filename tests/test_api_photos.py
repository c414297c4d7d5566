"""Photo uploads: presigned POST straight to S3, with the policy checked condition by condition."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import boto3
import pytest
import requests

from chalicelib.config import get_settings
from tests.api_helpers import bearer, call, make_editor

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


@pytest.fixture
def auth():
    make_editor()
    return bearer()


def start(client, auth, **changes):
    body = {"filename": "会长致辞 2026.jpg", "content_type": "image/jpeg", "size": len(JPEG), **changes}
    return call(client, "POST", "/api/photos", body, auth)


def test_an_upload_form_with_a_tight_sigv4_policy(client, auth):
    response = start(client, auth)
    assert response.status_code == 201
    data = response.json
    photo_id, fields = data["photo_id"], data["upload"]["fields"]
    assert data["expires_in"] <= 300
    assert fields["key"] == f"uploads/{photo_id}" and fields["Content-Type"] == "image/jpeg"
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256" and "x-amz-signature" in fields
    policy = json.loads(base64.b64decode(fields["policy"]))
    expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert expiration - datetime.now(timezone.utc) <= timedelta(minutes=5)
    conditions = policy["conditions"]
    assert {"bucket": get_settings().media_bucket} in conditions
    assert {"key": f"uploads/{photo_id}"} in conditions  # exact key, not a prefix
    assert {"Content-Type": "image/jpeg"} in conditions  # exact type
    assert ["content-length-range", 1, 25 * 1024 * 1024] in conditions
    assert not [c for c in conditions if isinstance(c, list) and c[0] == "starts-with"]


def test_the_photo_record_keeps_the_filename_never_in_the_key(client, auth):
    data = start(client, auth).json
    assert "会长" not in data["upload"]["fields"]["key"]
    photo = call(client, "GET", f"/api/photos/{data['photo_id']}", headers=auth)
    assert photo.status_code == 200
    assert photo.json == {"photo_id": data["photo_id"], "status": "pending", "filename": "会长致辞 2026.jpg"}


def test_the_form_uploads_to_s3(client, auth):
    data = start(client, auth).json
    upload = data["upload"]
    response = requests.post(upload["url"], data=upload["fields"], files={"file": ("x.jpg", JPEG)}, timeout=10)
    assert response.status_code in (200, 201, 204)
    stored = boto3.client("s3").get_object(Bucket=get_settings().media_bucket, Key=f"uploads/{data['photo_id']}")
    assert stored["Body"].read() == JPEG and stored["ContentType"] == "image/jpeg"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"content_type": "image/gif"}, "content_type"),
        ({"content_type": "text/html"}, "content_type"),
        ({"size": 25 * 1024 * 1024 + 1}, "size"),
        ({"size": 0}, "size"),
        ({"size": "big"}, "size"),
        ({"filename": ""}, "filename"),
        ({"filename": "x" * 256}, "filename"),
        ({"article_id": "missing"}, "article_id"),
        ({"key": "uploads/mine"}, "key"),
    ],
)
def test_bad_upload_requests_are_refused_up_front(client, auth, changes, field):
    response = start(client, auth, **changes)
    assert response.status_code == 400 and response.json["field"] == field


def test_an_unknown_photo_is_404(client, auth):
    assert call(client, "GET", "/api/photos/nope", headers=auth).status_code == 404


def test_uploads_need_a_token(client):
    assert (
        call(client, "POST", "/api/photos", {"filename": "a.jpg", "content_type": "image/jpeg", "size": 1}).status_code
        == 401
    )
