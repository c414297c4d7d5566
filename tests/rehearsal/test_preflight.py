"""Preflight stops with one plain sentence, before anything is changed, on each thing that would break a
deploy halfway; against moto (the tests' in-process account, 123456789012)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID

from chalicelib.config import PROJECT_DIR
from ops.preflight import Stop, Target, preflight, target_for_site
from ops.site import SiteError

GLOBAL = Target(
    name="assoc",
    region="us-east-1",
    account=DEFAULT_ACCOUNT_ID,
    site_url="https://news.assoc.org",
    icp_filing="",
    certificate=None,
    token_parameter="/newsroom/assoc/token-secret",
    bucket="newsroom-assoc-media-123456789012-us-east-1",
    xray=False,
    endpoint_type="EDGE",
    function_url=True,
)
CHINA = dataclasses.replace(
    GLOBAL,
    name="assoc-cn",
    region="cn-north-1",
    site_url="https://news.assoc.org.cn",
    icp_filing="京ICP备12345678号-1",
    certificate="ASCAEXAMPLE1234567890",
    token_parameter="/newsroom/assoc-cn/token-secret",
    bucket="newsroom-assoc-cn-media-123456789012-cn-north-1",
    endpoint_type="REGIONAL",
    function_url=False,
)


def session(region: str) -> boto3.session.Session:
    return boto3.session.Session(region_name=region)


@pytest.fixture
def secrets() -> Iterator[None]:
    for target in (GLOBAL, CHINA):
        ssm = session(target.region).client("ssm")
        ssm.put_parameter(Name=target.token_parameter, Type="SecureString", Value="s" * 48, Overwrite=True)
    yield
    for target in (GLOBAL, CHINA):
        session(target.region).client("ssm").delete_parameter(Name=target.token_parameter)


def stop(target: Target, region: str | None = None, with_session: boto3.session.Session | None = None) -> str:
    with pytest.raises(Stop) as stopped:
        preflight(target, region or target.region, with_session or session(target.region))
    sentence = str(stopped.value)
    assert sentence.endswith(".") and "\n" not in sentence and sentence.count(". ") == 0, sentence
    return sentence


@pytest.mark.parametrize("target", [GLOBAL, CHINA], ids=["global", "china"])
def test_a_ready_site_passes(secrets: None, target: Target) -> None:
    assert preflight(target, target.region, session(target.region)) == DEFAULT_ACCOUNT_ID


def test_no_credentials(secrets: None, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    assert "No AWS credentials" in stop(GLOBAL)


def test_wrong_account(secrets: None) -> None:
    assert stop(dataclasses.replace(GLOBAL, account="999999999999")) == (
        f"The credentials are for account {DEFAULT_ACCOUNT_ID}, but assoc is in 999999999999."
    )


def test_wrong_partition(secrets: None) -> None:
    """Credentials answering in the global partition are not a China account's."""
    sentence = stop(CHINA, with_session=session("us-east-1"))
    assert sentence == "The credentials are for the aws partition, but cn-north-1 is in aws-cn."


def test_wrong_region(secrets: None) -> None:
    assert stop(CHINA, region="us-east-1") == "AWS_REGION is us-east-1, but assoc-cn is deployed to cn-north-1."


def test_missing_token_secret() -> None:
    assert "token secret /newsroom/assoc/token-secret does not exist" in stop(GLOBAL)


def test_token_secret_in_plain_text(secrets: None) -> None:
    session("us-east-1").client("ssm").put_parameter(
        Name=GLOBAL.token_parameter, Type="String", Value="s" * 48, Overwrite=True
    )
    assert "is a String, not a SecureString" in stop(GLOBAL)


def test_bucket_name_taken_by_another_account(secrets: None) -> None:
    sts = session("us-east-1").client("sts")
    other = sts.assume_role(RoleArn="arn:aws:iam::111122223333:role/other", RoleSessionName="other")["Credentials"]
    theirs = boto3.session.Session(
        aws_access_key_id=other["AccessKeyId"],
        aws_secret_access_key=other["SecretAccessKey"],
        aws_session_token=other["SessionToken"],
        region_name="us-east-1",
    ).client("s3")
    theirs.create_bucket(Bucket=GLOBAL.bucket)
    try:
        assert (
            stop(GLOBAL)
            == f"The bucket name {GLOBAL.bucket} is taken by another account: choose another name for assoc."
        )
    finally:
        theirs.delete_bucket(Bucket=GLOBAL.bucket)


def test_our_own_bucket_is_no_obstacle(secrets: None) -> None:
    s3 = session("us-east-1").client("s3")
    s3.create_bucket(Bucket=GLOBAL.bucket)
    try:
        assert preflight(GLOBAL, GLOBAL.region, session(GLOBAL.region)) == DEFAULT_ACCOUNT_ID
    finally:
        s3.delete_bucket(Bucket=GLOBAL.bucket)


@pytest.mark.parametrize(
    ("choice", "missing"),
    [
        ({"xray": True}, "X-Ray tracing of Lambda functions"),
        ({"endpoint_type": "EDGE"}, "edge-optimized API endpoints"),
        ({"function_url": True}, "Lambda function URLs"),
    ],
)
def test_a_feature_the_region_lacks(secrets: None, choice: dict[str, object], missing: str) -> None:
    sentence = stop(dataclasses.replace(CHINA, **choice))  # type: ignore[arg-type]
    assert sentence.startswith(f"cn-north-1 has no {missing}")


@pytest.mark.parametrize(
    ("change", "sentence"),
    [
        ({"site_url": "https://abc123.execute-api.cn-north-1.amazonaws.com.cn"}, "has no domain of its own"),
        ({"icp_filing": ""}, "has no ICP filing number for news.assoc.org.cn"),
        ({"certificate": None}, "names no certificate for news.assoc.org.cn"),
    ],
)
def test_a_china_site_needs_domain_icp_and_certificate(secrets: None, change: dict[str, object], sentence: str) -> None:
    assert sentence in stop(dataclasses.replace(CHINA, **change))  # type: ignore[arg-type]


def test_nothing_is_created_on_the_way(secrets: None) -> None:
    """Preflight only reads: a site that fails late (its bucket taken) leaves the account as it was."""
    before = (
        session("us-east-1").client("s3").list_buckets()["Buckets"],
        session("us-east-1").client("cloudformation").describe_stacks()["Stacks"],
    )
    preflight(GLOBAL, GLOBAL.region, session(GLOBAL.region))
    after = (
        session("us-east-1").client("s3").list_buckets()["Buckets"],
        session("us-east-1").client("cloudformation").describe_stacks()["Stacks"],
    )
    assert after == before


def test_the_target_is_the_site_file_as_generated() -> None:
    china = target_for_site("example-china")
    assert (china.region, china.partition, china.endpoint_type, china.function_url) == (
        "cn-north-1",
        "aws-cn",
        "REGIONAL",
        False,
    )
    assert china.certificate and china.icp_filing and china.token_parameter == "/newsroom/example-china/token-secret"
    assert target_for_site("example-global").function_url  # the global CDN counts through a function URL


def test_a_china_site_file_without_icp_stops_before_preflight_asks_aws(tmp_path) -> None:
    data = json.loads((PROJECT_DIR / "sites" / "example-china.json").read_text(encoding="utf-8"))
    del data["icp"]
    (tmp_path / "example-china.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SiteError, match="needs its ICP number"):
        target_for_site("example-china", tmp_path)


def test_destroy_checks_only_where_it_acts() -> None:
    """`make destroy`'s preflight: the region and the account, not the token secret (none exists here)."""
    assert preflight(CHINA, CHINA.region, session(CHINA.region), where_only=True) == DEFAULT_ACCOUNT_ID
    with pytest.raises(Stop, match="AWS_REGION is us-east-1, but assoc-cn is deployed to cn-north-1"):
        preflight(CHINA, "us-east-1", session(CHINA.region), where_only=True)
