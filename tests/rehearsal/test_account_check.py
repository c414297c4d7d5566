"""The rehearsal fails when the account is not what `make deploy` should leave: a policy that is not the
generated one, an ARN of another partition, a route the app has and the API lacks. One real `make deploy`
against the rehearsal's moto server, then the account or the app changed, as drift or a bug would."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pytest

from chalicelib.config import PROJECT_DIR
from ops import account_check
from ops.expectations import expected
from ops.rehearsal import Failed, Rehearsal, Site, copy_project
from ops.rehearsal_moto import moto_server

SITE = Site("rehearsal-global", "us-east-1")


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rehearsal]:
    work = tmp_path_factory.mktemp("rehearsal")
    with moto_server(work / "moto.log") as endpoint:
        rehearsal = Rehearsal(copy_project(PROJECT_DIR, work / "project"), endpoint, work / "make.log")
        rehearsal.deploy(SITE)  # make deploy, the account checked (it raises Failed otherwise)
        yield rehearsal


def problems(rehearsal: Rehearsal, fresh: bool = False, **changed: object) -> list[str]:
    """What the account check finds; `fresh`: with the expectations derived again from the project as it is now."""
    wanted = (
        expected(rehearsal.project, SITE.name, SITE.region, rehearsal.runtime) if fresh else rehearsal.expected(SITE)
    )
    wanted = dataclasses.replace(wanted, **changed)  # type: ignore[arg-type]
    return account_check.problems(rehearsal.session(SITE), wanted, rehearsal.rest_api(SITE))


def test_the_deployed_account_is_as_expected(rehearsal: Rehearsal) -> None:
    assert problems(rehearsal) == []
    expected = rehearsal.expected(SITE)
    assert ("/articles/{article_id}", "GET") in expected.routes and len(expected.routes) > 40
    assert expected.schedules == {"fold_search": "rate(1 minute)"}
    # no CDN: the page counts its views, so no count_views function (ops/site_file.py, SiteSpec.counting)
    assert set(expected.functions) == {"api_handler", "editor_token", "process_photos", "fold_search"}


def test_a_policy_that_is_not_the_generated_one_fails_the_rehearsal(rehearsal: Rehearsal) -> None:
    iam = rehearsal.session(SITE).client("iam")
    role = rehearsal.expected(SITE).functions["process_photos"].role
    generated = rehearsal.expected(SITE).functions["process_photos"].policy
    wider = json.loads(json.dumps(generated))
    wider["Statement"].append({"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "*"})
    iam.put_role_policy(RoleName=role, PolicyName=role, PolicyDocument=json.dumps(wider))
    try:
        assert problems(rehearsal) == [f"role {role}: policy {role} is not the generated one"]
        with pytest.raises(Failed, match="is not the generated one"):
            rehearsal.check(SITE)
    finally:
        iam.put_role_policy(RoleName=role, PolicyName=role, PolicyDocument=json.dumps(generated))
    assert problems(rehearsal) == []


def test_a_missing_review_topic_fails_the_rehearsal(rehearsal: Rehearsal) -> None:
    """The stage tells reviewers through the site's review topic (REVIEW_TOPIC_ARN): it must exist."""
    topic = rehearsal.expected(SITE).environment["REVIEW_TOPIC_ARN"]
    assert topic == f"arn:aws:sns:{SITE.region}:{topic.split(':')[4]}:newsroom-{SITE.name}-reviews"
    sns = rehearsal.session(SITE).client("sns")
    sns.delete_topic(TopicArn=topic)
    try:
        assert problems(rehearsal) == [f"the review topic {topic} does not exist"]
    finally:
        sns.create_topic(Name=topic.rsplit(":", 1)[-1])
    assert problems(rehearsal) == []


def test_an_arn_of_another_partition_fails_the_rehearsal(rehearsal: Rehearsal) -> None:
    """A global stage's policies judged as a China site's: every arn:aws: is reported (aws/chalice#777)."""
    found = problems(rehearsal, partition="aws-cn")
    api_role = rehearsal.expected(SITE).functions["api_handler"].role
    assert any(
        p.startswith(f"role {api_role}: arn:aws:dynamodb:") and p.endswith("not in partition aws-cn") for p in found
    )
    assert any("Role is 'arn:aws:iam::" in p for p in found)  # the functions' roles too


def test_a_route_the_api_lacks_fails_the_rehearsal(rehearsal: Rehearsal) -> None:
    client = rehearsal.session(SITE).client("apigateway")
    api = rehearsal.rest_api(SITE)
    resource = next(r for r in client.get_resources(restApiId=api, limit=500)["items"] if r["path"] == "/feed.xml")
    integration = client.get_integration(restApiId=api, resourceId=resource["id"], httpMethod="GET")
    client.delete_method(restApiId=api, resourceId=resource["id"], httpMethod="GET")
    try:
        assert problems(rehearsal) == ["route GET /feed.xml is missing from the API"]
    finally:
        client.put_method(restApiId=api, resourceId=resource["id"], httpMethod="GET", authorizationType="NONE")
        client.put_integration(
            restApiId=api,
            resourceId=resource["id"],
            httpMethod="GET",
            type=integration["type"],
            integrationHttpMethod=integration["httpMethod"],
            uri=integration["uri"],
        )
    assert problems(rehearsal) == []


def test_a_route_added_to_the_app_is_expected_at_once(rehearsal: Rehearsal) -> None:
    """The routes come from the app itself: one more in a blueprint, not deployed, is reported missing."""
    blueprint = rehearsal.project / "chalicelib" / "routes" / "syndication.py"
    original = blueprint.read_text(encoding="utf-8")
    blueprint.write_text(
        original + '\n\n@routes.route("/humans.txt", methods=["GET"])\ndef humans() -> str:\n    return "staff"\n',
        encoding="utf-8",
    )
    try:
        assert "route GET /humans.txt is missing from the API" in problems(rehearsal, fresh=True)
    finally:
        blueprint.write_text(original, encoding="utf-8")


def test_what_the_rehearsal_writes_stays_in_its_copy(rehearsal: Rehearsal) -> None:
    """The checkout's own .chalice/deployed (a real site's record) and package cache are never written."""
    assert rehearsal.project != PROJECT_DIR
    assert (rehearsal.project / ".chalice" / "deployed" / f"{SITE.name}.json").exists()
    assert not (PROJECT_DIR / ".chalice" / "deployed" / f"{SITE.name}.json").exists()
    cache = (rehearsal.project / ".chalice" / "deployments").resolve()
    assert cache != (PROJECT_DIR / ".chalice" / "deployments").resolve() and any(cache.glob("*.zip"))
