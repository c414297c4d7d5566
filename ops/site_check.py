"""`make deploy`'s last step: the site answers its home page.

    python -m ops.site_check --stage STAGE

On AWS: GET of the API stage's home page (`https://{api}.execute-api.{region}.{suffix}/{stage}/`, the
suffix from botocore's partition data; in China the site's own domain, the only name that serves the public
there) answers 200 with the site's name. Against a stand-in for AWS
(`AWS_ENDPOINT_URL`, moto in `make rehearse`), which runs no function code: the zip whose SHA-256 is the
deployed API function's `CodeSha256` is unpacked, and a fresh Python with only it on its path runs the
handler chalice deployed, with the function's deployed environment, on API Gateway's event for `GET /`.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

from chalicelib.config import PROJECT_DIR, endpoint_url
from ops import partitions

INVOKE = """
import importlib, json, sys
sys.path[:0] = [TASK]
module, _, name = HANDLER.rpartition(".")
handler = getattr(importlib.import_module(module), name)
context = type("Context", (), {"aws_request_id": "site-check", "function_name": "site-check",
                               "memory_limit_in_mb": 512, "get_remaining_time_in_millis": lambda self: 10000})()
event = {"resource": "/", "path": "/", "httpMethod": "GET", "headers": {"Host": "site-check", "Accept": "text/html"},
         "multiValueHeaders": {}, "queryStringParameters": None, "multiValueQueryStringParameters": None,
         "pathParameters": None, "stageVariables": None, "body": None, "isBase64Encoded": False,
         "requestContext": {"resourcePath": "/", "httpMethod": "GET", "stage": STAGE, "requestId": "site-check",
                            "identity": {"sourceIp": "127.0.0.1"}}}
print(json.dumps(handler(event, context)))
"""


def deployed_api(project: Path, stage: str) -> tuple[str, str]:
    """(rest API id, API function name) from chalice's record of the stage's deploy."""
    record = json.loads((project / ".chalice" / "deployed" / f"{stage}.json").read_text(encoding="utf-8"))
    resources = record["resources"]
    api = next(r for r in resources if r.get("resource_type") == "rest_api")
    function = next(r for r in resources if r.get("resource_type") == "lambda_function" and r["name"] == "api_handler")
    return api["rest_api_id"], function["lambda_arn"].rsplit(":", 1)[-1]


def page_from_aws(url: str, attempts: int = 10) -> tuple[int, str]:
    """GET `url`; a new stage can answer 403/5xx for a few seconds, so a few tries, 3 s apart."""
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 (https, built above)
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            if attempt == attempts - 1:
                return error.code, error.read().decode("utf-8", "replace")
        except OSError:
            if attempt == attempts - 1:
                raise
        time.sleep(3)  # between tries of a real endpoint, not a test's wait
    raise AssertionError("unreachable")


def page_from_package(session: Any, project: Path, function: str, api_stage: str) -> tuple[int, str]:
    """Run the deployed API function's code and configuration on `GET /` (see the module's docstring)."""
    config = session.client("lambda", endpoint_url=endpoint_url()).get_function_configuration(FunctionName=function)
    deployments = project / ".chalice" / "deployments"
    package = next((z for z in deployments.glob("*.zip") if _sha256(z) == config["CodeSha256"]), None)
    if package is None:
        raise RuntimeError(f"no zip in {deployments} is the code deployed to {function}")
    env = {k: v for k, v in os.environ.items() if k.startswith("AWS_") or k in ("PATH", "HOME", "LANG")}
    env.update(config.get("Environment", {}).get("Variables", {}))
    env["AWS_REGION"] = env["AWS_DEFAULT_REGION"] = session.region_name
    with tempfile.TemporaryDirectory() as task:
        zipfile.ZipFile(package).extractall(task)
        script = INVOKE.replace("TASK", repr(task)).replace("HANDLER", repr(config["Handler"]))
        done = subprocess.run(  # noqa: S603 (this Python on this module's script)
            [sys.executable, "-I", "-S", "-c", script.replace("STAGE", repr(api_stage))],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the deployed code failed on GET /:\n{done.stderr[-2000:]}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    body = answer.get("body") or ""
    if answer.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    return int(answer["statusCode"]), body


def home_url(rest_api_id: str, region: str, api_stage: str, site_url: str) -> str:
    """Where the home page answers the public: the API stage's own URL, but in China, where `execute-api` names
    do not serve the public, only the site's ICP-filed domain (`SITE_URL`, once it points at the API)."""
    if partitions.partition(region) == "aws-cn":
        return f"{site_url.rstrip('/')}/"
    return f"https://{rest_api_id}.execute-api.{region}.{partitions.dns_suffix(region)}/{api_stage}/"


def check(session: Any, project: Path, stage: str, site_name: str, site_url: str, api_stage: str = "api") -> str:
    """How the home page answered, or raises RuntimeError/OSError saying how it did not."""
    rest_api_id, function = deployed_api(project, stage)
    if endpoint_url() is None:
        url = home_url(rest_api_id, session.region_name, api_stage, site_url)
        status, body = page_from_aws(url)
        where = url
    else:
        status, body = page_from_package(session, project, function, api_stage)
        where = f"{function}'s deployed code (the endpoint is a stand-in that runs none)"
    if status != 200 or html.escape(site_name) not in body:
        raise RuntimeError(f"the home page at {where} answered {status} without the site's name")
    return f"the home page answers 200 with {site_name} ({where})"


def _sha256(path: Path) -> str:
    return base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.site_check", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True)
    args = parser.parse_args(argv)
    import boto3

    from ops.stages import stage_environment

    variables = stage_environment(args.stage)
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    try:
        session = boto3.session.Session(region_name=region)
        print(check(session, PROJECT_DIR, args.stage, variables["SITE_NAME"], variables["SITE_URL"]))
    except (RuntimeError, OSError, KeyError, StopIteration) as error:
        print(f"site check: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
