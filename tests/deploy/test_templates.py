"""The infrastructure definition and chalice's merged template are valid CloudFormation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.config import TABLES, stage_environment, table_variable
from ops.infra import load_template, resolve

ROOT = Path(__file__).resolve().parents[2]
CFN_LINT = str(Path(sys.executable).with_name("cfn-lint"))


@pytest.mark.parametrize("which", ["resources", "merged", "traced"])
def test_cfn_lint_finds_no_errors(request, which):
    """The resources stack alone, `make package`'s merged template, and the same with a stage's X-Ray on."""
    paths = {
        "resources": lambda: ROOT / "infra" / "resources.json",
        "merged": lambda: request.getfixturevalue("package").template,
        "traced": lambda: request.getfixturevalue("traced_template"),
    }
    path = paths[which]()
    result = subprocess.run([CFN_LINT, str(path)], capture_output=True, text=True, timeout=300)
    errors = [line for line in result.stdout.splitlines() if line.startswith("E")]
    # cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational; anything else is a failure to lint.
    assert result.returncode & ~(4 | 8) == 0 and not errors, (result.returncode, result.stdout, result.stderr)


def test_the_merged_stack_has_the_functions_and_every_resource(package):
    resources = json.loads(package.template.read_text())["Resources"]
    ours = set(load_template()["Resources"])
    assert {"MediaBucket", "PhotoQueue", "MediaBucketPolicy"} <= ours
    assert ours <= set(resources), ours - set(resources)
    assert {"APIHandler", "EditorToken", "ProcessPhotos"} <= set(resources)
    photos = resources["ProcessPhotos"]
    assert photos["Properties"]["MemorySize"] == 1024
    trigger = photos["Properties"]["Events"]["ProcessPhotosSqsEventSource"]["Properties"]
    assert trigger["FunctionResponseTypes"] == ["ReportBatchItemFailures"] and trigger["BatchSize"] == 5
    assert resources["APIHandler"]["Properties"]["MemorySize"] == 512


def test_queue_visibility_is_at_least_six_times_the_function_timeout(package):
    resources = json.loads(package.template.read_text())["Resources"]
    timeout = resources["ProcessPhotos"]["Properties"]["Timeout"]
    queue = resources["PhotoQueue"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * timeout
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 3


def test_tables_keep_point_in_time_recovery_and_only_renditions_are_public():
    resources = load_template()["Resources"]
    tables = {name: r for name, r in resources.items() if r["Type"] == "AWS::DynamoDB::Table"}
    assert len(tables) == len(TABLES)
    throwaway = tables.pop("LoginsTable")  # login throttle counts: minutes of life, removed by TTL
    assert throwaway["Properties"]["TimeToLiveSpecification"] == {"AttributeName": "expires", "Enabled": True}
    for table in tables.values():
        assert table["Properties"]["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert table["DeletionPolicy"] == "Retain"
    without_cdn = resolve(resources, {}, {"UseCdn": False})  # the CDN's own policy: tests/deploy/test_cdn.py
    statements = without_cdn["MediaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    public = [s for s in statements if s.get("Principal") == "*" and s["Effect"] == "Allow"]
    assert [s["Resource"] for s in public] == ["arn:aws:s3:::${MediaBucketName}/renditions/*"]
    assert public[0]["Action"] == "s3:GetObject"
    block = without_cdn["MediaBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert block["BlockPublicAcls"] is True and block["IgnorePublicAcls"] is True


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_stages_name_every_resource_and_the_token_secret(stage):
    env = stage_environment(stage)
    local = stage_environment("local")
    for name in (*map(table_variable, TABLES), "MEDIA_BUCKET", "PHOTO_QUEUE"):
        assert env[name] == local[name].replace("-local-", f"-{stage}-"), name
    assert env["TOKEN_SECRET_PARAMETER"] == f"/newsroom/{stage}/token-secret"
    assert "TOKEN_SECRET" not in env and env["MEDIA_BASE_URL"].startswith("https://")


def test_the_packaged_api_answers_head_on_pages_and_unknown_paths_with_the_404_page(package):
    api = json.loads(package.template.read_text())["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    for path in ("/", "/news/{category}", "/articles/{article_id}", "/admin", "/assets/reader.js"):
        assert {"get", "head"} <= set(api["paths"][path]), path
    not_found = api["x-amazon-apigateway-gateway-responses"]["MISSING_AUTHENTICATION_TOKEN"]
    assert not_found["statusCode"] == 404 and "页面未找到" in not_found["responseTemplates"]["text/html"]
    assert set(api["paths"]) >= {"/api/articles"}, "chalice's own definition is still there, merged"


def test_the_merged_alarms_and_dashboard_watch_chalices_own_functions(package):
    resources = json.loads(package.template.read_text())["Resources"]
    functions = {name for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    referred = set()
    for name, resource in resources.items():
        if resource["Type"] != "AWS::CloudWatch::Alarm":
            continue
        text = json.dumps(resource)
        assert 'FunctionName", "Value": "newsroom-' not in text, name  # never a name from chalice deploy
        referred |= {ref for ref in functions if json.dumps({"Ref": ref}) in text}
    # every function chalice packages has an alarm
    assert (
        referred == functions == {"APIHandler", "EditorToken", "ProcessPhotos", "CountViews", "FoldSearch"}
    )  # every function
    assert "Dashboard" in resources and "AlertTopic" in resources
