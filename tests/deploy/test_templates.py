"""The infrastructure definition and each profile's merged template are valid CloudFormation in their partition,
partition-correct (no `arn:aws:`, no `amazonaws.com` host but through botocore's partition data), and two sites
generated from one checkout name nothing in common."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.config import TABLES, table_variable
from ops.infra import load_template, resolve
from ops.site import load
from ops.stages import stage_environment

ROOT = Path(__file__).resolve().parents[2]
CFN_LINT = str(Path(sys.executable).with_name("cfn-lint"))
REGIONS = ("us-east-1", "ap-east-1", "cn-north-1", "cn-northwest-1")
PARTITION_REGIONS = {"aws": ("us-east-1", "ap-east-1"), "aws-cn": ("cn-north-1", "cn-northwest-1")}


def lint(path: Path, regions: tuple[str, ...]) -> list[str]:
    """cfn-lint's errors and hard-coded-partition findings (I3042) on the template, in every region given."""
    result = subprocess.run(
        [CFN_LINT, "--include-checks", "I", "--regions", *regions, "--", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational; anything else is a failure to lint.
    assert result.returncode & ~(2 | 4 | 8) == 0, (result.returncode, result.stdout, result.stderr)
    return [line for line in result.stdout.splitlines() if line.startswith(("E", "I3042"))]


def test_the_linter_finds_what_these_tests_rule_out(tmp_path):
    """A template with a hard-coded partition and a type China lacks: I3042 and E3006, so a clean run means clean."""
    template = {
        "Resources": {
            "Access": {
                "Type": "AWS::CloudFront::OriginAccessControl",
                "Properties": {
                    "OriginAccessControlConfig": {
                        "Name": "x",
                        "OriginAccessControlOriginType": "s3",
                        "SigningBehavior": "always",
                        "SigningProtocol": "sigv4",
                    }
                },
            },
            "Bucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"},
            "Policy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": {"Ref": "Bucket"},
                    "PolicyDocument": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": "*",
                                "Action": "s3:GetObject",
                                "Resource": {"Fn::Sub": "arn:aws:s3:::${Bucket}/*"},
                            }
                        ]
                    },
                },
            },
        }
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(template))
    found = " ".join(lint(path, ("cn-north-1",)))
    assert "I3042" in found and "E3006" in found


@pytest.mark.parametrize("which", ["resources", "global", "traced", "china", "china-without-cdn"])
def test_cfn_lint_finds_no_errors_in_the_regions_of_its_partition(request, which):
    """infra/resources.json (`make deploy`'s stack) in every region; each profile's packaged template in its
    partition's regions: a global site's CloudFront uses origin access control and a function URL, which the
    China regions do not have (E3006 there), and a China site's runs in both China regions and the global ones."""
    paths = {
        "resources": (lambda: ROOT / "infra" / "resources.json", REGIONS),
        "global": (lambda: request.getfixturevalue("package").template, PARTITION_REGIONS["aws"]),
        "traced": (lambda: request.getfixturevalue("traced_template"), PARTITION_REGIONS["aws"]),
        "china": (lambda: request.getfixturevalue("china_template"), REGIONS),
        "china-without-cdn": (lambda: request.getfixturevalue("direct_template"), REGIONS),
    }
    path, regions = paths[which]
    assert not lint(path(), regions)


def shipped_and_generated(*templates: Path) -> dict[str, str]:
    """What ships (app.py, chalicelib, templates), what ops reads to generate (infra/, sites/, .chalice/) and what
    they generate for the China example (build/sites/example-china/, its packaged template)."""
    roots = [ROOT / "app.py", ROOT / "chalicelib", ROOT / "templates", ROOT / "infra", ROOT / "sites", ROOT / "ops"]
    roots += [ROOT / ".chalice" / "config.json", ROOT / "build" / "sites" / "example-china", *templates]
    files: dict[str, str] = {}
    for root in roots:
        paths = (
            [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        )
        for path in paths:
            if path.suffix in (".py", ".json", ".html", ".js", ".css", ".txt", ".xml"):
                files[str(path)] = path.read_text(encoding="utf-8", errors="replace")
    return files


def test_no_hard_coded_partition_or_host_in_what_ships_or_ops_generate(china_template):
    """`arn:aws:` and `amazonaws.com` come only from botocore's partition data (ops/partitions.py) or CloudFormation's
    own (${AWS::Partition}, ${AWS::URLSuffix}). In China's generated files, the only `amazonaws.com` names left are
    service principals (lambda.amazonaws.com: the aws partition's name, in every partition)."""
    files = shipped_and_generated(china_template)
    assert any("example-china" in name for name in files) and str(china_template) in files
    for name, text in files.items():
        assert "arn:aws:" not in text, name
        hosts = set(re.findall(r"[\w.-]*amazonaws\.com(?!\.cn)[\w.-]*", text))
        principals = {f"{service}.amazonaws.com" for service in ("lambda", "apigateway", "cloudfront", "s3")}
        if "/build/" in name or name == str(china_template):
            assert hosts <= principals, (name, hosts - principals)
        else:
            assert not hosts, (name, hosts)


def test_the_merged_stack_has_the_functions_and_every_resource(package, china_template):
    ours = set(load_template()["Resources"])
    assert {"MediaBucket", "PhotoQueue", "MediaBucketPolicy"} <= ours
    for template, counter in ((package.template, {"CountViews"}), (china_template, set())):
        resources = json.loads(template.read_text())["Resources"]
        assert ours <= set(resources), ours - set(resources)
        functions = {name for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
        assert functions == {"APIHandler", "EditorToken", "ProcessPhotos", "FoldSearch"} | counter
        photos = resources["ProcessPhotos"]
        assert photos["Properties"]["MemorySize"] == 1024
        trigger = photos["Properties"]["Events"]["ProcessPhotosSqsEventSource"]["Properties"]
        assert trigger["FunctionResponseTypes"] == ["ReportBatchItemFailures"] and trigger["BatchSize"] == 5
        assert resources["APIHandler"]["Properties"]["MemorySize"] == 512
        api = resources["RestAPI"]["Properties"]
        assert api["EndpointConfiguration"] == "REGIONAL"  # behind the site's CloudFront; China has no EDGE


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
    without_cdn = resolve(resources, {"AWS::Partition": "aws-cn"})  # the CDN's own policy: tests/deploy/test_cdn.py
    statements = without_cdn["MediaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    public = [s for s in statements if s.get("Principal") == "*" and s["Effect"] == "Allow"]
    assert [s["Resource"] for s in public] == ["arn:aws-cn:s3:::${MediaBucketName}/renditions/*"]
    assert public[0]["Action"] == "s3:GetObject"
    block = without_cdn["MediaBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert block["BlockPublicAcls"] is True and block["IgnorePublicAcls"] is True


@pytest.mark.parametrize("site", ["example-global", "example-china"])
def test_sites_name_every_resource_and_the_token_secret_after_themselves(site):
    env = stage_environment(site)
    spec = load(site)
    for name in map(table_variable, TABLES):
        assert env[name].startswith(f"newsroom-{site}-"), name
    assert env["PHOTO_QUEUE"] == f"newsroom-{site}-photos"
    # unique without guessing: the account and the region in the name (S3 names are global per partition)
    assert (
        env["MEDIA_BUCKET"] == f"newsroom-{site}-media-{spec.account}-{spec.region}" and len(env["MEDIA_BUCKET"]) <= 63
    )
    assert env["TOKEN_SECRET_PARAMETER"] == f"/newsroom/{site}/token-secret"
    assert env["ORIGIN_SECRET_PARAMETER"] == f"/newsroom/{site}/origin-secret"
    assert "TOKEN_SECRET" not in env and env["MEDIA_BASE_URL"].startswith("https://")


def test_two_sites_from_one_checkout_share_no_name():
    first, second = (stage_environment(site) for site in ("example-global", "example-china"))
    named = [k for k in first if k.endswith(("_TABLE", "_BUCKET", "_QUEUE", "_PARAMETER")) or k == "NEWSROOM_STAGE"]
    assert len(named) == len(TABLES) + 5
    assert not {first[k] for k in named} & {second[k] for k in named}
    assert load("example-global").stack_name != load("example-china").stack_name


def test_the_packaged_api_answers_head_on_pages_and_unknown_paths_with_the_404_page(package):
    api = json.loads(package.template.read_text())["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    for path in ("/", "/news/{category}", "/articles/{article_id}", "/admin", "/assets/reader.js"):
        assert {"get", "head"} <= set(api["paths"][path]), path
    not_found = api["x-amazon-apigateway-gateway-responses"]["MISSING_AUTHENTICATION_TOKEN"]
    assert not_found["statusCode"] == 404 and "页面未找到" in not_found["responseTemplates"]["text/html"]
    assert set(api["paths"]) >= {"/api/articles"}, "chalice's own definition is still there, merged"


def test_the_merged_alarms_and_dashboard_watch_chalices_own_functions(package, china_template):
    for template in (package.template, china_template):
        resources = json.loads(template.read_text())["Resources"]
        functions = {name for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
        referred = set()
        for name, resource in resources.items():
            if resource["Type"] != "AWS::CloudWatch::Alarm":
                continue
            text = json.dumps(resource)
            assert 'FunctionName", "Value": "newsroom-' not in text, name  # never a name from chalice deploy
            referred |= {ref for ref in functions if json.dumps({"Ref": ref}) in text}
        assert referred == functions and len(functions) >= 4  # every function chalice packages has an alarm
        assert "Dashboard" in resources and "AlertTopic" in resources
