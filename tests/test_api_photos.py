"""Photo uploads: presigned POST straight to S3, with the policy checked condition by condition."""

from __future__ import annotations

import base64
import contextlib
import json
from datetime import datetime, timedelta, timezone

import boto3
import pytest
import requests

from chalicelib.config import get_settings
from chalicelib.models import PhotoModel
from tests.api_helpers import bearer, call, make_editor
from tests.site import make_article, make_categories

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


@pytest.fixture
def auth():
    make_editor()
    return bearer()


def start(client, auth, **changes):
    body = {"filename": "会长致辞 2026.jpg", "content_type": "image/jpeg", "size": len(JPEG), **changes}
    return call(client, "POST", "/api/photos", body, auth)


def test_an_upload_form_with_a_tight_sigv4_policy(client, auth):
    settings = get_settings()
    requested = datetime.now(timezone.utc)
    response = start(client, auth)
    assert response.status_code == 201
    data = response.json
    photo_id, upload = data["photo_id"], data["upload"]
    fields = upload["fields"]
    assert data["expires_in"] == settings.upload_expires_seconds == 300
    assert upload["url"] == f"https://{settings.media_bucket}.s3.amazonaws.com/"
    assert fields["key"] == f"uploads/{photo_id}" and fields["Content-Type"] == "image/jpeg"
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256" and fields["x-amz-signature"]
    assert fields["x-amz-credential"].endswith(f"/{settings.region}/s3/aws4_request") and fields["x-amz-date"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    # S3 refuses the form once this has passed: a browser must have the whole five minutes, not a second.
    expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    expected = requested + timedelta(seconds=settings.upload_expires_seconds)
    assert expected - timedelta(seconds=5) <= expiration <= expected + timedelta(seconds=5)
    conditions = policy["conditions"]
    assert {"bucket": settings.media_bucket} in conditions
    assert {"key": f"uploads/{photo_id}"} in conditions  # exact key, not a prefix
    assert {"Content-Type": "image/jpeg"} in conditions  # exact type
    assert ["content-length-range", 1, 25 * 1024 * 1024] in conditions
    assert {"x-amz-algorithm": "AWS4-HMAC-SHA256"} in conditions
    assert {"x-amz-credential": fields["x-amz-credential"]} in conditions
    assert {"x-amz-date": fields["x-amz-date"]} in conditions
    assert not [c for c in conditions if isinstance(c, list) and c[0] == "starts-with"]


@pytest.mark.parametrize("content_type", ["image/jpeg", "image/png", "image/webp"])
def test_each_web_image_type_gets_a_form_pinned_to_it(client, auth, content_type):
    response = start(client, auth, content_type=content_type, filename="photo")
    assert response.status_code == 201
    fields = response.json["upload"]["fields"]
    assert fields["Content-Type"] == content_type
    assert {"Content-Type": content_type} in json.loads(base64.b64decode(fields["policy"]))["conditions"]


@pytest.mark.parametrize(
    "changes",
    [{"size": 1}, {"size": 25 * 1024 * 1024}, {"filename": "名" * 255}],
    ids=["one-byte", "the-size-limit", "a-255-character-name"],
)
def test_uploads_at_the_limits_are_accepted(client, auth, changes):
    response = start(client, auth, **changes)
    assert response.status_code == 201
    record = PhotoModel.get(response.json["photo_id"], consistent_read=True)
    assert record.status == "pending" and record.filename == changes.get("filename", "会长致辞 2026.jpg")
    assert record.size == changes.get("size", len(JPEG)) and record.content_type == "image/jpeg"


def test_an_upload_for_an_existing_article_is_accepted(client, auth):
    """The article is checked, not stored: an article links a photo by showing it (`used_by`)."""
    make_categories()
    make_article("annual-meeting")
    response = start(client, auth, article_id="annual-meeting")
    assert response.status_code == 201
    assert "article_id" not in PhotoModel.get(response.json["photo_id"], consistent_read=True).attribute_values


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
    assert response.status_code == 204  # S3's answer to a form without success_action_status
    stored = boto3.client("s3").get_object(Bucket=get_settings().media_bucket, Key=f"uploads/{data['photo_id']}")
    assert stored["Body"].read() == JPEG and stored["ContentType"] == "image/jpeg"


TYPES = "image/jpeg, image/png, image/webp"


@pytest.mark.parametrize(
    "changes, field, code, message",
    [
        ({"content_type": "image/gif"}, "content_type", "bad_content_type", f"content_type must be one of: {TYPES}"),
        ({"content_type": "text/html"}, "content_type", "bad_content_type", f"content_type must be one of: {TYPES}"),
        ({"content_type": None}, "content_type", "bad_content_type", f"content_type must be one of: {TYPES}"),
        ({"size": 25 * 1024 * 1024 + 1}, "size", "file_too_large", "the file is larger than 26214400 bytes"),
        ({"size": 0}, "size", "out_of_range", "size must be an integer from 1 to 26214400"),
        ({"size": "big"}, "size", "out_of_range", "size must be an integer from 1 to 26214400"),
        ({"filename": ""}, "filename", "empty", "filename must not be empty"),
        ({"filename": None}, "filename", "required", "filename is required"),
        ({"filename": "x" * 256}, "filename", "too_long", "filename is longer than 255 characters"),
        ({"article_id": "missing"}, "article_id", "unknown_article", "unknown article: missing"),
        ({"key": "uploads/mine"}, "key", "unknown_field", "unknown field: key"),
    ],
)
def test_bad_upload_requests_are_refused_up_front(client, auth, changes, field, code, message):
    response = start(client, auth, **changes)
    assert response.status_code == 400 and (response.json["field"], response.json["code"]) == (field, code)
    assert response.json["message"] == message
    assert PhotoModel.count() == 0  # no pending photo is left behind


def test_a_file_too_large_is_refused_with_its_code_and_the_limit_in_bytes(client, auth):
    response = start(client, auth, size=25 * 1024 * 1024 + 1)
    assert (response.status_code, response.json["code"], response.json["limit"]) == (400, "file_too_large", 26214400)


def test_a_number_out_of_range_is_refused_with_its_bounds(client, auth):
    response = start(client, auth, size=0)
    assert (response.json["code"], response.json["low"], response.json["high"]) == ("out_of_range", 1, 26214400)


def test_an_upload_naming_an_unknown_article_is_refused_among_known_ones(client, auth):
    make_categories()
    make_article("known")
    response = start(client, auth, article_id="unknown")
    assert response.status_code == 400 and response.json["message"] == "unknown article: unknown"
    assert start(client, auth, article_id="known").status_code == 201


def test_an_unknown_photo_is_404_naming_it(client, auth):
    response = call(client, "GET", "/api/photos/nope", headers=auth)
    assert response.status_code == 404
    assert response.json == {"message": "photo not found", "code": "photo_not_found", "photo_id": "nope"}


def test_uploads_need_a_token(client):
    assert (
        call(client, "POST", "/api/photos", {"filename": "a.jpg", "content_type": "image/jpeg", "size": 1}).status_code
        == 401
    )


def test_the_photo_library_lists_every_photo_newest_first_50_a_page(client, auth):
    from tests.site import make_photo

    base = datetime.now(timezone.utc) - timedelta(hours=2)  # pending ones older than a day were abandoned
    for number in range(52):
        make_photo(f"p{number:02d}", status=("ready", "pending", "rejected")[number % 3])
        PhotoModel(f"p{number:02d}").update(actions=[PhotoModel.created_at.set(base + timedelta(minutes=number))])
    PhotoModel("p02").update(actions=[PhotoModel.reason.set("not an image")])
    with start_keys() as sent:
        first = call(client, "GET", "/api/photos", headers=auth)
        second = call(client, "GET", f"/api/photos?cursor={first.json['next_cursor']}", headers=auth).json
    assert first.status_code == 200
    listed = first.json["photos"] + second["photos"]
    assert [p["photo_id"] for p in listed] == [f"p{n:02d}" for n in range(51, -1, -1)]
    assert len(first.json["photos"]) == 50 and second["next_cursor"] is None
    # One Query a page on the index, never a Scan; the next page starts at exactly the key DynamoDB requires.
    assert sent == [("Query", "library", None), ("Query", "library", {"photo_id", "collection", "created_at"})]
    by_id = {p["photo_id"]: p for p in listed}
    assert by_id["p00"] == {
        **photo_api_view(PhotoModel.get("p00")),
        "created_at": base.isoformat(),
    }
    assert by_id["p01"] == {
        "photo_id": "p01",
        "status": "pending",
        "filename": "p01.jpg",
        "created_at": (base + timedelta(minutes=1)).isoformat(),
    }
    assert by_id["p02"]["status"] == "rejected" and by_id["p02"]["reason"] == "not an image"


def photo_api_view(photo):
    from chalicelib.photos import photo_data

    return photo_data(photo)


def test_an_upload_joins_the_library(client, auth):
    photo_id = start(client, auth).json["photo_id"]
    listed = call(client, "GET", "/api/photos", headers=auth).json
    assert [p["photo_id"] for p in listed["photos"]] == [photo_id] and listed["photos"][0]["status"] == "pending"


@pytest.mark.parametrize("query", ["cursor=%25%25", "cursor=eyJhIjoiYiJ9", "status=ready"])
def test_the_photo_library_refuses_bad_parameters_naming_them(client, auth, query):
    response = call(client, "GET", f"/api/photos?{query}", headers=auth)
    assert response.status_code == 400 and response.json["field"] == query.split("=")[0]


def test_the_photo_library_needs_a_token(client):
    assert call(client, "GET", "/api/photos").status_code == 401


@contextlib.contextmanager
def start_keys():
    """(operation, index, attributes of the ExclusiveStartKey) of each request on the photos table."""
    client = PhotoModel._get_connection().connection.client
    sent = []

    def record(params, event_name, **_):
        if params.get("TableName") == get_settings().tables["photos"]:
            start = set(params["ExclusiveStartKey"]) if "ExclusiveStartKey" in params else None
            sent.append((event_name.rsplit(".", 1)[-1], params.get("IndexName"), start))

    client.meta.events.register("before-parameter-build.dynamodb", record)
    try:
        yield sent
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb", record)


def test_the_media_bucket_lets_the_sites_origins_upload_from_a_browser():
    """Provisioning puts SITE_ORIGINS (the local stage's in conftest) in the bucket's CORS rules."""
    settings = get_settings()
    assert settings.site_origins == ("http://127.0.0.1:8000", "http://localhost:8000")
    rules = boto3.client("s3").get_bucket_cors(Bucket=settings.media_bucket)["CORSRules"]
    assert rules == [
        {
            "AllowedMethods": ["GET", "POST"],
            "AllowedOrigins": ["http://127.0.0.1:8000", "http://localhost:8000"],
            "AllowedHeaders": ["*"],
            "MaxAgeSeconds": 3000,
        }
    ]
