"""The trash, title search and bulk actions on articles (issue 29, item 7)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import editorial, trash
from chalicelib.article_body import Photo
from chalicelib.articles import now
from chalicelib.models import ArticleModel, CategoryModel
from chalicelib.search import pending
from tests.api_helpers import bearer, call, make_admin, make_editor
from tests.site import make_article


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
    assert opened.status_code == 404 and opened.json["code"] == "article_trashed"
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
    assert call(client, "DELETE", "/api/articles/meeting", None, bearer("zhang")).json["code"] == (
        "contributor_published"
    )
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
    assert (refused.status_code, refused.json["code"]) == (409, "not_in_trash")


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
    assert call(client, "DELETE", "/api/trash/old", None, admin_auth).json["code"] == "not_in_trash"
    call(client, "DELETE", "/api/articles/old", None, admin_auth)
    assert call(client, "DELETE", "/api/trash/old", None, admin_auth).status_code == 204
    assert ArticleModel.count("old") == 0 and CategoryModel.get("industry").articles == 0


def test_search_by_title_in_the_list(client, auth):
    make_article("a", title="协会召开年度会员大会")
    make_article("b", title="物业管理条例解读", publish=False)
    make_article("c", title="年度表彰大会通知", category="policy")
    found = call(client, "GET", "/api/articles?title=年度", None, auth)
    assert sorted(titles(found)) == ["协会召开年度会员大会", "年度表彰大会通知"]
    assert titles(call(client, "GET", "/api/articles?title=年度&category=policy", None, auth)) == ["年度表彰大会通知"]
    assert titles(call(client, "GET", "/api/articles?title=条例&status=draft", None, auth)) == ["物业管理条例解读"]
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
    assert (results["bad"]["ok"], results["bad"]["code"], results["bad"]["blocks"]) == (False, "photos_not_ready", [0])
    assert (results["nope"]["status"], results["nope"]["code"]) == (404, "article_not_found")
    assert editorial.get_article("bad").status == "draft"
    assert client.http.get("/articles/d2").status_code == 200
    records = call(client, "GET", "/api/audit?object=bad", None, bearer(make_admin())).json["records"]
    assert [(r["action"], r["result"]) for r in records] == [("article.publish", "failure")]

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
    def code(body):
        return call(client, "POST", "/api/articles/bulk", body, auth).json["code"]

    assert code({"action": "delete", "ids": ["a"]}) == "bad_action"
    assert code({"action": "publish", "ids": []}) == "bad_ids"
    assert code({"action": "publish", "ids": [f"a{n}" for n in range(51)]}) == "bad_ids"
    assert code({"action": "publish", "ids": ["Not An Id"]}) == "bad_id"
    assert code({"action": "move", "ids": ["a"]}) == "required"


def test_a_contributor_cannot_bulk_publish(client, auth):
    make_article("d1", publish=False)
    make_editor("zhang", role="contributor")
    answer = call(client, "POST", "/api/articles/bulk", {"action": "publish", "ids": ["d1"]}, bearer("zhang"))
    assert answer.json["results"][0]["status"] == 403 and editorial.get_article("d1").status == "draft"


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
