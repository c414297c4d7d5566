"""Attachments: a pinned presigned upload, a check of the bytes on arrival, counted downloads with the Chinese name."""

from __future__ import annotations

import base64
import json
import threading
from datetime import datetime, timedelta
from urllib.parse import parse_qs, quote, urlsplit

import boto3
import pytest
import requests

from chalicelib.config import get_settings
from tests.api_helpers import call

PDF = b"%PDF-1.7\n" + b"x" * 200
DOCX = b"PK\x03\x04" + b"\x00" * 200
EXE = b"MZ\x90\x00" + b"\x00" * 200
NAME = "2026年会报名表（终稿）.pdf"
REFUSED = {  # each refusal's message, by its code
    "attachment_executable": "executable files are not accepted",
    "attachment_mismatch": "the file's content does not match its extension",
    "attachment_html": "HTML files are not accepted",
    "attachment_size": "the file is larger than allowed",
}


def post_file(client, auth, filename: str, data: bytes) -> dict:
    """Start an upload and post the file with the form, as the app does; the form (not checked yet)."""
    form = call(client, "POST", "/api/attachments", {"filename": filename, "size": len(data)}, auth)
    assert form.status_code == 201, form.json
    upload_form = form.json["upload"]
    posted = requests.post(upload_form["url"], data=upload_form["fields"], files={"file": ("f", data)}, timeout=10)
    assert posted.status_code in (200, 204), posted.text
    return form.json


def upload(client, auth, filename: str, data: bytes) -> tuple[str, dict]:
    """Post the file (`post_file`) and check it; the id and the complete call's answer."""
    attachment_id = post_file(client, auth, filename, data)["attachment_id"]
    return attachment_id, call(client, "POST", f"/api/attachments/{attachment_id}/complete", None, auth)


def test_the_form_pins_key_type_exact_size_and_name(client, auth):
    form = call(client, "POST", "/api/attachments", {"filename": NAME, "size": len(PDF)}, auth).json
    fields = form["upload"]["fields"]
    conditions = json.loads(base64.b64decode(fields["policy"]))["conditions"]
    assert {"key": f"attachments/incoming/{form['attachment_id']}"} in conditions
    assert {"Content-Type": "application/pdf"} in conditions and fields["Content-Type"] == "application/pdf"
    assert ["content-length-range", len(PDF), len(PDF)] in conditions
    assert {"x-amz-meta-filename": quote(NAME, safe="")} in conditions
    assert not [c for c in conditions if isinstance(c, list) and c[0] == "starts-with"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"size": 10}, "filename", "required"),  # no name: said so, not "accepted files: …"
        ({"filename": "  ", "size": 10}, "filename", "empty"),
        ({"filename": "setup.exe", "size": 10}, "filename", "attachment_type"),
        ({"filename": "page.html", "size": 10}, "filename", "attachment_type"),
        ({"filename": ".pdf", "size": 10}, "filename", "attachment_type"),
        ({"filename": "a.pdf", "size": 50 * 1024 * 1024 + 1}, "size", "attachment_size"),
        ({"filename": "a.pdf", "size": 0}, "size", "attachment_size"),
        ({"filename": "a.pdf", "size": 10, "content_type": "text/html"}, "content_type", "unknown_field"),
    ],
)
def test_what_is_not_taken_is_refused_before_any_upload(client, auth, body, field, code):
    answer = call(client, "POST", "/api/attachments", body, auth)
    assert answer.status_code == 400 and answer.json["field"] == field and answer.json.get("code") == code


def test_a_refusal_tells_the_editor_what_is_taken_and_how_big(client, auth):
    kind = call(client, "POST", "/api/attachments", {"filename": "setup.exe", "size": 10}, auth).json
    assert kind["message"] == "accepted files: PDF, DOC, DOCX, XLS, XLSX, PPT, PPTX, ZIP, RAR, TXT, MP4"
    for size in (0, 50 * 1024 * 1024 + 1):
        big = call(client, "POST", "/api/attachments", {"filename": "a.pdf", "size": size}, auth).json
        assert big["message"] == "size must be an integer from 1 to 52428800"


def test_a_one_byte_file_may_be_uploaded(client, auth):
    form = call(client, "POST", "/api/attachments", {"filename": "a.txt", "size": 1}, auth)
    assert form.status_code == 201, form.json
    conditions = json.loads(base64.b64decode(form.json["upload"]["fields"]["policy"]))["conditions"]
    assert ["content-length-range", 1, 1] in conditions


def test_the_form_expires_when_the_answer_says(client, auth, configure):
    configure(UPLOAD_EXPIRES_SECONDS="120")
    form = call(client, "POST", "/api/attachments", {"filename": NAME, "size": len(PDF)}, auth).json
    fields = form["upload"]["fields"]
    signed = datetime.strptime(fields["x-amz-date"], "%Y%m%dT%H%M%SZ")
    expiration = datetime.strptime(json.loads(base64.b64decode(fields["policy"]))["expiration"], "%Y-%m-%dT%H:%M:%SZ")
    assert form["expires_in"] == 120 and expiration - signed == timedelta(seconds=120)


def test_a_checked_file_is_downloaded_with_its_chinese_name_and_counted(client, auth):
    attachment_id, done = upload(client, auth, NAME, PDF)
    assert done.status_code == 200, done.json
    assert done.json["block"] == {
        "type": "attachment",
        "attachment_id": attachment_id,
        "filename": NAME,
        "size": len(PDF),
    }
    s3 = boto3.client("s3")
    bucket = get_settings().media_bucket
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="attachments/incoming/")
    assert call(client, "GET", f"/api/attachments/{attachment_id}", None, auth).json["downloads"] == 0
    answer = client.http.get(f"/files/{attachment_id}")
    assert answer.status_code == 302 and answer.headers["Cache-Control"] == "no-store"
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    disposition = query["response-content-disposition"][0]
    assert disposition == f"attachment; filename=\"2026.pdf\"; filename*=UTF-8''{quote(NAME, safe='')}"
    assert query["response-content-type"] == ["application/pdf"]  # the type it was stored with
    assert query["X-Amz-Expires"] == ["300"]  # the link opens the file for five minutes
    stored = s3.get_object(Bucket=bucket, Key=f"attachments/files/{attachment_id}")
    assert stored["Body"].read() == PDF and stored["ContentDisposition"].startswith("attachment; ")
    assert call(client, "GET", f"/api/attachments/{attachment_id}", None, auth).json["downloads"] == 1


@pytest.mark.parametrize(
    ("filename", "data", "ascii_name"),
    [
        ("报名表.pdf", PDF, "attachment.pdf"),  # nothing ASCII in the name: a plain word for old browsers
        ("报名表.v2.pdf", PDF, "v2.pdf"),  # the extension is after the last dot
        ("Xmas 通知X.docx", DOCX, "Xmas _X.docx"),  # only underscores, spaces and dots are trimmed
        ("2026/通知.pdf", PDF, "2026.pdf"),  # the real name keeps its slash encoded: no path in the header
    ],
)
def test_the_download_names_the_file_in_ascii_and_in_utf8(client, auth, filename, data, ascii_name):
    attachment_id, done = upload(client, auth, filename, data)
    assert done.status_code == 200, done.json
    expected = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    assert "/" not in expected.split("''", 1)[1]
    stored = boto3.client("s3").head_object(
        Bucket=get_settings().media_bucket, Key=f"attachments/files/{attachment_id}"
    )
    assert stored["ContentDisposition"] == expected
    location = client.http.get(f"/files/{attachment_id}").headers["Location"]
    assert parse_qs(urlsplit(location).query)["response-content-disposition"] == [expected]


def test_downloads_are_counted_exactly_under_concurrency(client, auth):
    attachment_id, _ = upload(client, auth, "通知.docx", DOCX)
    errors: list[BaseException] = []

    def download() -> None:
        try:
            for _ in range(10):
                assert client.http.get(f"/files/{attachment_id}").status_code == 302
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=download) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert call(client, "GET", f"/api/attachments/{attachment_id}", None, auth).json["downloads"] == 80


@pytest.mark.parametrize(
    ("filename", "data", "code"),
    [
        ("报名表.pdf", EXE, "attachment_executable"),  # an .exe renamed .pdf
        ("报名表.docx", PDF, "attachment_mismatch"),
        ("说明.txt", b"<!DOCTYPE html><script>alert(1)</script>", "attachment_html"),
        ("说明.txt", b"\xef\xbb\xbf<!DOCTYPE html><script>alert(1)</script>", "attachment_html"),  # after a BOM
        ("说明.txt", b"\r\n\t <html><body onload=alert(1)>", "attachment_html"),  # after blank lines
        ("说明.txt", b"\x00\x01binary", "attachment_mismatch"),
        ("菜单.txt", "café bar".encode("latin-1"), "attachment_mismatch"),  # neither UTF-8 nor GB18030
        ("表格.xls", DOCX, "attachment_mismatch"),
        ("年会.mp4", PDF, "attachment_mismatch"),  # no `ftyp` box at byte 4: not an MP4
        # a byte no text has, 4 bytes before the check stops: no character cut there is that long
        ("说明.txt", b"a" * (8192 - 4) + b"\xff" + b"a" * 100, "attachment_mismatch"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_deleted(client, auth, filename, data, code):
    attachment_id, done = upload(client, auth, filename, data)
    assert done.status_code == 400 and done.json["code"] == code and done.json["field"] == "file"
    assert done.json["message"] == REFUSED[code]  # what the editor (and the DedeCMS import's report) reads
    bucket = get_settings().media_bucket
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix="attachments/")
    assert client.http.get(f"/files/{attachment_id}").status_code == 404


def test_plain_text_in_gbk_or_utf8_is_taken(client, auth):
    for data in ("会议通知：请于周五前报名。".encode("gbk"), "会议通知".encode()):
        _, done = upload(client, auth, "通知.txt", data)
        assert done.status_code == 200, done.json


@pytest.mark.parametrize(
    "data",
    [
        ("会议通知：请于周五前报名。" * 400).encode(),  # 15,600 bytes: the 8,192 checked end inside a character
        b"X<html> starts a web page; this note only names the tag.",
    ],
)
def test_text_cut_where_the_check_stops_or_naming_a_tag_is_taken(client, auth, data):
    _, done = upload(client, auth, "说明.txt", data)
    assert done.status_code == 200, done.json


def test_an_mp4_becomes_a_public_video_block(client, auth):
    mp4 = b"\x00\x00\x00\x20ftypisom" + b"\x00" * 100
    attachment_id, done = upload(client, auth, "年会.mp4", mp4)
    assert done.json["block"] == {"type": "video", "provider": "mp4", "video_id": attachment_id}
    stored = boto3.client("s3").get_object(
        Bucket=get_settings().media_bucket, Key=f"renditions/videos/{attachment_id}.mp4"
    )
    assert stored["ContentType"] == "video/mp4"


def test_unknown_and_unchecked_files_are_not_found(client, auth):
    form = call(client, "POST", "/api/attachments", {"filename": "a.pdf", "size": 10}, auth).json
    assert client.http.get(f"/files/{form['attachment_id']}").status_code == 404  # not uploaded, not checked
    assert client.http.get("/files/UPPER_case").status_code == 404
    assert call(client, "POST", "/api/attachments/nosuch/complete", None, auth).status_code == 404
    assert call(client, "POST", "/api/attachments", {"filename": "a.pdf", "size": 10}).status_code == 401


def test_a_file_at_the_size_limit_is_taken(client, auth, configure):
    configure(MAX_ATTACHMENT_BYTES=str(len(PDF)))
    _, done = upload(client, auth, NAME, PDF)
    assert done.status_code == 200, done.json
    assert done.json["block"]["size"] == len(PDF)


def test_a_file_over_a_limit_lowered_during_its_upload_is_refused_and_deleted(client, auth, configure):
    attachment_id = post_file(client, auth, NAME, PDF)["attachment_id"]
    configure(MAX_ATTACHMENT_BYTES=str(len(PDF) - 1))  # a new limit deployed while the file was on its way
    done = call(client, "POST", f"/api/attachments/{attachment_id}/complete", None, auth)
    assert (done.status_code, done.json) == (
        400,
        {"message": REFUSED["attachment_size"], "code": "attachment_size", "field": "file"},
    )
    bucket = get_settings().media_bucket
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix="attachments/")


def test_only_the_first_bytes_are_checked_and_the_block_has_the_whole_size(client, auth):
    checked = b"a" * 8192  # what the check reads: what follows may hold anything, even a NUL
    data = checked + b"\x00" + b"\xff\xfe" * 500
    attachment_id, done = upload(client, auth, "数据.txt", data)
    assert done.status_code == 200, done.json
    assert done.json["block"] == {
        "type": "attachment",
        "attachment_id": attachment_id,
        "filename": "数据.txt",
        "size": 9193,
    }
    stored = boto3.client("s3").get_object(Bucket=get_settings().media_bucket, Key=f"attachments/files/{attachment_id}")
    assert stored["Body"].read() == data


def test_a_file_is_kept_private_with_its_name_and_a_video_public_to_play_inline(client, auth):
    s3 = boto3.client("s3")
    bucket = get_settings().media_bucket
    name = "2026/报名表.pdf"
    form = post_file(client, auth, name, PDF)
    attachment_id = form["attachment_id"]
    assert call(client, "POST", f"/api/attachments/{attachment_id}/complete", None, auth).status_code == 200
    kept = s3.head_object(Bucket=bucket, Key=f"attachments/files/{attachment_id}")
    assert kept["CacheControl"] == "private, no-store"
    assert kept["Metadata"] == {"filename": form["upload"]["fields"]["x-amz-meta-filename"]}  # as it was uploaded
    assert kept["Metadata"]["filename"] == quote(name, safe="")  # the slash encoded too
    assert kept["ContentDisposition"].startswith('attachment; filename="2026.pdf"; ')
    mp4 = b"\x00\x00\x00\x20ftypisom" + b"\x00" * 100
    video_id, done = upload(client, auth, "年会.mp4", mp4)
    assert done.status_code == 200, done.json
    video = s3.head_object(Bucket=bucket, Key=f"renditions/videos/{video_id}.mp4")
    assert video["CacheControl"] == "public, max-age=31536000, immutable"
    assert "ContentDisposition" not in video  # played in the page, never offered as a download


def test_unknown_ids_and_uploads_are_answered_404_in_words(client, auth):
    for path in ("/api/attachments/UPPER_case/complete", "/api/attachments/UPPER_case"):
        answer = call(client, "GET" if path.endswith("case") else "POST", path, None, auth)
        assert (answer.status_code, answer.json) == (404, {"message": "no such attachment", "code": "not_found"})
    attachment_id = call(client, "POST", "/api/attachments", {"filename": "a.pdf", "size": 10}, auth).json[
        "attachment_id"
    ]
    answer = call(client, "POST", f"/api/attachments/{attachment_id}/complete", None, auth)  # never uploaded
    assert (answer.status_code, answer.json) == (
        404,
        {"message": "no upload with this id (or it was already checked)", "code": "attachment_missing"},
    )
