"""Concurrent editors must not corrupt the category tree.

Invariants after every trial: a category's parent exists and is top-level (one level of nesting, so no
cycle), and every article's category exists. Real concurrent requests through the API; moto applies
each item operation (and each transaction) atomically, as DynamoDB does (local/emulator.py).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.models import ArticleModel, CategoryModel
from tests.api_helpers import call

TRIALS = 10
OK_OR_REFUSED = (200, 201, 204, 400, 404, 409)


def at_once(*requests: Callable[[], Any]) -> list[int]:
    """Send the requests from threads released together; their status codes in order."""
    start = threading.Barrier(len(requests))

    def send(request: Callable[[], Any]) -> int:
        start.wait()
        return int(request().status_code)

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, requests))


def assert_tree_intact() -> None:
    categories = {c.slug: c for c in CategoryModel.scan(consistent_read=True)}
    for category in categories.values():
        if category.parent is not None:
            assert category.parent in categories, f"{category.slug}'s parent {category.parent} is gone"
            parent = categories[category.parent]
            assert parent.parent is None, f"{category.slug} > {parent.slug} > {parent.parent}: nested twice or a cycle"
    for article in ArticleModel.scan(consistent_read=True):
        assert article.category in categories, f"article {article.id} is in the deleted category {article.category}"


def put(client: Any, auth: dict[str, str], slug: str, **body: Any) -> Callable[[], Any]:
    return request(client, auth, "PUT", f"/api/categories/{slug}", {"name": slug, **body})


def request(client: Any, auth: dict[str, str], method: str, path: str, body: Any = None) -> Callable[[], Any]:
    """A request to send later (from a thread)."""
    return functools.partial(call, client, method, path, body, auth)


def test_two_categories_made_each_others_parent_at_once_make_no_cycle(client: Any, admin_auth: dict[str, str]) -> None:
    auth = admin_auth  # categories are admins' to change
    for trial in range(TRIALS):
        a, b = f"a{trial}", f"b{trial}"
        for slug in (a, b):
            assert put(client, auth, slug)().status_code == 200
        statuses = at_once(put(client, auth, a, parent=b), put(client, auth, b, parent=a))
        assert all(s in OK_OR_REFUSED for s in statuses), statuses
        assert sorted(statuses) == [200, 409] or sorted(statuses) == [200, 400], statuses
        assert_tree_intact()


def test_a_category_moved_under_one_being_moved_stays_one_level_deep(client: Any, admin_auth: dict[str, str]) -> None:
    auth = admin_auth  # categories are admins' to change
    for trial in range(TRIALS):
        a, b, c = f"a{trial}", f"b{trial}", f"c{trial}"
        for slug in (a, b, c):
            assert put(client, auth, slug)().status_code == 200
        statuses = at_once(put(client, auth, a, parent=b), put(client, auth, b, parent=c))
        assert all(s in OK_OR_REFUSED for s in statuses), statuses
        assert_tree_intact()


def test_deleting_a_category_while_an_article_is_created_in_it_orphans_nothing(
    client: Any, admin_auth: dict[str, str]
) -> None:
    auth = admin_auth  # categories are admins' to change
    for trial in range(TRIALS):
        slug = f"c{trial}"
        assert put(client, auth, slug)().status_code == 200
        article = {"title": "标题", "category": slug, "body": [{"type": "paragraph", "text": "正文"}]}
        statuses = at_once(
            request(client, auth, "POST", "/api/articles", article),
            request(client, auth, "DELETE", f"/api/categories/{slug}"),
        )
        assert all(s in OK_OR_REFUSED for s in statuses), statuses
        assert statuses != [201, 204], "both the article and the deletion of its category succeeded"
        assert_tree_intact()


def test_deleting_a_parent_while_a_child_is_put_under_it_orphans_nothing(
    client: Any, admin_auth: dict[str, str]
) -> None:
    auth = admin_auth  # categories are admins' to change
    for trial in range(TRIALS):
        parent, child = f"p{trial}", f"k{trial}"
        assert put(client, auth, parent)().status_code == 200
        statuses = at_once(
            put(client, auth, child, parent=parent),
            request(client, auth, "DELETE", f"/api/categories/{parent}"),
        )
        assert all(s in OK_OR_REFUSED for s in statuses), statuses
        assert_tree_intact()


def test_moving_an_article_into_a_category_being_deleted_orphans_nothing(
    client: Any, admin_auth: dict[str, str]
) -> None:
    auth = admin_auth  # categories are admins' to change
    created = call(client, "POST", "/api/articles", {"title": "t", "category": "policy", "body": []}, auth)
    article_id, version = created.json["id"], created.json["version"]
    for trial in range(TRIALS):
        slug = f"m{trial}"
        assert put(client, auth, slug)().status_code == 200
        move = {"title": "t", "category": slug, "body": [], "version": version}
        statuses = at_once(
            request(client, auth, "PUT", f"/api/articles/{article_id}", move),
            request(client, auth, "DELETE", f"/api/categories/{slug}"),
        )
        assert all(s in OK_OR_REFUSED for s in statuses), statuses
        assert_tree_intact()
        version = ArticleModel.get(article_id, consistent_read=True).version
