"""The editors' article and category API, through chalice's test client."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.api_helpers import call
from tests.test_articles import start_keys_sent


def article(**changes):
    body = {
        "title": "协会召开年度会员大会",
        "category": "industry",
        "source": "协会秘书处",
        "body": [
            {"type": "paragraph", "text": "大会隆重召开。"},
            {"type": "photo", "photo_id": "photo1", "caption": "会长致辞"},
        ],
    }
    body.update(changes)
    return body


def test_create_get_and_list_a_draft(client, auth):
    created = call(client, "POST", "/api/articles", article(), auth)
    assert created.status_code == 201
    data = created.json
    assert data["status"] == "draft" and data["version"] == 1 and data["id"]
    assert data["body"][1] == {"type": "photo", "photo_id": "photo1", "caption": "会长致辞"}
    fetched = call(client, "GET", f"/api/articles/{data['id']}", headers=auth).json
    assert fetched == data
    listed = call(client, "GET", "/api/articles?status=draft", headers=auth).json
    assert [a["id"] for a in listed["articles"]] == [data["id"]] and listed["next_cursor"] is None
    assert call(client, "GET", "/api/articles?status=published", headers=auth).json["articles"] == []
    assert client.http.get(f"/articles/{data['id']}").status_code == 404  # drafts are not public


def test_list_is_newest_first_filtered_and_paginated(client, auth):
    ids = [call(client, "POST", "/api/articles", article(title=f"第{i}条"), auth).json["id"] for i in range(55)]
    call(client, "POST", "/api/articles", article(category="policy"), auth)
    with start_keys_sent() as sent:
        first = call(client, "GET", "/api/articles?category=industry", headers=auth).json
        next_page = f"/api/articles?category=industry&cursor={first['next_cursor']}"
        second = call(client, "GET", next_page, headers=auth).json
        everything = call(client, "GET", "/api/articles", headers=auth).json
        rest = call(client, "GET", f"/api/articles?cursor={everything['next_cursor']}", headers=auth).json
    assert [a["id"] for a in first["articles"]] == ids[::-1][:50]
    assert [a["id"] for a in second["articles"]] == ids[::-1][50:] and second["next_cursor"] is None
    assert [(index, given == required) for index, given, required in sent] == [
        ("editorial-by-category", True),
        ("editorial", True),
    ]
    assert len(everything["articles"]) == 50 and len(rest["articles"]) == 6 and rest["next_cursor"] is None
    assert {a["category"] for a in everything["articles"] + rest["articles"]} == {"industry", "policy"}


def test_publish_now_makes_it_public_and_unpublish_hides_it(client, auth):
    article_id = call(client, "POST", "/api/articles", article(), auth).json["id"]
    published = call(client, "POST", f"/api/articles/{article_id}/publish", None, auth)
    assert published.status_code == 200 and published.json["status"] == "published"
    page = client.http.get(f"/articles/{article_id}")
    assert page.status_code == 200 and "协会召开年度会员大会" in page.body.decode()
    assert "协会召开年度会员大会" in client.http.get("/news/industry").body.decode()
    assert call(client, "POST", f"/api/articles/{article_id}/unpublish", None, auth).json["status"] == "draft"
    assert client.http.get(f"/articles/{article_id}").status_code == 404


def test_scheduled_publish_appears_only_from_its_time(client, auth):
    article_id = call(client, "POST", "/api/articles", article(), auth).json["id"]
    later = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    scheduled = call(client, "POST", f"/api/articles/{article_id}/publish", {"published_at": later}, auth).json
    assert scheduled["status"] == "published" and scheduled["scheduled"] is True
    assert client.http.get(f"/articles/{article_id}").status_code == 404
    assert article_id not in client.http.get("/news/industry").body.decode()
    earlier = (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()
    call(client, "POST", f"/api/articles/{article_id}/publish", {"published_at": earlier}, auth)
    assert client.http.get(f"/articles/{article_id}").status_code == 200


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "9999-12-31T23:59:59+14:00", "tomorrow", 20261201])
def test_impossible_publish_times_are_400(client, auth, value):
    article_id = call(client, "POST", "/api/articles", article(), auth).json["id"]
    response = call(client, "POST", f"/api/articles/{article_id}/publish", {"published_at": value}, auth)
    assert response.status_code == 400 and response.json["field"] == "published_at"


def test_a_time_without_offset_is_read_in_the_site_time_zone(client, auth):
    article_id = call(client, "POST", "/api/articles", article(), auth).json["id"]
    data = call(
        client, "POST", f"/api/articles/{article_id}/publish", {"published_at": "2026-01-02T09:00:00"}, auth
    ).json
    assert datetime.fromisoformat(data["published_at"]) == datetime(2026, 1, 2, 1, 0, tzinfo=timezone.utc)


def test_put_replaces_with_optimistic_locking(client, auth):
    first = call(client, "POST", "/api/articles", article(), auth).json
    edited = call(client, "PUT", f"/api/articles/{first['id']}", {**first, "title": "新标题"}, auth)
    assert edited.status_code == 200 and edited.json["version"] == 2 and edited.json["title"] == "新标题"
    stale = call(client, "PUT", f"/api/articles/{first['id']}", {**first, "title": "旧稿覆盖"}, auth)
    assert stale.status_code == 409
    assert stale.json == {
        "message": "the article was changed by someone else",
        "code": "version_conflict",
        "current_version": 2,
    }
    assert call(client, "GET", f"/api/articles/{first['id']}", headers=auth).json["title"] == "新标题"


def test_put_requires_the_version(client, auth):
    first = call(client, "POST", "/api/articles", article(), auth).json
    response = call(client, "PUT", f"/api/articles/{first['id']}", article(), auth)
    assert response.status_code == 400 and response.json["field"] == "version"


def test_delete_removes_the_article(client, auth):
    article_id = call(client, "POST", "/api/articles", article(), auth).json["id"]
    assert call(client, "DELETE", f"/api/articles/{article_id}", None, auth).status_code == 204
    assert call(client, "GET", f"/api/articles/{article_id}", headers=auth).status_code == 404
    assert call(client, "DELETE", f"/api/articles/{article_id}", None, auth).status_code == 404


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": None}, "title"),
        ({"title": "  "}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"category": None}, "category"),
        ({"category": "nowhere"}, "category"),
        ({"colour": "red"}, "colour"),
        ({"notice": "yes"}, "notice"),
        ({"body": "text"}, "body"),
        ({"body": [{"type": "audio", "url": "x"}]}, "body[0].type"),
        ({"body": [{"type": "paragraph"}]}, "body[0].text"),
        ({"body": [{"type": "paragraph", "text": "x", "style": "bold"}]}, "body[0].style"),
        ({"body": [{"type": "paragraph", "text": "长" * 20_001}]}, "body[0].text"),
        ({"body": [{"type": "paragraph", "text": "x"}] * 501}, "body"),
        ({"body": [{"type": "paragraph", "text": "x"}, {"type": "photo", "photo_id": "missing"}]}, "body[1].photo_id"),
        ({"cover_photo_id": "missing"}, "cover_photo_id"),
    ],
)
def test_invalid_articles_are_400_naming_the_field(client, auth, changes, field):
    body = {k: v for k, v in article(**changes).items() if v is not None}
    response = call(client, "POST", "/api/articles", body, auth)
    assert response.status_code == 400, response.json
    assert response.json["field"] == field and field.split("[")[0] in response.json["message"]


def test_limits_at_the_boundary_are_accepted(client, auth):
    body = article(title="长" * 200, body=[{"type": "paragraph", "text": "长" * 20_000}] * 5)
    assert call(client, "POST", "/api/articles", body, auth).status_code == 201


def test_an_article_too_large_for_one_item_is_400_not_a_database_error(client, auth):
    body = article(body=[{"type": "paragraph", "text": "长" * 20_000}] * 8)  # 480 KB of UTF-8
    response = call(client, "POST", "/api/articles", body, auth)
    assert response.status_code == 400
    assert response.json == {
        "message": "body is 469 KB; an article holds at most 300 KB of text",
        "field": "body",
        "code": "article_too_large",
        "limit": 300 * 1024,  # bytes of JSON text (docs/editors.md)
    }


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe", b""])
def test_malformed_json_is_400_never_500(client, auth, raw):
    response = call(client, "POST", "/api/articles", raw, auth)
    assert response.status_code == 400 and response.json["field"] == "body"


def test_a_body_over_1_mb_is_400(client, auth):
    raw = json.dumps(article(body=[{"type": "paragraph", "text": "x" * 19_000}] * 60)).encode()
    assert len(raw) > 1024 * 1024
    response = call(client, "POST", "/api/articles", raw, auth)
    assert response.status_code == 400 and "larger than" in response.json["message"]


def test_unknown_query_parameters_and_statuses_are_400(client, auth):
    assert call(client, "GET", "/api/articles?status=deleted", headers=auth).json["field"] == "status"
    assert call(client, "GET", "/api/articles?sort=old", headers=auth).json["field"] == "sort"
    assert call(client, "GET", "/api/articles?cursor=bogus", headers=auth).json["field"] == "cursor"


def test_unknown_articles_are_404_json(client, auth):
    for method, path in [
        ("GET", "/api/articles/nope"),
        ("POST", "/api/articles/nope/publish"),
        ("PUT", "/api/articles/nope"),
    ]:
        response = call(client, method, path, {**article(), "version": 1} if method == "PUT" else None, auth)
        assert response.status_code == 404 and response.json["message"] == "article not found"


def test_text_is_stored_as_given_and_escaped_on_the_page(client, auth):
    title = "<b>加粗</b> & “引号”"
    article_id = call(client, "POST", "/api/articles", article(title=title), auth).json["id"]
    assert call(client, "GET", f"/api/articles/{article_id}", headers=auth).json["title"] == title
    call(client, "POST", f"/api/articles/{article_id}/publish", None, auth)
    page = client.http.get(f"/articles/{article_id}").body.decode()
    assert "&lt;b&gt;加粗&lt;/b&gt; &amp; “引号”" in page


def test_categories_put_list_and_delete(client, admin_auth):
    created = call(client, "PUT", "/api/categories/notices", {"name": "通知公告", "position": 30}, admin_auth)
    assert created.status_code == 200 and created.json == {
        "slug": "notices",
        "name": "通知公告",
        "parent": None,
        "position": 30,
        "review_levels": None,  # its parent's, else the site's (issue 25)
    }
    slugs = [c["slug"] for c in call(client, "GET", "/api/categories", headers=admin_auth).json["categories"]]
    assert slugs == ["news", "industry", "policy", "notices"]
    moved = call(client, "PUT", "/api/categories/notices", {"name": "通知公告", "parent": "news"}, admin_auth)
    assert moved.status_code == 200 and moved.json["parent"] == "news"  # the answer says where it now is
    assert call(client, "DELETE", "/api/categories/notices", None, admin_auth).status_code == 204
    assert "通知公告" not in client.http.get("/").body.decode()


def test_creating_a_category_with_an_existing_slug_is_refused_and_changes_nothing(client, admin_auth):
    create = {**admin_auth, "If-None-Match": "*"}
    refused = call(client, "PUT", "/api/categories/policy", {"name": "新名字", "parent": "news"}, create)
    assert refused.status_code == 409
    assert refused.json == {"message": "the category policy exists already", "code": "category_exists", "field": "slug"}
    policy = next(
        c
        for c in call(client, "GET", "/api/categories", headers=admin_auth).json["categories"]
        if c["slug"] == "policy"
    )
    assert policy["name"] != "新名字" and policy["parent"] is None  # not renamed, not re-parented
    created = call(client, "PUT", "/api/categories/notices", {"name": "通知公告"}, create)
    assert created.status_code == 200 and created.json["parent"] is None
    assert call(client, "PUT", "/api/categories/notices", {"name": "通知"}, create).status_code == 409
    assert call(client, "PUT", "/api/categories/notices", {"name": "通知"}, admin_auth).json["name"] == "通知"


def test_a_category_in_use_cannot_be_deleted(client, admin_auth):
    call(client, "POST", "/api/articles", article(category="policy"), admin_auth)  # a draft is a use too
    refusals = {
        "policy": (409, {"message": "articles use this category", "code": "category_in_use", "category": "policy"}),
        "news": (  # has a child
            409,
            {"message": "the category has sub-categories", "code": "category_has_children", "category": "news"},
        ),
        "unknown": (404, {"message": "category not found", "code": "category_not_found", "category": "unknown"}),
    }
    for slug, (status, answer) in refusals.items():
        response = call(client, "DELETE", f"/api/categories/{slug}", None, admin_auth)
        assert (response.status_code, response.json) == (status, answer), slug
    slugs = [c["slug"] for c in call(client, "GET", "/api/categories", headers=admin_auth).json["categories"]]
    assert slugs == ["news", "industry", "policy"]


@pytest.mark.parametrize(
    "slug, body, field",
    [
        ("Bad Slug", {"name": "x"}, "slug"),
        ("sub", {"name": "x", "parent": "industry"}, "parent"),  # two levels deep
        ("sub", {"name": "x", "parent": "missing"}, "parent"),
        ("news", {"name": "x", "parent": "policy"}, "parent"),  # news has children
        ("sub", {}, "name"),
        ("sub", {"name": "x", "position": "first"}, "position"),
        ("sub", {"name": "x", "icon": "y"}, "icon"),
    ],
)
def test_invalid_categories_are_400(client, admin_auth, slug, body, field):
    response = call(client, "PUT", f"/api/categories/{slug}", body, admin_auth)
    assert response.status_code == 400 and response.json["field"] == field


@pytest.mark.parametrize(
    "slug, parent, code, message",
    [
        ("sub", "industry", "parent_is_child", "categories nest one level deep: the parent has a parent"),
        ("sub", "missing", "unknown_parent", "unknown parent category: missing"),
        (
            "news",
            "policy",
            "category_has_children_cannot_nest",
            "this category has sub-categories, so it cannot have a parent",
        ),
        ("policy", "policy", "category_own_parent", "a category cannot be its own parent"),
    ],
)
def test_a_parent_that_cannot_be_is_refused_saying_why(client, admin_auth, slug, parent, code, message):
    response = call(client, "PUT", f"/api/categories/{slug}", {"name": "x", "parent": parent}, admin_auth)
    assert (response.status_code, response.json) == (400, {"message": message, "code": code, "field": "parent"})
    tree = {
        c["slug"]: c["parent"] for c in call(client, "GET", "/api/categories", headers=admin_auth).json["categories"]
    }
    assert tree == {"news": None, "industry": "news", "policy": None}


def test_moving_a_category_moves_its_articles_to_the_new_channel(client, admin_auth):
    article_id = call(client, "POST", "/api/articles", article(), admin_auth).json["id"]
    version = call(client, "POST", f"/api/articles/{article_id}/publish", None, admin_auth).json["version"]
    call(
        client, "PUT", "/api/categories/industry", {"name": "行业动态", "parent": "policy", "position": 21}, admin_auth
    )
    assert call(client, "GET", f"/api/articles/{article_id}", headers=admin_auth).json["version"] == version
    assert article_id in client.http.get("/news/policy").body.decode()
    assert article_id not in client.http.get("/news/news").body.decode()


def test_publish_is_refused_naming_the_blocks_whose_photo_was_rejected_or_is_unknown(client, auth):
    from chalicelib.models import PhotoModel
    from tests.site import make_photo

    make_photo("bad1", status="rejected")
    make_photo("bad2")
    body = [
        {"type": "photo", "photo_id": "photo1"},
        {"type": "paragraph", "text": "文字"},
        {"type": "photo", "photo_id": "bad1"},
        {"type": "photo", "photo_id": "bad2"},
    ]
    article_id = call(client, "POST", "/api/articles", article(body=body), auth).json["id"]
    PhotoModel("bad2").delete()  # gone since the article was saved
    refused = call(client, "POST", f"/api/articles/{article_id}/publish", None, auth)
    assert refused.status_code == 409
    assert refused.json["field"] == "body" and refused.json["blocks"] == [2, 3]
    assert (refused.json["code"], refused.json["message"]) == (
        "photos_not_ready",
        "some photos are missing or were rejected: replace them first",
    )
    assert call(client, "GET", f"/api/articles/{article_id}", headers=auth).json["status"] == "draft"
    assert client.http.get(f"/articles/{article_id}").status_code == 404


def test_publish_is_refused_for_a_rejected_cover_photo(client, auth):
    from tests.site import make_photo

    make_photo("bad", status="rejected")
    article_id = call(client, "POST", "/api/articles", article(cover_photo_id="bad"), auth).json["id"]
    refused = call(client, "POST", f"/api/articles/{article_id}/publish", None, auth)
    assert refused.status_code == 409 and refused.json["field"] == "cover_photo_id" and refused.json["blocks"] == []
    assert (refused.json["code"], refused.json["message"]) == (
        "cover_not_ready",
        "the cover photo is missing or was rejected",
    )
    assert call(client, "GET", f"/api/articles/{article_id}", headers=auth).json["status"] == "draft"


def test_publish_with_pending_photos_is_allowed_and_names_them(client, auth):
    from tests.site import make_photo

    make_photo("later", status="pending")
    body = [{"type": "photo", "photo_id": "later"}, {"type": "photo", "photo_id": "photo1"}]
    article_id = call(client, "POST", "/api/articles", article(body=body), auth).json["id"]
    published = call(client, "POST", f"/api/articles/{article_id}/publish", None, auth)
    assert published.status_code == 200 and published.json["status"] == "published"
    assert published.json["pending_photos"] == ["later"]
    ready = call(client, "POST", "/api/articles", article(), auth).json["id"]
    assert call(client, "POST", f"/api/articles/{ready}/publish", None, auth).json["pending_photos"] == []


def test_the_list_tells_scheduled_from_published_and_shows_views_and_urls(client, auth):
    from local.dynamodb_calls import DynamoDBCalls
    from tests.site import a_reader, make_article

    make_article("live")
    make_article("later", published_at=datetime.now(timezone.utc) + timedelta(days=1))
    make_article("draft", publish=False)
    for _ in range(3):
        assert client.http.get("/articles/live", headers=a_reader()).status_code == 200

    def listed(status):
        return {
            a["id"]: a for a in call(client, "GET", f"/api/articles?status={status}", headers=auth).json["articles"]
        }

    assert list(listed("published")) == ["live"]
    assert list(listed("scheduled")) == ["later"] and listed("scheduled")["later"]["scheduled"] is True
    assert list(listed("draft")) == ["draft"]
    with DynamoDBCalls() as calls:
        everything = call(client, "GET", "/api/articles", headers=auth).json["articles"]
    assert {a["id"]: a["views"] for a in everything} == {"live": 3, "later": 0, "draft": 0}
    assert {a["id"]: a["url"] for a in everything} == {i: f"/articles/{i}" for i in ("live", "later", "draft")}
    assert calls.operations.count("BatchGetItem") == 1 and "GetItem" not in calls.operations[1:]  # one for the page


def test_the_list_counts_views_for_a_full_page_in_one_request(client, auth):
    from local.dynamodb_calls import DynamoDBCalls
    from tests.site import make_article

    for number in range(51):
        make_article(f"a{number:02d}", publish=False)
    with DynamoDBCalls() as calls:
        page = call(client, "GET", "/api/articles", headers=auth).json
    assert len(page["articles"]) == 50 and all(a["views"] == 0 for a in page["articles"])
    assert calls.operations == ["GetItem", "Query", "BatchGetItem"]  # the authorizer's editor, the page, its counts


def test_list_filters_are_checked(client, auth):
    response = call(client, "GET", "/api/articles?status=live", headers=auth)
    assert response.status_code == 400 and response.json["field"] == "status"
    assert "scheduled" in response.json["message"]
