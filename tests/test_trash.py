"""The trash, title search and bulk actions on articles (issue 29, item 7)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from chalicelib import editorial, trash
from chalicelib.article_body import Photo
from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel, CategoryModel
from chalicelib.search import pending
from local.dynamodb_calls import DynamoDBRequests
from tests.api_helpers import bearer, call, make_admin, make_editor
from tests.aws_refusals import client_error, refuse
from tests.site import make_article
from tests.transaction_faults import transaction_conflicts


def titles(answer) -> list[str]:
    return [a["title"] for a in answer.json["articles"]]


def test_a_deleted_article_leaves_every_reader_surface_and_admins_restore_it(client, admin_auth):
    make_article("meeting", title="协会召开年度会员大会")
    link = call(client, "POST", "/api/articles/meeting/preview", None, admin_auth).json["url"]
    assert client.http.get("/articles/meeting").status_code == 200
    assert CategoryModel.get("industry").articles == 1

    assert call(client, "DELETE", "/api/articles/meeting", None, admin_auth).status_code == 204

    for path in ("/articles/meeting", link):
        assert client.http.get(path).status_code == 404, path
    for path in ("/", "/news/industry", "/news/news", "/feed.xml", "/sitemap.xml"):
        assert "协会召开年度会员大会" not in client.http.get(path).body.decode(), path
    assert "meeting" in pending_marks()  # the search index drops it at its next fold
    assert CategoryModel.get("industry").articles == 0  # an emptied category can be deleted
    assert titles(call(client, "GET", "/api/articles", None, admin_auth)) == []
    assert titles(call(client, "GET", "/api/articles?category=industry", None, admin_auth)) == []
    opened = call(client, "GET", "/api/articles/meeting", None, admin_auth)
    assert opened.status_code == 404
    assert opened.json == {"message": "the article is in the trash", "code": "article_trashed", "article_id": "meeting"}
    assert call(client, "POST", "/api/articles/meeting/publish", None, admin_auth).json["code"] == "article_trashed"
    listed = call(client, "GET", "/api/trash", None, admin_auth).json["articles"]
    assert [(a["id"], a["title"], a["category"]) for a in listed] == [("meeting", "协会召开年度会员大会", "industry")]
    assert listed[0]["purge_at"] > listed[0]["trashed_at"]
    stored = ArticleModel.get("meeting")
    assert stored.purge_at == int((stored.updated_at + timedelta(days=30)).timestamp())  # DynamoDB's TTL

    restored = call(client, "POST", "/api/trash/meeting/restore", None, admin_auth)
    assert restored.status_code == 200 and restored.json["status"] == "draft"
    assert ArticleModel.get("meeting").purge_at is None
    assert titles(call(client, "GET", "/api/articles", None, admin_auth)) == ["协会召开年度会员大会"]
    assert call(client, "GET", "/api/trash", None, admin_auth).json["articles"] == []
    assert CategoryModel.get("industry").articles == 1
    assert call(client, "POST", "/api/articles/meeting/publish", None, admin_auth).status_code == 200
    assert client.http.get("/articles/meeting").status_code == 200


def test_only_admins_restore_and_a_contributor_cannot_delete_a_published_article(client, auth, admin_auth):
    make_article("meeting")
    make_editor("zhang", role="contributor")
    assert call(client, "DELETE", "/api/articles/meeting", None, bearer("zhang")).json == {
        "message": "a contributor cannot change a published article",
        "code": "contributor_published",
    }
    assert call(client, "DELETE", "/api/articles/meeting", None, auth).status_code == 204
    refused = call(client, "POST", "/api/trash/meeting/restore", None, auth)
    assert (refused.status_code, refused.json["code"]) == (403, "admins_only")
    assert call(client, "DELETE", "/api/trash/meeting", None, auth).json["code"] == "admins_only"
    assert ArticleModel.get("meeting").status == "trashed"


def test_the_trash_keeps_30_days(client, admin_auth, clock):
    start = now()
    clock(start)
    make_article("old", publish=False)
    assert call(client, "DELETE", "/api/articles/old", None, admin_auth).status_code == 204
    clock(start + timedelta(days=29, hours=23))
    assert [a["id"] for a in call(client, "GET", "/api/trash", None, bearer("admin")).json["articles"]] == ["old"]
    clock(start + timedelta(days=30))  # DynamoDB's TTL deletes it within days: nobody sees it meanwhile
    assert call(client, "GET", "/api/trash", None, bearer("admin")).json["articles"] == []
    refused = call(client, "POST", "/api/trash/old/restore", None, bearer("admin"))
    assert (refused.status_code, refused.json) == (
        409,
        {"message": "the article is not in the trash", "code": "not_in_trash", "article_id": "old"},
    )


def test_restoring_into_another_category_when_its_own_was_deleted(client, admin_auth):
    make_article("old", publish=False, category="industry")
    call(client, "DELETE", "/api/articles/old", None, admin_auth)
    assert call(client, "DELETE", "/api/categories/industry", None, admin_auth).status_code == 204
    refused = call(client, "POST", "/api/trash/old/restore", None, admin_auth)
    assert (refused.status_code, refused.json["code"]) == (400, "unknown_category")
    assert ArticleModel.get("old").status == "trashed"
    moved = call(client, "POST", "/api/trash/old/restore", {"category": "policy"}, admin_auth)
    assert moved.json["category"] == "policy" and CategoryModel.get("policy").articles == 1


def test_emptying_the_trash_deletes_for_good(client, admin_auth):
    make_article("old", publish=False)
    refused = call(client, "DELETE", "/api/trash/old", None, admin_auth)
    assert (refused.status_code, refused.json) == (
        409,
        {"message": "the article is not in the trash", "code": "not_in_trash", "article_id": "old"},
    )
    assert ArticleModel.get("old").status == "draft"
    call(client, "DELETE", "/api/articles/old", None, admin_auth)
    assert call(client, "DELETE", "/api/trash/old", None, admin_auth).status_code == 204
    assert ArticleModel.count("old") == 0 and CategoryModel.get("industry").articles == 0


def test_search_by_title_in_the_list(client, auth):
    make_article("a", title="协会召开年度会员大会")
    make_article("b", title="物业管理条例解读", publish=False)
    make_article("c", title="年度表彰大会通知", category="policy")
    make_article("d", title="条例正式施行")
    found = call(client, "GET", "/api/articles?title=年度", None, auth)
    assert sorted(titles(found)) == ["协会召开年度会员大会", "年度表彰大会通知"]
    assert titles(call(client, "GET", "/api/articles?title=年度&category=policy", None, auth)) == ["年度表彰大会通知"]
    assert titles(call(client, "GET", "/api/articles?title=条例&status=draft", None, auth)) == ["物业管理条例解读"]
    assert titles(call(client, "GET", "/api/articles?title=条例&status=published", None, auth)) == ["条例正式施行"]
    assert titles(call(client, "GET", "/api/articles?title=没有", None, auth)) == []


def test_a_search_reads_on_until_it_has_a_page_of_matches(client, auth):
    for n in range(60):
        make_article(f"a{n:02d}", title=f"{'年度' if n % 20 == 0 else '其他'}文章 {n}", publish=False)
    found = call(client, "GET", "/api/articles?title=年度", None, auth).json
    assert sorted(a["id"] for a in found["articles"]) == ["a00", "a20", "a40"] and found["next_cursor"] is None


def test_bulk_actions_check_each_article_as_the_single_action_and_report_each(client, auth):
    make_article("d1", publish=False)
    make_article("d2", publish=False, body=[{"type": "photo", "photo_id": "photo1"}])
    make_article("bad", publish=False, body=[{"type": "photo", "photo_id": "photo1"}])
    ArticleModel.get("bad").update(actions=[ArticleModel.body.set([Photo("gone")])])
    answer = call(client, "POST", "/api/articles/bulk", {"action": "publish", "ids": ["d1", "bad", "d2", "nope"]}, auth)
    results = {r["id"]: r for r in answer.json["results"]}
    assert answer.status_code == 200 and list(results) == ["d1", "bad", "d2", "nope"]
    assert results["d1"]["ok"] and results["d2"]["ok"] and results["d1"]["article"]["status"] == "published"
    assert results["d1"]["article"]["title"] and "body" not in results["d1"]["article"]  # a list's answer, not texts
    assert (results["bad"]["ok"], results["bad"]["code"], results["bad"]["blocks"]) == (False, "photos_not_ready", [0])
    assert (results["nope"]["status"], results["nope"]["code"]) == (404, "article_not_found")
    assert editorial.get_article("bad").status == "draft"
    assert client.http.get("/articles/d2").status_code == 200
    admin = bearer(make_admin())
    records = call(client, "GET", "/api/audit?object=bad", None, admin).json["records"]
    assert [(r["action"], r["result"], r["detail"]) for r in records] == [
        ("article.publish", "failure", "some photos are missing or were rejected: replace them first")
    ]
    records = call(client, "GET", "/api/audit?object=d1", None, admin).json["records"]
    assert [(r["action"], r["result"], r["detail"]) for r in records] == [("article.publish", "success", "bulk")]

    moved = call(
        client, "POST", "/api/articles/bulk", {"action": "move", "ids": ["d1", "d2"], "category": "policy"}, auth
    )
    assert all(r["ok"] for r in moved.json["results"])
    assert {editorial.get_article(i).category for i in ("d1", "d2")} == {"policy"}
    assert CategoryModel.get("policy").articles == 2 and CategoryModel.get("industry").articles == 1
    assert "/articles/d1" in client.http.get("/news/policy").body.decode()

    back = call(client, "POST", "/api/articles/bulk", {"action": "unpublish", "ids": ["d1"]}, auth)
    assert back.json["results"][0]["article"]["status"] == "draft"


def test_bulk_refusals_of_the_request_itself(client, auth):
    def answer(body):
        return call(client, "POST", "/api/articles/bulk", body, auth)

    def code(body):
        return answer(body).json["code"]

    too_many = {"message": "ids: 1 to 50 article ids", "code": "bad_ids", "field": "ids", "limit": 50}
    assert code({"action": "delete", "ids": ["a"]}) == "bad_action"
    assert answer({"action": "publish", "ids": []}).json == too_many
    assert answer({"action": "publish", "ids": [f"a{n}" for n in range(51)]}).json == too_many
    not_ids = answer({"action": "publish", "ids": ["Not An Id"]})
    assert not_ids.status_code == 400
    assert not_ids.json == {"message": "ids: not an article id", "code": "bad_id", "field": "ids"}
    assert code({"action": "move", "ids": ["a"]}) == "required"
    fifty = answer({"action": "publish", "ids": [f"a{n}" for n in range(50)]})  # a page of the list: taken
    assert fifty.status_code == 200 and [r["status"] for r in fifty.json["results"]] == [404] * 50


def test_a_contributor_cannot_bulk_publish(client, auth):
    make_article("d1", publish=False)
    make_editor("zhang", role="contributor")
    answer = call(client, "POST", "/api/articles/bulk", {"action": "publish", "ids": ["d1"]}, bearer("zhang"))
    assert answer.json["results"][0]["status"] == 403 and editorial.get_article("d1").status == "draft"


def test_a_bulk_move_is_refused_as_a_save_of_a_live_article_under_review(client, auth, admin_auth):
    make_article("live", title="年会通知")
    assert call(client, "PUT", "/api/settings/review", {"review_levels": 1}, admin_auth).status_code == 200
    moved = call(client, "POST", "/api/articles/bulk", {"action": "move", "ids": ["live"], "category": "policy"}, auth)
    (result,) = moved.json["results"]
    assert (result["ok"], result.get("status"), result.get("code")) == (False, 409, "review_required_live")
    assert editorial.get_article("live").category == "industry"
    by_admin = {"action": "move", "ids": ["live"], "category": "policy"}
    assert call(client, "POST", "/api/articles/bulk", by_admin, admin_auth).json["results"][0]["ok"]
    assert editorial.get_article("live").category == "policy"


def test_a_bulk_move_replaces_a_restored_draft_of_changes_as_a_save_does(client, auth):
    created = call(client, "POST", "/api/articles", {"title": "年会通知", "category": "industry"}, auth).json
    path = f"/api/articles/{created['id']}"
    assert call(client, "POST", f"{path}/publish", None, auth).status_code == 200
    live = call(client, "GET", path, headers=auth).json
    assert call(client, "PUT", path, {**live, "title": "年会通知（更正）"}, auth).status_code == 200
    first = call(client, "GET", f"{path}/revisions", headers=auth).json["revisions"][-1]["id"]
    restored = call(client, "POST", f"{path}/revisions/{first}/restore", None, auth).json
    assert restored["pending_revision"]
    body = {"action": "move", "ids": [created["id"]], "category": "policy"}
    (result,) = call(client, "POST", "/api/articles/bulk", body, auth).json["results"]
    assert result["ok"] and result["article"]["category"] == "policy"
    assert result["article"]["pending_revision"] is None and result["article"]["title"] == "年会通知（更正）"
    assert call(client, "GET", path, headers=auth).json["pending_revision"] is None


def test_an_unexpected_failure_of_one_article_is_its_500_and_a_log_line_naming_the_bulk_action(
    client, auth, caplog, monkeypatch
):
    make_article("d1", publish=False)
    make_article("boom", publish=False)
    table, boom = get_settings().tables["articles"], {"id": {"S": "boom"}}
    refuse(
        monkeypatch,
        client_error("ValidationException", "no"),
        operation="GetItem",
        table=table,
        when=lambda params: params.get("Key") == boom,
    )
    with caplog.at_level(logging.WARNING, logger="chalicelib.answers"):
        answer = call(client, "POST", "/api/articles/bulk", {"action": "publish", "ids": ["d1", "boom"]}, auth)
    assert answer.status_code == 200
    ok, failed = answer.json["results"]
    assert ok["ok"] and (failed["ok"], failed["status"], failed["code"]) == (False, 500, "internal")
    (line,) = [r for r in caplog.records if r.name == "chalicelib.answers"]
    assert (line.levelno, line.getMessage(), line.exc_info is not None) == (logging.ERROR, "bulk action failed", True)


def pending_marks() -> set[str]:
    return {i.id for i in ArticleModel.scan(ArticleModel.search_pending.exists())}


def test_trashed_articles_are_folded_out_of_search(client, admin_auth):
    make_article("meeting", title="协会召开年度会员大会")
    pending.fold()
    call(client, "DELETE", "/api/articles/meeting", None, admin_auth)
    assert pending.fold() == 1
    assert trash.list_trash(None, 10)[0][0].id == "meeting"


def test_the_trash_is_listed_page_by_page_newest_first(client, admin_auth, clock):
    """Each next page starts after the last one shown: its start key names the editorial index's keys."""
    start = now() - timedelta(days=1)
    for n, article_id in enumerate(("first", "second", "third")):
        clock(start + timedelta(minutes=n))
        make_article(article_id, publish=False)
        trash.trash_article(article_id)
    clock(None)
    pages, cursor = [], None
    for _ in range(4):
        items, cursor = trash.list_trash(cursor, 2)
        pages.append([i.id for i in items])
        if cursor is None:
            break
    assert pages == [["third", "second"], ["first"]]


@contextmanager
def before_the_restore(change: Callable[[], object]) -> Iterator[None]:
    """`change` runs once, just before the restore's transaction reaches DynamoDB (another admin, a moment earlier)."""
    events = CategoryModel._get_connection().connection.client.meta.events
    done: list[object] = []

    def meanwhile(**_: object) -> None:
        if not done:
            done.append(change())

    events.register("before-call.dynamodb.TransactWriteItems", meanwhile)
    try:
        yield
    finally:
        events.unregister("before-call.dynamodb.TransactWriteItems", meanwhile)
    assert done, "the restore sent no transaction"


def test_a_restore_into_a_category_deleted_meanwhile_is_refused_as_an_unknown_category(client, admin_auth):
    """The emptied category is deleted between the restore's check and its write: the write is refused, and a
    consistent count of the category tells why."""
    make_article("old", publish=False, category="industry")
    call(client, "DELETE", "/api/articles/old", None, admin_auth)
    with before_the_restore(lambda: CategoryModel("industry").delete()), DynamoDBRequests() as requests:
        refused = call(client, "POST", "/api/trash/old/restore", None, admin_auth)
    assert (refused.status_code, refused.json["code"], refused.json["field"]) == (400, "unknown_category", "category")
    assert ArticleModel.get("old").status == "trashed"
    counts = [p for op, p in requests.requests if op == "Query" and p.get("Select") == "COUNT"]
    assert [(p["TableName"], p.get("ConsistentRead")) for p in counts] == [(CategoryModel.Meta.table_name, True)]


def test_a_restore_of_an_article_changed_meanwhile_is_a_version_conflict(client, admin_auth):
    """Another admin's restore (or any write) changed the article after it was read: reload it, not a 400."""
    make_article("old", publish=False, category="industry")
    call(client, "DELETE", "/api/articles/old", None, admin_auth)
    version = ArticleModel.get("old").version
    with before_the_restore(lambda: ArticleModel.get("old").save()):  # its version is one more
        refused = call(client, "POST", "/api/trash/old/restore", None, admin_auth)
    assert (refused.status_code, refused.json["code"]) == (409, "version_conflict"), refused.json
    assert refused.json["current_version"] == version + 1 and CategoryModel.get("industry").articles == 0


def test_a_restore_dynamodb_refuses_for_another_transaction_is_a_409_to_try_again(client, admin_auth):
    make_article("old", publish=False, category="industry")
    call(client, "DELETE", "/api/articles/old", None, admin_auth)
    with transaction_conflicts(1) as answered:
        refused = call(client, "POST", "/api/trash/old/restore", None, admin_auth)
    assert answered == ["TransactionCanceledException"]
    assert (refused.status_code, refused.json["code"], refused.json["category"]) == (409, "conflict", "industry")
    assert ArticleModel.get("old").status == "trashed"
    assert call(client, "POST", "/api/trash/old/restore", None, admin_auth).status_code == 200
