"""Photo processing through the app's SQS handler, with S3 and DynamoDB on moto."""

from __future__ import annotations

import io

import boto3
import pytest
from PIL import ExifTags, Image

from chalicelib.config import get_settings
from chalicelib.models import PhotoModel
from tests.api_helpers import bearer, call, make_editor
from tests.photo_files import TEST_EVENT, camera_jpeg, s3_notification
from tests.site import make_article, make_categories
from tests.test_imaging import png_claiming


def s3():
    return boto3.client("s3")


def upload(client, data: bytes, content_type: str = "image/jpeg", filename: str = "现场.jpg") -> str:
    """Start an upload through the API and put the bytes where the form would."""
    auth = bearer(make_editor())
    form = call(
        client, "POST", "/api/photos", {"filename": filename, "content_type": content_type, "size": 100}, auth
    ).json
    s3().put_object(
        Bucket=get_settings().media_bucket, Key=f"uploads/{form['photo_id']}", Body=data, ContentType=content_type
    )
    return form["photo_id"]


def deliver(client, *bodies: str) -> dict:
    """Invoke the deployed handler, `process_photos`, with an SQS event holding `bodies`."""
    records = [
        {
            "messageId": f"m{i}",
            "receiptHandle": f"r{i}",
            "body": body,
            "attributes": {},
            "messageAttributes": {},
            "md5OfBody": "",
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:us-east-1:1:q",
            "awsRegion": "us-east-1",
        }
        for i, body in enumerate(bodies)
    ]
    return client.lambda_.invoke("process_photos", {"Records": records}).payload


def photo(photo_id: str) -> PhotoModel:
    return PhotoModel.get(photo_id, consistent_read=True)


def open_object(key: str) -> tuple[Image.Image, dict]:
    stored = s3().get_object(Bucket=get_settings().media_bucket, Key=key)
    return Image.open(io.BytesIO(stored["Body"].read())), stored


def test_an_upload_becomes_upright_renditions_without_gps(client):
    photo_id = upload(client, camera_jpeg())
    assert deliver(client, s3_notification(f"uploads/{photo_id}", 1)) == {"batchItemFailures": []}
    record = photo(photo_id)
    assert record.status == "ready" and (record.width, record.height) == (3000, 4000)
    assert record.color and record.color.startswith("#")
    formats = {(r["width"], r["format"]) for r in record.renditions}
    assert formats == {(w, f) for w in (320, 640, 1024, 1600) for f in ("webp", "jpeg")}
    for rendition in record.renditions:
        extension = "jpg" if rendition["format"] == "jpeg" else "webp"
        key = f"renditions/{photo_id}/{rendition['width']}.{extension}"
        assert rendition["url"] == f"{get_settings().media_base_url}/{key}"
        image, stored = open_object(key)
        assert stored["ContentType"] == f"image/{rendition['format']}"
        assert stored["CacheControl"] == "public, max-age=31536000, immutable"
        assert image.size == (rendition["width"], rendition["height"]) and image.height > image.width
        assert not image.getexif() and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        red = image.convert("RGB").getpixel((image.width - 5, 5))
        assert red[0] > 200 and red[2] < 60  # orientation 6: the red top-left is now top-right


def test_the_api_reports_the_ready_photo(client):
    photo_id = upload(client, camera_jpeg(1200, 800, orientation=1))
    deliver(client, s3_notification(f"uploads/{photo_id}", 1))
    data = call(client, "GET", f"/api/photos/{photo_id}", headers=bearer()).json
    assert data["status"] == "ready" and (data["width"], data["height"]) == (1200, 800)
    assert {(r["width"], r["format"]) for r in data["renditions"]} == {
        (w, f) for w in (320, 640, 1024, 1200) for f in ("webp", "jpeg")
    }


def test_keys_encoded_by_s3_and_by_moto_are_decoded(client):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    assert deliver(client, s3_notification(f"uploads/{photo_id}", 1, encode_slash=True))["batchItemFailures"] == []
    assert photo(photo_id).status == "ready"


def test_the_s3_test_event_is_acknowledged(client):
    assert deliver(client, TEST_EVENT) == {"batchItemFailures": []}


def test_a_redelivered_message_does_no_work_twice(client):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    body = s3_notification(f"uploads/{photo_id}", 1)
    deliver(client, body)
    first = photo(photo_id)
    rendition = s3().head_object(Bucket=get_settings().media_bucket, Key=f"renditions/{photo_id}/320.webp")
    assert deliver(client, body, body) == {"batchItemFailures": []}
    again = photo(photo_id)
    assert again.updated_at == first.updated_at and again.renditions == first.renditions
    assert (
        s3().head_object(Bucket=get_settings().media_bucket, Key=f"renditions/{photo_id}/320.webp")["LastModified"]
        == rendition["LastModified"]
    )


@pytest.mark.parametrize(
    "data, content_type, reason",
    [
        (b"<html><script>alert(1)</script></html>", "image/jpeg", "not a JPEG, PNG or WebP"),
        (camera_jpeg(800, 600, orientation=1)[:4000], "image/jpeg", "damaged"),
        (png_claiming(30000, 30000), "image/png", "pixels"),
    ],
)
def test_bad_files_are_rejected_with_a_reason_and_not_retried(client, data, content_type, reason):
    photo_id = upload(client, data, content_type)
    assert deliver(client, s3_notification(f"uploads/{photo_id}", len(data))) == {"batchItemFailures": []}
    record = photo(photo_id)
    assert record.status == "rejected" and reason in record.reason and not record.renditions
    api = call(client, "GET", f"/api/photos/{photo_id}", headers=bearer()).json
    assert api["status"] == "rejected" and api["reason"] == record.reason
    listed = s3().list_objects_v2(Bucket=get_settings().media_bucket, Prefix=f"renditions/{photo_id}/")
    assert listed.get("KeyCount", 0) == 0


def test_an_oversized_upload_is_rejected_from_its_size_alone(client):
    photo_id = upload(client, b"\xff\xd8\xff" + b"\0" * (25 * 1024 * 1024))
    assert deliver(client, s3_notification(f"uploads/{photo_id}", 1)) == {"batchItemFailures": []}
    record = photo(photo_id)
    assert record.status == "rejected" and "limit is 25 MB" in record.reason


def test_one_failing_message_does_not_redo_the_batch(client):
    good = upload(client, camera_jpeg(800, 600, orientation=1))
    lost = upload(client, camera_jpeg(800, 600, orientation=1))
    s3().delete_object(Bucket=get_settings().media_bucket, Key=f"uploads/{lost}")  # S3 hiccup: retry later
    result = deliver(client, s3_notification(f"uploads/{lost}", 1), s3_notification(f"uploads/{good}", 1))
    assert result == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert photo(good).status == "ready" and photo(lost).status == "pending"


def test_an_article_shows_its_photo_once_processed(client):
    make_categories()
    photo_id = upload(client, camera_jpeg(2000, 1500, orientation=1))
    make_article("with-photo", body=[{"type": "photo", "photo_id": photo_id, "caption": "合影"}])
    before = client.http.get("/articles/with-photo").body.decode()
    assert "图片处理中" in before and "<img" not in before
    deliver(client, s3_notification(f"uploads/{photo_id}", 1))
    page = client.http.get("/articles/with-photo").body.decode()
    assert f"/renditions/{photo_id}/1024.webp 1024w" in page and f"/renditions/{photo_id}/1600.jpg 1600w" in page
    assert 'width="2000" height="1500"' in page and 'alt="合影"' in page
    from chalicelib.models import ArticleModel

    assert ArticleModel.get("with-photo").version == 2  # processing did not bump the editors' version


def test_a_photo_failing_on_its_last_delivery_is_rejected_with_a_reason(client):
    lost = upload(client, camera_jpeg(800, 600, orientation=1))
    s3().delete_object(Bucket=get_settings().media_bucket, Key=f"uploads/{lost}")
    record = {"messageId": "m0", "receiptHandle": "r", "body": s3_notification(f"uploads/{lost}", 1)}
    first = client.lambda_.invoke(
        "process_photos", {"Records": [{**record, "attributes": {"ApproximateReceiveCount": "1"}}]}
    )
    assert first.payload["batchItemFailures"] and photo(lost).status == "pending"
    last = client.lambda_.invoke(
        "process_photos", {"Records": [{**record, "attributes": {"ApproximateReceiveCount": "3"}}]}
    )
    assert last.payload["batchItemFailures"]  # still on to the dead-letter queue
    assert photo(lost).status == "rejected" and "upload it again" in photo(lost).reason


def test_a_second_upload_with_the_same_form_does_not_replace_immutable_renditions(client):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    deliver(client, s3_notification(f"uploads/{photo_id}", 1))
    before = s3().get_object(Bucket=get_settings().media_bucket, Key=f"renditions/{photo_id}/320.jpg")["Body"].read()
    s3().put_object(
        Bucket=get_settings().media_bucket, Key=f"uploads/{photo_id}", Body=camera_jpeg(900, 600, orientation=1)
    )
    assert deliver(client, s3_notification(f"uploads/{photo_id}", 1)) == {"batchItemFailures": []}
    after = s3().get_object(Bucket=get_settings().media_bucket, Key=f"renditions/{photo_id}/320.jpg")["Body"].read()
    assert after == before and photo(photo_id).width == 800
