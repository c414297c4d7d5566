"""X-Ray tracing in `make package`'s template: with a site's `"xray": true`, every function and the API stage
are traced and every role may send traces; by default, none of it (ops/tracing.py); never in China, where
X-Ray does not trace Lambda (ops/site.py refuses the setting there)."""

from __future__ import annotations

import json
from typing import Any

from ops.tracing import XRAY_ACTIONS


def of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def test_with_xray_on_every_function_and_the_api_stage_are_traced_and_every_role_may_send_traces(traced_template):
    resources = json.loads(traced_template.read_text())["Resources"]
    functions = of_type(resources, "AWS::Serverless::Function")
    assert set(functions) == {"APIHandler", "EditorToken", "ProcessPhotos", "CountViews", "FoldSearch"}
    assert {name: f["Properties"]["Tracing"] for name, f in functions.items()} == dict.fromkeys(functions, "Active")
    apis = of_type(resources, "AWS::Serverless::Api")
    assert {name: api["Properties"].get("TracingEnabled") for name, api in apis.items()} == {"RestAPI": True}
    permission = resources["TracingPermission"]["Properties"]
    assert sorted(ref["Ref"] for ref in permission["Roles"]) == sorted(of_type(resources, "AWS::IAM::Role"))
    assert permission["PolicyDocument"]["Statement"] == [
        {"Sid": "XRayTraces", "Effect": "Allow", "Action": list(XRAY_ACTIONS), "Resource": "*"}
    ]


def test_a_china_site_may_not_trace():
    from dataclasses import asdict

    import pytest

    from ops.site_file import SiteError, check, load

    data = asdict(load("example-china"))
    data.update(xray=True, server_certificate={"id": data.pop("server_certificate_id"), "name": "n"})
    del data["server_certificate_name"]
    with pytest.raises(SiteError, match="X-Ray does not trace Lambda in the China regions"):
        check(data, "example-china")


def test_by_default_nothing_is_traced_and_no_role_may_send_traces(package, china_template):
    assert "xray:" not in china_template.read_text()
    text = package.template.read_text()
    resources = json.loads(text)["Resources"]
    functions = of_type(resources, "AWS::Serverless::Function")
    assert {f["Properties"]["Tracing"] for f in functions.values()} == {"PassThrough"}
    assert "TracingEnabled" not in json.dumps(resources["RestAPI"]["Properties"])
    assert "TracingPermission" not in resources and "xray:" not in text
