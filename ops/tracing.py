"""Optional X-Ray tracing per stage, off by default: chalice's own `"xray": true` in a stage of .chalice/config.json.

One setting, read by chalice and here. Chalice traces every function from it (`Tracing: Active` in `make
package`'s template, the functions' TracingConfig and the API stage's tracing on `chalice deploy`). Left to us,
since the functions' policies are hand-written (`autogen_policy: false`): the API stage's tracing in the
packaged template, and the permission to send traces, a policy of its own on each function's role, there only
while tracing is on (`merge_template` for `make package`; `put_permission` after `chalice deploy`).

X-Ray's two write actions support no resource-level permissions, so their statement's Resource is "*": the one
exception to "no wildcard" in tests/deploy/test_iam.py, for exactly these actions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from chalicelib.config import PROJECT_DIR, endpoint_url

XRAY_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
POLICY_NAME = "xray-traces"
# The functions' roles in chalice's SAM template (one a function: each has its own policy file).
ROLES = ("ApiHandlerRole", "EditorTokenRole", "ProcessPhotosRole", "CountViewsRole", "FoldSearchRole")


def tracing(stage: str, project_dir: Path = PROJECT_DIR) -> bool:
    """Whether the stage traces: its `xray` in .chalice/config.json (or the file's top-level one), as chalice reads
    it, else the site file's (a site's stage is named after it); off if unset."""
    config = json.loads((project_dir / ".chalice" / "config.json").read_text(encoding="utf-8"))
    if stage not in config["stages"]:
        from ops.site_file import load

        return load(stage, project_dir / "sites").xray
    return config["stages"][stage].get("xray", config.get("xray", False)) is True


def permission() -> dict[str, Any]:
    statement = {"Sid": "XRayTraces", "Effect": "Allow", "Action": list(XRAY_ACTIONS), "Resource": "*"}
    return {"Version": "2012-10-17", "Statement": [statement]}


def add_to_merge_template(template: dict[str, Any]) -> None:
    """The API stage traced, and every function's role allowed to send traces (chalice traces the functions)."""
    resources = template["Resources"]
    resources["RestAPI"]["Properties"]["TracingEnabled"] = True
    resources["TracingPermission"] = {
        "Type": "AWS::IAM::Policy",
        "Properties": {
            "PolicyName": POLICY_NAME,
            "PolicyDocument": permission(),
            "Roles": [{"Ref": role} for role in ROLES],
        },
    }


def put_permission(stage: str, session: Any = None, project_dir: Path = PROJECT_DIR) -> list[str]:
    """After `chalice deploy`: the stage's roles get the X-Ray policy if it traces, and lose it if not.

    The roles are those chalice recorded in .chalice/deployed/<stage>.json. Returns the roles changed.
    """
    deployed = json.loads((project_dir / ".chalice" / "deployed" / f"{stage}.json").read_text(encoding="utf-8"))
    roles = [r["role_name"] for r in deployed["resources"] if r.get("resource_type") == "iam_role"]
    iam = (session or boto3).client("iam", endpoint_url=endpoint_url())
    on = tracing(stage, project_dir)
    changed = []
    for role in roles:
        if on:
            iam.put_role_policy(RoleName=role, PolicyName=POLICY_NAME, PolicyDocument=json.dumps(permission()))
            changed.append(role)
            continue
        try:
            iam.delete_role_policy(RoleName=role, PolicyName=POLICY_NAME)
            changed.append(role)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "NoSuchEntity":
                raise
    return changed
