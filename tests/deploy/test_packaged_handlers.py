"""The deployment zip runs on its own: unzipped into an empty directory, a fresh Python
with only that directory on its path serves an article page and processes a photo,
against moto's server standing in for AWS."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import boto3
import pytest

from ops.lambda_package import SERVICES
from ops.stages import environment_for_stage, stage_environment
from tests.events import function_url_request, s3_notification, sqs_event

ROOT = Path(__file__).resolve().parents[2]
STAGE = "example-global"
ORIGIN = "front-door-secret-" + "0123456789abcdef" * 2  # what CloudFront would send

SEED = """
import io, json, requests
from chalicelib.config import get_settings
from ops.infra import provision
from chalicelib import categories, editorial, photos
from chalicelib.article_body import from_json
from tests.photo_files import camera_jpeg
provision(get_settings())
import boto3  # the front door's secret, as ops put it (ops.cli origin-secret)
boto3.client("ssm").put_parameter(Name=get_settings().origin_secret_parameter, Value=ORIGIN, Type="String")
categories.put_category("news", "新闻中心", None, 1)
data = camera_jpeg(1800, 1200, orientation=1)
form = photos.start_upload({"filename": "会场.jpg", "content_type": "image/jpeg", "size": len(data)})
requests.post(form["upload"]["url"], data=form["upload"]["fields"], files={"file": data}, timeout=30).raise_for_status()
body = [{"type": "paragraph", "text": "打包测试正文。"},
        {"type": "photo", "photo_id": form["photo_id"], "caption": "会场"}]
editorial.create_article({"title": "部署包冒烟测试", "category": "news", "body": from_json(body)}, "packaged")
editorial.publish_article("packaged")
print(json.dumps({"photo_id": form["photo_id"]}))
"""

LAMBDA = """
import importlib, json, sys
sys.path[:0] = [TASK]

def handler(name):  # as Lambda resolves the template's Handler, "module.function"
    module, _, function = HANDLERS[name].rpartition(".")
    return getattr(importlib.import_module(module), function)

ctx = type("Context", (), {"aws_request_id": "1", "function_name": "f", "memory_limit_in_mb": 512,
                          "get_remaining_time_in_millis": lambda self: 10000})()
event = {"resource": "/articles/{article_id}", "path": "/articles/packaged", "httpMethod": "GET",
         "headers": {"Host": "example.org", "X-Newsroom-Origin": ORIGIN}, "multiValueHeaders": {},
         "queryStringParameters": None,
         "multiValueQueryStringParameters": None, "pathParameters": {"article_id": "packaged"},
         "stageVariables": None, "body": None, "isBase64Encoded": False,
         "requestContext": {"resourcePath": "/articles/{article_id}", "httpMethod": "GET", "stage": "api",
                            "requestId": "1", "identity": {"sourceIp": "127.0.0.1"}}}
counted = handler("CountViews")(json.loads(COUNT_EVENT), ctx)  # first: its module alone, before app.py's
page = handler("APIHandler")(event, ctx)
direct = handler("APIHandler")(dict(event, headers={"Host": "example.org"}), ctx)  # not through the CDN
processed = handler("ProcessPhotos")(json.loads(SQS_EVENT), ctx)
import PIL, jinja2, pynamodb, boto3, app
boto3.client("ssm", region_name="us-east-1")  # the authorizer's, kept when botocore is trimmed
print(json.dumps({"page": page, "direct": direct, "processed": processed, "counted": counted,
                  "python": "python%d.%d" % sys.version_info[:2],
                  "modules": [m.__file__ for m in (PIL, jinja2, pynamodb, boto3, app)]}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> str | None:
    """None once `url` answers 200, else what went wrong."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return None if response.status == 200 else f"status {response.status}"
    except OSError as error:
        return repr(error)


@pytest.fixture
def moto_server(tmp_path):
    port = free_port()
    log = tmp_path / "moto-server.log"
    with log.open("w") as output:  # a file, not a pipe: the server must never block on its log
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while (problem := answers(f"{url}/moto-api/")) is not None:
            if process.poll() is not None:
                pytest.fail(f"moto's server exited with {process.returncode}:\n{log.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                pytest.fail(f"moto's server never answered on {url}: {problem}\n{log.read_text(errors='replace')}")
            time.sleep(0.1)  # poll interval, bounded by the deadline above
        assert process.poll() is None, "the server answering is not the one this fixture started"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def aws_env(endpoint: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return environment_for_stage(
        STAGE,
        inherited,
        credentials="packaged",
        endpoint=endpoint,
        token_secret="packaged-test-secret-0123456789abcdef",
    )


ENDPOINTS = """
import json, sys
sys.path[:0] = [TASK]
import boto3
urls = {f"{s} {r}": boto3.client(s, region_name=r).meta.endpoint_url
        for s in SERVICES for r in ("us-east-1", "eu-central-1", "cn-north-1", "us-gov-west-1")}
print(json.dumps(urls))
"""


def test_the_trimmed_botocore_still_finds_every_kept_service_endpoint(package, tmp_path):
    """The package drops other services from botocore's endpoints.json: the kept ones must resolve as before."""
    task = tmp_path / "task"
    zipfile.ZipFile(package.zip_path).extractall(task)
    script = ENDPOINTS.replace("TASK", repr(str(task))).replace("SERVICES", repr(SERVICES))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTHON"))}
    env.update(AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x")
    packaged = subprocess.run([sys.executable, "-I", "-S", "-c", script], env=env, capture_output=True, text=True)
    assert packaged.returncode == 0, packaged.stderr
    full = subprocess.run(
        [sys.executable, "-c", script.replace(repr(str(task)), "''")], env=env, capture_output=True, text=True
    )
    assert full.returncode == 0, full.stderr
    urls = json.loads(packaged.stdout)
    assert urls == json.loads(full.stdout)
    assert "https://dynamodb.us-east-1.amazonaws.com" in urls.values()


def test_the_unzipped_package_serves_a_page_and_processes_a_photo(package, moto_server, tmp_path):
    env = aws_env(moto_server)
    seeded = subprocess.run(
        [sys.executable, "-c", SEED.replace("ORIGIN", repr(ORIGIN))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeded.returncode == 0, seeded.stderr
    photo_id = json.loads(seeded.stdout.strip().splitlines()[-1])["photo_id"]

    task = tmp_path / "task"
    task.mkdir()
    zipfile.ZipFile(package.zip_path).extractall(task)
    # -I: no user site, no PYTHON* variables; -S: no site-packages. Only the package and the stdlib.
    resources = json.loads(package.template.read_text())["Resources"]
    handlers = {
        name: resource["Properties"]["Handler"]
        for name, resource in resources.items()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    assert set(handlers) == {"APIHandler", "EditorToken", "ProcessPhotos", "CountViews", "FoldSearch"}
    runtimes = {resources[name]["Properties"]["Runtime"] for name in handlers}
    event = sqs_event(s3_notification(f"uploads/{photo_id}", 1))
    script = LAMBDA.replace("TASK", repr(str(task))).replace("HANDLERS", repr(handlers))
    script = script.replace("SQS_EVENT", repr(json.dumps(event))).replace("ORIGIN", repr(ORIGIN))
    script = script.replace("COUNT_EVENT", repr(json.dumps(function_url_request("/views/packaged"))))
    ran = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script], cwd=task, env=env, capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout.strip().splitlines()[-1])
    assert {result["python"]} == runtimes  # a clean interpreter of the version the template declares
    assert all(path.startswith(str(task)) for path in result["modules"]), result["modules"]
    page = result["page"]
    assert page["statusCode"] == 200 and page["headers"]["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>部署包冒烟测试</h1>" in page["body"]
    direct = result["direct"]  # the same request without the front door's secret: refused before any route
    assert direct["statusCode"] == 403 and json.loads(direct["body"])["code"] == "not_through_front_door"
    # the global example counts from the page (COUNT_MODE=beacon): the render shows the count so far, and the script
    assert '查看：<span class="views" data-count-url="/views/' in page["body"] and "/static/views.js?v=" in page["body"]
    # Behind the CDN (CDN=on) the site lives at the distribution's root, not under the API stage's path.
    assert 'href="/news/news"' in page["body"] and 'href="/api/news/' not in page["body"]
    assert result["processed"] == {"batchItemFailures": []}
    counted = result["counted"]  # the counting function, as packaged: the page's first view
    assert (counted["statusCode"], json.loads(counted["body"])) == (200, {"views": 1})
    bucket = stage_environment(STAGE)["MEDIA_BUCKET"]
    s3 = boto3.client(
        "s3", endpoint_url=moto_server, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    for name in ("320.webp", "1600.jpg"):
        assert s3.head_object(Bucket=bucket, Key=f"renditions/{photo_id}/{name}")["ContentLength"] > 0
        # the global example has the CDN (CDN=on): renditions are read through it, never straight from the bucket
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{moto_server}/{bucket}/renditions/{photo_id}/{name}", timeout=10)
        assert refused.value.code == 403
