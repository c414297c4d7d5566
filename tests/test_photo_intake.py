"""Photos taken in from bytes (chalicelib/photo_intake.py: WeChat and web images, imports): the type by its magic
bytes, the size limit, and the photo record they start as."""

from __future__ import annotations

import hashlib
import io

import boto3
import pytest
from PIL import Image

from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput
from chalicelib.media_keys import upload_key
from chalicelib.models import PhotoModel
from chalicelib.photo_intake import image_type, photo_from_bytes


def image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, kind)
    return out.getvalue()


def test_the_type_is_read_from_the_bytes_not_the_name():
    assert [image_type(image(kind)) for kind in ("JPEG", "PNG", "WEBP", "GIF")] == [
        "image/jpeg",
        "image/png",
        "image/webp",
        None,
    ]
    assert image_type(b"RIFF\x00\x00\x00\x00WAVEfmt ") is None  # a RIFF file of another kind
    assert image_type(b"RIFX\x00\x00\x00\x00WEBP") is None


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_a_new_photo_starts_pending_with_its_type_name_and_content_hash(kind):
    data = image(kind)
    intake = photo_from_bytes(data, "")
    photo = PhotoModel.get(intake.photo_id)
    assert intake.new and (photo.status, photo.filename, photo.content_type, photo.size) == (
        "pending",
        "photo",  # no name given
        f"image/{kind.lower()}",
        len(data),
    )
    assert photo.sha256 == hashlib.sha256(data).hexdigest() and photo.collection == "photos"
    upload = boto3.client("s3").get_object(Bucket=get_settings().media_bucket, Key=upload_key(intake.photo_id))
    assert (upload["Body"].read(), upload["ContentType"]) == (data, f"image/{kind.lower()}")  # for processing
    again = photo_from_bytes(data, "again.png")
    assert (again.photo_id, again.new) == (intake.photo_id, False)  # the same content is the same photo


def test_what_is_no_photo_or_too_large_is_refused_naming_the_field(configure):
    with pytest.raises(InvalidInput) as refused:
        photo_from_bytes(b"GIF89a" + bytes(20), "a.gif", field="body[3].src")
    assert (str(refused.value), refused.value.field, refused.value.code) == (
        "not a JPEG, PNG or WebP image",
        "body[3].src",
        "photo_format",
    )
    data = image("PNG")
    configure(MAX_UPLOAD_BYTES=str(len(data)))
    assert photo_from_bytes(data, "exact.png").new  # at the limit: taken
    configure(MAX_UPLOAD_BYTES=str(len(data) - 1))
    with pytest.raises(InvalidInput) as refused:
        photo_from_bytes(image("JPEG") + bytes(len(data)), "big.jpg")
    assert (str(refused.value), refused.value.field, refused.value.code) == ("larger than 1 KB", "url", "photo_size")
    configure(MAX_UPLOAD_BYTES=str(3 * 1024 * 1024))
    with pytest.raises(InvalidInput) as refused:
        photo_from_bytes(image("JPEG") + bytes(3 * 1024 * 1024), "big.jpg", field="file")
    assert (str(refused.value), refused.value.field) == ("larger than 3 MB", "file")
    assert PhotoModel.count() == 1  # the one at the limit
