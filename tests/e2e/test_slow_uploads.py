"""Slow and abandoned uploads do not stall the local stack (issue 29, item 10): while a browser is still
sending a photo to the emulated bucket (or has given up half-way), the API answers; the upload then lands."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from tests.local_stack import Stack, wait_until
from tests.photo_files import camera_jpeg

ANSWER_SECONDS = 20  # a stalled stack never answers; a working one answers in well under a second


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("slow-uploads") / "data")
    yield running
    if running.process.poll() is None:
        running.stop()


def multipart(fields: dict[str, str], data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'.encode())
    return b"".join(parts) + data + f"\r\n--{boundary}--\r\n".encode(), boundary


def start_upload(base: str, auth: dict[str, str], data: bytes) -> tuple[socket.socket, bytes, str]:
    """A browser's upload, sent up to its last byte and then held: the socket, the rest, the photo id."""
    form = requests.post(
        f"{base}/api/photos",
        json={"filename": "慢.jpg", "content_type": "image/jpeg", "size": len(data)},
        headers=auth,
        timeout=ANSWER_SECONDS,
    ).json()
    body, boundary = multipart(form["upload"]["fields"], data)
    target = urlsplit(form["upload"]["url"])
    head = (
        f"POST {target.path or '/'} HTTP/1.1\r\nHost: {target.netloc}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    connection = socket.create_connection((target.hostname, target.port or 80), timeout=ANSWER_SECONDS)
    connection.sendall(head + body[:-1])
    return connection, body[-1:], str(form["photo_id"])


def test_the_api_answers_while_an_upload_is_held_and_after_one_is_abandoned(stack):
    base = f"http://127.0.0.1:{stack.port}"
    login = requests.post(f"{base}/api/session", json={"username": "demo", "password": "demo-password"}, timeout=60)
    auth = {"Authorization": f"Bearer {login.json()['token']}"}
    photo = camera_jpeg(640, 480)
    held, rest, photo_id = start_upload(base, auth, photo)
    abandoned, _, _ = start_upload(base, auth, photo)
    abandoned.close()  # the browser gave up half-way
    article = {"title": "上传中也能保存", "category": "news", "body": [{"type": "paragraph", "text": "正文。"}]}
    saved = requests.post(f"{base}/api/articles", json=article, headers=auth, timeout=ANSWER_SECONDS)
    assert saved.status_code == 201, saved.text  # DynamoDB's writes are not waiting for the upload
    assert requests.get(f"{base}/api/articles", headers=auth, timeout=ANSWER_SECONDS).status_code == 200
    held.sendall(rest)
    answer = held.recv(200)
    held.close()
    assert answer.split(b" ")[1] in (b"200", b"201", b"204"), answer
    wait_until(
        lambda: (
            requests.get(f"{base}/api/photos/{photo_id}", headers=auth, timeout=ANSWER_SECONDS).json()["status"]
            == "ready"
        ),
        timeout=60,
        what=lambda: f"photo {photo_id} processed",
    )
