"""Photo processing through the app's SQS handler, with S3 and DynamoDB on moto."""

from __future__ import annotations

import io
import json
import logging

import boto3
import pytest
from PIL import ExifTags, Image

from chalicelib.clock import now
from chalicelib.config import get_settings
from chalicelib.models import PhotoModel
from chalicelib.photos import COLLECTION
from tests.api_helpers import bearer, call, make_editor
from tests.aws_refusals import client_error, refuse
from tests.events import TEST_EVENT, s3_notification, s3_notification_of, s3_record, sqs_event
from tests.photo_files import camera_jpeg, webp_claiming
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


def deliver(client, *bodies: str, receives: int = 1) -> dict:
    """Invoke the deployed handler, `process_photos`, with an SQS event of `bodies`, each on delivery `receives`."""
    return client.lambda_.invoke("process_photos", sqs_event(*bodies, receives=receives)).payload


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
    assert record.updated_at is not None and record.updated_at >= record.created_at
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
    base = f"{get_settings().media_base_url}/renditions/{photo_id}"
    assert data == {
        "photo_id": photo_id,
        "status": "ready",
        "filename": "现场.jpg",
        "width": 1200,
        "height": 800,
        "renditions": [
            {"width": w, "height": h, "format": f, "url": f"{base}/{w}.{'jpg' if f == 'jpeg' else f}"}
            for w, h in ((320, 213), (640, 427), (1024, 683), (1200, 800))
            for f in ("webp", "jpeg")
        ],
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
    "data, content_type, reason, code",
    [
        (
            b"<html><script>alert(1)</script></html>",
            "image/jpeg",
            "not a JPEG, PNG or WebP",
            {"reason_code": "not_an_image"},
        ),
        (camera_jpeg(800, 600, orientation=1)[:4000], "image/jpeg", "damaged", {"reason_code": "damaged"}),
        (png_claiming(30000, 30000), "image/png", "pixels", {"reason_code": "too_many_pixels", "limit": 50_000_000}),
    ],
)
def test_bad_files_are_rejected_with_a_reason_and_not_retried(client, data, content_type, reason, code):
    photo_id = upload(client, data, content_type)
    assert deliver(client, s3_notification(f"uploads/{photo_id}", len(data))) == {"batchItemFailures": []}
    record = photo(photo_id)
    assert record.status == "rejected" and reason in record.reason and not record.renditions
    assert record.updated_at is not None and record.updated_at >= record.created_at
    api = call(client, "GET", f"/api/photos/{photo_id}", headers=bearer()).json
    assert api == {"photo_id": photo_id, "status": "rejected", "filename": "现场.jpg", "reason": record.reason, **code}
    listed = s3().list_objects_v2(Bucket=get_settings().media_bucket, Prefix=f"renditions/{photo_id}/")
    assert listed.get("KeyCount", 0) == 0


def test_an_oversized_upload_is_rejected_from_its_size_alone(client):
    photo_id = upload(client, b"\xff\xd8\xff" + b"\0" * 27_210_545)  # 25.95 MiB: as editors' computers count
    assert deliver(client, s3_notification(f"uploads/{photo_id}", 1)) == {"batchItemFailures": []}
    record = photo(photo_id)
    assert record.status == "rejected" and record.reason == "file is 26.0 MB; the limit is 25 MB"
    assert record.updated_at is not None
    api = call(client, "GET", f"/api/photos/{photo_id}", headers=bearer()).json
    assert api["reason_code"] == "file_too_large" and api["limit"] == 25 * 1024 * 1024  # the app says 25 MB
    listed = s3().list_objects_v2(Bucket=get_settings().media_bucket, Prefix=f"renditions/{photo_id}/")
    assert listed.get("KeyCount", 0) == 0


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
    assert 'width="2000" height="1500"' in page and 'alt=""' in page and "<figcaption>合影</figcaption>" in page
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
    api = call(client, "GET", f"/api/photos/{lost}", headers=bearer()).json
    assert api["reason_code"] == "gave_up" and "limit" not in api  # the editors' page words it from the code


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


def tall_png(width: int, height: int) -> bytes:
    """A long vertical image (长图), as phones save screenshots of chats."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 0, 255)).save(out, "PNG")
    return out.getvalue()


def test_an_image_too_tall_for_the_web_is_rejected_at_once_naming_its_height(client):
    data = tall_png(40, 16384)
    photo_id = upload(client, data, "image/png")
    assert deliver(client, s3_notification(f"uploads/{photo_id}", len(data))) == {"batchItemFailures": []}
    record = photo(photo_id)
    assert record.status == "rejected" and "too tall" in record.reason and "16384 px high" in record.reason
    assert not record.renditions
    api = call(client, "GET", f"/api/photos/{photo_id}", headers=bearer()).json
    assert (api["reason_code"], api["limit"]) == ("too_tall", 16383)  # "at most 16383 px high when scaled"


def test_a_webp_too_large_to_decode_in_the_processors_memory_is_rejected_with_its_limit(client):
    data = webp_claiming(6000, 6000)  # 36 MP: fewer than the 50 MP limit, more than a WebP may decode
    photo_id = upload(client, data, "image/webp", "长图.webp")
    assert deliver(client, s3_notification(f"uploads/{photo_id}", len(data))) == {"batchItemFailures": []}
    record = photo(photo_id)
    assert record.status == "rejected" and "too large to decode" in record.reason and not record.renditions
    api = call(client, "GET", f"/api/photos/{photo_id}", headers=bearer()).json
    assert (api["reason_code"], api["limit"]) == ("too_large_to_decode", 29_491_200)


def test_a_reason_stored_by_an_earlier_version_is_reported_as_a_plain_rejection(client):
    """A rejected photo's sentence from before the codes (or any unknown one) still gets a code editors can word."""
    PhotoModel(
        "old-rejection",
        status="rejected",
        filename="旧图.jpg",
        content_type="image/jpeg",
        size=1000,
        reason="the image could not be read",
        created_at=now(),
        collection=COLLECTION,
    ).save()
    api = call(client, "GET", "/api/photos/old-rejection", headers=bearer(make_editor())).json
    assert api == {
        "photo_id": "old-rejection",
        "status": "rejected",
        "filename": "旧图.jpg",
        "reason": "the image could not be read",
        "reason_code": "photo_rejected",
    }


def test_a_failing_redelivery_leaves_a_ready_photo_ready(client):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    body = s3_notification(f"uploads/{photo_id}", 1)
    deliver(client, body)
    ready = photo(photo_id)
    s3().delete_object(Bucket=get_settings().media_bucket, Key=f"uploads/{photo_id}")  # the redelivery fails
    assert deliver(client, body, receives=3) == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    after = photo(photo_id)
    assert after.status == "ready" and after.renditions == ready.renditions and after.reason is None


def test_a_rejected_photo_keeps_its_reason_when_a_late_redelivery_fails(client):
    data = b"<html></html>"
    photo_id = upload(client, data)
    body = s3_notification(f"uploads/{photo_id}", len(data))
    deliver(client, body)
    reason = photo(photo_id).reason
    s3().delete_object(Bucket=get_settings().media_bucket, Key=f"uploads/{photo_id}")
    assert deliver(client, body, receives=3) == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert photo(photo_id).status == "rejected" and photo(photo_id).reason == reason


@pytest.mark.parametrize("receives, status", [(1, "pending"), (2, "pending"), (3, "rejected"), (4, "rejected")])
def test_a_failing_photo_is_given_up_only_on_its_last_delivery(client, receives, status):
    lost = upload(client, camera_jpeg(800, 600, orientation=1))
    s3().delete_object(Bucket=get_settings().media_bucket, Key=f"uploads/{lost}")
    assert deliver(client, s3_notification(f"uploads/{lost}", 1), receives=receives) == {
        "batchItemFailures": [{"itemIdentifier": "m0"}]  # retried, or on to the dead-letter queue
    }
    record = photo(lost)
    assert record.status == status
    if status == "rejected":
        assert record.reason == "the photo could not be processed; please upload it again"
        assert not record.renditions and not record.source_etag  # made from no upload


def test_a_message_without_a_receive_count_is_a_first_delivery(client):
    lost = upload(client, camera_jpeg(800, 600, orientation=1))
    s3().delete_object(Bucket=get_settings().media_bucket, Key=f"uploads/{lost}")
    record = {"messageId": "m0", "receiptHandle": "r", "body": s3_notification(f"uploads/{lost}", 1)}
    assert client.lambda_.invoke("process_photos", {"Records": [record]}).payload == {
        "batchItemFailures": [{"itemIdentifier": "m0"}]
    }
    assert photo(lost).status == "pending"


def article_page(client, article_id: str) -> str:
    return client.http.get(f"/articles/{article_id}").body.decode()


def test_a_rejected_photo_shows_as_unavailable_in_its_article(client):
    make_categories()
    data = b"<html><script>alert(1)</script></html>"
    photo_id = upload(client, data)
    make_article("with-photo", body=[{"type": "photo", "photo_id": photo_id, "caption": "合影"}])
    assert "图片处理中" in article_page(client, "with-photo")
    deliver(client, s3_notification(f"uploads/{photo_id}", len(data)))
    page = article_page(client, "with-photo")
    assert "图片暂不可用" in page and "图片处理中" not in page and "<img" not in page


def test_a_photo_given_up_on_shows_as_unavailable_in_its_article(client):
    make_categories()
    lost = upload(client, camera_jpeg(800, 600, orientation=1))
    make_article("with-photo", body=[{"type": "photo", "photo_id": lost, "caption": "合影"}])
    s3().delete_object(Bucket=get_settings().media_bucket, Key=f"uploads/{lost}")
    deliver(client, s3_notification(f"uploads/{lost}", 1), receives=3)
    page = article_page(client, "with-photo")
    assert "图片暂不可用" in page and "图片处理中" not in page


def test_an_upload_without_a_photo_record_is_ignored(client):
    key = "uploads/nobody-asked"
    s3().put_object(Bucket=get_settings().media_bucket, Key=key, Body=camera_jpeg(800, 600, orientation=1))
    assert deliver(client, s3_notification(key, 1)) == {"batchItemFailures": []}
    assert PhotoModel.count() == 0
    listed = s3().list_objects_v2(Bucket=get_settings().media_bucket, Prefix="renditions/")
    assert listed.get("KeyCount", 0) == 0


def test_events_other_than_an_upload_are_ignored(client):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    bucket = get_settings().media_bucket
    s3().put_object(Bucket=bucket, Key=f"private/{photo_id}", Body=camera_jpeg(800, 600, orientation=1))
    removed = s3_notification(f"uploads/{photo_id}", 1, event_name="ObjectRemoved:Delete")
    elsewhere = s3_notification(f"private/{photo_id}", 1)
    assert deliver(client, removed, elsewhere, json.dumps({"Records": []})) == {"batchItemFailures": []}
    assert photo(photo_id).status == "pending"
    assert s3().list_objects_v2(Bucket=bucket, Prefix="renditions/").get("KeyCount", 0) == 0


def test_every_upload_a_notification_names_is_processed(client):
    first = upload(client, camera_jpeg(800, 600, orientation=1))
    second = upload(client, camera_jpeg(600, 800, orientation=1))
    body = s3_notification_of(
        s3_record(f"uploads/{first}", 1, event_name="ObjectCreated:Put"),
        s3_record(f"uploads/{second}", 1, event_name="ObjectCreated:CompleteMultipartUpload"),
    )
    assert deliver(client, body) == {"batchItemFailures": []}
    assert (photo(first).status, photo(first).width) == ("ready", 800)
    assert (photo(second).status, photo(second).width) == ("ready", 600)


def test_only_the_failed_messages_of_a_batch_are_named_for_redelivery(client):
    good = [upload(client, camera_jpeg(640, 480, orientation=1)) for _ in range(2)]
    lost = [upload(client, camera_jpeg(640, 480, orientation=1)) for _ in range(2)]
    for photo_id in lost:
        s3().delete_object(Bucket=get_settings().media_bucket, Key=f"uploads/{photo_id}")
    bodies = [s3_notification(f"uploads/{photo_id}", 1) for photo_id in (lost[0], good[0], lost[1], good[1])]
    assert deliver(client, *bodies) == {"batchItemFailures": [{"itemIdentifier": "m0"}, {"itemIdentifier": "m2"}]}
    assert [photo(p).status for p in good + lost] == ["ready", "ready", "pending", "pending"]


@pytest.fixture
def dynamodb_refuses(monkeypatch):
    """`refuse(operation, table, times)`: DynamoDB fails those calls (all of them if `times` is None), as in an
    outage or when the Lambda dies right there; returns the list of refused calls."""
    failing = client_error("InternalServerError", "try again")
    return lambda operation, table, times=None: refuse(
        monkeypatch, failing, operation=operation, table=table, times=times
    )


@pytest.mark.parametrize(
    "data, shown",
    [
        (camera_jpeg(800, 600, orientation=1), "/renditions/"),
        (b"<html></html>", "图片暂不可用"),
        (b"\xff\xd8\xff" + b"\0" * (25 * 1024 * 1024), "图片暂不可用"),
    ],
    ids=["ready", "rejected", "rejected-for-its-size"],
)
def test_a_redelivery_refreshes_the_articles_a_failed_delivery_left_behind(client, dynamodb_refuses, data, shown):
    make_categories()
    photo_id = upload(client, data)
    make_article("with-photo", body=[{"type": "photo", "photo_id": photo_id, "caption": "合影"}])
    refused = dynamodb_refuses("UpdateItem", get_settings().tables["articles"], times=1)
    body = s3_notification(f"uploads/{photo_id}", len(data))
    assert deliver(client, body) == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert refused and photo(photo_id).status != "pending"
    assert "图片处理中" in article_page(client, "with-photo")  # the photo is done, its article is not
    marked = photo(photo_id)
    assert deliver(client, body, receives=2) == {"batchItemFailures": []}
    page = article_page(client, "with-photo")
    assert shown in page and "图片处理中" not in page
    assert photo(photo_id).updated_at == marked.updated_at  # the photo itself was not processed again


def test_the_log_names_what_the_processor_did_with_each_upload(client, caplog):
    caplog.set_level(logging.INFO, logger="chalicelib.processing")
    bad = upload(client, b"<html></html>")
    good = upload(client, camera_jpeg(640, 480, orientation=1))
    bucket = get_settings().media_bucket
    s3().put_object(Bucket=bucket, Key="uploads/nobody-asked", Body=b"x")
    deliver(client, s3_notification(f"uploads/{bad}", 1), s3_notification(f"uploads/{good}", 1))
    s3().put_object(Bucket=bucket, Key=f"uploads/{good}", Body=camera_jpeg(900, 600, orientation=1))
    deliver(client, s3_notification(f"uploads/{good}", 1), s3_notification("uploads/nobody-asked", 1))
    assert [r.getMessage() for r in caplog.records if r.name == "chalicelib.processing"] == [
        f"photo {bad} rejected: {photo(bad).reason}",
        f"photo {good} already ready; a second upload to uploads/{good} is ignored",
        "upload uploads/nobody-asked has no photo record; ignored",
    ]


def test_the_log_names_a_message_that_failed_and_a_photo_that_could_not_be_given_up(client, caplog, dynamodb_refuses):
    photo_id = upload(client, camera_jpeg(640, 480, orientation=1))
    refused = dynamodb_refuses("GetItem", get_settings().tables["photos"])  # DynamoDB is down all along
    assert deliver(client, s3_notification(f"uploads/{photo_id}", 1), receives=3) == {
        "batchItemFailures": [{"itemIdentifier": "m0"}]
    }
    assert len(refused) == 2  # processing, then giving up, both failed
    logged = [r for r in caplog.records if r.name == "chalicelib.processing"]
    assert [(r.levelno, r.getMessage(), r.exc_info is not None) for r in logged] == [
        (logging.ERROR, "photo message m0 failed; it will be retried", True),
        (logging.ERROR, f"could not mark uploads/{photo_id} as rejected", True),
    ]


def test_an_upload_of_exactly_the_size_limit_is_not_refused_for_its_size(client):
    photo_id = upload(client, b"\xff\xd8\xff" + b"\0" * (25 * 1024 * 1024 - 3))
    assert deliver(client, s3_notification(f"uploads/{photo_id}", 1)) == {"batchItemFailures": []}
    assert photo(photo_id).reason == "file is damaged or incomplete"  # looked at, not refused for its size


def test_a_message_that_is_not_an_s3_event_is_done_with(client):
    assert deliver(client, json.dumps({"Service": "Amazon S3"}), json.dumps({"Records": [{}]})) == {
        "batchItemFailures": []
    }


def test_an_unreadable_message_on_its_last_delivery_fails_alone(client):
    good = upload(client, camera_jpeg(640, 480, orientation=1))
    result = deliver(client, "not json", s3_notification(f"uploads/{good}", 1), receives=3)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m0"}]} and photo(good).status == "ready"


def test_an_upload_replaced_while_it_is_read_is_retried_not_mixed_up(client, monkeypatch):
    """The form is used twice in a moment: the renditions must come from the upload the record names."""
    from botocore.client import BaseClient

    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    bucket, key = get_settings().media_bucket, f"uploads/{photo_id}"
    real = BaseClient._make_api_call
    replaced = []

    def make_api_call(self, name, params):
        if name == "GetObject" and params.get("Key") == key and not replaced:
            replaced.append(real(self, "PutObject", {"Bucket": bucket, "Key": key, "Body": camera_jpeg(900, 600, 1)}))
        return real(self, name, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", make_api_call)
    assert deliver(client, s3_notification(key, 1)) == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert replaced and photo(photo_id).status == "pending"
    assert deliver(client, s3_notification(key, 1), receives=2) == {"batchItemFailures": []}
    record = photo(photo_id)
    assert (record.status, record.width) == ("ready", 900)
    assert record.source_etag == s3().head_object(Bucket=bucket, Key=key)["ETag"]


def test_records_that_name_no_upload_do_not_hide_the_one_that_does(client):
    photo_id = upload(client, camera_jpeg(640, 480, orientation=1))
    created = {"eventName": "ObjectCreated:Put"}
    body = s3_notification_of(
        s3_record(f"uploads/{photo_id}", 1, event_name="ObjectRemoved:Delete"),
        created,
        {**created, "s3": {}},
        {**created, "s3": {"object": {}}},
        s3_record(f"uploads/{photo_id}", 1),
    )
    assert deliver(client, body) == {"batchItemFailures": []}
    assert photo(photo_id).status == "ready"
