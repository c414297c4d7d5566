"""The CDN in `make package STAGE=prod`'s stack: what is cached, what passes through, and a private bucket."""

from __future__ import annotations

import json

import pytest

from chalicelib.config import stage_environment
from ops.infra import load_template, resolve

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # AWS's managed policies, by their fixed ids
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"  # passes Authorization when nothing is cached
NEVER_CACHED = ("/api/*", "/admin*", "/views/*", "/preview/*")


@pytest.fixture(scope="module")
def merged(package):
    template = json.loads(package.template.read_text())
    parameters = {k: v["Default"] for k, v in template["Parameters"].items() if "Default" in v}
    assert parameters["CdnEnabled"] == "true"  # prod's CDN=on
    return resolve(template, parameters, {"UseCdn": True, "CdnCustomDomain": bool(parameters["CdnCertificateArn"])})


def test_pages_come_from_the_api_stage_cached_as_their_cache_control_says(merged):
    config = merged["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert origins["pages"]["DomainName"] == "${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}"  # its Fn::Sub
    assert origins["pages"]["OriginPath"] == "/api"  # chalice's api_gateway_stage
    assert origins["pages"]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    default = config["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "pages" and default["Compress"] is True
    assert default["AllowedMethods"] == ["GET", "HEAD"] and default["ViewerProtocolPolicy"] == "redirect-to-https"
    policy = merged["Resources"]["PagesCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert default["CachePolicyId"] == {"Ref": "PagesCachePolicy"}
    # Only the origin's Cache-Control makes a page cacheable (a page without one, or no-store, is not kept)
    assert policy["MinTTL"] == 0 and policy["DefaultTTL"] == 0 and policy["MaxTTL"] >= 60
    key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["EnableAcceptEncodingGzip"] and key["EnableAcceptEncodingBrotli"]
    assert key["QueryStringsConfig"] == {"QueryStringBehavior": "all"}  # ?cursor= pages are different pages
    assert key["HeadersConfig"] == {"HeaderBehavior": "none"} and key["CookiesConfig"] == {"CookieBehavior": "none"}


def test_api_admin_counting_and_previews_are_never_cached_and_pass_authorization(merged):
    config = merged["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    behaviours = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    for pattern in NEVER_CACHED:
        behaviour = behaviours[pattern]
        assert behaviour["CachePolicyId"] == CACHING_DISABLED, pattern
        if pattern == "/views/*":  # the counting function's URL: test_counting_goes_to_the_function_url_...
            assert behaviour["TargetOriginId"] == "counter"
            continue
        assert behaviour["TargetOriginId"] == "pages", pattern
        assert behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST, pattern  # Authorization, User-Agent
        assert {"POST", "PUT", "PATCH", "DELETE"} <= set(behaviour["AllowedMethods"]), pattern
        assert behaviour["ViewerProtocolPolicy"] == "https-only", pattern  # a redirect would lose a POST's body
    # Everything else falls to the pages' behaviour or the media's: nothing under /api or /admin is cached
    cached = [p for p in behaviours if p not in NEVER_CACHED]
    assert cached == ["/renditions/*"]
    assert behaviours["/renditions/*"]["TargetOriginId"] == "media"


def test_counting_goes_to_the_function_url_signed_by_the_distribution_and_only_it_may_call_it(merged, package):
    """/views/* reaches the count_views function's URL (no API Gateway request), never cached, POST allowed, with
    only the User-Agent (crawlers) and the payload hash origin access control signs with; the URL takes only
    signed requests (AWS_IAM), and only this distribution may invoke it."""
    resources = merged["Resources"]
    config = resources["Distribution"]["Properties"]["DistributionConfig"]
    views = {b["PathPattern"]: b for b in config["CacheBehaviors"]}["/views/*"]
    assert views["TargetOriginId"] == "counter" and views["CachePolicyId"] == CACHING_DISABLED
    assert "POST" in views["AllowedMethods"] and views["ViewerProtocolPolicy"] == "https-only"
    assert views["OriginRequestPolicyId"] == {"Ref": "CounterOriginRequestPolicy"}
    forwarded = resources["CounterOriginRequestPolicy"]["Properties"]["OriginRequestPolicyConfig"]
    headers = ["User-Agent", "x-amz-content-sha256"]
    assert forwarded["HeadersConfig"] == {"HeaderBehavior": "whitelist", "Headers": headers}
    assert forwarded["CookiesConfig"] == {"CookieBehavior": "none"}
    assert forwarded["QueryStringsConfig"] == {"QueryStringBehavior": "none"}

    origin = {o["Id"]: o for o in config["Origins"]}["counter"]
    url = {"Fn::GetAtt": ["CounterUrl", "FunctionUrl"]}  # https://{id}.lambda-url.{region}.on.aws/: its host
    assert origin["DomainName"] == {"Fn::Select": [2, {"Fn::Split": ["/", url]}]}
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
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
    distribution = "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"  # its Fn::Sub
    url_permission = resources["CounterUrlPermission"]["Properties"]
    invoke_permission = resources["CounterInvokePermission"]["Properties"]
    for permission in (url_permission, invoke_permission):
        assert permission["FunctionName"] == function and permission["Principal"] == "cloudfront.amazonaws.com"
        assert permission["SourceArn"] == distribution
    assert url_permission["Action"] == "lambda:InvokeFunctionUrl" and url_permission["FunctionUrlAuthType"] == "AWS_IAM"
    assert invoke_permission["Action"] == "lambda:InvokeFunction" and invoke_permission["InvokedViaFunctionUrl"] is True

    template = json.loads(package.template.read_text())["Resources"]
    counter = template["CountViews"]["Properties"]
    assert counter["Handler"] == "chalicelib.routes.counting.count_views" and counter["MemorySize"] == 256
    assert counter["Environment"]["Variables"]["COUNT_MODE"] == "beacon"
    assert "Events" not in counter  # nothing but its URL calls it: no API Gateway route


def test_with_the_cdn_the_bucket_is_read_only_by_the_distribution(merged):
    resources = merged["Resources"]
    media = {o["Id"]: o for o in resources["Distribution"]["Properties"]["DistributionConfig"]["Origins"]}["media"]
    assert media["OriginAccessControlId"] == {"Fn::GetAtt": ["MediaOriginAccessControl", "Id"]}
    statements = resources["MediaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert not [s for s in statements if s.get("Principal") in ("*", {"AWS": "*"})]
    (reader,) = statements
    assert reader["Principal"] == {"Service": "cloudfront.amazonaws.com"} and reader["Action"] == "s3:GetObject"
    assert reader["Resource"] == "arn:aws:s3:::newsroom-prod-media/renditions/*"
    source = reader["Condition"]["StringEquals"]["AWS:SourceArn"]
    assert source.endswith(":distribution/${Distribution}")
    block = resources["MediaBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert all(
        block[k] is True for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    )


def test_without_the_cdn_nothing_of_it_is_created_and_renditions_stay_public():
    template = load_template()
    cdn = {name for name, r in template["Resources"].items() if r.get("Condition") == "UseCdn"}
    assert cdn == {
        "Distribution",
        "MediaOriginAccessControl",
        "PagesCachePolicy",
        "CounterUrl",
        "CounterOriginAccessControl",
        "CounterOriginRequestPolicy",
        "CounterUrlPermission",
        "CounterInvokePermission",
    }
    assert template["Parameters"]["CdnEnabled"]["Default"] == "false"
    off = resolve(template["Resources"], {}, {"UseCdn": False})
    (public,) = off["MediaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert public["Principal"] == "*" and public["Resource"].endswith("/renditions/*")


def test_prod_serves_the_site_and_its_media_from_the_cdn_and_counts_from_the_page():
    env = stage_environment("prod")
    assert env["CDN"] == "on" and env["COUNT_MODE"] == "beacon"
    assert env.get("SITE_BASE_PATH", "") == ""  # the distribution's root, not API Gateway's stage path
    assert env["MEDIA_BASE_URL"] == env["SITE_URL"]  # renditions come through the distribution's /renditions/*


def test_make_deploy_refuses_a_stage_whose_cdn_only_make_package_creates():
    """prod has CDN=on: `make deploy` (provision, then chalice deploy) would leave its pages pointing at a
    distribution nobody created, so it stops at once, before any AWS call, and says what to do."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "--stage", "prod", "provision"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "CDN=on" in done.stderr and "make package" in done.stderr
