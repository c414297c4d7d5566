"""X-Ray tracing, off by default: a stage's `"xray": true` turns it on, with the permission to send traces.

The packaged templates are checked in tests/deploy/test_tracing.py; here the stage setting and what
`make deploy` does after `chalice deploy` (ops/tracing.py's put_permission), against moto's IAM.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import boto3

from chalicelib.config import PROJECT_DIR
from ops.tracing import POLICY_NAME, XRAY_ACTIONS, put_permission, tracing

ROLES = tuple(f"newsroom-example-global-{name}" for name in ("api_handler", "editor_token", "process_photos"))


def test_no_stage_traces_unless_it_says_so():
    config = json.loads((PROJECT_DIR / ".chalice" / "config.json").read_text())
    assert "xray" not in config and all(tracing(stage) is False for stage in config["stages"])
    assert tracing("example-global") is False and tracing("example-china") is False  # the site files' default
    for stage in config["stages"].values():  # per function, chalice would trace some functions and not others
        assert all("xray" not in function for function in stage.get("lambda_functions", {}).values())


def project_with_deployed_roles(tmp_path: Path, xray: bool) -> Path:
    """A copy of the project's stage settings with the site's `xray` set, and the roles chalice deploy recorded."""
    (tmp_path / ".chalice" / "deployed").mkdir(parents=True, exist_ok=True)
    config = json.loads((PROJECT_DIR / ".chalice" / "config.json").read_text())
    config["stages"]["example-global"] = {"xray": xray}
    (tmp_path / ".chalice" / "config.json").write_text(json.dumps(config))
    resources = [{"name": f"{r}_role", "resource_type": "iam_role", "role_name": r} for r in ROLES]
    resources.append({"name": "api_handler", "resource_type": "lambda_function", "lambda_arn": "arn:x"})
    (tmp_path / ".chalice" / "deployed" / "example-global.json").write_text(json.dumps({"resources": resources}))
    return tmp_path


def test_make_deploy_gives_the_roles_the_xray_permission_while_the_stage_traces_and_takes_it_back(tmp_path):
    iam = boto3.client("iam")
    assume = {"Version": "2012-10-17", "Statement": []}
    for role in ROLES:
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(assume))
    try:
        project = project_with_deployed_roles(tmp_path, xray=True)
        assert sorted(put_permission("example-global", project_dir=project)) == sorted(ROLES)
        for role in ROLES:
            document = iam.get_role_policy(RoleName=role, PolicyName=POLICY_NAME)["PolicyDocument"]
            document = json.loads(document) if isinstance(document, str) else document
            assert document["Statement"] == [
                {"Sid": "XRayTraces", "Effect": "Allow", "Action": list(XRAY_ACTIONS), "Resource": "*"}
            ]
        project = project_with_deployed_roles(tmp_path, xray=False)
        assert sorted(put_permission("example-global", project_dir=project)) == sorted(ROLES)
        assert all(iam.list_role_policies(RoleName=role)["PolicyNames"] == [] for role in ROLES)
        assert put_permission("example-global", project_dir=project) == []  # off, and nothing left to take back
    finally:
        for role in ROLES:
            iam.delete_role(RoleName=role)
        shutil.rmtree(tmp_path, ignore_errors=True)
