"""Least privilege: every AWS call each function makes is allowed by its site's policy, nothing more.

The calls are recorded from the real code paths (reader pages, the editors'
API, photo processing) by observing botocore, then matched like IAM would
against the policies ops/site.py generates for each example site from
infra/policies/ (in the site's partition, region and account).
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import botocore.client
import pytest
from chalice.local import LambdaContext

from ops.lambda_package import SERVICES
from ops.site import SiteSpec, generate, load
from ops.site import policy as site_policy
from ops.tracing import XRAY_ACTIONS
from tests.api_helpers import bearer, call, make_editor
from tests.events import s3_notification, scheduled_event, sqs_event
from tests.photo_files import camera_jpeg
from tests.site import make_categories

ROOT = Path(__file__).resolve().parents[2]
# Operations whose IAM action has another name.
ACTION_OF = {"s3:HeadObject": "s3:GetObject", "s3:CopyObject": "s3:PutObject"}  # a copy also reads its source
TRANSACT_ACTION = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


SITES = ("example-global", "example-china")


def policy(site: str, function: str) -> dict[str, Any]:
    return site_policy(load(site), function)


def arn(site: str, service: str, resource: str, account: str | None = None) -> str:
    """An ARN of the site's partition and region (S3's name neither)."""
    spec = load(site)
    if service == "s3":
        return f"arn:{spec.partition}:s3:::{resource}"
    return f"arn:{spec.partition}:{service}:{spec.region}:{account or spec.account}:{resource}"


def allowed(document: dict[str, Any], action: str, resource: str) -> bool:
    for statement in document["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if (
            statement["Effect"] == "Allow"
            and any(fnmatch.fnmatchcase(action, a) for a in actions)
            and any(fnmatch.fnmatchcase(resource, r) for r in resources)
        ):
            return True
    return False


class Recorder:
    """(action, resource ARN) of each AWS call, with local names mapped to the site's."""

    def __init__(self, site: str) -> None:
        self.site = site
        self.spec: SiteSpec = load(site)
        self.calls: set[tuple[str, str]] = set()
        self.services: set[str] = set()

    def __call__(self, client: Any, operation: str, params: dict[str, Any]) -> None:
        service = client.meta.service_model.signing_name
        self.services.add(client.meta.service_model.service_name)
        if operation == "TransactWriteItems":  # IAM authorises each item's own action on its table
            for item in params["TransactItems"]:
                for kind, write in item.items():
                    self(client, TRANSACT_ACTION[kind], write)
            return
        action = ACTION_OF.get(f"{service}:{operation}", f"{service}:{operation}")
        for resource in self._resources(service, params):
            self.calls.add((action, arn(self.site, service, self._renamed(resource))))

    def _renamed(self, resource: str) -> str:
        resource = resource.replace("newsroom-local-media", self.spec.bucket)
        return resource.replace("/newsroom/local/", f"/newsroom/{self.site}/").replace(
            "newsroom-local-", f"{self.spec.prefix}-"
        )

    def _resources(self, service: str, params: dict[str, Any]) -> list[str]:
        if service == "dynamodb":
            tables = list(params.get("RequestItems", {})) or [params["TableName"]]
            index = f"/index/{params['IndexName']}" if params.get("IndexName") else ""
            return [f"table/{t}{index}" for t in tables]
        if service == "s3":
            return [f"{params['Bucket']}/{params.get('Key', '')}"]
        if service == "sqs":
            return [params["QueueUrl"].rsplit("/", 1)[-1]]
        if service == "ssm":
            return [f"parameter{params['Name']}"]
        if service == "sns":
            return [params["TopicArn"].rsplit(":", 1)[-1]]
        raise AssertionError(f"unexpected AWS service {service}")


@pytest.fixture
def record(monkeypatch):
    recorders: list[Recorder] = []
    original = botocore.client.BaseClient._make_api_call

    def observed(client: Any, operation: str, params: dict[str, Any]) -> Any:
        for recorder in recorders:
            recorder(client, operation, params)
        return original(client, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", observed)

    def start(site: str) -> Recorder:
        recorders.clear()
        recorders.append(Recorder(site))
        return recorders[0]

    return start


def expect(status: int, client, method: str, path: str, body=None, headers=None):
    """A JSON request that must succeed as planned: a failed call would record fewer AWS calls and prove less."""
    response = call(client, method, path, body, headers)
    assert response.status_code == status, (method, path, response.status_code, response.body)
    return response


def exercise_api(client) -> None:
    """Every route of the API function: pages, login, articles, categories, photos."""
    from tests.api_helpers import PASSWORD

    expect(401, client, "POST", "/api/session", {"username": "editor", "password": "wrong"})
    session = expect(200, client, "POST", "/api/session", {"username": "editor", "password": PASSWORD}).json
    auth = {"Authorization": f"Bearer {session['token']}"}
    form = expect(
        201, client, "POST", "/api/photos", {"filename": "a.jpg", "content_type": "image/jpeg", "size": 10}, auth
    ).json
    body = {"title": "标题", "category": "industry", "body": [{"type": "photo", "photo_id": form["photo_id"]}]}
    created = expect(201, client, "POST", "/api/articles", body, auth).json
    expect(200, client, "PUT", f"/api/articles/{created['id']}", {**body, "version": 1}, auth)
    expect(200, client, "POST", f"/api/articles/{created['id']}/publish", None, auth)
    for path in ("/", "/news/news", "/news/industry", f"/articles/{created['id']}"):
        assert client.http.get(path).status_code == 200, path
    assert client.http.get("/plus/view.php?aid=1").status_code == 404  # an old site's URL: the legacy table
    expect(200, client, "GET", "/api/articles?category=industry", headers=auth)
    expect(200, client, "GET", "/api/articles", headers=auth)
    expect(200, client, "GET", "/api/articles?status=scheduled", headers=auth)
    expect(200, client, "GET", "/api/photos", headers=auth)
    link = expect(200, client, "POST", f"/api/articles/{created['id']}/preview", None, auth).json["url"]
    assert client.http.get(link).status_code == 200
    expect(200, client, "GET", f"/api/photos/{form['photo_id']}", headers=auth)
    expect(200, client, "PUT", "/api/categories/events", {"name": "活动"}, auth)
    expect(200, client, "PUT", "/api/categories/industry", {"name": "行业", "parent": "policy"}, auth)
    expect(200, client, "PUT", "/api/categories/industry", {"name": "行业动态", "parent": "policy"}, auth)  # a check
    expect(200, client, "GET", "/api/categories", headers=auth)
    expect(204, client, "DELETE", "/api/categories/events", None, auth)
    expect(409, client, "DELETE", "/api/categories/policy", None, auth)  # in use
    expect(200, client, "GET", "/api/me", headers=auth)
    expect(201, client, "POST", "/api/editors", {"username": "li.na", "password": "long enough pw"}, auth)
    expect(200, client, "GET", "/api/editors", headers=auth)
    expect(200, client, "PUT", "/api/editors/li.na", {"disabled": True}, auth)
    expect(200, client, "POST", f"/api/articles/{created['id']}/unpublish", None, auth)
    exercise_workflow(client, auth, created["id"])
    exercise_housekeeping(client, auth, created["id"], form["photo_id"])
    exercise_intake(client, auth)
    expect(204, client, "DELETE", "/api/session", None, auth)


def exercise_housekeeping(client, auth: dict[str, str], article_id: str, photo_id: str) -> None:
    """The trash, bulk actions and deleting a photo (chalicelib/routes/editors_housekeeping.py)."""
    expect(200, client, "GET", "/api/articles?title=标", headers=auth)
    bulk = {"action": "move", "ids": [article_id], "category": "industry"}
    assert expect(200, client, "POST", "/api/articles/bulk", bulk, auth).json["results"][0]["ok"]
    expect(204, client, "DELETE", f"/api/articles/{article_id}", None, auth)
    expect(200, client, "GET", "/api/trash", headers=auth)
    expect(409, client, "DELETE", f"/api/photos/{photo_id}", None, auth)  # the trashed article shows it
    expect(200, client, "POST", f"/api/trash/{article_id}/restore", None, auth)
    expect(204, client, "DELETE", f"/api/articles/{article_id}", None, auth)
    expect(204, client, "DELETE", f"/api/trash/{article_id}", None, auth)  # for good
    expect(204, client, "DELETE", f"/api/photos/{photo_id}", None, auth)
    digest = "0" * 64
    start = {"filename": "a.jpg", "content_type": "image/jpeg", "size": 10, "sha256": digest}
    expect(201, client, "POST", "/api/photos", start, auth)


def exercise_workflow(client, auth: dict[str, str], article_id: str) -> None:
    """The editorial workflow's routes (issue 25): word lists, review, revisions, the audit trail."""
    article = f"/api/articles/{article_id}"
    expect(200, client, "PUT", "/api/word-lists/ads", {"name": "广告法", "mode": "warn", "words": ["最佳"]}, auth)
    expect(200, client, "GET", f"{article}/word-check", headers=auth)
    expect(200, client, "PUT", "/api/settings/review", {"review_levels": 1}, auth)
    expect(200, client, "POST", f"{article}/submit", None, auth)
    expect(200, client, "GET", "/api/reviews", headers=auth)
    expect(200, client, "POST", "/api/reviews/approve", {"articles": [article_id]}, auth)
    revisions = expect(200, client, "GET", f"{article}/revisions", headers=auth).json["revisions"]
    first = revisions[-1]["id"]
    expect(200, client, "GET", f"{article}/revisions/{first}", headers=auth)
    expect(200, client, "GET", f"{article}/revisions/{first}/diff", headers=auth)
    expect(200, client, "PUT", f"{article}/revisions/{first}/pin", {"pinned": True}, auth)
    expect(200, client, "POST", f"{article}/revisions/{first}/restore", None, auth)  # a draft: at once
    expect(200, client, "POST", f"{article}/publish", {"reason": "急"}, auth)
    expect(200, client, "POST", f"{article}/revisions/{first}/restore", None, auth)  # published: pending
    expect(200, client, "POST", f"{article}/publish", {"reason": "急"}, auth)  # applies it
    expect(200, client, "POST", f"{article}/unpublish", None, auth)
    expect(200, client, "POST", "/api/session/refresh", None, auth)
    expect(200, client, "GET", "/api/audit?action=login", headers=auth)
    expect(200, client, "GET", f"/api/audit?object={article_id}", headers=auth)
    expect(200, client, "GET", "/api/audit?actor=editor", headers=auth)
    assert client.http.get("/api/audit.csv", headers=auth).status_code == 200


def exercise_intake(client, auth: dict[str, str]) -> None:
    """The intake routes (chalicelib/routes/intake.py): a remote image fetched into a photo, by its content."""
    import requests

    from tests import wechat_fixtures
    from tests.fixture_server import loopback_allowed, serving
    from tests.photo_files import camera_jpeg

    with serving({"/a/640?wx_fmt=jpeg": (200, {}, camera_jpeg(64, 48))}) as images, loopback_allowed(images.pair):
        expect(201, client, "POST", "/api/photos/fetch", {"url": f"{images.origin}/a/640?wx_fmt=jpeg"}, auth)
        images.routes.update(wechat_fixtures.routes(images.origin, photos=2))
        wechat = {"url": f"{images.origin}/s/AbCdEfGh123", "category": "industry"}
        expect(201, client, "POST", "/api/imports/wechat", wechat, auth)
    for name, data in (
        ("报名表.pdf", b"%PDF-1.7 form"),
        ("报名表.pdf", b"MZ not a pdf"),
        ("会.mp4", b"\0\0\0\x18ftypmp42"),
    ):
        form = expect(201, client, "POST", "/api/attachments", {"filename": name, "size": len(data)}, auth).json
        upload = form["upload"]
        requests.post(upload["url"], data=upload["fields"], files={"file": ("f", data)}, timeout=10).raise_for_status()
        good = not data.startswith(b"MZ")
        expect(200 if good else 400, client, "POST", f"/api/attachments/{form['attachment_id']}/complete", None, auth)
        if name.endswith(".pdf") and good:
            assert client.http.get(f"/files/{form['attachment_id']}").status_code == 302
            expect(200, client, "GET", f"/api/attachments/{form['attachment_id']}", headers=auth)


@pytest.mark.parametrize("site", SITES)
def test_the_api_function_may_make_every_call_it_makes(client, record, site):
    make_editor(role="admin")  # set-up by ops, not by the function
    make_categories()
    recorder = record(site)
    exercise_api(client)
    document = policy(site, "api")
    assert {a for a, _ in recorder.calls} >= {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "dynamodb:ConditionCheckItem",
    }
    denied = sorted(c for c in recorder.calls if not allowed(document, *c))
    assert not denied
    assert recorder.services <= set(SERVICES)  # the package keeps these services' botocore models
    # Presigned POST uploads are made with the function's credentials: it must be allowed to put them.
    assert allowed(document, "s3:PutObject", arn(site, "s3", f"{load(site).bucket}/uploads/abc"))
    # Behind the CDN it reads the front door's secret (chalicelib/client_address.py), and no other parameter.
    assert allowed(document, "ssm:GetParameter", arn(site, "ssm", f"parameter/newsroom/{site}/origin-secret"))
    assert not allowed(document, "ssm:GetParameter", arn(site, "ssm", "parameter/newsroom/other-site/origin-secret"))


@pytest.mark.parametrize("site", SITES)
def test_the_api_may_tell_reviewers_on_its_sites_review_topic_only(client, record, configure, site):
    """A submitted article is published to the site's review topic (REVIEW_TOPIC_ARN, as the site's stage sets
    it): the policy allows exactly that topic's Publish, in the site's partition; not the alerts, not another's."""
    import boto3

    from ops.site import environment

    spec = load(site)
    topic = environment(spec)["REVIEW_TOPIC_ARN"]
    assert topic == f"arn:{spec.partition}:sns:{spec.region}:{spec.account}:{spec.prefix}-reviews"
    configure(REVIEW_TOPIC_ARN=boto3.client("sns").create_topic(Name="newsroom-local-reviews")["TopicArn"])
    make_editor(role="admin")
    make_categories()
    recorder = record(site)
    exercise_api(client)
    published = {(action, resource) for action, resource in recorder.calls if action.startswith("sns:")}
    assert published == {("sns:Publish", topic)}
    document = policy(site, "api")
    assert allowed(document, "sns:Publish", topic)
    assert not allowed(document, "sns:Publish", arn(site, "sns", f"{spec.prefix}-alerts"))
    assert not allowed(document, "sns:Publish", arn(site, "sns", "newsroom-other-reviews"))
    assert not allowed(document, "sns:Subscribe", topic)
    assert recorder.services <= set(SERVICES)


@pytest.mark.parametrize("site", SITES)
def test_the_api_may_only_append_to_the_audit_trail_and_search_it(client, record, site):
    """Every editor action appends a record (PutItem) and admins search them (Query on its indexes): the
    recorded calls on the audit table are exactly those, and the policy refuses any change or removal."""
    make_editor(role="admin")
    make_categories()
    recorder = record(site)
    exercise_api(client)
    audit = arn(site, "dynamodb", f"table/{load(site).prefix}-audit")
    on_audit = {(action, resource) for action, resource in recorder.calls if resource.startswith(audit)}
    assert on_audit == {
        ("dynamodb:PutItem", audit),
        ("dynamodb:Query", f"{audit}/index/by-time"),
        ("dynamodb:Query", f"{audit}/index/by-actor"),
        ("dynamodb:Query", f"{audit}/index/by-object"),
    }
    document = policy(site, "api")
    assert all(allowed(document, *call) for call in on_audit)
    for action in (
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:Scan",
        "dynamodb:DeleteTable",
        "dynamodb:UpdateTable",
        "dynamodb:UpdateTimeToLive",
        "dynamodb:PartiQLUpdate",
        "dynamodb:PartiQLDelete",
    ):
        assert not allowed(document, action, audit), action
    assert not allowed(document, "dynamodb:Query", audit)  # the table itself: only its indexes are searched


@pytest.mark.parametrize("site", SITES)
def test_the_photo_function_may_make_every_call_it_makes(client, record, site):
    import boto3

    from chalicelib.config import get_settings

    make_categories()
    auth = bearer(make_editor())
    form = expect(
        201, client, "POST", "/api/photos", {"filename": "a.jpg", "content_type": "image/jpeg", "size": 10}, auth
    ).json
    body = {"title": "标题", "category": "industry", "body": [{"type": "photo", "photo_id": form["photo_id"]}]}
    expect(201, client, "POST", "/api/articles", body, auth)
    key = f"uploads/{form['photo_id']}"
    boto3.client("s3").put_object(Bucket=get_settings().media_bucket, Key=key, Body=camera_jpeg(700, 500))
    recorder = record(site)
    assert client.lambda_.invoke("process_photos", sqs_event(s3_notification(key, 1))).payload == {
        "batchItemFailures": []
    }
    actions = {a for a, _ in recorder.calls}
    assert {"s3:GetObject", "s3:PutObject", "dynamodb:UpdateItem"} <= actions
    document = policy(site, "photos")
    assert not sorted(c for c in recorder.calls if not allowed(document, *c))
    assert recorder.services <= set(SERVICES)
    queue = arn(site, "sqs", load(site).queue)
    for action in ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"):  # the SQS trigger's needs
        assert allowed(document, action, queue)


def test_the_counting_function_may_make_every_call_it_makes_and_nothing_else(client, record, configure):
    """Behind the global CDN it counts (one conditional UpdateItem on counters, its per-client guard), refuses
    what is not published (GetItem on articles) and answers crawlers the count (GetItem on counters): no other
    action, table or service. (A China site has no such function: it counts through the API's route, under the
    API's policy.)"""
    from tests.site import make_article
    from tests.test_counting_function import invoke
    from tests.test_view_counting import CRAWLERS

    site = "example-global"
    assert "counter" in load(site).functions and "counter" not in load("example-china").functions
    configure(COUNT_MODE="beacon")
    make_categories()
    make_article("live")
    recorder = record(site)
    assert invoke("/views/live")["statusCode"] == 200
    assert invoke("/views/live", user_agent=CRAWLERS[0])["statusCode"] == 200
    assert invoke("/views/unknown")["statusCode"] == 404
    articles, counters = (
        arn(site, "dynamodb", f"table/{load(site).tables[kind]}") for kind in ("articles", "counters")
    )
    assert recorder.calls == {
        ("dynamodb:GetItem", articles),
        ("dynamodb:UpdateItem", counters),
        ("dynamodb:GetItem", counters),
    }
    document = policy(site, "counter")
    assert all(allowed(document, *call) for call in recorder.calls)
    for action in ("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan"):
        assert not allowed(document, action, counters), action
    assert not allowed(document, "dynamodb:UpdateItem", articles)
    for table in ("editors", "photos", "categories", "logins", "legacy"):
        assert not allowed(document, "dynamodb:GetItem", arn(site, "dynamodb", f"table/newsroom-{site}-{table}"))
    assert not allowed(document, "s3:GetObject", arn(site, "s3", f"{load(site).bucket}/renditions/x/320.jpg"))
    assert not allowed(document, "ssm:GetParameter", arn(site, "ssm", f"parameter/newsroom/{site}/token-secret"))
    assert recorder.services <= set(SERVICES)


@pytest.mark.parametrize("site", SITES)
def test_the_authorizer_may_read_only_its_secret_and_the_editors(site):
    """It reads the editor behind each token (revoked, disabled, role), and changes nothing."""
    document = policy(site, "authorizer")
    assert allowed(document, "ssm:GetParameter", arn(site, "ssm", f"parameter/newsroom/{site}/token-secret"))
    assert not allowed(document, "ssm:GetParameter", arn(site, "ssm", "parameter/other"))
    assert not allowed(document, "ssm:GetParameter", arn(site, "ssm", f"parameter/newsroom/{site}/origin-secret"))
    editors = arn(site, "dynamodb", f"table/newsroom-{site}-editors")
    assert allowed(document, "dynamodb:GetItem", editors)
    assert not allowed(document, "dynamodb:GetItem", arn(site, "dynamodb", f"table/newsroom-{site}-editors", "1"))
    assert not allowed(document, "dynamodb:UpdateItem", editors)
    assert not allowed(document, "dynamodb:GetItem", arn(site, "dynamodb", f"table/newsroom-{site}-articles"))


@pytest.mark.parametrize("site", SITES)
def test_the_search_fold_may_make_every_call_it_makes_and_nothing_else(record, site):
    """Every minute it scans the pending index, reads those articles, writes the index file back, clears the
    marks and deletes the tombstones: the index file, the articles table for that, nothing else."""
    from chalicelib import editorial
    from chalicelib.routes.schedules import fold_search
    from tests.site import make_article

    make_categories()
    make_article("live")  # a mark
    make_article("gone")
    editorial.delete_article("gone")  # a tombstone
    recorder = record(site)
    context = LambdaContext(function_name=f"newsroom-{site}-fold_search", memory_size=1024, max_runtime_ms=120000)
    fold_search(scheduled_event(), context)
    bucket = arn(site, "s3", load(site).bucket)
    actions = {action for action, _ in recorder.calls}
    assert actions == {
        "s3:GetObject",
        "s3:PutObject",
        "dynamodb:Scan",
        "dynamodb:BatchGetItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
    }
    table = arn(site, "dynamodb", f"table/{load(site).tables['articles']}")
    document = policy(site, "search")
    assert all(allowed(document, *call) for call in recorder.calls), recorder.calls
    assert {resource for _, resource in recorder.calls} <= {
        f"{bucket}/search/index.sqlite3.gz",
        table,
        f"{table}/index/search-pending",
    }
    assert not allowed(document, "s3:GetObject", f"{bucket}/renditions/x/320.jpg")
    assert not allowed(document, "s3:PutObject", f"{bucket}/uploads/x")
    assert not allowed(document, "dynamodb:PutItem", table)
    assert not allowed(document, "dynamodb:Query", f"{table}/index/editorial")
    # What IAM's conditions add (the matcher above reads no conditions): marks only, tombstones only.
    conditions = {statement["Sid"]: statement.get("Condition") for statement in document["Statement"]}
    assert conditions["ClearPendingMarks"] == {
        "ForAllValues:StringEquals": {"dynamodb:Attributes": ["id", "search_pending"]}
    }
    assert conditions["DeleteTombstones"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["search-removed:*"]}}
    assert recorder.services == {"s3", "dynamodb"}


FUNCTIONS = {
    "api": "api_handler",
    "authorizer": "editor_token",
    "photos": "process_photos",
    "counter": "count_views",
    "search": "fold_search",
}
POLICIES = [(site, function) for site in SITES for function in FUNCTIONS]


def test_every_policy_template_is_checked():
    assert sorted(path.stem for path in (ROOT / "infra" / "policies").glob("*.json")) == sorted(FUNCTIONS)
    assert not list((ROOT / ".chalice").glob("policy-*.json")), "policies are generated per site, never written by hand"


@pytest.mark.parametrize("site", SITES)
def test_each_site_deploys_its_functions_with_its_own_generated_policies(site, tmp_path):
    """The generated project's stage, named after the site, gives each function its policy file, as rendered."""
    spec = load(site)
    project = generate(spec, build_dir=tmp_path)
    config = json.loads((project / ".chalice" / "config.json").read_text())["stages"][site]
    assert config["autogen_policy"] is False and config["iam_policy_file"] == "policy-api.json"
    files = {name: settings["iam_policy_file"] for name, settings in config["lambda_functions"].items()}
    deployed = {k: v for k, v in FUNCTIONS.items() if k != "counter" or spec.counting == "function"}
    assert files == {name: f"policy-{function}.json" for function, name in deployed.items()}
    for function in deployed:
        written = json.loads((project / ".chalice" / f"policy-{function}.json").read_text())
        assert written == policy(site, function)
    assert sorted(p.name for p in (project / ".chalice").glob("policy-*.json")) == sorted(files.values())


@pytest.mark.parametrize("site, function", POLICIES)
def test_no_wildcard_actions_and_no_resource_beyond_the_site_in_its_partition(site, function):
    spec = load(site)
    statements = policy(site, function)["Statement"]
    assert statements
    for statement in statements:
        assert not wildcards(statement), statement["Sid"]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        for resource in resources:
            assert resource != "*", statement["Sid"]  # X-Ray's permission is never in these files
            assert resource.startswith(f"arn:{spec.partition}:"), resource
            assert f":{spec.region}:{spec.account}:" in resource or resource.startswith(f"arn:{spec.partition}:s3:::")
            assert any(
                mark in resource for mark in (f"{spec.prefix}-", f"/newsroom/{site}/", f"/aws/lambda/{spec.prefix}")
            ), resource


def test_a_site_without_a_cdn_may_not_read_an_origin_secret():
    spec = replace(load("example-china"), cdn=False, certificate="x")
    assert "FrontDoorSecret" not in {s.get("Sid") for s in site_policy(spec, "api")["Statement"]}
    assert "FrontDoorSecret" in {s.get("Sid") for s in policy("example-china", "api")["Statement"]}


def wildcards(statement: dict[str, Any]) -> list[str]:
    """What is too broad in a statement: a wildcard action, or Resource "*" on any action but X-Ray's two.

    X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions: "*" is the only
    resource they can have (ops/tracing.py). The exception is for a statement of exactly those actions.
    """
    actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    found = [action for action in actions if "*" in action]
    if "*" in resources and not set(actions) <= set(XRAY_ACTIONS):
        found.append(f"Resource * for {', '.join(sorted(set(actions) - set(XRAY_ACTIONS)))}")
    return found


@pytest.mark.parametrize(
    "statement, too_broad",
    [
        ({"Action": list(XRAY_ACTIONS), "Resource": "*"}, []),
        ({"Action": "xray:PutTraceSegments", "Resource": "*"}, []),
        ({"Action": ["xray:PutTraceSegments", "s3:GetObject"], "Resource": "*"}, ["Resource * for s3:GetObject"]),
        ({"Action": "xray:GetTraceSummaries", "Resource": "*"}, ["Resource * for xray:GetTraceSummaries"]),
        (
            {"Action": "dynamodb:GetItem", "Resource": ["arn:aws:dynamodb:::table/t", "*"]},
            ["Resource * for dynamodb:GetItem"],
        ),
        ({"Action": "xray:*", "Resource": "*"}, ["xray:*", "Resource * for xray:*"]),
        ({"Action": "s3:*", "Resource": "arn:aws:s3:::newsroom-prod-media/*"}, ["s3:*"]),
    ],
)
def test_only_xrays_two_actions_may_have_every_resource(statement, too_broad):
    assert wildcards(statement) == too_broad


def test_every_policy_in_the_packaged_stacks_is_narrow(package, traced_template, china_template):
    """The roles chalice makes from the policy files, and X-Ray's policy when a site traces."""
    for template in (package.template, traced_template, china_template):
        resources = json.loads(template.read_text())["Resources"]
        documents = [
            policy["PolicyDocument"]
            for r in resources.values()
            if r["Type"] == "AWS::IAM::Role"
            for policy in r["Properties"].get("Policies", [])
        ]
        documents += [r["Properties"]["PolicyDocument"] for r in resources.values() if r["Type"] == "AWS::IAM::Policy"]
        assert len(documents) >= 3
        for document in documents:
            for statement in document["Statement"]:
                assert not wildcards(statement), (template, statement)


@pytest.mark.parametrize("site", SITES)
def test_every_function_may_write_its_own_logs(site):
    """chalice names the API function newsroom-<site>, the others newsroom-<site>-<name>."""
    for function, name in (
        ("api", f"newsroom-{site}"),
        ("authorizer", f"newsroom-{site}-editor_token"),
        ("photos", f"newsroom-{site}-process_photos"),
        ("counter", f"newsroom-{site}-count_views"),
        ("search", f"newsroom-{site}-fold_search"),
    ):
        group = arn(site, "logs", f"log-group:/aws/lambda/{name}")
        assert allowed(policy(site, function), "logs:CreateLogGroup", group), function
        assert allowed(policy(site, function), "logs:PutLogEvents", f"{group}:log-stream:2026/11/27/x"), function


@pytest.mark.parametrize("site", SITES)
def test_the_photo_function_cannot_touch_editors_or_write_uploads(site):
    bucket = load(site).bucket
    document = policy(site, "photos")
    assert not allowed(document, "dynamodb:GetItem", arn(site, "dynamodb", f"table/newsroom-{site}-editors"))
    assert not allowed(document, "s3:PutObject", arn(site, "s3", f"{bucket}/uploads/x"))
    assert not allowed(document, "s3:DeleteObject", arn(site, "s3", f"{bucket}/renditions/x/320.jpg"))
    api = policy(site, "api")
    assert not allowed(api, "s3:GetObject", arn(site, "s3", f"{bucket}/uploads/x"))
    assert not allowed(api, "dynamodb:Scan", arn(site, "dynamodb", f"table/newsroom-{site}-articles"))


def test_two_sites_share_no_resource():
    """Two sites deploy side by side from one checkout: no policy of one names a resource of the other."""
    glob, china = load("example-global"), load("example-china")
    assert glob.bucket != china.bucket and glob.stack_name != china.stack_name and glob.queue != china.queue
    assert not set(glob.tables.values()) & set(china.tables.values())
    other = load("example-china")
    for function in FUNCTIONS:
        text = json.dumps(policy("example-global", function))
        assert other.prefix not in text and other.bucket not in text, function
