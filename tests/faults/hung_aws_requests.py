"""Run as a fresh process: the app with every AWS endpoint on a server that never answers.

`python -m tests.faults.hung_aws_requests http://127.0.0.1:PORT` sends a reader page request and an
editors' API call through chalice's test client and prints, as JSON, what each answered and how long
it took. A process of its own, because the test session's clients are bound to moto's in-process mock.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# The API call is a login: it needs DynamoDB (the throttle) before anything else. (Calls behind the
# authorizer fail in the authorizer, which API Gateway answers itself: see docs/security.md.)
REQUESTS = (
    ("page", "GET", "/articles/some-article", b""),
    ("api", "POST", "/api/session", b'{"username": "demo", "password": "x"}'),
)


def main(endpoint: str) -> list[dict[str, Any]]:
    from ops.stages import use_stage

    use_stage("local", credentials="testing", endpoint=endpoint, token_secret="hung-aws-secret-" + "x" * 32)
    from chalice.test import Client

    from app import app
    from chalicelib.auth import issue_token
    from chalicelib.models import EditorModel

    token = issue_token(EditorModel("demo", role="admin", token_generation=0)).token  # no read: AWS hangs
    answers = []
    with Client(app, stage_name="local", project_dir=str(ROOT)) as client:
        for name, method, path, body in REQUESTS:
            started = time.monotonic()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            response = client.http.request(method, path, headers=headers, body=body)
            answers.append(
                {
                    "name": name,
                    "status": response.status_code,
                    "headers": dict(response.headers),
                    "body": response.body.decode(),
                    "seconds": time.monotonic() - started,
                }
            )
    return answers


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), ensure_ascii=False))
