"""`make deploy`'s first step: stop with one plain sentence before anything is changed.

    python -m ops.preflight --stage SITE [--where-only]

Checks, in order, each with read-only calls: the site file is sound (ops/site_file.py: a China site's ICP
number and certificate among others); the region the deploy would use (AWS_REGION, as chalice takes it) is
the site's; the region has every service and feature the site uses; a China site has a domain of its own;
there are credentials, for the site's partition and account; the token secret exists; the media bucket is
ours or free. `--where-only` (make destroy): the region and the account. Prints `preflight: ok ...` or the
one problem (exit 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from botocore.session import get_session

from chalicelib.config import PROJECT_DIR, endpoint_url
from ops import partitions

# The regional services `make deploy` calls (IAM is global): a region without one cannot hold the site.
SERVICES = ("cloudformation", "lambda", "apigateway", "dynamodb", "s3", "sqs", "sns", "events", "ssm")

# What the China regions lack that a site may ask for (docs.amazonaws.cn, "service differences" pages).
CHINA_LACKS = {
    "xray": "X-Ray tracing of Lambda functions",
    "EDGE": "edge-optimized API endpoints (the site needs api_gateway_endpoint_type REGIONAL)",
    "function-url": "Lambda function URLs (the CDN's /views/* count needs them: count through the API there)",
}


class Stop(Exception):
    """The one sentence preflight stops with."""


@dataclass(frozen=True)
class Target:
    """What the deploy is about to create, and where."""

    name: str
    region: str
    account: str | None  # the AWS account the site belongs in, where it says (None: any)
    site_url: str
    icp_filing: str
    certificate: str | None  # CloudFront's certificate (an IAM server certificate in China)
    token_parameter: str | None
    bucket: str
    xray: bool
    endpoint_type: str  # the API's: EDGE (chalice's default) or REGIONAL
    function_url: bool  # the CDN counts views through a Lambda function URL (CDN on, beacon mode)

    @property
    def partition(self) -> str:
        return partitions.partition(self.region)


def target_for_site(site: str, sites_dir: Path = PROJECT_DIR / "sites") -> Target:
    """The site as its file says and ops/site.py generates it (a SiteError: the file itself is wrong)."""
    from ops.site import chalice_config, environment, load

    spec = load(site, sites_dir)
    stage = chalice_config(spec)["stages"][site]
    return Target(
        name=site,
        region=spec.region,
        account=spec.account,
        site_url=spec.site_url,
        icp_filing=spec.icp,
        # CloudFront China takes an IAM server certificate; the API's custom domain (no CDN) an ACM one.
        certificate=(spec.server_certificate_id if spec.cdn and spec.profile == "china" else spec.certificate) or None,
        token_parameter=environment(spec).get("TOKEN_SECRET_PARAMETER"),
        bucket=spec.bucket,
        xray=stage.get("xray", False) is True,
        endpoint_type=stage.get("api_gateway_endpoint_type", "EDGE"),
        function_url=spec.counting == "function",
    )


def check_region(target: Target, environment_region: str | None) -> None:
    if not environment_region:
        raise Stop(f"No AWS region is set: set AWS_REGION={target.region} for {target.name}.")
    if environment_region != target.region:
        raise Stop(f"AWS_REGION is {environment_region}, but {target.name} is deployed to {target.region}.")
    partition = target.partition
    botocore_session = get_session()  # one: each new session reads botocore's endpoint data again
    for service in SERVICES:
        if target.region not in botocore_session.get_available_regions(service, partition_name=partition):
            raise Stop(f"{target.region} has no {service}, which {target.name} needs.")
    if partition == "aws-cn":
        wanted = {"xray": target.xray, "EDGE": target.endpoint_type == "EDGE", "function-url": target.function_url}
        for feature, used in wanted.items():
            if used:
                raise Stop(f"{target.region} has no {CHINA_LACKS[feature]}, which {target.name} uses.")


def check_china(target: Target) -> None:
    """A mainland site is served only on an ICP-filed domain of its own, with its certificate."""
    if target.partition != "aws-cn":
        return
    host = urlsplit(target.site_url).hostname or ""
    if not host or host.endswith((f".{partitions.dns_suffix(target.region)}", ".cloudfront.cn")):
        raise Stop(
            f"{target.name} is in mainland China but has no domain of its own (SITE_URL is {target.site_url!r})."
        )
    if not target.icp_filing:
        raise Stop(f"{target.name} is in mainland China but has no ICP filing number for {host}.")
    if not target.certificate:
        raise Stop(f"{target.name} is in mainland China but names no certificate for {host}.")


def check_account(target: Target, session: Any) -> str:
    """The caller's account, once it is known to be the site's partition and account."""
    try:
        identity = session.client("sts", endpoint_url=endpoint_url()).get_caller_identity()
    except NoCredentialsError:
        raise Stop("No AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID before deploying.") from None
    except (ClientError, BotoCoreError) as error:
        raise Stop(f"The AWS credentials were refused in {target.region} ({_code(error)}).") from None
    partition = identity["Arn"].split(":")[1]
    if partition != target.partition:
        raise Stop(f"The credentials are for the {partition} partition, but {target.region} is in {target.partition}.")
    if target.account and identity["Account"] != target.account:
        raise Stop(f"The credentials are for account {identity['Account']}, but {target.name} is in {target.account}.")
    return str(identity["Account"])


def check_token_secret(target: Target, session: Any) -> None:
    if not target.token_parameter:
        raise Stop(f"{target.name} names no token secret (TOKEN_SECRET_PARAMETER).")
    ssm = session.client("ssm", endpoint_url=endpoint_url())
    try:
        parameter = ssm.get_parameter(Name=target.token_parameter)["Parameter"]
    except ClientError as error:
        if _code(error) == "ParameterNotFound":
            raise Stop(
                f"The token secret {target.token_parameter} does not exist: create it (docs/deploy.md)."
            ) from None
        raise Stop(f"The token secret {target.token_parameter} cannot be read ({_code(error)}).") from None
    if parameter["Type"] != "SecureString":
        raise Stop(f"The token secret {target.token_parameter} is a {parameter['Type']}, not a SecureString.")


def check_bucket(target: Target, session: Any) -> None:
    """Ours (a redeploy) or free; anything else is someone else's name."""
    s3 = session.client("s3", endpoint_url=endpoint_url())
    if target.bucket in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
        return
    try:
        s3.head_bucket(Bucket=target.bucket)
    except ClientError as error:
        if _code(error) in ("404", "NoSuchBucket", "NotFound"):
            return
    raise Stop(f"The bucket name {target.bucket} is taken by another account: choose another name for {target.name}.")


def preflight(target: Target, environment_region: str | None, session: Any, where_only: bool = False) -> str:
    """Every check in order (`where_only`: the region and the account, for `make destroy`); returns the
    account, or raises Stop with the first problem."""
    check_region(target, environment_region)
    if where_only:
        return check_account(target, session)
    check_china(target)
    account = check_account(target, session)
    check_token_secret(target, session)
    check_bucket(target, session)
    return account


def _code(error: Exception) -> str:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", "error"))
    return type(error).__name__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.preflight", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, help="the site (sites/SITE.json; its stage is named after it)")
    parser.add_argument("--where-only", action="store_true", help="only the region and the account (make destroy)")
    args = parser.parse_args(argv)
    import boto3

    from ops.site import SiteError

    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    try:
        target = target_for_site(args.stage)
    except SiteError as error:
        print(f"preflight: {error}.", file=sys.stderr)
        return 2
    try:
        account = preflight(target, region, boto3.session.Session(region_name=target.region), args.where_only)
    except Stop as stop:
        print(f"preflight: {stop}", file=sys.stderr)
        return 2
    print(f"preflight: ok ({target.name}, account {account}, {target.region})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
