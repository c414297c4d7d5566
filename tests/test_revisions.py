"""Revisions: every write kept with who/when/why, a list newest first, a diff, restore as a NEW revision."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import boto3

from chalicelib import counters, diffs, editorial, revisions, trash
from chalicelib.models import ArticleModel, CounterModel, WorkflowModel
from local.dynamodb_calls import DynamoDBRequests
from tests.api_helpers import bearer, call, make_admin
from tests.aws_refusals import client_error, refuse
from tests.test_editorial import articles_table, just_before, other_editor_saves

PHOTO = {"type": "photo", "photo_id": "photo1", "caption": "会场全景"}
ARTICLE = {"title": "年会通知", "category": "news", "body": [{"type": "paragraph", "text": "第一段"}, PHOTO]}


def create(client, auth, body=ARTICLE) -> dict:
    answer = call(client, "POST", "/api/articles", body, auth)
    assert answer.status_code == 201, answer.json
    return answer.json


def save(client, auth, article: dict, **changes) -> dict:
    answer = call(client, "PUT", f"/api/articles/{article['id']}", {**article, **changes}, auth)
    assert answer.status_code == 200, answer.json
    return answer.json


def listed(client, auth, article_id: str) -> list[dict]:
    answer = call(client, "GET", f"/api/articles/{article_id}/revisions", headers=auth)
    assert answer.status_code == 200, answer.json
    return answer.json["revisions"]


def test_every_write_is_a_revision_newest_first_with_who_when_and_why(client, auth):
    article = create(client, auth)
    admin = bearer(make_admin())
    edited = save(client, admin, article, title="年会通知（更正）")
    assert call(client, "POST", f"/api/articles/{article['id']}/publish", None, auth).status_code == 200
    history = listed(client, auth, article["id"])
    assert [(r["by"], r["reason"], r["version"], r["title"]) for r in history] == [
        ("editor", "published", 3, "年会通知（更正）"),
        ("admin", "saved", 2, "年会通知（更正）"),
        ("editor", "created", 1, "年会通知"),
    ]
    assert all(r["id"] and r["at"] for r in history)
    oldest = call(client, "GET", f"/api/articles/{article['id']}/revisions/{history[-1]['id']}", headers=auth).json
    assert oldest["title"] == "年会通知" and oldest["body"] == ARTICLE["body"]
    assert edited["version"] == 2


def test_the_list_is_read_consistently_so_a_save_a_moment_ago_is_on_it(client, auth):
    article = create(client, auth)
    with DynamoDBRequests() as requests:
        listed(client, auth, article["id"])
    queries = [
        (params["TableName"], params.get("ConsistentRead"))
        for operation, params in requests.requests
        if operation == "Query"
    ]
    assert queries == [(WorkflowModel.Meta.table_name, True)]


def test_the_diff_of_a_caption_change_names_the_photo_and_both_captions(client, auth):
    article = create(client, auth)
    save(client, auth, article, body=[ARTICLE["body"][0], {**PHOTO, "caption": "会场一角"}])
    first = listed(client, auth, article["id"])[-1]["id"]
    answer = call(client, "GET", f"/api/articles/{article['id']}/revisions/{first}/diff", headers=auth).json
    assert answer["fields"] == []
    (change,) = answer["blocks"]
    assert change["change"] == "changed" and change["type"] == "photo"
    assert (change["old"]["caption"], change["new"]["caption"]) == ("会场全景", "会场一角")
    assert (change["old_index"], change["new_index"]) == (1, 1)


def test_the_diff_tells_text_changes_additions_removals_and_moved_photos():
    one, two = {"type": "paragraph", "text": "一"}, {"type": "paragraph", "text": "二"}
    old = {"title": "甲", "body": [PHOTO, one, two, {"type": "heading", "text": "旧小标题"}]}
    new = {"title": "乙", "body": [{"type": "paragraph", "text": "一（改）"}, two, {**PHOTO, "caption": "新"}]}
    result = diffs.diff_articles(old, new)
    assert result["fields"] == [{"field": "title", "old": "甲", "new": "乙"}]
    assert [(c["change"], c["type"], c["old_index"], c["new_index"]) for c in result["blocks"]] == [
        ("changed", "paragraph", 1, 0),
        ("moved", "photo", 0, 2),
        ("removed", "heading", 3, None),
    ]
    assert result["blocks"][1]["new"]["caption"] == "新"


def test_restoring_a_draft_writes_a_new_revision_and_keeps_history(client, auth):
    article = create(client, auth)
    save(client, auth, article, title="改过的标题")
    first = listed(client, auth, article["id"])[-1]["id"]
    restored = call(client, "POST", f"/api/articles/{article['id']}/revisions/{first}/restore", None, auth)
    assert restored.status_code == 200 and restored.json["title"] == "年会通知" and restored.json["version"] == 3
    assert restored.json["body"] == article["body"]  # the text comes back with the title
    history = listed(client, auth, article["id"])
    assert [r["reason"] for r in history] == ["restored", "saved", "created"]
    assert history[0]["by"] == "editor"
    assert (history[0]["version"], history[0]["pending"]) == (3, False)  # the version it restored as, now the text
    kept = call(client, "GET", f"/api/articles/{article['id']}/revisions/{history[0]['id']}", headers=auth).json
    assert kept["version"] == 3 and kept["title"] == "年会通知" and kept["body"] == article["body"]


def test_restoring_a_published_article_is_a_draft_of_changes_until_published(client, auth):
    article = create(client, auth)
    path = f"/api/articles/{article['id']}"
    call(client, "POST", f"{path}/publish", None, auth)
    live = call(client, "GET", path, headers=auth).json
    save(client, auth, live, title="已发布的新标题")
    first = listed(client, auth, article["id"])[-1]["id"]
    restored = call(client, "POST", f"{path}/revisions/{first}/restore", None, auth).json
    assert restored["status"] == "published" and restored["title"] == "已发布的新标题"  # still live, not rewritten
    newest = listed(client, auth, article["id"])[0]
    assert restored["pending_revision"] == newest["id"]
    # listed as the draft of changes waiting, made from the version the editor saw
    assert (newest["reason"], newest["pending"], newest["version"]) == ("restored", True, restored["version"])
    assert "已发布的新标题" in client.http.get(f"/articles/{article['id']}").body.decode()
    published = call(client, "POST", f"{path}/publish", None, auth).json
    assert published["title"] == "年会通知" and published["status"] == "published"
    assert published["body"] == article["body"]
    assert published["pending_revision"] is None
    assert "年会通知" in client.http.get(f"/articles/{article['id']}").body.decode()
    assert [r["reason"] for r in listed(client, auth, article["id"])][:2] == ["published", "restored"]


def test_restoring_a_published_article_while_someone_saves_it_is_409_and_keeps_their_edit(client, auth):
    article = create(client, auth)
    path = f"/api/articles/{article['id']}"
    assert call(client, "POST", f"{path}/publish", None, auth).status_code == 200
    first = listed(client, auth, article["id"])[-1]["id"]
    live = call(client, "GET", path, headers=auth).json
    with just_before(
        "UpdateItem", articles_table(), other_editor_saves(article["id"], live, title="另一位编辑的标题")
    ) as ran:
        answer = call(client, "POST", f"{path}/revisions/{first}/restore", None, auth)
    assert ran
    assert answer.status_code == 409
    assert answer.json == {"message": "the article was changed meanwhile; reload it", "code": "version_conflict"}
    stored = call(client, "GET", path, headers=auth).json
    assert stored["title"] == "另一位编辑的标题" and stored["pending_revision"] is None
    assert "另一位编辑的标题" in client.http.get(f"/articles/{article['id']}").body.decode()


def test_an_article_emptied_from_the_trash_while_a_save_ends_its_draft_of_changes_stays_gone(client, auth):
    """The save's last write (the draft of changes is done) must not bring back an item with only the id."""
    article = create(client, auth, {**ARTICLE, "body": [ARTICLE["body"][0]]})
    path = f"/api/articles/{article['id']}"
    assert call(client, "POST", f"{path}/publish", None, auth).status_code == 200
    first = listed(client, auth, article["id"])[-1]["id"]
    restored = call(client, "POST", f"{path}/revisions/{first}/restore", None, auth).json
    assert restored["pending_revision"]

    def trashed_and_emptied() -> None:
        trash.trash_article(article["id"])
        editorial.delete_article(article["id"])

    with just_before("UpdateItem", articles_table(), trashed_and_emptied) as ran:
        saved = call(client, "PUT", path, {**restored, "title": "已发布的新标题"}, auth)
    assert ran and saved.status_code == 200, saved.json  # the save itself was written before
    item = boto3.client("dynamodb").get_item(
        TableName=articles_table(), Key={"id": {"S": article["id"]}}, ConsistentRead=True
    )
    assert "Item" not in item
    assert call(client, "GET", path, headers=auth).status_code == 404


def test_pinning_an_unknown_revision_is_a_404_naming_the_revision_and_adds_none(client, auth):
    article = create(client, auth)
    before = listed(client, auth, article["id"])
    answer = call(client, "PUT", f"/api/articles/{article['id']}/revisions/20200101-zzzz/pin", {"pinned": True}, auth)
    assert answer.status_code == 404
    assert answer.json == {"message": "revision not found", "code": "revision_not_found", "field": "revision"}
    assert listed(client, auth, article["id"]) == before


def test_only_the_newest_fifty_and_the_pinned_are_kept(client, auth, monkeypatch):
    monkeypatch.setattr(revisions, "KEEP", 3)
    article = create(client, auth)
    first = listed(client, auth, article["id"])[0]["id"]
    pinned = call(client, "PUT", f"/api/articles/{article['id']}/revisions/{first}/pin", {"pinned": True}, auth)
    assert pinned.status_code == 200
    current = article
    for number in range(5):
        current = save(client, auth, current, title=f"第{number}稿")
    history = listed(client, auth, article["id"])
    assert [(r["reason"], r["title"]) for r in history] == [
        ("saved", "第4稿"),
        ("saved", "第3稿"),
        ("saved", "第2稿"),  # the oldest two saves went
        ("created", article["title"]),
    ]
    assert history[-1]["pinned"] is True
    contents = list(WorkflowModel.query(f"rev#{article['id']}"))
    assert sorted(c.sk for c in contents) == sorted(r["id"] for r in history)  # the text went with its entry


def test_an_unknown_revision_is_a_404_and_a_malformed_one_a_400(client, auth):
    article = create(client, auth)
    assert (
        call(client, "GET", f"/api/articles/{article['id']}/revisions/20200101-zzzz", headers=auth).status_code == 404
    )
    bad = call(client, "POST", f"/api/articles/{article['id']}/revisions/..%2Fx/restore", None, auth)
    assert bad.status_code in (400, 404)


def para(text: str) -> dict:
    return {"type": "paragraph", "text": text}


def photo(photo_id: str, caption: str = "") -> dict:
    return {"type": "photo", "photo_id": photo_id, **({"caption": caption} if caption else {})}


def block_changes(old: list[dict], new: list[dict]) -> list[tuple]:
    return [
        (c["change"], c["type"], c["old_index"], c["new_index"])
        for c in diffs.diff_articles({"body": old}, {"body": new})["blocks"]
    ]


def test_a_paragraph_inserted_before_photos_is_the_only_change_the_photos_stay_after_their_paragraph():
    old = [para("甲"), para("乙"), photo("p1"), photo("p2")]
    new = [para("甲"), para("丙"), para("乙"), photo("p1"), photo("p2")]
    assert diffs.diff_articles({"body": old}, {"body": new})["blocks"] == [
        {
            "change": "added",
            "type": "paragraph",
            "old": None,
            "new": para("丙"),
            "old_index": None,
            "new_index": 1,
            "old_text": None,
            "new_text": "丙",
        }
    ]


def test_a_photo_put_after_another_paragraph_is_moved_with_its_old_and_new_block():
    old = [para("甲"), photo("p1", "会场"), para("乙")]
    new = [para("甲"), para("乙"), photo("p1", "会场")]
    (change,) = diffs.diff_articles({"body": old}, {"body": new})["blocks"]
    assert (change["change"], change["type"], change["old_index"], change["new_index"]) == ("moved", "photo", 1, 2)
    assert change["old"] == change["new"] == photo("p1", "会场")


def test_a_photo_replaced_by_another_is_removed_then_added_in_its_place():
    old = [para("甲"), photo("p1", "旧图")]
    new = [para("甲"), photo("p2", "新图")]
    assert diffs.diff_articles({"body": old}, {"body": new})["blocks"] == [
        {
            "change": "removed",
            "type": "photo",
            "old": photo("p1", "旧图"),
            "new": None,
            "old_index": 1,
            "new_index": None,
        },
        {
            "change": "added",
            "type": "photo",
            "old": None,
            "new": photo("p2", "新图"),
            "old_index": None,
            "new_index": 1,
        },
    ]


def test_photos_kept_in_their_order_are_not_moved_whatever_their_ids():
    old = [photo("zz", "甲"), photo("aa")]
    assert block_changes(old, [photo("zz", "乙"), photo("aa")]) == [("changed", "photo", 0, 0)]


def test_of_photos_reordered_the_one_taken_out_of_the_kept_run_is_moved():
    old = [photo("p1"), photo("p2"), photo("p3")]
    assert block_changes(old, [photo("p3"), photo("p1"), photo("p2")]) == [("moved", "photo", 2, 0)]


def test_a_caption_edited_after_unchanged_paragraphs_is_changed_not_moved():
    old = [para("甲"), para("乙"), para("丙"), photo("p1", "旧")]
    new = [para("甲"), para("乙"), para("丙"), photo("p1", "新")]
    assert block_changes(old, new) == [("changed", "photo", 3, 3)]


def test_in_a_long_article_a_separator_repeated_between_two_edits_is_no_change():
    def body(edits: dict[int, str]) -> list[dict]:
        return [block for k in range(100) for block in (para(edits.get(k, f"第{k}段")), para("※"))]

    new = body({50: "第五十段（改）", 51: "第五十一段（改）"})
    assert block_changes(body({}), new) == [("changed", "paragraph", 100, 100), ("changed", "paragraph", 102, 102)]


def test_a_revision_is_its_fields_with_its_id_who_when_and_why_read_consistently(client, auth):
    article = create(client, auth)
    (entry,) = listed(client, auth, article["id"])
    with DynamoDBRequests() as requests:
        answer = call(client, "GET", f"/api/articles/{article['id']}/revisions/{entry['id']}", headers=auth)
    assert answer.status_code == 200
    assert answer.json == {
        "title": "年会通知",
        "subtitle": None,
        "category": "news",
        "source": None,
        "author": None,
        "notice": False,
        "cover_photo_id": None,
        "body": ARTICLE["body"],
        "version": 1,
        "id": entry["id"],
        "at": entry["at"],
        "by": "editor",
        "reason": "created",
    }
    revisions_table = WorkflowModel.Meta.table_name
    assert [read for read in requests.reads() if read[1] == revisions_table] == [("GetItem", revisions_table, True)]


def test_an_unknown_revision_and_a_malformed_one_answer_their_message_code_and_field(client, auth):
    article = create(client, auth)
    path = f"/api/articles/{article['id']}/revisions"
    unknown = call(client, "GET", f"{path}/20200101-zzzz", headers=auth)
    assert (unknown.status_code, unknown.json) == (
        404,
        {"message": "revision not found", "code": "revision_not_found", "field": "revision"},
    )
    malformed = {"message": "revision is not a revision id", "code": "revision_invalid", "field": "revision"}
    for answer in (
        call(client, "GET", f"{path}/Not_A_Rev", headers=auth),
        call(client, "GET", f"{path}/Not_A_Rev/diff", headers=auth),
        call(client, "PUT", f"{path}/Not_A_Rev/pin", {"pinned": True}, auth),
    ):
        assert (answer.status_code, answer.json) == (400, malformed)


def _revision_items(article_id: str) -> list[WorkflowModel]:
    return [
        item
        for key in (f"revs#{article_id}", f"rev#{article_id}")
        for item in WorkflowModel.query(key, consistent_read=True)
    ]


def test_an_article_s_revisions_and_count_go_with_it_from_the_trash(client, auth, admin_auth):
    """The revisions hold the article's whole text: deleted for good means them too. In the trash they carry the
    article's `purge_at` for their tables' TTL; restored, they keep no date; emptied at once, they are deleted."""
    article = create(client, auth)
    save(client, auth, article, title="年会通知（改）")
    counters.count_view(article["id"], counters.Client("203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"))
    assert len(_revision_items(article["id"])) == 4  # two revisions, each an entry and its content

    assert call(client, "DELETE", f"/api/articles/{article['id']}", None, auth).status_code == 204
    purge_at = ArticleModel.get(article["id"]).purge_at
    assert purge_at and [item.purge_at for item in _revision_items(article["id"])] == [purge_at] * 4
    assert CounterModel.get(article["id"]).purge_at == purge_at

    assert call(client, "POST", f"/api/trash/{article['id']}/restore", None, admin_auth).status_code == 200
    items = _revision_items(article["id"])
    assert len(items) == 6 and [item.purge_at for item in items] == [None] * 6  # and the restore's own revision
    assert CounterModel.get(article["id"]).purge_at is None and CounterModel.get(article["id"]).views == 1

    assert call(client, "DELETE", f"/api/articles/{article['id']}", None, auth).status_code == 204
    assert call(client, "DELETE", f"/api/trash/{article['id']}", None, admin_auth).status_code == 204
    assert _revision_items(article["id"]) == [] and CounterModel.count(article["id"]) == 0


def test_trashing_reads_the_revisions_keys_strongly_and_only_their_keys(client, auth):
    """A revision saved a moment before the trash is dated too (a strong read), and dating reads the keys only,
    not up to 50 whole texts."""
    article = create(client, auth)
    with DynamoDBRequests() as requests:
        assert call(client, "DELETE", f"/api/articles/{article['id']}", None, auth).status_code == 204
    queries = [
        (params.get("ConsistentRead"), sorted(params.get("ExpressionAttributeNames", {}).values()))
        for operation, params in requests.requests
        if operation == "Query" and params["TableName"] == WorkflowModel.Meta.table_name
    ]
    assert queries == [(True, ["pk", "sk"])] * 2  # the entries, then the contents


def test_a_revision_pruned_while_the_trash_dates_them_is_not_written_back(client, auth):
    """Between the listing of the revisions and the dating of one, a save prunes it: the dating writes nothing,
    rather than leave behind an item of a date and no revision."""
    article = create(client, auth)
    first = _revision_items(article["id"])[0]  # the entry: the first item the dating updates
    pruned_now = WorkflowModel(first.pk, first.sk).delete
    with just_before("UpdateItem", WorkflowModel.Meta.table_name, pruned_now) as ran:
        assert call(client, "DELETE", f"/api/articles/{article['id']}", None, auth).status_code == 204
    assert ran
    left = _revision_items(article["id"])
    assert (first.pk, first.sk) not in [(item.pk, item.sk) for item in left] and len(left) == 1
    assert left[0].purge_at == ArticleModel.get(article["id"]).purge_at


def test_an_article_never_viewed_goes_to_the_trash_and_back(client, auth, admin_auth):
    article = create(client, auth)
    assert call(client, "DELETE", f"/api/articles/{article['id']}", None, auth).status_code == 204
    assert call(client, "POST", f"/api/trash/{article['id']}/restore", None, admin_auth).status_code == 200
    assert CounterModel.count(article["id"]) == 0  # no count was made to carry a date


def test_the_upgrade_dates_the_history_of_articles_trashed_before_it_went_with_them(client, auth):
    from ops.migrations import date_the_trash

    kept, trashed = create(client, auth), create(client, auth, {**ARTICLE, "title": "旧的删除"})
    assert call(client, "DELETE", f"/api/articles/{trashed['id']}", None, auth).status_code == 204
    for item in _revision_items(trashed["id"]):  # as trashing left them before this
        item.update(actions=[WorkflowModel.purge_at.remove()])
    assert date_the_trash() == 1
    purge_at = ArticleModel.get(trashed["id"]).purge_at
    assert [item.purge_at for item in _revision_items(trashed["id"])] == [purge_at] * 2
    assert [item.purge_at for item in _revision_items(kept["id"])] == [None] * 2
    assert date_the_trash() == 1  # again: the same dates


def test_the_upgrade_goes_on_past_an_article_purged_while_it_runs_and_counts_the_others(client, auth, admin_auth):
    """The trash listing names an article that an admin empties before the upgrade reads it: it is passed over,
    and the articles after it are dated all the same."""
    from ops.migrations import date_the_trash

    articles = [create(client, auth, {**ARTICLE, "title": f"旧的删除{n}"}) for n in range(3)]
    for article in articles:
        assert call(client, "DELETE", f"/api/articles/{article['id']}", None, auth).status_code == 204
        for item in _revision_items(article["id"]):  # as trashing left them before revisions went with it
            item.update(actions=[WorkflowModel.purge_at.remove()])
    purged = []

    def purged_now(params, **_):  # the first article the upgrade reads is emptied from the trash just before
        if params.get("ConsistentRead") and not purged:
            purged.append(params["Key"]["id"]["S"])
            assert call(client, "DELETE", f"/api/trash/{purged[0]}", None, admin_auth).status_code == 204

    events = ArticleModel._get_connection().connection.client.meta.events
    events.register("before-parameter-build.dynamodb.GetItem", purged_now)
    try:
        assert date_the_trash() == 2
    finally:
        events.unregister("before-parameter-build.dynamodb.GetItem", purged_now)
    assert ArticleModel.count(purged[0]) == 0
    for article in articles:
        if article["id"] not in purged:
            purge_at = ArticleModel.get(article["id"]).purge_at
            assert [item.purge_at for item in _revision_items(article["id"])] == [purge_at] * 2


def test_an_article_restored_while_its_trashing_dates_its_history_keeps_its_history(client, auth, admin_auth):
    """An admin restores the article while the trash request is still dating its revisions: the trash request
    sees it restored and takes the dates back (the restore's own clearing may have run before them)."""
    article = create(client, auth)
    restored = []

    def restored_now():  # just before the first revision is dated (the first UpdateItem of the workflow table)
        restored.append(trash.restore_article(article["id"]).status)

    with just_before("UpdateItem", WorkflowModel.Meta.table_name, restored_now):
        assert call(client, "DELETE", f"/api/articles/{article['id']}", None, auth).status_code == 204
    assert restored == ["draft"]
    assert ArticleModel.get(article["id"]).status == "draft"
    assert [item.purge_at for item in _revision_items(article["id"])] == [None] * 2


def test_a_trash_whose_history_cannot_be_dated_still_trashes_and_says_so_in_the_log(client, auth, caplog, monkeypatch):
    """DynamoDB refusing the dating (after the article went to the trash) is no failed delete: 204, and a warning
    for ops; emptying the trash would still delete the history."""
    import logging

    from chalicelib.config import get_settings

    article = create(client, auth)
    slow, table = client_error("ProvisionedThroughputExceededException", "slow"), get_settings().tables["workflow"]
    refuse(monkeypatch, slow, operation="UpdateItem", table=table, when=lambda params: "purge_at" in str(params))
    with caplog.at_level(logging.WARNING, logger="chalicelib.trash"):
        assert call(client, "DELETE", f"/api/articles/{article['id']}", None, auth).status_code == 204
    assert ArticleModel.get(article["id"]).status == "trashed"
    (line,) = [r for r in caplog.records if r.name == "chalicelib.trash"]
    assert line.getMessage() == f"trash: {article['id']}'s revisions and count were not all dated to go with it"
    assert line.exc_info and "ProvisionedThroughputExceededException" in str(line.exc_info[1])  # and DynamoDB's refusal


def test_a_revision_is_named_and_dated_by_the_one_clock_in_utc(client, auth, clock):
    clock(datetime(2027, 1, 1, 8, 0, 0, 500000, tzinfo=timezone(timedelta(hours=8))))
    signed = bearer()  # at the clock's moment
    article = create(client, signed)
    (revision,) = listed(client, signed, article["id"])
    assert re.fullmatch(r"20270101000000500000-[^-]{4}", revision["id"]), revision["id"]
    assert revision["at"] == "2027-01-01T00:00:00.500000+00:00"


def test_a_revision_pinned_while_a_save_prunes_it_is_kept_with_its_text(client, auth, monkeypatch):
    """The race forced: the pin lands between the prune's Query and its deletes. The pinned revision keeps its
    text, and the prune goes on to the older ones."""
    monkeypatch.setattr(revisions, "KEEP", 4)
    article = create(client, auth)
    current = article
    for number in range(3):
        current = save(client, auth, current, title=f"第{number}稿")
    raced = listed(client, auth, article["id"])[1]
    assert raced["title"] == "第1稿"
    monkeypatch.setattr(revisions, "KEEP", 2)  # the next save prunes 第1稿 (first), 第0稿 and the created one

    def pin() -> None:
        entry = WorkflowModel.get(f"revs#{article['id']}", raced["id"])
        entry.update(actions=[WorkflowModel.pinned.set(True)])

    with just_before("DeleteItem", WorkflowModel.Meta.table_name, pin) as ran:
        save(client, auth, current, title="第3稿")
    assert ran
    history = listed(client, auth, article["id"])
    assert [(r["title"], r["pinned"]) for r in history] == [("第3稿", False), ("第2稿", False), ("第1稿", True)]
    kept = call(client, "GET", f"/api/articles/{article['id']}/revisions/{raced['id']}", headers=auth)
    assert kept.status_code == 200 and kept.json["title"] == "第1稿"
    contents = WorkflowModel.query(f"rev#{article['id']}", consistent_read=True)
    assert sorted(item.sk for item in contents) == sorted(r["id"] for r in history)  # no text left behind
