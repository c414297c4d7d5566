"""`make run`'s local stack, started for real and used over HTTP as a reader would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.local_stack import ARTICLE, ROOT, Stack, wait_until


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("localdata") / "data"


@pytest.fixture(scope="module")
def stack(data_dir: Path) -> Iterator[Stack]:
    running = Stack(data_dir)
    yield running
    if running.process.poll() is None:
        running.stop()


@pytest.mark.parametrize("path", ["/news", "/news/", "/index.html", "/favicon.icon", "/articles/", "/typo/x?y=1"])
def test_unknown_paths_answer_the_sites_404_page_not_api_gateways_403(stack, path):
    status, content_type, body = stack.get(path)
    assert (status, content_type) == (404, "text/html; charset=utf-8"), body[:200]
    page = body.decode()
    assert "页面未找到" in page and 'class="masthead"' in page and '<nav class="menu"' in page
    assert "Missing Authentication Token" not in page


def test_head_answers_like_get_without_a_body_over_http(stack):
    for path, expected in (("/", 200), (ARTICLE, 200), ("/news/industry", 200), ("/nowhere", 404)):
        request = urllib.request.Request(f"http://127.0.0.1:{stack.port}{path}", method="HEAD")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, content_type, body = response.status, response.headers["Content-Type"], response.read()
        except urllib.error.HTTPError as error:
            status, content_type, body = error.code, error.headers["Content-Type"], error.read()
        assert (status, content_type, body) == (expected, "text/html; charset=utf-8", b""), path


def test_a_reader_browses_home_category_article(stack):
    status, content_type, body = stack.get("/")
    assert status == 200 and content_type == "text/html; charset=utf-8"
    home = body.decode()
    notices = home.split('<section class="notices"')[1].split("</section>")[0]
    assert 'href="/articles/demo-credit-notice"' in notices and 'href="/articles/demo-training-notice"' in notices
    news = home.split('<h2><a href="/news/news">')[1].split("</section>")[0]
    assert f'href="{ARTICLE}"' in news  # the child category's article in its top-level channel
    status, _, listing = stack.get("/news/industry")
    category = listing.decode()
    assert status == 200 and f'href="{ARTICLE}"' in category.split('<ul class="list">')[1]
    status, _, page = stack.get(ARTICLE)
    article = page.decode()
    assert status == 200
    crumbs = re.findall(
        r'<li><a href="([^"]+)">([^<]+)</a></li>', article.split('class="crumbs"')[1].split("</nav>")[0]
    )
    assert crumbs == [("/", "首页"), ("/news/news", "新闻中心"), ("/news/industry", "行业动态")]
    assert "<h1>市物业管理行业协会召开第三届会员代表大会暨行业高质量发展论坛——凝聚行业力量 共建美好家园</h1>" in article
    assert re.search(r'查看：<span class="views">\d+</span>次', article)
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
    before = stack.views(ARTICLE)
    assert stack.views(ARTICLE) == before + 1


def test_concurrent_readers_lose_no_view(stack):
    before = stack.views(ARTICLE)

    def read_100(_: int) -> None:
        for _ in range(20):
            assert stack.get(ARTICLE)[0] == 200

    with ThreadPoolExecutor(max_workers=8) as pool:  # 160 readers, under one address's ceiling (counters.py)
        list(pool.map(read_100, range(8)))
    assert stack.views(ARTICLE) == before + 160 + 1  # the 160 views and this one


def test_unknown_pages_are_404_pages(stack):
    status, content_type, body = stack.get("/articles/no-such-article")
    assert status == 404 and content_type.startswith("text/html") and "页面未找到" in body.decode()


def test_an_editor_writes_uploads_and_publishes_over_http(stack):
    import requests

    from tests.photo_files import camera_jpeg

    photo = camera_jpeg(320, 240)  # a real photo: a rejected one would stop the publication
    base = f"http://127.0.0.1:{stack.port}"
    login = requests.post(f"{base}/api/session", json={"username": "demo", "password": "demo-password"}, timeout=30)
    assert login.status_code == 200, login.text
    assert login.json()["role"] == "admin"  # the demo account manages categories and accounts
    auth = {"Authorization": f"Bearer {login.json()['token']}"}
    assert requests.get(f"{base}/api/articles", timeout=30).status_code == 401
    category = requests.put(
        f"{base}/api/categories/events", json={"name": "活动预告", "position": 40}, headers=auth, timeout=30
    )
    assert category.status_code == 200, category.text
    form = requests.post(
        f"{base}/api/photos",
        json={"filename": "现场.jpg", "content_type": "image/jpeg", "size": len(photo)},
        headers=auth,
        timeout=30,
    ).json()
    assert form["upload"]["url"].startswith(f"http://127.0.0.1:{stack.aws_port}/")
    uploaded = requests.post(
        form["upload"]["url"], data=form["upload"]["fields"], files={"file": ("x.jpg", photo)}, timeout=30
    )
    assert uploaded.status_code == 204, uploaded.text  # S3's answer to a POST upload without a redirect
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
    assert page.status_code == 200 and "<h1>第五届物业服务技能大赛开始报名</h1>" in page.text
    assert "<p>大赛面向全市会员单位。</p>" in page.text and "<figcaption>上届大赛现场</figcaption>" in page.text
    events = requests.get(f"{base}/news/events", timeout=30)
    assert events.status_code == 200 and f'href="/articles/{article_id}"' in events.text


def test_search_over_http_finds_published_articles_only_and_follows_unpublish(stack):
    """GET /search?q= on the running stack: a draft is never found, publishing finds it within the stack's
    fold (every few seconds), unpublishing takes it out at once (the readers' check against the table)."""
    import requests

    base = f"http://127.0.0.1:{stack.port}"
    login = requests.post(f"{base}/api/session", json={"username": "demo", "password": "demo-password"}, timeout=30)
    auth = {"Authorization": f"Bearer {login.json()['token']}"}

    def found(query: str) -> list[str]:
        page = requests.get(f"{base}/search", params={"q": query}, timeout=30)
        assert page.status_code == 200, page.text
        return re.findall(r'<h2[^>]*><a href="/articles/([^"]+)"', page.text)

    body = {
        "title": "鄂州市物業服務標準發布",  # traditional: found by the simplified query too
        "category": "news",
        "body": [{"type": "paragraph", "text": "ICP备案与2024年度检查安排。"}],
    }
    created = requests.post(f"{base}/api/articles", json=body, headers=auth, timeout=30)
    assert created.status_code == 201, created.text
    article_id = created.json()["id"]
    assert found("鄂州") == []  # a draft
    assert requests.post(f"{base}/api/articles/{article_id}/publish", headers=auth, timeout=30).status_code == 200
    wait_until(lambda: found("鄂州") == [article_id], 60, lambda: f"published, not found: {found('鄂州')}")
    assert found("物业服务标准") == [article_id] and found("鄂州 ICP 2024") == [article_id]
    assert requests.post(f"{base}/api/articles/{article_id}/unpublish", headers=auth, timeout=30).status_code == 200
    assert found("鄂州") == []


FOLD_DEADLINE = 30  # seconds: the stack folds every local.stack.FOLD_SECONDS; a loaded machine is slower


def test_a_new_article_is_found_by_each_of_its_words_within_the_fold_interval(stack):
    """Issue 27's reproduction on a fresh stack: two-character words the demo site has never held (锅炉, 春季,
    消防, 演练) find the new article as its other words do."""
    import requests

    base = f"http://127.0.0.1:{stack.port}"
    login = requests.post(f"{base}/api/session", json={"username": "demo", "password": "demo-password"}, timeout=30)
    auth = {"Authorization": f"Bearer {login.json()['token']}"}
    category = {"name": "搜索测试", "position": 90}
    assert requests.put(f"{base}/api/categories/srch", json=category, headers=auth, timeout=30).status_code in (
        200,
        201,
    )

    def found(query: str) -> list[str]:
        page = requests.get(f"{base}/search", params={"q": query}, timeout=30)
        assert page.status_code == 200, page.text
        return re.findall(r'<h2[^>]*><a href="/articles/([^"]+)"', page.text)

    def publish(title: str, text: str) -> str:
        body: dict[str, Any] = {"title": title, "category": "srch", "body": [{"type": "paragraph", "text": text}]}
        created = requests.post(f"{base}/api/articles", json=body, headers=auth, timeout=30)
        assert created.status_code == 201, created.text
        article_id = created.json()["id"]
        assert requests.post(f"{base}/api/articles/{article_id}/publish", headers=auth, timeout=30).status_code == 200
        return article_id

    boiler = publish("春季锅炉安全检查", "各会员单位开展锅炉安全专项检查。")
    drill = publish("秋季消防演练通知", "请各单位按时参加。")
    wait_until(lambda: boiler in found("锅炉"), FOLD_DEADLINE, lambda: f"锅炉: {found('锅炉')}")
    for query in ("春季", "安全检查", "专项", "会员", "春季锅炉安全检查"):
        assert boiler in found(query), query
    wait_until(lambda: drill in found("消防"), FOLD_DEADLINE, lambda: f"消防: {found('消防')}")
    assert drill in found("演练")


def test_the_sites_browsers_may_upload_to_the_bucket_and_no_other_site_may(stack):
    """An XHR upload with progress listeners is preflighted: the bucket's CORS must allow the site's origin
    (the stack's own port, whatever NEWSROOM_PORT is), and only it."""
    import requests

    base = f"http://127.0.0.1:{stack.port}"
    login = requests.post(f"{base}/api/session", json={"username": "demo", "password": "demo-password"}, timeout=30)
    auth = {"Authorization": f"Bearer {login.json()['token']}"}
    form = requests.post(
        f"{base}/api/photos",
        json={"filename": "a.jpg", "content_type": "image/jpeg", "size": 4},
        headers=auth,
        timeout=30,
    ).json()

    def preflight(origin: str) -> requests.Response:
        headers = {"Origin": origin, "Access-Control-Request-Method": "POST"}
        return requests.options(
            form["upload"]["url"], headers={**headers, "Access-Control-Request-Headers": "x-requested-with"}, timeout=30
        )

    for origin in (base, f"http://localhost:{stack.port}"):
        allowed = preflight(origin)
        assert allowed.status_code == 200 and allowed.headers["Access-Control-Allow-Origin"] == origin
        assert "POST" in allowed.headers["Access-Control-Allow-Methods"]
    # S3 answers 403 to a preflight its CORS rules do not allow; a browser then sends nothing. (moto's
    # server echoes any Origin in its own headers, so the status is what tells the rules were applied.)
    assert preflight("https://attacker.example").status_code == 403
    assert preflight("http://127.0.0.1:1").status_code == 403  # another port is another origin


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
    uploaded = requests.post(
        form["upload"]["url"], data=form["upload"]["fields"], files={"file": ("p.jpg", data)}, timeout=30
    )
    assert uploaded.status_code == 204, uploaded.text
    seen: list[dict[str, Any]] = []

    def processed() -> dict[str, Any] | None:
        response = requests.get(f"{base}/api/photos/{form['photo_id']}", headers=auth, timeout=30)
        assert response.status_code == 200, response.text
        seen.append(response.json())
        return seen[-1] if seen[-1]["status"] != "pending" else None

    # The worker polls the queue every second or so; a photo is processed within seconds of its upload.
    photo = wait_until(processed, timeout=10, what=lambda: f"the photo is still pending: {seen[-1:]}")
    assert photo["status"] == "ready", photo
    assert (photo["width"], photo["height"]) == (3000, 4000)
    assert sorted({r["width"] for r in photo["renditions"]}) == [320, 640, 1024, 1600]
    assert sorted({r["format"] for r in photo["renditions"]}) == ["jpeg", "webp"]
    for rendition in photo["renditions"]:
        status, content_type, body = stack.get(rendition["url"])
        image = Image.open(io.BytesIO(body))
        assert status == 200 and image.size == (rendition["width"], rendition["height"]) and image.height > image.width
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    created = requests.post(
        f"{base}/api/articles",
        json={
            "title": "现场照片",
            "category": "news",
            "body": [{"type": "photo", "photo_id": form["photo_id"], "caption": "现场"}],
        },
        headers=auth,
        timeout=30,
    )
    assert created.status_code == 201, created.text
    article_id = created.json()["id"]
    published = requests.post(f"{base}/api/articles/{article_id}/publish", headers=auth, timeout=30)
    assert published.status_code == 200, published.text
    page = requests.get(f"{base}/articles/{article_id}", timeout=30)
    assert page.status_code == 200
    assert f"/renditions/{form['photo_id']}/640.webp 640w" in page.text and 'width="3000" height="4000"' in page.text


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
    assert again.returncode == 2
    assert again.stderr == "error: username: 2-64 lowercase letters, digits, '.', '_' or '-'\n"  # not a usage error


# Last: it stops the module's stack.
def test_the_stack_prints_each_request_readably_under_its_request_id(stack):
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{stack.port}/robots.txt", timeout=30) as response:
        request_id = response.headers["X-Request-Id"]
    assert request_id

    def printed() -> list[str]:
        return [line for line in stack.output.splitlines() if f" {request_id[:8]} /robots.txt: " in line]

    lines = wait_until(lambda: printed(), timeout=10, what=lambda: stack.output[-3000:])
    # One line a request (its metrics ride in that record's EMF document, which JSON logs carry).
    assert len(lines) == 1 and "GET /robots.txt answered 200 (ok) in " in lines[0]
    assert not any(line.lstrip().startswith("{") for line in lines)  # readable, not JSON


def test_data_survives_a_restart(stack, data_dir):
    before = stack.views(ARTICLE)
    output = stack.stop()
    assert "Stopped." in output
    again = Stack(data_dir)
    try:
        assert again.views(ARTICLE) == before + 1
        assert "restored local data" in again.output
        # The renditions made before are served by this start's moto, on another port: their URLs say so.
        import requests

        login = {"username": "demo", "password": "demo-password"}
        token = requests.post(f"{again.url}/api/session", json=login, timeout=30).json()["token"]
        listed = requests.get(f"{again.url}/api/photos", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        urls = [r["url"] for photo in listed.json()["photos"] for r in photo.get("renditions", [])]
        assert urls and all(url.startswith(f"http://127.0.0.1:{again.aws_port}/") for url in urls), urls[:3]
        status, content_type, _ = again.get(urls[0])
        assert status == 200 and content_type.startswith("image/"), (urls[0], status, content_type)
    finally:
        again.stop()


def test_sixteen_concurrent_logins_are_each_answered_not_reset(tmp_path):
    """Issue 27: the local stack reset connections under 16 concurrent logins (its listen backlog was 5)."""
    import requests

    own = Stack(tmp_path / "data")  # its own: these attempts count against the address's login throttle
    try:
        url = f"http://127.0.0.1:{own.port}/api/session"

        def log_in(n: int) -> int:
            login = {"username": f"nobody-{n}", "password": "a wrong password"}
            return requests.post(url, json=login, timeout=120).status_code

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(log_in, range(16)))
        assert answers == [401] * 16
    finally:
        own.stop()
