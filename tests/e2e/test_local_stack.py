"""`make run`'s local stack, started for real and used over HTTP as a reader would."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = "/articles/demo-congress-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    def __init__(self, data_dir: Path) -> None:
        self.port, self.aws_port = free_port(), free_port()
        env = {
            **os.environ,
            "NEWSROOM_PORT": str(self.port),
            "NEWSROOM_AWS_PORT": str(self.aws_port),
            "NEWSROOM_DATA_DIR": str(data_dir),
        }
        # A file, not a pipe: the server logs every request and must never block on it.
        self.log = data_dir.parent / f"stack-{self.port}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local.stack"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 120
        while "Newsroom is running" not in self.output:
            assert self.process.poll() is None, "stack exited:\n" + self.output
            assert time.monotonic() < deadline, "stack did not start:\n" + self.output
            time.sleep(0.2)

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str) -> tuple[int, str, bytes]:
        url = path if path.startswith("http") else f"http://127.0.0.1:{self.port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status, response.headers["Content-Type"], response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers["Content-Type"], error.read()

    def views(self) -> int:
        status, _, body = self.get(ARTICLE)
        assert status == 200
        return int(re.search(rb'class="views">(\d+)<', body).group(1))

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=60) == 0, self.output
        return self.output


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("localdata") / "data"


@pytest.fixture(scope="module")
def stack(data_dir: Path) -> Iterator[Stack]:
    running = Stack(data_dir)
    yield running
    if running.process.poll() is None:
        running.stop()


def test_a_reader_browses_home_category_article(stack):
    status, content_type, body = stack.get("/")
    assert status == 200 and content_type == "text/html; charset=utf-8"
    home = body.decode()
    assert "重要通知" in home and 'href="/news/news"' in home
    category = stack.get("/news/industry")[2].decode()
    assert f'href="{ARTICLE}"' in category
    article = stack.get(ARTICLE)[2].decode()
    assert "首页" in article and "行业动态" in article and "查看:" in article
    assert article.count("<figcaption>") >= 20
    first_photo = re.search(r'<img src="([^"]+)"', article).group(1)
    assert first_photo.startswith(f"http://127.0.0.1:{stack.aws_port}/")
    status, content_type, image = stack.get(first_photo)
    assert status == 200 and content_type == "image/jpeg" and image[:3] == b"\xff\xd8\xff"
    webp = re.search(r'<source type="image/webp" srcset="(\S+) ', article).group(1)
    assert stack.get(webp)[1] == "image/webp"
    original = first_photo.split("/renditions/")[0] + "/uploads/" + first_photo.split("/")[-2]
    assert stack.get(original)[0] == 403  # originals are private


def test_a_reload_counts_exactly_one_view(stack):
    before = stack.views()
    assert stack.views() == before + 1


def test_concurrent_readers_lose_no_view(stack):
    before = stack.views()

    def read_100(_: int) -> None:
        for _ in range(100):
            assert stack.get(ARTICLE)[0] == 200

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(read_100, range(8)))
    assert stack.views() == before + 800 + 1  # the 800 views and this one


def test_unknown_pages_are_404_pages(stack):
    status, content_type, body = stack.get("/articles/no-such-article")
    assert status == 404 and content_type.startswith("text/html") and "页面未找到" in body.decode()


def test_an_editor_writes_uploads_and_publishes_over_http(stack):
    import requests

    base = f"http://127.0.0.1:{stack.port}"
    login = requests.post(f"{base}/api/session", json={"username": "demo", "password": "demo-password"}, timeout=30)
    assert login.status_code == 200, login.text
    auth = {"Authorization": f"Bearer {login.json()['token']}"}
    assert requests.get(f"{base}/api/articles", timeout=30).status_code == 401
    category = requests.put(
        f"{base}/api/categories/events", json={"name": "活动预告", "position": 40}, headers=auth, timeout=30
    )
    assert category.status_code == 200, category.text
    form = requests.post(
        f"{base}/api/photos",
        json={"filename": "现场.jpg", "content_type": "image/jpeg", "size": 4},
        headers=auth,
        timeout=30,
    ).json()
    assert form["upload"]["url"].startswith(f"http://127.0.0.1:{stack.aws_port}/")
    uploaded = requests.post(
        form["upload"]["url"], data=form["upload"]["fields"], files={"file": ("x.jpg", b"\xff\xd8\xff\xe0")}, timeout=30
    )
    assert uploaded.status_code in (200, 201, 204), uploaded.text
    body = {
        "title": "第五届物业服务技能大赛开始报名",
        "category": "events",
        "body": [
            {"type": "paragraph", "text": "大赛面向全市会员单位。"},
            {"type": "photo", "photo_id": form["photo_id"], "caption": "上届大赛现场"},
        ],
    }
    created = requests.post(f"{base}/api/articles", json=body, headers=auth, timeout=30)
    assert created.status_code == 201, created.text
    article_id = created.json()["id"]
    assert requests.post(f"{base}/api/articles/{article_id}/publish", headers=auth, timeout=30).status_code == 200
    page = requests.get(f"{base}/articles/{article_id}", timeout=30)
    assert page.status_code == 200 and "第五届物业服务技能大赛开始报名" in page.text and "上届大赛现场" in page.text
    assert article_id in requests.get(f"{base}/news/events", timeout=30).text


def test_a_camera_photo_becomes_upright_renditions_within_seconds(stack):
    import io

    import requests
    from PIL import ExifTags, Image

    from tests.photo_files import camera_jpeg

    base = f"http://127.0.0.1:{stack.port}"
    token = requests.post(
        f"{base}/api/session", json={"username": "demo", "password": "demo-password"}, timeout=30
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    data = camera_jpeg(4000, 3000, orientation=6)
    form = requests.post(
        f"{base}/api/photos",
        json={"filename": "手机照片.jpg", "content_type": "image/jpeg", "size": len(data)},
        headers=auth,
        timeout=30,
    ).json()
    started = time.monotonic()
    uploaded = requests.post(
        form["upload"]["url"], data=form["upload"]["fields"], files={"file": ("p.jpg", data)}, timeout=30
    )
    assert uploaded.status_code in (200, 201, 204)
    while time.monotonic() - started < 10:
        photo = requests.get(f"{base}/api/photos/{form['photo_id']}", headers=auth, timeout=30).json()
        if photo["status"] != "pending":
            break
        time.sleep(0.25)
    assert photo["status"] == "ready", photo
    assert (photo["width"], photo["height"]) == (3000, 4000)
    for rendition in photo["renditions"]:
        status, content_type, body = stack.get(rendition["url"])
        image = Image.open(io.BytesIO(body))
        assert status == 200 and image.size == (rendition["width"], rendition["height"]) and image.height > image.width
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    article = requests.post(
        f"{base}/api/articles",
        json={
            "title": "现场照片",
            "category": "news",
            "body": [{"type": "photo", "photo_id": form["photo_id"], "caption": "现场"}],
        },
        headers=auth,
        timeout=30,
    ).json()
    requests.post(f"{base}/api/articles/{article['id']}/publish", headers=auth, timeout=30)
    page = requests.get(f"{base}/articles/{article['id']}", timeout=30).text
    assert f"/renditions/{form['photo_id']}/640.webp 640w" in page and 'width="3000" height="4000"' in page


def test_ops_create_an_editor_on_the_local_stack_with_the_cli(stack):
    import requests

    env = {**os.environ, "NEWSROOM_AWS_PORT": str(stack.aws_port)}
    env.pop("AWS_ENDPOINT_URL", None)
    created = subprocess.run(
        [sys.executable, "-m", "ops.cli", "--stage", "local", "create-editor", "wang.li", "--password-stdin"],
        cwd=ROOT,
        env=env,
        input="a long enough password\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    base = f"http://127.0.0.1:{stack.port}"
    login = requests.post(
        f"{base}/api/session", json={"username": "wang.li", "password": "a long enough password"}, timeout=30
    )
    assert login.status_code == 200
    again = subprocess.run(
        [sys.executable, "-m", "ops.cli", "--stage", "local", "create-editor", "x", "--password-stdin"],
        cwd=ROOT,
        env=env,
        input="short\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 2 and "username" in again.stderr


# Last: it stops the module's stack.
def test_data_survives_a_restart(stack, data_dir):
    before = stack.views()
    output = stack.stop()
    assert "Stopped." in output
    again = Stack(data_dir)
    try:
        assert again.views() == before + 1
        assert "restored local data" in again.output
    finally:
        again.stop()
