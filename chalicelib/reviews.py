"""Review before publishing (审核): levels per site and category, submit, approve or return, the publish gate.

A site, and each category, asks for 0, 1 or 2 approvals (`review_levels`); a sub-category without its own
takes its parent's, a category without one the site's. An article's review record (`ArticleModel.review`)
keeps its state and every step (who, when, decision, comment). Approvals are for the text approved (a
digest of its fields and blocks): a save that changes it needs them again; one that does not, does not.
Publishing needs the approvals recorded for the text being published; an admin may publish without them
only with a stated reason, which the record keeps. Contributors never publish. Nobody publishes a text
with a blocking word (word_checks.py). The reviewers' inbox is one small item per waiting article in the
workflow table (`inbox`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from chalicelib import editorial, word_checks
from chalicelib.article_body import editor_json
from chalicelib.article_updates import update_without_version
from chalicelib.errors import Conflict, Forbidden, InvalidInput
from chalicelib.models import ArticleModel, CategoryModel, WorkflowModel
from chalicelib.roles import PUBLISHERS, REVIEWERS, Role

log = logging.getLogger(__name__)

LEVELS = "review-levels"  # pk of the levels: sk `_site` for the site, else a category's slug
SITE = "_site"
INBOX = "inbox"
DIGESTED = ("title", "subtitle", "category", "source", "author", "notice", "cover_photo_id")
MAX_LEVELS = 2
MAX_COMMENT = 2000
SUBJECT_MOST = 99  # SNS: a message subject is "less than 100 characters long"
DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"


def set_levels(slug: str, levels: int | None) -> None:
    """A category's (or with SITE the site's) review levels; None: a category inherits again."""
    if levels is None:
        WorkflowModel(LEVELS, slug).delete()
        return
    if not 0 <= levels <= MAX_LEVELS:
        raise InvalidInput("review_levels must be 0, 1 or 2", field="review_levels", code="review_levels")
    WorkflowModel(LEVELS, slug, data={"levels": levels}).save()


def all_levels() -> dict[str, int]:
    """Every level set: the site's under SITE, categories' under their slug (one Query of small items)."""
    return {item.sk: int(item.data["levels"]) for item in WorkflowModel.query(LEVELS, consistent_read=True)}


def levels_for(category: str) -> int:
    """The approvals an article in `category` needs: its own, else its parent's, else the site's."""
    levels = all_levels()
    if category in levels:
        return levels[category]
    try:
        parent = CategoryModel.get(category).parent
    except CategoryModel.DoesNotExist:
        parent = None
    if parent and parent in levels:
        return levels[parent]
    return levels.get(SITE, 0)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _record(article: ArticleModel) -> dict[str, Any]:
    return dict(article.review or {"state": DRAFT, "approvals": [], "steps": []})


def _store(article: ArticleModel, record: dict[str, Any]) -> None:
    """The record on the article, if nobody saved it since it was read (a review is of what was read)."""
    if not update_without_version(
        article.id, [ArticleModel.review.set(record)], ArticleModel.version == article.version
    ):
        raise Conflict("the article was changed meanwhile; reload it", code="version_conflict")
    article.review = record


def withdrawn(article: ArticleModel) -> dict[str, Any] | None:
    """The review record of an article going to the trash: a waiting review is over (it leaves the inbox)."""
    record = article.review
    if not record or record.get("state") != SUBMITTED:
        return record
    return {**record, "state": DRAFT, "approvals": []}


def submit(article_id: str, by: str, comment: str | None) -> ArticleModel:
    """Ask for review: the inbox gets it at level 1, reviewers are told."""
    article = editorial.get_article(article_id)
    required = levels_for(article.category)
    if required == 0:
        raise Conflict("this category needs no review; publish it", code="review_not_required")
    record = _record(article)
    record.update(state=SUBMITTED, required=required, approvals=[], approved_version=None)
    record["steps"] = [*record.get("steps", []), _step("submit", by, comment, article.version)]
    _store(article, record)
    _queue(article, record)
    return article


def decide(article_id: str, reviewer: str, role: Role, decision: str, comment: str | None) -> ArticleModel:
    """A reviewer approves (the next level, or done) or returns the article to its author with a comment."""
    if role not in REVIEWERS:
        raise Forbidden("only reviewers and admins review", code="review_forbidden_role")
    if decision not in ("approve", "return"):
        raise InvalidInput("decision must be approve or return", field="decision", code="review_decision")
    if decision == "return" and not (comment or "").strip():
        raise InvalidInput("say why it goes back", field="comment", code="review_comment_required")
    article = editorial.get_article(article_id)
    record = _record(article)
    if record.get("state") != SUBMITTED:
        raise Conflict("the article is not waiting for review", code="review_not_submitted")
    approvals = list(record.get("approvals", []))
    if decision == "approve" and any(a["by"] == reviewer for a in approvals):
        raise Conflict("another reviewer must approve the next level", code="review_same_reviewer")
    level = len(approvals) + 1
    step = _step(decision, reviewer, comment, article.version, level)
    record["steps"] = [*record.get("steps", []), step]
    if decision == "return":
        record.update(state=RETURNED, approvals=[])
    else:
        approvals.append({"by": reviewer, "at": step["at"], "level": level})
        record["approvals"] = approvals
        if level >= int(record.get("required", 1)):
            record.update(state=APPROVED, approved_version=article.version, approved_digest=digest(article))
    _store(article, record)
    if record["state"] == SUBMITTED:
        _queue(article, record)
    else:
        WorkflowModel(INBOX, article_id).delete()
    return article


def inbox() -> list[dict[str, Any]]:
    """Everything waiting for a reviewer, across categories, oldest first."""
    items = [{"id": item.sk, **item.data} for item in WorkflowModel.query(INBOX, consistent_read=True)]
    return sorted(items, key=lambda item: str(item.get("submitted_at")))


def before_publish(article_id: str, by: str, role: Role, reason: str | None) -> None:
    """Refuse a publish the review levels do not allow (403/409 naming what is missing); keep the step."""
    if role not in PUBLISHERS:
        raise Forbidden("contributors submit for review; a reviewer or an editor publishes", code="publish_forbidden")
    article = editorial.get_article(article_id)
    word_checks.refuse_blocked(_text_to_publish(article))
    record = _record(article)
    required = levels_for(article.category)
    # A restored draft of changes was never approved: under review it goes live through a save (then review)
    # or an admin's stated reason.
    approved = _approved(record, article) and not article.pending_revision
    if required == 0 or approved:
        return
    if role == Role.ADMIN and (reason or "").strip():
        record["steps"] = [*record.get("steps", []), _step("publish_without_review", by, reason, article.version)]
        record.update(
            state=APPROVED, approved_version=article.version, approved_digest=digest(article), required=required
        )
        _store(article, record)
        return
    have = len(record.get("approvals", [])) if record.get("state") == SUBMITTED else 0
    missing = f"level {have + 1} approval"
    raise Conflict(
        f"publishing needs {required} approval(s); missing: {missing}",
        code="review_required",
        missing=missing,
        required=required,
        approvals=have,
    )


def digest(article: ArticleModel) -> str:
    """A fingerprint of what readers would see: the fields and blocks as written (no photo snapshots)."""
    return digest_of({name: getattr(article, name) for name in DIGESTED} | {"body": article.body or []})


def digest_of(fields: dict[str, Any]) -> str:
    """The fingerprint of article fields (an article's, or a save's validated fields): equal iff same text."""
    import hashlib
    import json

    plain = {name: fields.get(name) or None for name in DIGESTED}
    plain["body"] = [editor_json(block) for block in fields.get("body") or []]
    return hashlib.sha256(json.dumps(plain, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _approved(record: dict[str, Any], article: ArticleModel) -> bool:
    return record.get("state") == APPROVED and record.get("approved_digest") == digest(article)


def review_view(article: ArticleModel) -> dict[str, Any] | None:
    """The review record as the API shows it, with whether its approval still holds for the text as saved."""
    if article.review is None:
        return None
    view = {k: v for k, v in article.review.items() if k != "approved_digest"}
    view["approval_current"] = _approved(article.review, article)
    return view


def _text_to_publish(article: ArticleModel) -> dict[str, Any]:
    """What publishing would show: a restored draft of changes if one waits, else the article as saved."""
    if article.pending_revision:
        from chalicelib import revisions

        return revisions.get_revision(article.id, article.pending_revision)
    body = [editor_json(block) for block in article.body or []]
    return {"title": article.title, "subtitle": article.subtitle, "body": body}


def check_save(article_id: str, role: Role, fields: dict[str, Any] | None = None) -> None:
    """Changing a published article's text is publishing it: a contributor never may (nor unpublish it), and
    under review only an admin may (others unpublish, then submit it). `fields`: the save's; None: unpublish."""
    article = editorial.get_article(article_id)
    if article.status != "published":
        return
    if role == Role.CONTRIBUTOR:
        raise Forbidden("a contributor cannot change a published article", code="contributor_published")
    if fields is None or role == Role.ADMIN or digest_of(fields) == digest(article):
        return
    if levels_for(article.category) > 0:
        raise Conflict(
            "this article is live and its category needs review: unpublish it, then submit it",
            code="review_required_live",
        )


def _step(action: str, by: str, comment: str | None, version: int | None, level: int | None = None) -> dict[str, Any]:
    step: dict[str, Any] = {"action": action, "by": by, "at": _now(), "version": version}
    if level is not None:
        step["level"] = level
    if comment and comment.strip():
        step["comment"] = comment.strip()[:MAX_COMMENT]
    return step


def _queue(article: ArticleModel, record: dict[str, Any]) -> None:
    """The inbox item for the level the record waits for: who submitted it and when, and past level 1, who
    approved the level before; the reviewers are told."""
    submitted = next(step for step in reversed(record["steps"]) if step["action"] == "submit")
    level = len(record["approvals"]) + 1
    data = {"title": article.title, "category": article.category, "level": level, "submitted_by": submitted["by"]}
    if level == 1:
        message = f"{submitted['by']} 提交了《{article.title}》（第 1 级审核），请在后台「待我审核」处理。"
    else:
        data["passed_by"] = passed = record["approvals"][-1]["by"]
        message = (
            f"{passed} 已通过《{article.title}》的第 {level - 1} 级审核（{submitted['by']} 提交），"
            f"请在后台「待我审核」处理第 {level} 级审核。"
        )
    WorkflowModel(INBOX, article.id, data={**data, "submitted_at": submitted["at"]}).save()
    notify(f"待审核：{article.title}", message)


def notify(subject: str, message: str) -> None:
    """Tell the reviewers. Off by default (locally too): the message goes to the log instead."""
    from chalicelib.config import get_settings

    topic = get_settings().review_topic_arn
    if not topic:
        log.info("review notification (not sent: REVIEW_TOPIC_ARN unset): %s", subject)
        return
    import boto3

    from chalicelib.config import aws_client_config, endpoint_url

    sns = boto3.client("sns", endpoint_url=endpoint_url(), config=aws_client_config())
    try:
        sns.publish(TopicArn=topic, Subject=subject[:SUBJECT_MOST], Message=message)
    except Exception:
        log.exception("review notification not sent: %s", subject)
