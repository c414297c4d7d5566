"""Editors' writes under concurrency, and what the API reports about an article.

Races are made real: a botocore `before-call` hook on the shared DynamoDB
client runs the other editor's request just before this one's write reaches
the database, so the database, not an in-memory check, has to notice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib import categories, editorial
from chalicelib.config import get_settings
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.models import ArticleModel, CategoryModel, PhotoModel
from chalicelib.validation import article_fields
from local.dynamodb_calls import DynamoDBCalls, DynamoDBRequests
from tests.api_helpers import call
from tests.events import s3_notification
from tests.photo_files import camera_jpeg
from tests.site import a_reader, make_article
from tests.test_processing import deliver, upload
from tests.transaction_faults import transaction_conflicts


def article(**changes):
    body = {
        "title": "协会召开年度会员大会",
        "category": "industry",
        "body": [{"type": "paragraph", "text": "大会隆重召开。"}],
    }
    body.update(changes)
    return body


@contextmanager
def just_before(operation: str, table: str, action: Callable[[], object]) -> Iterator[list[bool]]:
    """Run `action` once, just before the first `operation` on `table` (or a transaction writing it) is sent."""
    client = ArticleModel._get_connection().connection.client
    ran: list[bool] = []

    def hook(params, **_):
        tables = {params.get("TableName")} | {
            w.get("TableName") for i in params.get("TransactItems", []) for w in i.values()
        }
        if not ran and table in tables:
            ran.append(True)
            action()

    event = f"before-parameter-build.dynamodb.{operation}"
    client.meta.events.register(event, hook)
    try:
        yield ran
    finally:
        client.meta.events.unregister(event, hook)


def articles_table() -> str:
    return get_settings().tables["articles"]


def other_editor_saves(article_id: str, data: dict, **changes) -> Callable[[], object]:
    """The other editor's PUT of `data` (as they loaded it) with `changes`."""
    editable = {k: v for k, v in data.items() if k in ("title", "category", "body", "notice", "version")}
    return lambda: editorial.replace_article(article_id, article_fields({**editable, **changes}, with_version=True))


def test_two_editors_saving_the_same_version_at_once_the_second_gets_409_and_the_first_edit_stays(client, auth):
    loaded = call(client, "POST", "/api/articles", article(), auth).json
    first = other_editor_saves(loaded["id"], loaded, title="第一位编辑的标题")
    with just_before("PutItem", articles_table(), first) as ran:
        second = call(client, "PUT", f"/api/articles/{loaded['id']}", {**loaded, "title": "第二位编辑的标题"}, auth)
    assert ran
    assert second.status_code == 409
    assert second.json == {
        "message": "the article was changed by someone else",
        "code": "version_conflict",
        "current_version": 2,
    }
    stored = call(client, "GET", f"/api/articles/{loaded['id']}", headers=auth).json
    assert stored["title"] == "第一位编辑的标题" and stored["version"] == 2


def test_publishing_while_someone_saves_is_409_and_keeps_their_edit(client, auth):
    loaded = call(client, "POST", "/api/articles", article(), auth).json
    with just_before("PutItem", articles_table(), other_editor_saves(loaded["id"], loaded, title="改过的标题")):
        response = call(client, "POST", f"/api/articles/{loaded['id']}/publish", None, auth)
    assert response.status_code == 409
    assert response.json == {
        "message": "the article was changed by someone else",
        "code": "version_conflict",
        "current_version": 2,
    }
    stored = call(client, "GET", f"/api/articles/{loaded['id']}", headers=auth).json
    assert stored["title"] == "改过的标题" and stored["status"] == "draft"
    assert client.http.get(f"/articles/{loaded['id']}").status_code == 404


def test_unpublishing_while_someone_saves_is_409_and_keeps_their_edit(client, auth):
    created = call(client, "POST", "/api/articles", article(), auth).json
    loaded = call(client, "POST", f"/api/articles/{created['id']}/publish", None, auth).json
    with just_before("PutItem", articles_table(), other_editor_saves(loaded["id"], loaded, title="改过的标题")):
        response = call(client, "POST", f"/api/articles/{loaded['id']}/unpublish", None, auth)
    assert response.status_code == 409
    assert response.json == {
        "message": "the article was changed by someone else",
        "code": "version_conflict",
        "current_version": 3,
    }
    assert "改过的标题" in client.http.get(f"/articles/{loaded['id']}").body.decode()  # still public


def test_deleting_while_someone_saves_is_409_with_the_current_version_and_nothing_is_deleted(client, auth):
    loaded = call(client, "POST", "/api/articles", article(), auth).json
    with just_before(
        "TransactWriteItems", articles_table(), other_editor_saves(loaded["id"], loaded, title="改过的标题")
    ):
        response = call(client, "DELETE", f"/api/articles/{loaded['id']}", None, auth)
    assert response.status_code == 409
    assert response.json == {
        "message": "the article was changed meanwhile; reload it",
        "code": "version_conflict",
        "current_version": 2,
    }
    assert call(client, "GET", f"/api/articles/{loaded['id']}", headers=auth).json["title"] == "改过的标题"


def test_a_transaction_conflict_on_the_category_is_409_naming_it_to_try_again(client, auth):
    with transaction_conflicts(1) as answered:
        response = call(client, "POST", "/api/articles", article(), auth)
    assert answered
    assert response.status_code == 409
    assert response.json == {
        "message": "the category was being changed at the same moment; try again",
        "code": "conflict",
        "category": "industry",
    }
    assert ArticleModel.count() == 0 and CategoryModel.get("industry").articles == 0


def test_moving_an_article_while_the_category_is_busy_is_409_naming_the_new_category_and_nothing_moves(client, auth):
    loaded = call(client, "POST", "/api/articles", article(), auth).json
    with transaction_conflicts(1) as answered:
        response = call(client, "PUT", f"/api/articles/{loaded['id']}", {**loaded, "category": "policy"}, auth)
    assert answered
    assert (response.status_code, response.json) == (
        409,
        {
            "message": "the category was being changed at the same moment; try again",
            "code": "conflict",
            "category": "policy",
        },
    )
    assert call(client, "GET", f"/api/articles/{loaded['id']}", headers=auth).json["category"] == "industry"
    assert (CategoryModel.get("industry").articles, CategoryModel.get("policy").articles) == (1, 0)


def test_moving_an_article_while_someone_saves_it_is_409_with_the_current_version_and_keeps_their_edit(client, auth):
    loaded = call(client, "POST", "/api/articles", article(), auth).json
    other = other_editor_saves(loaded["id"], loaded, title="改过的标题")
    with just_before("TransactWriteItems", articles_table(), other) as ran:
        response = call(client, "PUT", f"/api/articles/{loaded['id']}", {**loaded, "category": "policy"}, auth)
    assert ran
    assert (response.status_code, response.json) == (
        409,
        {"message": "the article was changed by someone else", "code": "version_conflict", "current_version": 2},
    )
    stored = call(client, "GET", f"/api/articles/{loaded['id']}", headers=auth).json
    assert (stored["title"], stored["category"]) == ("改过的标题", "industry")
    assert (CategoryModel.get("industry").articles, CategoryModel.get("policy").articles) == (1, 0)


def test_moving_an_article_to_a_category_deleted_meanwhile_is_400_naming_it(client, auth):
    loaded = call(client, "POST", "/api/articles", article(), auth).json
    with just_before("TransactWriteItems", articles_table(), lambda: categories.delete_category("policy")) as ran:
        response = call(client, "PUT", f"/api/articles/{loaded['id']}", {**loaded, "category": "policy"}, auth)
    assert ran
    assert (response.status_code, response.json) == (
        400,
        {"message": "unknown category: policy", "code": "unknown_category", "field": "category"},
    )
    stored = call(client, "GET", f"/api/articles/{loaded['id']}", headers=auth).json
    assert (stored["category"], stored["version"]) == ("industry", 1)
    assert CategoryModel.get("industry").articles == 1


def test_deleting_for_good_while_someone_saves_is_a_conflict_with_the_current_version_and_nothing_changes(client, auth):
    loaded = call(client, "POST", "/api/articles", article(), auth).json
    with (
        just_before(
            "TransactWriteItems", articles_table(), other_editor_saves(loaded["id"], loaded, title="改过的标题")
        ) as ran,
        pytest.raises(Conflict) as raised,
    ):
        editorial.delete_article(loaded["id"])  # for good, as emptying the trash does
    assert ran
    assert raised.value.status_code == 409
    assert raised.value.message == "the article was changed meanwhile; reload it"
    assert raised.value.code == "version_conflict"
    assert raised.value.details == {"current_version": 2}
    assert call(client, "GET", f"/api/articles/{loaded['id']}", headers=auth).json["title"] == "改过的标题"
    assert CategoryModel.get("industry").articles == 1


def test_deleting_an_article_for_good_takes_one_off_its_category_count(client, auth):
    make_article("first", publish=False)
    make_article("second")
    assert CategoryModel.get("industry").articles == 2
    editorial.delete_article("first")
    assert CategoryModel.get("industry").articles == 1


def test_a_deleted_article_takes_its_view_count_with_it(client, auth):
    make_article("counted")
    for _ in range(2):
        client.http.get("/articles/counted", headers=a_reader())
    editorial.delete_article("counted")  # for good (the API's DELETE moves it to the trash: chalicelib/trash.py)
    make_article("counted")  # the same id again, e.g. the demo content loaded afresh
    assert (
        '查看：<span class="views">1</span>次' in client.http.get("/articles/counted", headers=a_reader()).body.decode()
    )


def test_creating_an_article_with_an_id_in_use_is_a_conflict_and_keeps_the_first(client, auth):
    make_article("fixed-id", title="第一篇")
    with DynamoDBRequests() as sent, pytest.raises(Conflict) as raised:
        make_article("fixed-id", title="第二篇")
    assert (raised.value.message, raised.value.code) == ("an article with this id exists", "article_exists")
    assert raised.value.details == {"article_id": "fixed-id"}
    assert "第一篇" in client.http.get("/articles/fixed-id").body.decode()
    (looked,) = [params for operation, params in sent.requests if operation == "Query"]  # is the id taken?
    assert looked["TableName"] == articles_table() and looked["ConsistentRead"] is True  # taken a moment ago
    assert looked["ExpressionAttributeValues"] == {":0": {"S": "fixed-id"}}


def test_a_new_article_in_an_unknown_category_is_refused_as_such_beside_other_articles(client, auth):
    make_article("first")
    with pytest.raises(InvalidInput) as raised:
        make_article("second", category="none-such")
    assert (raised.value.field, raised.value.code) == ("category", "unknown_category")
    assert raised.value.message == "unknown category: none-such"


def test_new_ids_are_twelve_unambiguous_characters(client, auth):
    ids = {call(client, "POST", "/api/articles", article(), auth).json["id"] for _ in range(25)}
    assert len(ids) == 25
    for article_id in ids:
        assert re.fullmatch(r"[a-km-np-z2-9]{12}", article_id), article_id  # no 0/o, 1/l
    assert len(set("".join(ids))) > 20  # drawn from the whole alphabet


def test_the_api_shows_every_field_of_an_article(client, auth):
    fields = article(
        subtitle="副标题",
        source="协会秘书处",
        author="宣传部",
        notice=True,
        cover_photo_id="photo1",
        body=[
            {"type": "paragraph", "text": "大会隆重召开。"},
            {"type": "photo", "photo_id": "photo1", "caption": "会长致辞", "alt": "会长在台上"},
        ],
    )
    created = call(client, "POST", "/api/articles", fields, auth).json
    assert created == {
        "id": created["id"],
        "title": "协会召开年度会员大会",
        "subtitle": "副标题",
        "category": "industry",
        "source": "协会秘书处",
        "author": "宣传部",
        "notice": True,
        "flags": [],
        "pinned_until": None,
        "review": None,
        "pending_revision": None,
        "cover_photo_id": "photo1",
        "status": "draft",
        "scheduled": False,
        "published_at": None,
        "created_at": created["created_at"],
        "updated_at": created["created_at"],
        "version": 1,
        "url": f"/articles/{created['id']}",
        "body": fields["body"],
    }
    assert datetime.fromisoformat(created["created_at"]).utcoffset() == timedelta(0)


def test_empty_optional_fields_are_null(client, auth):
    fields = article(subtitle="", source="", author="", cover_photo_id="")
    created = call(client, "POST", "/api/articles", fields, auth).json
    assert [created[k] for k in ("subtitle", "source", "author", "cover_photo_id", "notice")] == [None] * 4 + [False]


def test_created_at_stays_and_updated_at_moves_with_each_change(client, auth):
    created = call(client, "POST", "/api/articles", article(), auth).json
    edited = call(client, "PUT", f"/api/articles/{created['id']}", {**created, "title": "新标题"}, auth).json
    published = call(client, "POST", f"/api/articles/{created['id']}/publish", None, auth).json
    unpublished = call(client, "POST", f"/api/articles/{created['id']}/unpublish", None, auth).json
    steps = [created, edited, published, unpublished]
    assert {s["created_at"] for s in steps} == {created["created_at"]}
    updates = [datetime.fromisoformat(s["updated_at"]) for s in steps]
    assert updates == sorted(updates) and len(set(updates)) == 4
    assert updates[1] < datetime.fromisoformat(published["published_at"]) <= updates[2]  # published now


def test_scheduled_is_true_only_while_a_publication_waits_for_its_time(client, auth):
    article_id = call(client, "POST", "/api/articles", article(), auth).json["id"]
    later = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    scheduled = call(client, "POST", f"/api/articles/{article_id}/publish", {"published_at": later}, auth).json
    assert scheduled["scheduled"] is True
    listed = call(client, "GET", "/api/articles", headers=auth).json["articles"]
    assert [(a["id"], a["scheduled"]) for a in listed] == [(article_id, True)]
    unpublished = call(client, "POST", f"/api/articles/{article_id}/unpublish", None, auth).json
    assert unpublished["scheduled"] is False and unpublished["status"] == "draft"
    earlier = (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()
    now_public = call(client, "POST", f"/api/articles/{article_id}/publish", {"published_at": earlier}, auth).json
    assert now_public["scheduled"] is False and now_public["status"] == "published"


def test_an_article_published_at_this_very_instant_is_not_scheduled(client, auth, clock):
    """The API agrees with the site, which lists it from that instant (the clock stopped there)."""
    article_id = call(client, "POST", "/api/articles", article(), auth).json["id"]
    moment = datetime.now(timezone.utc).replace(microsecond=0)
    clock(moment)
    published = call(client, "POST", f"/api/articles/{article_id}/publish", {"published_at": moment.isoformat()}, auth)
    assert (published.json["published_at"], published.json["scheduled"]) == (moment.isoformat(), False)
    shown = call(client, "GET", f"/api/articles/{article_id}", headers=auth).json
    assert shown["scheduled"] is False
    for status, listed in (("published", [article_id]), ("scheduled", [])):  # and the list's filters agree
        answer = call(client, "GET", f"/api/articles?status={status}", headers=auth).json
        assert [a["id"] for a in answer["articles"]] == listed, status


def test_publishing_again_after_unpublishing_keeps_the_first_publication_date(client, auth):
    article_id = call(client, "POST", "/api/articles", article(), auth).json["id"]
    first = call(client, "POST", f"/api/articles/{article_id}/publish", None, auth).json["published_at"]
    call(client, "POST", f"/api/articles/{article_id}/unpublish", None, auth)
    again = call(client, "POST", f"/api/articles/{article_id}/publish", None, auth).json
    assert again["published_at"] == first and again["status"] == "published"
    chosen = (datetime.now(timezone.utc) - timedelta(days=3)).replace(microsecond=0)
    changed = call(client, "POST", f"/api/articles/{article_id}/publish", {"published_at": chosen.isoformat()}, auth)
    assert datetime.fromisoformat(changed.json["published_at"]) == chosen  # unless the editor changes it


def test_publishing_now_after_an_unpublished_schedule_is_now(client, auth):
    article_id = call(client, "POST", "/api/articles", article(), auth).json["id"]
    later = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    call(client, "POST", f"/api/articles/{article_id}/publish", {"published_at": later}, auth)
    call(client, "POST", f"/api/articles/{article_id}/unpublish", None, auth)
    now_public = call(client, "POST", f"/api/articles/{article_id}/publish", None, auth).json
    assert now_public["scheduled"] is False and datetime.fromisoformat(now_public["published_at"]) <= datetime.now(
        timezone.utc
    )


def test_unknown_articles_are_404_for_delete_and_unpublish(client, auth):
    for method, path in [("DELETE", "/api/articles/nope"), ("POST", "/api/articles/nope/unpublish")]:
        response = call(client, method, path, None, auth)
        assert response.status_code == 404
        assert response.json == {"message": "article not found", "code": "article_not_found", "article_id": "nope"}


# Photo processing results reach the articles that show the photo.


def figures(client, article_id: str) -> list[str]:
    """Each photo block of the article's page: 'ready <photo id>', 'pending' or 'unavailable'."""
    page = client.http.get(f"/articles/{article_id}").body.decode()
    states = []
    for figure in (f.split("</figure>")[0] for f in page.split("<figure>")[1:]):
        shown = re.search(r'<img src="[^"]*/renditions/(\w+)/', figure)
        states.append(f"ready {shown.group(1)}" if shown else "pending" if "图片处理中" in figure else "unavailable")
    return states


def photo_article(client, auth, *photo_ids: str, title: str = "图片新闻") -> dict:
    blocks = [{"type": "photo", "photo_id": p, "caption": f"图{i}"} for i, p in enumerate(photo_ids)]
    created = call(client, "POST", "/api/articles", article(title=title, body=blocks), auth).json
    published = call(client, "POST", f"/api/articles/{created['id']}/publish", None, auth).json
    assert set(published.pop("pending_photos")) <= set(photo_ids)
    return published


def test_one_photo_processed_changes_only_the_blocks_that_show_it(client, auth):
    good, other = (upload(client, camera_jpeg(800, 600, orientation=1)) for _ in range(2))
    bad = upload(client, b"<html>not a photo</html>")
    mixed = photo_article(client, auth, good, other, good, bad)
    single = photo_article(client, auth, good, title="另一篇")
    assert figures(client, mixed["id"]) == ["pending"] * 4

    deliver(client, s3_notification(f"uploads/{good}", 1))
    assert figures(client, mixed["id"]) == [f"ready {good}", "pending", f"ready {good}", "pending"]
    assert figures(client, single["id"]) == [f"ready {good}"]  # every article showing it

    deliver(client, s3_notification(f"uploads/{bad}", 1))
    assert figures(client, mixed["id"]) == [f"ready {good}", "pending", f"ready {good}", "unavailable"]
    for before in (mixed, single):  # processing is not an edit: the editors' next save is no conflict
        assert call(client, "GET", f"/api/articles/{before['id']}", headers=auth).json == before


def test_an_editors_save_racing_with_a_photo_result_keeps_both(client, auth):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    loaded = photo_article(client, auth, photo_id)
    added = [*loaded["body"], {"type": "paragraph", "text": "补充的段落"}]
    with just_before("UpdateItem", articles_table(), other_editor_saves(loaded["id"], loaded, body=added)) as ran:
        deliver(client, s3_notification(f"uploads/{photo_id}", 1))
    assert ran
    assert figures(client, loaded["id"]) == [f"ready {photo_id}"]
    assert "补充的段落" in client.http.get(f"/articles/{loaded['id']}").body.decode()
    assert call(client, "GET", f"/api/articles/{loaded['id']}", headers=auth).json["version"] == loaded["version"] + 1


def test_a_photo_finishing_while_its_article_is_being_saved_shows_once_saved(client, auth):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    processed = lambda: deliver(client, s3_notification(f"uploads/{photo_id}", 1))  # noqa: E731
    with just_before("TransactWriteItems", articles_table(), processed) as ran:
        loaded = photo_article(client, auth, photo_id)
    assert ran
    assert figures(client, loaded["id"]) == [f"ready {photo_id}"]


def test_a_photo_used_by_a_deleted_article_still_reaches_the_others(client, auth):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    blocks = [{"type": "photo", "photo_id": photo_id, "caption": "合影"}]
    for article_id in ("a-deleted", "b-kept", "c-kept"):  # the processor visits them in this order
        make_article(article_id, body=blocks)
    editorial.delete_article("a-deleted")  # for good: the trash keeps the article (and it still shows the photo)
    with DynamoDBCalls() as calls:
        assert deliver(client, s3_notification(f"uploads/{photo_id}", 1)) == {"batchItemFailures": []}
    assert article_table_operations(calls) == ["GetItem", "GetItem", "UpdateItem", "GetItem", "UpdateItem"]
    assert figures(client, "b-kept") == figures(client, "c-kept") == [f"ready {photo_id}"]


def test_saving_an_article_whose_photo_is_still_pending_writes_it_once_and_reads_nothing_back(client, auth):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    blocks = [{"type": "paragraph", "text": "导语"}, {"type": "photo", "photo_id": photo_id, "caption": "合影"}]
    with DynamoDBCalls() as calls:
        assert call(client, "POST", "/api/articles", article(body=blocks), auth).status_code == 201
    # One write: the article and its category's count in one transaction (moto names no table for it).
    assert [op for op, table, _ in calls.calls if table in (articles_table(), None)] == ["TransactWriteItems"]


def article_table_operations(calls: DynamoDBCalls) -> list[str]:
    return [operation for operation, table, _ in calls.calls if table == articles_table()]


def test_a_photo_result_costs_one_read_and_one_write_per_article_and_a_redelivery_no_write(client, auth):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    photo_article(client, auth, photo_id)
    body = s3_notification(f"uploads/{photo_id}", 1)
    with DynamoDBCalls() as first:
        deliver(client, body)
    assert article_table_operations(first) == ["GetItem", "UpdateItem"]
    with DynamoDBCalls() as again:
        deliver(client, body)  # SQS delivers at least once
    assert article_table_operations(again) == ["GetItem"]


def test_publishing_while_a_photo_result_arrives_keeps_the_result(client, auth):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    blocks = [{"type": "photo", "photo_id": photo_id, "caption": "合影"}]
    draft = call(client, "POST", "/api/articles", article(body=blocks), auth).json
    publish = lambda: editorial.publish_article(draft["id"])  # noqa: E731  # saves the body it read: still pending
    with just_before("UpdateItem", articles_table(), publish) as ran:
        deliver(client, s3_notification(f"uploads/{photo_id}", 1))
    assert ran
    assert figures(client, draft["id"]) == [f"ready {photo_id}"]


def test_a_photo_result_arriving_while_publishing_is_not_overwritten_by_the_publication(client, auth):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    blocks = [{"type": "photo", "photo_id": photo_id, "caption": "合影"}]
    draft = call(client, "POST", "/api/articles", article(body=blocks), auth).json
    processed = lambda: deliver(client, s3_notification(f"uploads/{photo_id}", 1))  # noqa: E731
    with just_before("PutItem", articles_table(), processed) as ran:  # after publishing read the pending body
        editorial.publish_article(draft["id"])
    assert ran
    assert figures(client, draft["id"]) == [f"ready {photo_id}"]


def test_the_page_shows_a_processed_photo_in_its_own_colour_until_it_loads(client, auth):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    loaded = photo_article(client, auth, photo_id)
    deliver(client, s3_notification(f"uploads/{photo_id}", 1))
    colour = PhotoModel.get(photo_id).color  # the photo's average colour, found by processing
    page = client.http.get(f"/articles/{loaded['id']}").body.decode()
    assert colour.startswith("#") and f"background-color: {colour}" in page


@pytest.mark.parametrize(
    "changes, field, message, code",
    [
        ({"category": "nowhere"}, "category", "unknown category: nowhere", "unknown_category"),
        ({"cover_photo_id": "missing"}, "cover_photo_id", "cover_photo_id: unknown photo missing", "unknown_photo"),
        (
            {"body": [{"type": "photo", "photo_id": "missing"}]},
            "body[0].photo_id",
            "body[0].photo_id: unknown photo missing",
            "unknown_photo",
        ),
    ],
)
def test_unknown_references_are_400_naming_what_is_missing(client, auth, changes, field, message, code):
    response = call(client, "POST", "/api/articles", article(**changes), auth)
    assert response.status_code == 400 and response.json == {"message": message, "field": field, "code": code}
