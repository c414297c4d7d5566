"""`POST /api/photos/fetch`: a remote image becomes a photo through the upload pipeline, each content once."""

from __future__ import annotations

import io

import boto3
from PIL import Image

from chalicelib.config import get_settings
from chalicelib.models import PhotoModel
from tests.api_helpers import call
from tests.events import s3_notification, sqs_event
from tests.fixture_server import loopback_allowed, serving
from tests.photo_files import camera_jpeg

PHOTO = camera_jpeg(1200, 900)


def wechat_images():
    """A stand-in for mmbiz.qpic.cn: extensionless paths, the format in `wx_fmt`."""
    return serving(
        {
            "/mmbiz_jpg/abc/640?wx_fmt=jpeg": (200, {"Content-Type": "image/jpeg"}, PHOTO),
            "/mmbiz_jpg/same/640?wx_fmt=jpeg&from=appmsg": (200, {"Content-Type": "image/jpeg"}, PHOTO),
            "/mmbiz_gif/anim/640?wx_fmt=gif": (200, {"Content-Type": "image/gif"}, b"GIF89a" + b"\x00" * 40),
            "/to-internal": (302, {"Location": "http://10.0.0.7/secret.jpg"}, b""),
        }
    )


def test_a_remote_image_becomes_a_processed_photo_without_its_gps(client, auth):
    with wechat_images() as images, loopback_allowed(images.pair):
        answer = call(
            client, "POST", "/api/photos/fetch", {"url": f"{images.origin}/mmbiz_jpg/abc/640?wx_fmt=jpeg"}, auth
        )
        again = call(
            client,
            "POST",
            "/api/photos/fetch",
            {"url": f"{images.origin}/mmbiz_jpg/same/640?wx_fmt=jpeg&from=appmsg"},
            auth,
        )
    assert answer.status_code == 201, answer.json
    photo_id = answer.json["photo_id"]
    assert answer.json["status"] == "pending" and answer.json["filename"] == "640.jpeg" and not answer.json["reused"]
    assert again.status_code == 201 and again.json["photo_id"] == photo_id and again.json["reused"]  # same content
    assert "referer" not in images.seen[0][1]
    settings = get_settings()
    stored = boto3.client("s3").get_object(Bucket=settings.media_bucket, Key=f"uploads/{photo_id}")
    assert stored["Body"].read() == PHOTO and stored["ContentType"] == "image/jpeg"
    notice = s3_notification(f"uploads/{photo_id}", len(PHOTO), event_name="ObjectCreated:Put")
    client.lambda_.invoke("process_photos", sqs_event(notice))
    photo = PhotoModel.get(photo_id, consistent_read=True)
    assert photo.status == "ready" and (photo.width, photo.height) == (900, 1200)  # EXIF orientation applied
    rendition = boto3.client("s3").get_object(Bucket=settings.media_bucket, Key=f"renditions/{photo_id}/640.jpg")
    assert not Image.open(io.BytesIO(rendition["Body"].read())).getexif()  # no EXIF, no GPS


def test_only_public_addresses_and_only_images_are_taken(client, auth):
    with wechat_images() as images:
        unlisted = call(
            client, "POST", "/api/photos/fetch", {"url": f"{images.origin}/mmbiz_jpg/abc/640?wx_fmt=jpeg"}, auth
        )
        with loopback_allowed(images.pair):
            gif = call(
                client, "POST", "/api/photos/fetch", {"url": f"{images.origin}/mmbiz_gif/anim/640?wx_fmt=gif"}, auth
            )
            internal = call(client, "POST", "/api/photos/fetch", {"url": f"{images.origin}/to-internal"}, auth)
            missing = call(client, "POST", "/api/photos/fetch", {"url": f"{images.origin}/gone"}, auth)
    metadata = call(client, "POST", "/api/photos/fetch", {"url": "http://169.254.169.254/latest/meta-data/"}, auth)
    assert (unlisted.status_code, unlisted.json["code"], unlisted.json["field"]) == (400, "fetch_address", "url")
    assert (gif.status_code, gif.json["code"]) == (400, "photo_format")
    assert (internal.status_code, internal.json["code"]) == (400, "fetch_address")  # the redirect to 10.0.0.7
    assert (missing.status_code, missing.json["code"], missing.json["status"]) == (400, "fetch_status", 404)
    assert missing.json["field"] == "url"  # the editor's form marks the address it could not fetch
    assert metadata.json["code"] == "fetch_address"
    assert [p.photo_id for p in PhotoModel.scan()] == ["photo1"]  # the fixture's own, nothing new
    assert sorted(p for p, _ in images.seen) == ["/gone", "/mmbiz_gif/anim/640?wx_fmt=gif", "/to-internal"]


def test_fetching_needs_a_token_and_a_url(client, auth):
    assert call(client, "POST", "/api/photos/fetch", {"url": "https://mmbiz.qpic.cn/a"}).status_code == 401
    assert call(client, "POST", "/api/photos/fetch", {}, auth).json["field"] == "url"
    assert call(client, "POST", "/api/photos/fetch", {"url": "x", "more": 1}, auth).json["field"] == "more"
