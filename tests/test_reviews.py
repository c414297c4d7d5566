"""Review before publishing: levels per site and category, submit, approve, return, and the API's publish gate."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import boto3
import pytest

from chalicelib import reviews
from chalicelib.errors import InvalidInput
from chalicelib.models import AuditModel
from tests.api_helpers import bearer, call, make_editor
from tests.test_editorial import articles_table, just_before, other_editor_saves

ARTICLE = {"title": "年会通知", "category": "industry", "body": [{"type": "paragraph", "text": "正文"}]}
# reviews.digest_of(ARTICLE): the fingerprint of its text, as every release stores it with an approval
DIGEST_OF_ARTICLE = "f716bd32c3bae5813877d5da651039a040ab1067673f3c9ae0b14714dd97dac2"


def people() -> dict[str, dict[str, str]]:
    for name in ("writer", "reviewer", "second", "editor2", "boss"):
        role = {"writer": "contributor", "reviewer": "reviewer", "second": "reviewer", "boss": "admin"}.get(
            name, "editor"
        )
        make_editor(name, role=role)
    return {name: bearer(name) for name in ("writer", "reviewer", "second", "editor2", "boss")}


def create(client, who) -> str:
    answer = call(client, "POST", "/api/articles", ARTICLE, who)
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def levels(client, admin, slug, value):
    category = {"name": slug, "review_levels": value}
    if slug == "industry":
        category["parent"] = "news"
    answer = call(client, "PUT", f"/api/categories/{slug}", category, admin)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_a_contributor_never_publishes_through_the_api(client, auth):
    who = people()
    article = create(client, who["writer"])
    refused = call(client, "POST", f"/api/articles/{article}/publish", None, who["writer"])
    assert (refused.status_code, refused.json) == (
        403,
        {"message": "contributors submit for review; a reviewer or an editor publishes", "code": "publish_forbidden"},
    )
    assert call(client, "GET", f"/api/articles/{article}", headers=who["boss"]).json["status"] == "draft"


def test_one_level_submit_return_resubmit_approve_publish_with_the_record(client, auth, caplog):
    who = people()
    assert levels(client, who["boss"], "news", 1)["review_levels"] == 1  # industry inherits it from news
    article = create(client, who["writer"])
    path = f"/api/articles/{article}"
    refused = call(client, "POST", f"{path}/publish", None, who["editor2"])
    assert refused.status_code == 409 and refused.json["code"] == "review_required"
    assert refused.json["missing"] == "level 1 approval"
    with caplog.at_level(logging.INFO):
        assert call(client, "POST", f"{path}/submit", {"comment": "请审"}, who["writer"]).status_code == 200
    assert any("review notification" in r.getMessage() for r in caplog.records)  # off locally: logged
    inbox = call(client, "GET", "/api/reviews", headers=who["reviewer"]).json["articles"]
    assert [(a["id"], a["level"], a["submitted_by"]) for a in inbox] == [(article, 1, "writer")]
    no_reason = call(client, "POST", f"{path}/review", {"decision": "return"}, who["reviewer"])
    assert no_reason.status_code == 400 and no_reason.json["field"] == "comment"
    returned = call(client, "POST", f"{path}/review", {"decision": "return", "comment": "标题太长"}, who["reviewer"])
    assert returned.status_code == 200 and returned.json["review"]["state"] == "returned"
    assert call(client, "GET", "/api/reviews", headers=who["reviewer"]).json["articles"] == []
    current = call(client, "GET", path, headers=who["writer"]).json
    call(client, "PUT", path, {**current, "title": "年会"}, who["writer"])
    call(client, "POST", f"{path}/submit", None, who["writer"])
    approved = call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"]).json
    assert approved["review"]["state"] == "approved"
    published = call(client, "POST", f"{path}/publish", None, who["editor2"])
    assert published.status_code == 200 and published.json["status"] == "published"
    steps = [(s["action"], s["by"], s.get("comment")) for s in published.json["review"]["steps"]]
    assert steps == [
        ("submit", "writer", "请审"),
        ("return", "reviewer", "标题太长"),
        ("submit", "writer", None),
        ("approve", "reviewer", None),
    ]
    reviews = [(r.actor, r.detail) for r in AuditModel.scan() if r.action == "article.review" and r.result == "success"]
    assert sorted(reviews) == [("reviewer", "decision=approve"), ("reviewer", "decision=return; comment=标题太长")]


def approved_at_level_one(client) -> tuple[dict, str, dict]:
    """The people, the path of an article approved at its category's one level, and the article as approved."""
    who = people()
    levels(client, who["boss"], "news", 1)
    path = f"/api/articles/{create(client, who['writer'])}"
    call(client, "POST", f"{path}/submit", None, who["writer"])
    call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"])
    return who, path, call(client, "GET", path, headers=who["writer"]).json


def test_an_approval_is_for_the_text_approved(client, auth):
    who, path, current = approved_at_level_one(client)
    same = call(client, "PUT", path, current, who["editor2"]).json  # the app saves before it publishes
    assert same["review"]["approval_current"] is True
    changed = call(client, "PUT", path, {**same, "title": "审核后偷改"}, who["writer"]).json
    assert changed["review"]["approval_current"] is False
    refused = call(client, "POST", f"{path}/publish", None, who["editor2"])
    assert refused.status_code == 409 and refused.json["missing"] == "level 1 approval"


def test_an_approval_is_for_the_body_approved_too(client, auth):
    who, path, current = approved_at_level_one(client)
    body = [{"type": "paragraph", "text": "正文（审核后改过）"}]
    changed = call(client, "PUT", path, {**current, "body": body}, who["writer"]).json  # the title as approved
    assert changed["review"]["approval_current"] is False
    refused = call(client, "POST", f"{path}/publish", None, who["editor2"])
    assert refused.status_code == 409 and refused.json["missing"] == "level 1 approval"


def test_the_fingerprint_stored_with_an_approval_stays_the_same_from_release_to_release(client, auth):
    """Each approval is stored with the fingerprint of the text approved (`approved_digest`): a release that
    computed it otherwise would drop every approval already given (approval_current false, publishing refused)."""
    from chalicelib.models import ArticleModel

    who = people()
    levels(client, who["boss"], "news", 1)
    article = create(client, who["writer"])
    call(client, "POST", f"/api/articles/{article}/submit", None, who["writer"])
    call(client, "POST", f"/api/articles/{article}/review", {"decision": "approve"}, who["reviewer"])
    stored = ArticleModel.get(article, consistent_read=True).review
    # sha256 of the sorted-key JSON, non-ASCII as UTF-8, of ARTICLE's title, category and body, the rest null
    assert stored["approved_digest"] == DIGEST_OF_ARTICLE


def test_two_levels_need_two_different_reviewers(client, auth):
    who = people()
    levels(client, who["boss"], "news", 0)
    levels(client, who["boss"], "industry", 2)  # its own, over its parent's
    article = create(client, who["writer"])
    path = f"/api/articles/{article}"
    call(client, "POST", f"{path}/submit", None, who["writer"])
    first = call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"]).json
    assert first["review"]["state"] == "submitted"
    again = call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"])
    assert again.status_code == 409 and again.json["code"] == "review_same_reviewer"
    refused = call(client, "POST", f"{path}/publish", None, who["reviewer"])
    assert refused.status_code == 409 and refused.json["missing"] == "level 2 approval"
    assert call(client, "GET", "/api/reviews", headers=who["second"]).json["articles"][0]["level"] == 2
    call(client, "POST", f"{path}/review", {"decision": "approve"}, who["second"])
    assert call(client, "POST", f"{path}/publish", None, who["reviewer"]).status_code == 200


def test_an_admin_publishes_without_approval_only_with_a_reason_that_is_kept(client, auth):
    who = people()
    call(client, "PUT", "/api/settings/review", {"review_levels": 1}, who["boss"])
    article = create(client, who["writer"])
    path = f"/api/articles/{article}/publish"
    refused = call(client, "POST", path, None, who["boss"])
    assert (refused.status_code, refused.json) == (
        409,
        {
            "message": "publishing needs 1 approval(s); missing: level 1 approval",
            "code": "review_required",
            "missing": "level 1 approval",
            "required": 1,
            "approvals": 0,
        },
    )
    assert call(client, "POST", f"/api/articles/{article}/submit", None, who["writer"]).status_code == 200
    published = call(client, "POST", path, {"reason": "紧急通知，秘书长电话同意"}, who["boss"])
    assert published.status_code == 200
    version = published.json["version"] - 1  # the version the admin published (publishing writes once more)
    submitted, step = published.json["review"]["steps"]
    assert submitted["action"] == "submit"  # the steps before stay
    assert (step["action"], step["by"], step["comment"], step["version"]) == (
        "publish_without_review",
        "boss",
        "紧急通知，秘书长电话同意",
        version,
    )
    review = published.json["review"]
    assert (review["state"], review["approved_version"], review["required"], review["approval_current"]) == (
        "approved",
        version,
        1,
        True,
    )
    # The text the admin let through counts as approved: taken down and put back, it needs no reason again.
    assert call(client, "POST", f"/api/articles/{article}/unpublish", None, who["boss"]).status_code == 200
    assert call(client, "POST", path, None, who["editor2"]).status_code == 200
    records = [r for r in AuditModel.scan() if r.action == "article.publish" and r.result == "success"]
    assert sorted(r.detail or "" for r in records) == ["", "reason=紧急通知，秘书长电话同意"]


def test_an_article_never_submitted_published_by_an_admin_has_the_one_step_and_nothing_else(client, auth):
    who = people()
    call(client, "PUT", "/api/settings/review", {"review_levels": 1}, who["boss"])
    article = create(client, who["writer"])
    published = call(client, "POST", f"/api/articles/{article}/publish", {"reason": "紧急"}, who["boss"]).json
    (step,) = published["review"]["steps"]
    assert published["review"] == {
        "state": "approved",
        "approvals": [],
        "steps": [
            {"action": "publish_without_review", "by": "boss", "at": step["at"], "version": 1, "comment": "紧急"}
        ],
        "approved_version": 1,
        "required": 1,
        "approval_current": True,
    }


def test_only_reviewers_and_admins_review_and_a_contributor_cannot_change_a_live_article(client, auth):
    who = people()
    call(client, "PUT", "/api/settings/review", {"review_levels": 1}, who["boss"])
    article = create(client, who["writer"])
    path = f"/api/articles/{article}"
    call(client, "POST", f"{path}/submit", None, who["writer"])
    refused = call(client, "POST", f"{path}/review", {"decision": "approve"}, who["editor2"])
    assert refused.status_code == 403
    assert call(client, "POST", f"{path}/review", {"decision": "approve"}, who["boss"]).status_code == 200
    assert call(client, "POST", f"{path}/publish", None, who["editor2"]).status_code == 200
    live = call(client, "GET", path, headers=who["writer"]).json
    assert call(client, "PUT", path, {**live, "title": "改"}, who["writer"]).status_code == 403
    assert call(client, "POST", f"{path}/unpublish", None, who["writer"]).status_code == 403


def test_batch_approve_answers_each_article(client, auth):
    who = people()
    call(client, "PUT", "/api/settings/review", {"review_levels": 1}, who["boss"])
    one, two, draft = create(client, who["writer"]), create(client, who["writer"]), create(client, who["writer"])
    for article in (one, two):
        call(client, "POST", f"/api/articles/{article}/submit", None, who["writer"])
    answer = call(client, "POST", "/api/reviews/approve", {"articles": [one, draft, two]}, who["reviewer"])
    assert answer.status_code == 200
    assert [(r["id"], r["ok"]) for r in answer.json["results"]] == [(one, True), (draft, False), (two, True)]
    assert answer.json["results"][1]["code"] == "review_not_submitted"
    assert call(client, "GET", "/api/reviews", headers=who["reviewer"]).json["articles"] == []
    for article in (one, two):
        assert call(client, "POST", f"/api/articles/{article}/publish", None, who["editor2"]).status_code == 200


def test_batch_approve_keeps_the_comment_and_records_each_outcome(client, auth):
    who = people()
    call(client, "PUT", "/api/settings/review", {"review_levels": 1}, who["boss"])
    ready, draft = create(client, who["writer"]), create(client, who["writer"])
    call(client, "POST", f"/api/articles/{ready}/submit", None, who["writer"])
    before = {r.id for r in AuditModel.scan()}
    body = {"articles": [ready, draft], "comment": "同意发布"}
    approved, refused = call(client, "POST", "/api/reviews/approve", body, who["reviewer"]).json["results"]
    assert (approved["id"], approved["ok"], approved["review"]["state"]) == (ready, True, "approved")
    assert [(s["action"], s["by"], s.get("comment")) for s in approved["review"]["steps"]][-1] == (
        "approve",
        "reviewer",
        "同意发布",
    )
    assert refused == {
        "id": draft,
        "ok": False,
        "status": 409,
        "message": "the article is not waiting for review",
        "code": "review_not_submitted",
    }
    records = sorted(
        (r.actor, r.action, r.object, r.result, r.client, r.detail) for r in AuditModel.scan() if r.id not in before
    )
    assert records == sorted(
        [
            ("reviewer", "article.review", ready, "success", "127.0.0.1", "decision=approve"),
            ("reviewer", "article.review", draft, "failure", "127.0.0.1", "the article is not waiting for review"),
        ]
    )


def test_levels_are_checked_and_shown_on_categories(client, auth):
    who = people()
    bad = call(client, "PUT", "/api/categories/news", {"name": "新闻", "review_levels": 3}, who["boss"])
    assert bad.status_code == 400 and bad.json["field"] == "review_levels"
    levels(client, who["boss"], "news", 2)
    listed = {
        c["slug"]: c["review_levels"]
        for c in call(client, "GET", "/api/categories", headers=who["writer"]).json["categories"]
    }
    assert listed["news"] == 2 and listed["industry"] is None  # inherits
    assert call(client, "PUT", "/api/settings/review", {"review_levels": 1}, who["writer"]).status_code == 403


def test_under_review_a_live_text_changes_only_through_review_or_an_admin(client, auth):
    who = people()
    levels(client, who["boss"], "news", 1)
    article = create(client, who["writer"])
    path = f"/api/articles/{article}"
    call(client, "POST", f"{path}/submit", None, who["writer"])
    call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"])
    assert call(client, "POST", f"{path}/publish", None, who["editor2"]).status_code == 200
    live = call(client, "GET", path, headers=who["editor2"]).json
    assert call(client, "PUT", path, live, who["editor2"]).status_code == 200  # the app's save, nothing changed
    changed = call(client, "PUT", path, {**live, "title": "改了线上标题"}, who["editor2"])
    assert changed.status_code == 409 and changed.json == {
        "message": "this article is live and its category needs review: unpublish it, then submit it",
        "code": "review_required_live",
    }
    assert call(client, "GET", path, headers=who["boss"]).json["title"] == ARTICLE["title"]
    current = call(client, "GET", path, headers=who["boss"]).json
    assert call(client, "PUT", path, {**current, "title": "管理员更正"}, who["boss"]).status_code == 200
    assert call(client, "POST", f"{path}/unpublish", None, who["editor2"]).status_code == 200


def test_trashing_a_waiting_article_takes_it_off_the_inbox_and_a_restored_one_is_submitted_afresh(client, auth):
    who = people()
    levels(client, who["boss"], "news", 1)
    article = create(client, who["writer"])
    path = f"/api/articles/{article}"
    assert call(client, "POST", f"{path}/submit", None, who["writer"]).status_code == 200
    assert [a["id"] for a in call(client, "GET", "/api/reviews", headers=who["reviewer"]).json["articles"]] == [article]
    assert call(client, "DELETE", path, None, who["boss"]).status_code in (200, 204)
    assert call(client, "GET", "/api/reviews", headers=who["reviewer"]).json["articles"] == []
    assert call(client, "POST", f"/api/trash/{article}/restore", None, who["boss"]).status_code == 200
    restored = call(client, "GET", path, headers=who["writer"]).json
    assert restored["status"] == "draft" and restored["review"]["state"] == "draft"
    assert call(client, "POST", f"{path}/submit", None, who["writer"]).status_code == 200
    assert [a["id"] for a in call(client, "GET", "/api/reviews", headers=who["reviewer"]).json["articles"]] == [article]


def test_a_half_approved_article_trashed_and_restored_keeps_no_approval(client, auth):
    """Two levels, one approval given, then the trash: the restored draft's record shows no approval
    (a new submission needs both again) and keeps its steps."""
    who = people()
    levels(client, who["boss"], "news", 2)
    article = create(client, who["writer"])
    path = f"/api/articles/{article}"
    assert call(client, "POST", f"{path}/submit", None, who["writer"]).status_code == 200
    assert call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"]).status_code == 200
    waiting = call(client, "GET", path, headers=who["writer"]).json["review"]
    assert waiting["state"] == "submitted" and [a["by"] for a in waiting["approvals"]] == ["reviewer"]
    assert call(client, "DELETE", path, None, who["boss"]).status_code in (200, 204)
    assert call(client, "POST", f"/api/trash/{article}/restore", None, who["boss"]).status_code == 200
    restored = call(client, "GET", path, headers=who["writer"]).json["review"]
    assert restored == {**waiting, "state": "draft", "approvals": []}


def test_the_inbox_lists_the_waiting_articles_oldest_submission_first(client, auth):
    who = people()
    levels(client, who["boss"], "news", 1)
    articles = sorted((create(client, who["writer"]) for _ in range(3)), reverse=True)  # submitted last id first
    for article in articles:
        assert call(client, "POST", f"/api/articles/{article}/submit", None, who["writer"]).status_code == 200
    inbox = call(client, "GET", "/api/reviews", headers=who["reviewer"]).json["articles"]
    assert [a["id"] for a in inbox] == articles


def test_refused_reviews_answer_their_message_code_and_field(client, auth):
    who = people()
    levels(client, who["boss"], "news", 2)
    article = create(client, who["writer"])
    path = f"/api/articles/{article}/review"
    call(client, "POST", f"/api/articles/{article}/submit", None, who["writer"])
    answers = [
        call(client, "POST", path, {"decision": "approve"}, who["editor2"]),
        call(client, "POST", path, {"decision": "publish"}, who["reviewer"]),
        call(client, "POST", path, {"decision": "return", "comment": "  "}, who["reviewer"]),
    ]
    call(client, "POST", path, {"decision": "approve"}, who["reviewer"])
    answers.append(call(client, "POST", path, {"decision": "approve"}, who["reviewer"]))
    assert [(a.status_code, a.json) for a in answers] == [
        (403, {"message": "only reviewers and admins review", "code": "review_forbidden_role"}),
        (400, {"message": "decision must be approve or return", "code": "review_decision", "field": "decision"}),
        (400, {"message": "say why it goes back", "code": "review_comment_required", "field": "comment"}),
        (409, {"message": "another reviewer must approve the next level", "code": "review_same_reviewer"}),
    ]


def test_each_decision_keeps_its_level_and_version_and_a_return_clears_the_approvals(client, auth):
    who = people()
    levels(client, who["boss"], "news", 2)
    article = create(client, who["writer"])
    path = f"/api/articles/{article}"
    version = call(client, "POST", f"{path}/submit", None, who["writer"]).json["version"]
    first = call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"]).json["review"]
    step = first["steps"][-1]
    assert (step["action"], step["by"], step["version"], step["level"]) == ("approve", "reviewer", version, 1)
    assert first["approvals"] == [{"by": "reviewer", "at": step["at"], "level": 1}]
    (waiting,) = call(client, "GET", "/api/reviews", headers=who["second"]).json["articles"]
    submitted = first["steps"][0]
    assert {k: waiting[k] for k in ("level", "submitted_by", "submitted_at", "passed_by")} == {
        "level": 2,
        "submitted_by": "writer",  # the author who submitted, not the reviewer who passed it on
        "submitted_at": submitted["at"],  # it has waited since the submit: the inbox's oldest first
        "passed_by": "reviewer",
    }
    back = call(client, "POST", f"{path}/review", {"decision": "return", "comment": "再改"}, who["second"]).json
    step = back["review"]["steps"][-1]
    assert (step["action"], step["by"], step["version"], step["level"]) == ("return", "second", version, 2)
    assert (back["review"]["state"], back["review"]["approvals"]) == ("returned", [])
    call(client, "POST", f"{path}/submit", None, who["writer"])
    call(client, "POST", f"{path}/review", {"decision": "approve"}, who["second"])
    done = call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"]).json["review"]
    assert [(a["by"], a["level"]) for a in done["approvals"]] == [("second", 1), ("reviewer", 2)]
    assert (done["state"], done["approved_version"], done["approval_current"]) == ("approved", version, True)


def test_a_category_needing_no_review_refuses_a_submit_with_its_message_and_code(client, auth):
    who = people()
    article = create(client, who["writer"])
    refused = call(client, "POST", f"/api/articles/{article}/submit", None, who["writer"])
    assert (refused.status_code, refused.json) == (
        409,
        {"message": "this category needs no review; publish it", "code": "review_not_required"},
    )
    assert call(client, "GET", f"/api/articles/{article}", headers=who["writer"]).json["review"] is None
    assert call(client, "GET", "/api/reviews", headers=who["reviewer"]).json["articles"] == []


def test_a_submit_while_someone_saves_is_409_and_queues_nothing(client, auth):
    who = people()
    levels(client, who["boss"], "news", 1)
    loaded = call(client, "POST", "/api/articles", ARTICLE, who["writer"]).json
    other = other_editor_saves(loaded["id"], loaded, title="别人改过的标题")
    with just_before("UpdateItem", articles_table(), other) as ran:
        refused = call(client, "POST", f"/api/articles/{loaded['id']}/submit", None, who["writer"])
    assert ran
    assert (refused.status_code, refused.json) == (
        409,
        {"message": "the article was changed meanwhile; reload it", "code": "version_conflict"},
    )
    stored = call(client, "GET", f"/api/articles/{loaded['id']}", headers=who["writer"]).json
    assert (stored["title"], stored["version"], stored["review"]) == ("别人改过的标题", 2, None)
    assert call(client, "GET", "/api/reviews", headers=who["reviewer"]).json["articles"] == []


def utc(stamp: str) -> datetime:
    moment = datetime.fromisoformat(stamp)
    assert moment.utcoffset() == timedelta(0), stamp  # an instant, in UTC, as every stored time
    return moment


def test_a_submit_keeps_its_version_and_utc_time_and_a_resubmit_starts_the_review_afresh(client, auth):
    who = people()
    levels(client, who["boss"], "news", 1)
    article = create(client, who["writer"])
    path = f"/api/articles/{article}"
    before = datetime.now(timezone.utc)
    review = call(client, "POST", f"{path}/submit", {"comment": "请审"}, who["writer"]).json["review"]
    (step,) = review["steps"]
    assert step == {"action": "submit", "by": "writer", "at": step["at"], "version": 1, "comment": "请审"}
    assert before <= utc(step["at"]) <= datetime.now(timezone.utc)
    (waiting,) = call(client, "GET", "/api/reviews", headers=who["reviewer"]).json["articles"]
    assert waiting == {
        "id": article,
        "title": ARTICLE["title"],
        "category": "industry",
        "level": 1,
        "submitted_by": "writer",
        "submitted_at": waiting["submitted_at"],
    }
    assert before <= utc(waiting["submitted_at"]) <= datetime.now(timezone.utc)
    approved = call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"]).json["review"]
    assert (approved["state"], len(approved["approvals"]), approved["approved_version"]) == ("approved", 1, 1)
    again = call(client, "POST", f"{path}/submit", None, who["writer"]).json["review"]
    assert (again["state"], again["approvals"], again["approved_version"]) == ("submitted", [], None)
    assert call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"]).status_code == 200


def test_without_a_topic_the_notification_is_logged_with_its_subject(client, auth, caplog):
    who = people()
    levels(client, who["boss"], "news", 1)
    article = create(client, who["writer"])
    with caplog.at_level(logging.INFO, logger="chalicelib.reviews"):
        assert call(client, "POST", f"/api/articles/{article}/submit", None, who["writer"]).status_code == 200
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "chalicelib.reviews"] == [
        ("INFO", f"review notification (not sent: REVIEW_TOPIC_ARN unset): 待审核：{ARTICLE['title']}")
    ]


@pytest.fixture
def review_topic(configure):
    """An SNS topic for REVIEW_TOPIC_ARN with an SQS queue subscribed to it; `told()` reads what the queue got."""
    sns, sqs = boto3.client("sns"), boto3.client("sqs")
    topic = sns.create_topic(Name="newsroom-test-reviews")["TopicArn"]
    queue = sqs.create_queue(QueueName="newsroom-test-reviewers")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    configure(REVIEW_TOPIC_ARN=topic)

    def told() -> list[tuple[str | None, str]]:
        bodies = [
            json.loads(m["Body"])
            for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        ]
        return [(body.get("Subject"), body["Message"]) for body in bodies]

    try:
        yield topic, told
    finally:
        sns.delete_topic(TopicArn=topic)
        sqs.delete_queue(QueueUrl=queue)


def test_with_a_topic_reviewers_are_told_through_sns_within_the_aws_budget(client, auth, review_topic, configure):
    topic, told = review_topic
    configure(
        REVIEW_TOPIC_ARN=topic, AWS_CONNECT_TIMEOUT_SECONDS="3", AWS_READ_TIMEOUT_SECONDS="7", AWS_MAX_ATTEMPTS="4"
    )
    who = people()
    levels(client, who["boss"], "news", 1)
    title = (
        "关于召开二〇二六年度会员大会暨理事会换届选举工作的通知" * 4
    )  # the subject is cut below SNS's 100 characters
    article = call(client, "POST", "/api/articles", {**ARTICLE, "title": title}, who["writer"]).json["id"]
    configs = []

    def seen(context, **_):
        configs.append(context["client_config"])

    events = boto3._get_default_session().events  # boto3.client's session: its clients copy its handlers
    events.register("before-call.sns.Publish", seen)
    try:
        assert call(client, "POST", f"/api/articles/{article}/submit", None, who["writer"]).status_code == 200
    finally:
        events.unregister("before-call.sns.Publish", seen)
    assert told() == [(f"待审核：{title}"[:99], f"writer 提交了《{title}》（第 1 级审核），请在后台「待我审核」处理。")]
    (config,) = configs
    assert (config.connect_timeout, config.read_timeout) == (3.0, 7.0)  # not botocore's 60 s each
    assert config.retries == {"mode": "standard", "total_max_attempts": 4}


def test_the_second_level_is_told_who_submitted_and_who_approved_the_first(client, auth, review_topic):
    _, told = review_topic
    who = people()
    levels(client, who["boss"], "news", 2)
    article = create(client, who["writer"])
    call(client, "POST", f"/api/articles/{article}/submit", None, who["writer"])
    assert call(client, "POST", f"/api/articles/{article}/review", {"decision": "approve"}, who["reviewer"]).json
    title = ARTICLE["title"]
    assert told() == [
        (f"待审核：{title}", f"writer 提交了《{title}》（第 1 级审核），请在后台「待我审核」处理。"),
        (
            f"待审核：{title}",
            f"reviewer 已通过《{title}》的第 1 级审核（writer 提交），请在后台「待我审核」处理第 2 级审核。",
        ),
    ]


def test_a_notification_sns_refuses_is_logged_with_its_subject_and_the_submit_stands(client, auth, configure, caplog):
    configure(REVIEW_TOPIC_ARN="arn:aws:sns:us-east-1:123456789012:newsroom-no-such-topic")
    who = people()
    levels(client, who["boss"], "news", 1)
    article = create(client, who["writer"])
    with caplog.at_level(logging.INFO, logger="chalicelib.reviews"):
        answer = call(client, "POST", f"/api/articles/{article}/submit", None, who["writer"])
    assert (answer.status_code, answer.json["review"]["state"]) == (200, "submitted")
    (record,) = [r for r in caplog.records if r.name == "chalicelib.reviews"]
    assert (record.levelname, record.getMessage()) == (
        "ERROR",
        f"review notification not sent: 待审核：{ARTICLE['title']}",
    )
    assert record.exc_info is not None  # with SNS's answer


def test_a_category_set_back_to_null_inherits_its_parents_levels_again(client, auth):
    who = people()
    levels(client, who["boss"], "news", 1)
    assert levels(client, who["boss"], "industry", 2)["review_levels"] == 2
    assert levels(client, who["boss"], "industry", None)["review_levels"] is None
    listed = {
        c["slug"]: c["review_levels"]
        for c in call(client, "GET", "/api/categories", headers=who["writer"]).json["categories"]
    }
    assert (listed["news"], listed["industry"]) == (1, None)
    article = create(client, who["writer"])
    path = f"/api/articles/{article}"
    assert call(client, "POST", f"{path}/submit", None, who["writer"]).json["review"]["required"] == 1  # news's
    call(client, "POST", f"{path}/review", {"decision": "approve"}, who["reviewer"])
    assert call(client, "POST", f"{path}/publish", None, who["editor2"]).status_code == 200


def test_the_service_refuses_levels_out_of_range_naming_the_field(client, auth):
    for wrong in (-1, 3):
        with pytest.raises(InvalidInput) as raised:
            reviews.set_levels("news", wrong)
        error = raised.value
        assert (error.message, error.field, error.code) == (
            "review_levels must be 0, 1 or 2",
            "review_levels",
            "review_levels",
        )
    assert reviews.all_levels() == {}
