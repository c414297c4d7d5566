"""The CDN in each profile's `make package` stack: what is cached, what passes through, a private bucket, the one
way each counts views, and the front door's secret on every request CloudFront sends the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ops.infra import load_template
from ops.site import load
from ops.stages import stage_environment

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # AWS's managed policies, by their fixed ids
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"  # passes Authorization when nothing is cached
NEVER_CACHED = ("/api/*", "/admin*", "/views/*", "/preview/*")
CDN_TYPES = {
    "global": {
        "AWS::CloudFront::Distribution",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::CachePolicy",
        "AWS::CloudFront::OriginRequestPolicy",
        "AWS::Lambda::Url",
    },
    # CloudFront China: no origin access control, no cache or origin request policies, no function URLs
    "china": {"AWS::CloudFront::Distribution", "AWS::CloudFront::CloudFrontOriginAccessIdentity"},
}


def resources_of(template: Path) -> dict[str, Any]:
    resources: dict[str, Any] = json.loads(template.read_text())["Resources"]
    return resources


def parameters_of(template: Path) -> dict[str, Any]:
    return {k: v.get("Default") for k, v in json.loads(template.read_text())["Parameters"].items()}


def config_of(template: Path) -> dict[str, Any]:
    config: dict[str, Any] = resources_of(template)["Distribution"]["Properties"]["DistributionConfig"]
    return config


@pytest.fixture
def global_template(package) -> Path:
    path: Path = package.template
    return path


@pytest.mark.parametrize("profile", ["global", "china"])
def test_each_profile_has_only_its_partitions_cdn_resources(request, profile):
    template = request.getfixturevalue("global_template" if profile == "global" else "china_template")
    base = load_template()["Resources"]
    types = {r["Type"] for name, r in resources_of(template).items() if name not in base}
    cdn = {t for t in types if t.startswith(("AWS::CloudFront::", "AWS::Lambda::Url"))}
    assert cdn == CDN_TYPES[profile]


@pytest.mark.parametrize("profile", ["global", "china"])
def test_pages_come_from_the_regional_api_stage_with_the_front_doors_secret(request, profile):
    template = request.getfixturevalue("global_template" if profile == "global" else "china_template")
    config = config_of(template)
    site = load("example-global" if profile == "global" else "example-china")
    origins = {o["Id"]: o for o in config["Origins"]}
    pages = origins["pages"]
    assert pages["DomainName"] == {"Fn::Sub": "${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}"}
    assert pages["OriginPath"] == "/api"  # chalice's api_gateway_stage
    assert pages["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    # CloudFormation resolves the secret from SSM when it deploys: its value is never in the template or the repo
    assert pages["OriginCustomHeaders"] == [
        {"HeaderName": "X-Newsroom-Origin", "HeaderValue": f"{{{{resolve:ssm:/newsroom/{site.site}/origin-secret}}}}"}
    ]
    assert config["Aliases"] == {"Ref": "CdnDomains"} and parameters_of(template)["CdnDomains"] == ",".join(
        site.domains
    )
    default = config["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "pages" and default["Compress"] is True
    assert default["AllowedMethods"] == ["GET", "HEAD"] and default["ViewerProtocolPolicy"] == "redirect-to-https"


def test_global_pages_are_cached_as_their_cache_control_says(global_template):
    default = config_of(global_template)["DefaultCacheBehavior"]
    assert default["CachePolicyId"] == {"Ref": "PagesCachePolicy"}
    policy = resources_of(global_template)["PagesCachePolicy"]["Properties"]["CachePolicyConfig"]
    # Only the origin's Cache-Control makes a page cacheable (a page without one, or no-store, is not kept)
    assert policy["MinTTL"] == 0 and policy["DefaultTTL"] == 0 and policy["MaxTTL"] >= 60
    key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["EnableAcceptEncodingGzip"] and key["EnableAcceptEncodingBrotli"]
    assert key["QueryStringsConfig"] == {"QueryStringBehavior": "all"}  # ?cursor= pages are different pages
    assert key["HeadersConfig"] == {"HeaderBehavior": "none"} and key["CookiesConfig"] == {"CookieBehavior": "none"}
    viewer = config_of(global_template)["ViewerCertificate"]
    assert viewer["AcmCertificateArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:acm:us-east-1:${AWS::AccountId}:certificate/${CdnCertificateId}"
    }
    assert parameters_of(global_template)["CdnCertificateId"] == load("example-global").certificate


def test_china_pages_are_cached_the_legacy_way_on_an_iam_server_certificate(china_template):
    """CloudFront China has no cache policies: ForwardedValues and TTLs, the same rules; its certificate is an IAM
    server certificate (no ACM for CloudFront there)."""
    config = config_of(china_template)
    default = config["DefaultCacheBehavior"]
    assert "CachePolicyId" not in default and (default["MinTTL"], default["DefaultTTL"]) == (0, 0)
    assert default["ForwardedValues"] == {"QueryString": True, "Cookies": {"Forward": "none"}}  # no headers: no Host
    assert config["ViewerCertificate"]["IamCertificateId"] == {"Ref": "ServerCertificateId"}
    assert parameters_of(china_template)["ServerCertificateId"] == load("example-china").server_certificate_id
    assert "IPV6Enabled" not in config and "PriceClass" not in config


def test_global_api_admin_counting_and_previews_are_never_cached_and_pass_authorization(global_template):
    behaviours = {b["PathPattern"]: b for b in config_of(global_template)["CacheBehaviors"]}
    for pattern in NEVER_CACHED:
        behaviour = behaviours[pattern]
        assert behaviour["CachePolicyId"] == CACHING_DISABLED, pattern
        if pattern == "/views/*":  # the counting function's URL: test_global_counting_goes_to_the_function_url_...
            assert behaviour["TargetOriginId"] == "counter"
            continue
        assert behaviour["TargetOriginId"] == "pages", pattern
        assert behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST, pattern  # Authorization, User-Agent
        assert {"POST", "PUT", "PATCH", "DELETE"} <= set(behaviour["AllowedMethods"]), pattern
        assert behaviour["ViewerProtocolPolicy"] == "https-only", pattern  # a redirect would lose a POST's body
    cached = [p for p in behaviours if p not in NEVER_CACHED]
    assert cached == ["/renditions/*"] and behaviours["/renditions/*"]["TargetOriginId"] == "media"


def test_china_api_admin_counting_and_previews_are_never_cached_and_reach_the_api(china_template):
    """Counting too goes to the API (POST /views/{id}): China has no function URLs."""
    behaviours = {b["PathPattern"]: b for b in config_of(china_template)["CacheBehaviors"]}
    for pattern in NEVER_CACHED:
        behaviour = behaviours[pattern]
        assert behaviour["TargetOriginId"] == "pages", pattern
        assert (behaviour["MinTTL"], behaviour["DefaultTTL"], behaviour["MaxTTL"]) == (0, 0, 0), pattern
        forwarded = behaviour["ForwardedValues"]
        assert {"Authorization", "User-Agent", "Content-Type"} <= set(forwarded["Headers"]), pattern
        assert "Host" not in forwarded["Headers"] and forwarded["QueryString"] is True, pattern
        assert {"POST", "PUT", "PATCH", "DELETE"} <= set(behaviour["AllowedMethods"]), pattern
        assert behaviour["ViewerProtocolPolicy"] == "https-only", pattern
    cached = [p for p in behaviours if p not in NEVER_CACHED]
    assert cached == ["/renditions/*"] and behaviours["/renditions/*"]["TargetOriginId"] == "media"
    api = resources_of(china_template)["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    assert "post" in api["/views/{article_id}"]  # the China profile's one counting door


def test_global_counting_goes_to_the_function_url_signed_by_the_distribution_and_only_it_may_call_it(
    global_template,
):
    """/views/* reaches the count_views function's URL (no API Gateway request), never cached, POST allowed, with
    only the User-Agent (crawlers) and the payload hash origin access control signs with; the URL takes only
    signed requests (AWS_IAM), and only this distribution may invoke it. The API has no counting route."""
    resources = resources_of(global_template)
    config = config_of(global_template)
    views = {b["PathPattern"]: b for b in config["CacheBehaviors"]}["/views/*"]
    assert views["TargetOriginId"] == "counter" and views["CachePolicyId"] == CACHING_DISABLED
    assert "POST" in views["AllowedMethods"] and views["ViewerProtocolPolicy"] == "https-only"
    assert views["OriginRequestPolicyId"] == {"Ref": "CounterOriginRequestPolicy"}
    forwarded = resources["CounterOriginRequestPolicy"]["Properties"]["OriginRequestPolicyConfig"]
    assert forwarded["HeadersConfig"] == {
        "HeaderBehavior": "whitelist",
        "Headers": ["User-Agent", "x-amz-content-sha256"],
    }
    assert forwarded["CookiesConfig"] == {"CookieBehavior": "none"}
    assert forwarded["QueryStringsConfig"] == {"QueryStringBehavior": "none"}

    origin = {o["Id"]: o for o in config["Origins"]}["counter"]
    url = {"Fn::GetAtt": ["CounterUrl", "FunctionUrl"]}  # https://{id}.lambda-url.{region}.on.aws/: its host
    assert origin["DomainName"] == {"Fn::Select": [2, {"Fn::Split": ["/", url]}]}
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["CounterOriginAccessControl", "Id"]}
    access = resources["CounterOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    assert (access["OriginAccessControlOriginType"], access["SigningBehavior"], access["SigningProtocol"]) == (
        "lambda",
        "always",
        "sigv4",
    )
    function = {"Ref": "CountViews"}  # chalice's count_views function in the same stack
    assert resources["CounterUrl"]["Properties"] == {
        "TargetFunctionArn": function,
        "AuthType": "AWS_IAM",
        "InvokeMode": "BUFFERED",
    }
    distribution = {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"}
    for name, action in (("CounterUrlPermission", "lambda:InvokeFunctionUrl"), ("CounterInvokePermission", None)):
        permission = resources[name]["Properties"]
        assert permission["FunctionName"] == function and permission["SourceArn"] == distribution
        assert permission["Principal"] == "cloudfront.amazonaws.com"  # rendered by ops/partitions.py
        assert permission["Action"] == (action or "lambda:InvokeFunction")
    counter = resources["CountViews"]["Properties"]
    assert counter["Handler"] == "chalicelib.routes.counting.count_views" and counter["MemorySize"] == 256
    assert counter["Environment"]["Variables"]["COUNT_MODE"] == "beacon"
    assert "Events" not in counter  # nothing but its URL calls it: no API Gateway route
    api = resources["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    assert "/views/{article_id}" not in api  # one counting door


@pytest.mark.parametrize("profile", ["global", "china"])
def test_with_the_cdn_the_bucket_is_read_only_by_the_distribution(request, profile):
    template = request.getfixturevalue("global_template" if profile == "global" else "china_template")
    resources = resources_of(template)
    statements = resources["MediaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert not [s for s in statements if s.get("Principal") in ("*", {"AWS": "*"})]
    (reader,) = statements
    assert reader["Action"] == "s3:GetObject"
    assert reader["Resource"] == {"Fn::Sub": "arn:${AWS::Partition}:s3:::${MediaBucketName}/renditions/*"}
    media = {o["Id"]: o for o in config_of(template)["Origins"]}["media"]
    if profile == "global":
        assert media["OriginAccessControlId"] == {"Fn::GetAtt": ["MediaOriginAccessControl", "Id"]}
        assert reader["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        source = reader["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
        assert source.endswith(":distribution/${Distribution}") and source.startswith("arn:${AWS::Partition}:")
    else:  # an origin access identity: the bucket trusts its canonical user
        identity = {"Fn::Sub": "origin-access-identity/cloudfront/${MediaOriginAccessIdentity}"}
        assert media["S3OriginConfig"] == {"OriginAccessIdentity": identity}
        assert reader["Principal"] == {
            "CanonicalUser": {"Fn::GetAtt": ["MediaOriginAccessIdentity", "S3CanonicalUserId"]}
        }
    block = resources["MediaBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert all(
        block[k] is True for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    )


def test_without_a_cdn_the_api_is_on_the_sites_domain_and_the_page_counts(direct_template):
    """`"cdn": false`: no CloudFront at all, the API on a regional custom domain (its ACM certificate in the
    site's region), renditions public in the bucket, and the article page counts its views (no beacon route)."""
    resources = resources_of(direct_template)
    assert not [r for r in resources.values() if r["Type"].startswith("AWS::CloudFront::")]
    domain = resources["ApiDomainName"]["Properties"]
    assert domain["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    assert domain["RegionalCertificateArn"]["Fn::Sub"].startswith("arn:${AWS::Partition}:acm:${AWS::Region}:")
    assert resources["ApiBasePathMapping"]["Properties"]["RestApiId"] == {"Ref": "RestAPI"}
    (public,) = resources["MediaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert public["Principal"] == "*" and public["Resource"]["Fn::Sub"].endswith("/renditions/*")
    api = resources["RestAPI"]["Properties"]
    assert "/views/{article_id}" not in api["DefinitionBody"]["paths"] and "CountViews" not in resources
    variables = resources["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert (variables["COUNT_MODE"], variables["CDN"], variables["TRUSTED_PROXY_HOPS"]) == ("server", "off", "0")
    assert variables["MEDIA_BASE_URL"].endswith(".amazonaws.com.cn")  # the bucket's host, in China's partition
    assert "ORIGIN_SECRET_PARAMETER" not in variables


@pytest.mark.parametrize("site", ["example-global", "example-china"])
def test_sites_with_a_cdn_serve_the_site_and_its_media_from_it_and_count_from_the_page(site):
    env = stage_environment(site)
    assert env["CDN"] == "on" and env["COUNT_MODE"] == "beacon" and env["TRUSTED_PROXY_HOPS"] == "1"
    assert env["VIEWS_DOOR"] == ("function" if site == "example-global" else "api")
    assert env.get("SITE_BASE_PATH", "") == ""  # the distribution's root, not API Gateway's stage path
    assert env["MEDIA_BASE_URL"] == env["SITE_URL"]  # renditions come through the distribution's /renditions/*


def test_make_deploy_refuses_a_site_whose_cdn_only_make_package_creates():
    """The global example has a CDN: `make deploy` (provision, then chalice deploy) would leave its pages pointing
    at a distribution nobody created, so it stops at once, before any AWS call, and says what to do."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "--stage", "example-global", "provision"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "CDN=on" in done.stderr and "make package" in done.stderr
