"""The category tree's counts and conditions, with each race forced rather than hoped for.

A botocore `before-parameter-build` hook (tests/test_editorial.py's `just_before`) runs the other
editor's whole request between this request's reads and its transaction, so the transaction's
conditions, not luck, decide; a TransactionConflict is DynamoDB's answer given through botocore's
`before-call` hook. Each test fails every time if the condition it names is removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chalicelib import categories, editorial
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel, CategoryModel
from chalicelib.validation import article_fields
from local.dynamodb_calls import DynamoDBRequests
from tests.api_helpers import call
from tests.faults.test_category_races import assert_tree_intact
from tests.test_editorial import articles_table, just_before
from tests.transaction_faults import transaction_conflicts, transactions_refused


def categories_table() -> str:
    return get_settings().tables["categories"]


def counts(slug: str) -> tuple[int, int]:
    item = CategoryModel.get(slug, consistent_read=True)
    return int(item.children or 0), int(item.articles or 0)


def new_article(category: str) -> dict[str, Any]:
    return {"title": "标题", "category": category, "body": [{"type": "paragraph", "text": "正文"}]}


def create(category: str) -> str:
    return editorial.create_article(article_fields(new_article(category), with_version=False)).id


def test_a_category_deleted_while_an_article_is_created_in_it_stays_with_its_article(client, admin_auth):
    categories.put_category("doomed", "将删除")
    with just_before("TransactWriteItems", categories_table(), lambda: create("doomed")) as ran:
        response = call(client, "DELETE", "/api/categories/doomed", None, admin_auth)
    assert ran and response.status_code == 409
    assert counts("doomed") == (0, 1)
    assert_tree_intact()


def test_an_article_created_in_a_category_deleted_meanwhile_is_refused_and_leaves_no_nameless_category(
    client, admin_auth
):
    categories.put_category("doomed", "将删除")
    gone = lambda: categories.delete_category("doomed")  # noqa: E731
    with just_before("TransactWriteItems", categories_table(), gone) as ran:
        response = call(client, "POST", "/api/articles", new_article("doomed"), admin_auth)
    assert ran and (response.status_code, response.json["field"]) == (400, "category")
    assert CategoryModel.count("doomed", consistent_read=True) == 0  # no item holding only a count
    assert ArticleModel.count() == 0
    assert_tree_intact()


def test_an_article_moved_into_a_category_deleted_meanwhile_stays_where_it_was(client, admin_auth):
    categories.put_category("doomed", "将删除")
    article_id = create("policy")
    move = {**new_article("doomed"), "version": 1}
    with just_before("TransactWriteItems", categories_table(), lambda: categories.delete_category("doomed")) as ran:
        response = call(client, "PUT", f"/api/articles/{article_id}", move, admin_auth)
    assert ran and response.status_code == 400
    assert ArticleModel.get(article_id).category == "policy" and counts("policy") == (0, 1)
    assert_tree_intact()


def test_moving_or_deleting_an_article_gives_its_category_the_count_back(client, admin_auth):
    first, second = create("policy"), create("policy")
    assert counts("policy") == (0, 2)
    moved = call(client, "PUT", f"/api/articles/{first}", {**new_article("industry"), "version": 1}, admin_auth)
    assert moved.status_code == 200 and counts("policy") == (0, 1) and counts("industry") == (0, 1)
    assert call(client, "DELETE", f"/api/articles/{second}", None, admin_auth).status_code == 204
    assert counts("policy") == (0, 0)
    assert call(client, "DELETE", "/api/categories/policy", None, admin_auth).status_code == 204  # deletable again


def test_deleting_a_child_category_gives_its_parent_the_count_back(client, admin_auth):
    categories.put_category("child", "子栏目", "policy")
    assert counts("policy") == (1, 0)
    assert call(client, "DELETE", "/api/categories/child", None, admin_auth).status_code == 204
    assert counts("policy") == (0, 0)
    assert call(client, "DELETE", "/api/categories/policy", None, admin_auth).status_code == 204


def test_a_child_put_under_a_parent_deleted_meanwhile_is_refused(client, admin_auth):
    categories.put_category("parent", "父栏目")
    gone = lambda: categories.delete_category("parent")  # noqa: E731
    with just_before("TransactWriteItems", categories_table(), gone) as ran:
        response = call(client, "PUT", "/api/categories/kid", {"name": "子", "parent": "parent"}, admin_auth)
    assert ran and (response.status_code, response.json["field"]) == (400, "parent")
    assert CategoryModel.count("kid", consistent_read=True) == 0
    assert_tree_intact()


def test_a_parent_deleted_while_a_child_is_put_under_it_stays(client, admin_auth):
    categories.put_category("parent", "父栏目")
    adopt = lambda: categories.put_category("kid", "子", "parent")  # noqa: E731
    with just_before("TransactWriteItems", categories_table(), adopt) as ran:
        response = call(client, "DELETE", "/api/categories/parent", None, admin_auth)
    assert ran and response.status_code == 409
    assert counts("parent") == (1, 0)
    assert_tree_intact()


def test_a_category_that_gains_a_child_meanwhile_does_not_get_a_parent(client, admin_auth):
    categories.put_category("a", "甲")
    adopt = lambda: categories.put_category("c", "丙", "a")  # noqa: E731
    with just_before("TransactWriteItems", categories_table(), adopt) as ran:
        response = call(client, "PUT", "/api/categories/a", {"name": "甲", "parent": "policy"}, admin_auth)
    assert ran and response.status_code == 400
    assert CategoryModel.get("a").parent is None and CategoryModel.get("c").parent == "a"
    assert_tree_intact()


def test_a_parent_that_gets_a_parent_meanwhile_does_not_take_a_child(client, admin_auth):
    categories.put_category("a", "甲")
    demote = lambda: categories.put_category("a", "甲", "policy")  # noqa: E731
    with just_before("TransactWriteItems", categories_table(), demote) as ran:
        response = call(client, "PUT", "/api/categories/c", {"name": "丙", "parent": "a"}, admin_auth)
    assert ran and response.status_code == 400
    assert CategoryModel.count("c", consistent_read=True) == 0 and counts("a") == (0, 0)
    assert_tree_intact()


def test_two_admins_creating_the_same_slug_at_once_do_not_both_succeed(client, admin_auth):
    other = lambda: categories.put_category("new", "先到的", create_only=True)  # noqa: E731
    creating = {**admin_auth, "If-None-Match": "*"}
    with just_before("TransactWriteItems", categories_table(), other) as ran:
        response = call(client, "PUT", "/api/categories/new", {"name": "后到的"}, creating)
    assert ran and (response.status_code, response.json["code"]) == (409, "category_exists")
    assert CategoryModel.get("new", consistent_read=True).name == "先到的"  # the first creation is not overwritten
    assert_tree_intact()


def test_a_child_renamed_while_it_is_deleted_comes_back_counted_by_its_parent(client, admin_auth):
    categories.put_category("parent", "父栏目")
    categories.put_category("kid", "子", "parent")
    gone = lambda: categories.delete_category("kid")  # noqa: E731
    with just_before("TransactWriteItems", categories_table(), gone) as ran:
        response = call(client, "PUT", "/api/categories/kid", {"name": "新名", "parent": "parent"}, admin_auth)
    assert ran and response.status_code == 200  # a PUT leaves what it says: the category, made again
    assert CategoryModel.get("kid", consistent_read=True).name == "新名"
    assert counts("parent") == (1, 0)  # and its parent counts it, so the parent cannot be deleted under it
    assert_tree_intact()


def test_a_child_moved_meanwhile_then_put_back_by_a_stale_edit_leaves_both_parents_counted_right(client, admin_auth):
    categories.put_category("parent", "父栏目")
    categories.put_category("other", "另一父栏目")
    categories.put_category("kid", "子", "parent")
    moved = lambda: categories.put_category("kid", "子", "other")  # noqa: E731 - another admin, between read and write
    with just_before("TransactWriteItems", categories_table(), moved) as ran:
        response = call(client, "PUT", "/api/categories/kid", {"name": "新名", "parent": "parent"}, admin_auth)
    assert ran and response.status_code == 200
    assert CategoryModel.get("kid", consistent_read=True).parent == "parent"
    assert (counts("parent"), counts("other")) == ((1, 0), (0, 0))  # the move's counts were read again
    assert_tree_intact()


def test_a_child_renamed_twice_then_moved_to_the_top_keeps_its_parent_counted_right(client, admin_auth):
    categories.put_category("parent", "父栏目")
    categories.put_category("kid", "子", "parent")
    for name in ("改名", "再改名"):  # a change that keeps the parent leaves its count alone
        response = call(client, "PUT", "/api/categories/kid", {"name": name, "parent": "parent"}, admin_auth)
        assert response.status_code == 200 and counts("parent") == (1, 0)
    response = call(client, "PUT", "/api/categories/kid", {"name": "再改名"}, admin_auth)
    assert response.status_code == 200 and counts("parent") == (0, 0)
    assert CategoryModel.get("kid", consistent_read=True).parent is None
    assert call(client, "DELETE", "/api/categories/parent", None, admin_auth).status_code == 204
    assert_tree_intact()


def test_a_category_is_read_strongly_consistent_before_it_is_changed_or_deleted(client, admin_auth):
    """An eventually consistent read could miss a category made a moment ago (or see one just deleted), and the
    change would then be refused as a conflict; moto's reads are always current, so the request itself is read."""
    with DynamoDBRequests() as requests:
        categories.put_category("fresh", "新栏目", create_only=True)
        categories.put_category("fresh", "改名")
        categories.delete_category("fresh")
    reads = [strong for operation, _, strong in requests.reads() if operation == "GetItem"]
    assert len(reads) >= 3 and all(reads)


def test_a_transaction_conflict_is_retried_or_a_409_never_a_500(client, admin_auth):
    article_id = create("policy")
    requests = [
        ("PUT", "/api/categories/fresh", {"name": "新"}),
        ("POST", "/api/articles", new_article("policy")),
        ("PUT", f"/api/articles/{article_id}", {**new_article("industry"), "version": 1}),
        ("DELETE", "/api/categories/fresh", None),
        ("DELETE", f"/api/articles/{article_id}", None),
    ]
    for method, path, body in requests:
        with transaction_conflicts(1) as answered:
            response = call(client, method, path, body, admin_auth)
        assert answered and response.status_code in (200, 201, 204, 409), (method, path, response.json)
        if response.status_code == 409:
            assert set(response.json) >= {"message"}, response.json
    assert_tree_intact()


def test_dynamodb_throttling_a_transaction_is_a_503_to_retry_never_blamed_on_the_data(client, admin_auth):
    """Throttled is not refused: the editor is told to try again, not that the category is unknown or in use."""
    article_id = create("policy")
    categories.put_category("fresh", "新")
    requests = [
        ("PUT", "/api/categories/another", {"name": "另"}),
        ("PUT", "/api/categories/fresh", {"name": "新", "parent": "policy"}),
        ("POST", "/api/articles", new_article("policy")),
        ("PUT", f"/api/articles/{article_id}", {**new_article("industry"), "version": 1}),
        ("DELETE", "/api/categories/fresh", None),
        ("DELETE", f"/api/articles/{article_id}", None),
    ]
    for method, path, body in requests:
        with transactions_refused("ProvisionedThroughputExceededException", 3) as answered:
            response = call(client, method, path, body, admin_auth)
        assert (response.status_code, response.json["code"]) == (503, "unavailable"), (method, path, response.json)
        assert answered == ["ProvisionedThroughputExceededException"], (method, path)  # not tried again at once
        assert response.headers["Retry-After"]
    assert CategoryModel.count("another", consistent_read=True) == 0 and CategoryModel.get("fresh").parent is None
    assert ArticleModel.get(article_id).category == "policy" and counts("policy") == (0, 1)
    assert_tree_intact()


def test_a_conflict_once_is_retried_and_the_category_deleted(client, admin_auth):
    categories.put_category("fresh", "新")
    with transaction_conflicts(1) as answered:
        response = call(client, "DELETE", "/api/categories/fresh", None, admin_auth)
    assert answered and response.status_code == 204
    assert CategoryModel.count("fresh", consistent_read=True) == 0


def test_a_category_delete_that_keeps_conflicting_is_a_409_and_deletes_nothing(client, admin_auth):
    categories.put_category("fresh", "新")
    with transaction_conflicts(3) as answered:
        response = call(client, "DELETE", "/api/categories/fresh", None, admin_auth)
    assert len(answered) == 3 and response.status_code == 409
    assert response.json == {
        "message": "the category is in use or was changed meanwhile",
        "code": "category_in_use",
        "category": "fresh",
    }
    assert CategoryModel.count("fresh", consistent_read=True) == 1


@contextmanager
def condition_values_sent() -> Iterator[list[dict[str, Any]]]:
    """The values of every condition the category writes send DynamoDB."""
    client = CategoryModel._get_connection().connection.client
    sent: list[dict[str, Any]] = []

    def record(params, **_):
        writes = [w for i in params.get("TransactItems", []) for w in i.values()] or [params]
        sent.extend(w.get("ExpressionAttributeValues", {}) for w in writes if "ConditionExpression" in w)

    for operation in ("TransactWriteItems", "UpdateItem", "PutItem", "DeleteItem"):
        client.meta.events.register(f"before-parameter-build.dynamodb.{operation}", record)
    try:
        yield sent
    finally:
        for operation in ("TransactWriteItems", "UpdateItem", "PutItem", "DeleteItem"):
            client.meta.events.unregister(f"before-parameter-build.dynamodb.{operation}", record)


def test_top_level_categories_are_changed_and_deleted_on_conditions_dynamodb_can_meet(client, admin_auth):
    """DynamoDB finds no missing attribute `= NULL` (moto does): "no parent" must be said as the parent's absence."""
    with condition_values_sent() as sent:
        assert call(client, "PUT", "/api/categories/fresh", {"name": "新"}, admin_auth).status_code == 200
        assert call(client, "PUT", "/api/categories/fresh", {"name": "新名"}, admin_auth).status_code == 200
        assert call(client, "DELETE", "/api/categories/fresh", None, admin_auth).status_code == 204
    assert len(sent) >= 3
    assert all({"NULL": True} not in values.values() for values in sent), sent


def test_an_article_moved_out_while_its_category_moves_keeps_its_new_channel(client, admin_auth):
    """The category's articles follow it to its new channel; one an editor moved out meanwhile stays where it went."""
    article_id = create("industry")  # channel news
    assert call(client, "POST", f"/api/articles/{article_id}/publish", None, admin_auth).status_code == 200
    version = ArticleModel.get(article_id).version
    move_out = lambda: editorial.replace_article(  # noqa: E731
        article_id, article_fields({**new_article("news"), "version": version}, with_version=True)
    )
    with just_before("UpdateItem", articles_table(), move_out) as ran:
        moved = {"name": "行业动态", "parent": "policy", "position": 21}
        assert call(client, "PUT", "/api/categories/industry", moved, admin_auth).status_code == 200
    assert ran and ArticleModel.get(article_id).category == "news"
    assert article_id in client.http.get("/news/news").body.decode()
    assert article_id not in client.http.get("/news/policy").body.decode()


def test_refusing_to_delete_a_category_in_use_reads_one_of_its_articles_not_all(client, admin_auth):
    for _ in range(3):
        create("policy")
    connection = ArticleModel._get_connection().connection.client
    articles_read: list[int] = []

    def record(parsed, **_):
        articles_read.append(sum("id" in item for item in parsed.get("Items", [])))

    connection.meta.events.register("after-call.dynamodb.Query", record)
    try:
        response = call(client, "DELETE", "/api/categories/policy", None, admin_auth)
    finally:
        connection.meta.events.unregister("after-call.dynamodb.Query", record)
    assert response.status_code == 409 and response.json["code"] == "category_in_use"
    assert articles_read and sum(articles_read) == 1, articles_read


def test_a_category_change_that_keeps_conflicting_is_a_409_to_reload(client, admin_auth):
    with transaction_conflicts(3) as answered:
        response = call(client, "PUT", "/api/categories/fresh", {"name": "新"}, admin_auth)
    assert len(answered) == 3 and response.status_code == 409
    assert response.json == {
        "message": "the categories were changed meanwhile; reload them and try again",
        "code": "categories_changed",
        "category": "fresh",
    }
    assert CategoryModel.count("fresh", consistent_read=True) == 0
