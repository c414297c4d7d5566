"""A site file is checked before anything is generated: each mistake is one plain sentence (ops/site_file.py), and
the generated project is a chalice project for that site alone (ops/site.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ops.site import chalice_config, environment, generate
from ops.site_file import SiteError, check, load

ROOT = Path(__file__).resolve().parents[2]


def example(site: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "sites" / f"{site}.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    "base, change, message",
    [
        ("example-global", {"site": "other"}, "says \"site\": 'other'"),
        ("example-global", {"account": "12345"}, "12-digit AWS account id"),
        ("example-global", {"region": "us-east-9"}, "botocore knows no region 'us-east-9'"),
        ("example-global", {"region": "cn-north-1"}, "is in partition aws-cn, not the global profile's aws"),
        ("example-china", {"region": "ap-east-1"}, "is in partition aws, not the china profile's aws-cn"),
        ("example-global", {"profile": "mainland"}, "profile must be one of global, china"),
        ("example-global", {"domains": ["https://news.example.org/"]}, "domains must be host names"),
        ("example-global", {"cdn_certificate_arn": "x"}, "unknown field(s) cdn_certificate_arn"),
        ("example-global", {"content": {"MEDIA_BUCKET": "mine"}}, "content may set only"),
        (
            "example-global",
            {"certificate": ""},
            "the ACM certificate id for news.example.org (us-east-1, for CloudFront)",
        ),
        ("example-china", {"icp": ""}, "a China site needs its ICP number"),
        ("example-china", {"server_certificate": {}}, "needs an IAM server certificate for news.example.org.cn"),
        ("example-china", {"xray": True}, "X-Ray does not trace Lambda in the China regions"),
        ("example-china", {"cdn": False}, "for news.example.org.cn (cn-north-1, for the API's custom domain)"),
    ],
)
def test_a_wrong_site_file_is_refused_in_one_sentence(base, change, message):
    data = {**example(base), **change}
    with pytest.raises(SiteError) as refused:
        check(data, base)
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_a_site_id_must_fit_every_name():
    with pytest.raises(SiteError, match="2-20 lower-case letters"):
        load("Example_Site")
    with pytest.raises(SiteError, match="no site file"):
        load("no-such-site")
    longest = load("example-global").bucket.replace("example-global", "a" * 20).replace("us-east-1", "cn-northwest-1")
    assert len(longest) <= 63  # S3's limit, with the longest site id and region


def test_content_is_passed_on_but_cannot_override_a_generated_name():
    data = {**example("example-global"), "content": {"SITE_NAME": "协会", "SITE_PHONE": "010-1234"}}
    env = environment(check(data, "example-global"))
    assert env["SITE_NAME"] == "协会" and env["SITE_PHONE"] == "010-1234"
    assert env["NEWSROOM_STAGE"] == "example-global" and env["SITE_URL"] == "https://news.example.org"


def test_the_generated_project_is_a_chalice_project_for_the_site(tmp_path):
    spec = load("example-china")
    project = generate(spec, build_dir=tmp_path)
    assert project == tmp_path / "example-china"
    for name in ("app.py", "chalicelib", "vendor", "requirements.txt"):
        assert (project / name).resolve() == (ROOT / name).resolve(), name
    # chalice's record of the deployed site, and its zip cache, are the checkout's: a new build keeps them
    assert (project / ".chalice" / "deployed").resolve() == (ROOT / ".chalice" / "deployed").resolve()
    assert (project / ".chalice" / "deployments").resolve() == (ROOT / ".chalice" / "deployments").resolve()
    config = json.loads((project / ".chalice" / "config.json").read_text(encoding="utf-8"))
    assert config == chalice_config(spec) and list(config["stages"]) == ["example-china"]
    stage = config["stages"]["example-china"]
    assert stage["api_gateway_endpoint_type"] == "REGIONAL" and stage["xray"] is False
    assert "count_views" not in stage["lambda_functions"]  # China counts through the API
    assert generate(spec, build_dir=tmp_path) == project  # again: the same, links kept
