"""Reads that decide a write, or answer the editor who just wrote, are strongly consistent.

DynamoDB's default read may miss a write made a moment ago: an editor's save
would then be checked against a stale version, a photo processed twice, a
failed login forgotten. moto always reads consistently, so these tests check
the requests themselves; a reader's page, which may be a second behind, reads
eventually consistently at half the cost.
"""

from __future__ import annotations

from collections.abc import Mapping

import boto3

from chalicelib.config import get_settings
from chalicelib.models import WorkflowModel
from local.dynamodb_calls import DynamoDBRequests
from tests.api_helpers import PASSWORD, bearer, call, make_editor
from tests.events import s3_notification
from tests.photo_files import camera_jpeg
from tests.site import a_reader, make_article, make_categories, make_photo
from tests.test_processing import deliver, upload


def tables() -> Mapping[str, str]:
    return get_settings().tables


def test_every_read_of_an_editors_flow_is_strongly_consistent(client):
    make_categories()
    auth = bearer(make_editor())
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    body = {
        "title": "一致性",
        "category": "industry",
        "cover_photo_id": photo_id,
        "body": [{"type": "photo", "photo_id": photo_id, "caption": "合影"}],
    }
    with DynamoDBRequests() as requests:
        created = call(client, "POST", "/api/articles", body, auth).json
        assert call(client, "GET", f"/api/articles/{created['id']}", headers=auth).status_code == 200
        edited = call(client, "PUT", f"/api/articles/{created['id']}", {**created, "title": "改"}, auth)
        assert edited.status_code == 200
        stale = call(client, "PUT", f"/api/articles/{created['id']}", {**created, "title": "旧"}, auth)
        assert stale.status_code == 409
        assert call(client, "POST", f"/api/articles/{created['id']}/publish", None, auth).status_code == 200
        assert call(client, "POST", f"/api/articles/{created['id']}/unpublish", None, auth).status_code == 200
        assert call(client, "GET", f"/api/photos/{photo_id}", headers=auth).status_code == 200
        assert deliver(client, s3_notification(f"uploads/{photo_id}", 1)) == {"batchItemFailures": []}
        assert call(client, "DELETE", f"/api/articles/{created['id']}", None, auth).status_code == 204
    reads = requests.reads()
    assert {(operation, table) for operation, table, _ in reads} >= {
        ("GetItem", tables()["articles"]),
        ("GetItem", tables()["photos"]),
        ("BatchGetItem", tables()["photos"]),
    }
    deciding = {tables()[name] for name in ("articles", "photos", "editors")}
    eventual = [(operation, table) for operation, table, consistent in reads if table in deciding and not consistent]
    assert eventual == [], "reads that decide a write must be strongly consistent"


def test_a_photo_given_up_on_is_read_consistently(client):
    photo_id = upload(client, camera_jpeg(800, 600, orientation=1))
    boto3.client("s3").delete_object(Bucket=get_settings().media_bucket, Key=f"uploads/{photo_id}")
    with DynamoDBRequests() as requests:
        assert deliver(client, s3_notification(f"uploads/{photo_id}", 1), receives=3)["batchItemFailures"]
    reads = requests.reads()
    assert reads and all(consistent for _, _, consistent in reads), reads


def test_a_login_reads_the_failure_count_consistently(client):
    make_editor()
    with DynamoDBRequests() as requests:
        assert call(client, "POST", "/api/session", {"username": "editor", "password": PASSWORD}).status_code == 200
    assert requests.reads() == [("GetItem", tables()["editors"], True)]


def test_a_password_change_reads_the_password_it_checks_consistently(client):
    """A password changed a moment ago (an admin's reset, a change in another tab) is the one checked."""
    make_editor()
    token = bearer()
    body = {"current_password": PASSWORD, "new_password": "another long one"}
    with DynamoDBRequests() as requests:
        assert call(client, "PUT", "/api/me/password", body, token).status_code == 200
    editor_reads = [
        (operation, consistent) for operation, table, consistent in requests.reads() if table == tables()["editors"]
    ]
    assert editor_reads and all(consistent is True for _, consistent in editor_reads), editor_reads


def test_the_review_inbox_and_the_list_of_accounts_are_read_consistently(client):
    """A reviewer's inbox right after a submit, an admin's account list right after adding one: both show it."""
    make_editor("boss", role="admin")
    with DynamoDBRequests() as requests:
        assert call(client, "GET", "/api/reviews", headers=bearer("boss")).status_code == 200
        assert call(client, "GET", "/api/editors", headers=bearer("boss")).status_code == 200
    listings = [
        (operation, params["TableName"], params.get("ConsistentRead"))
        for operation, params in requests.requests
        if operation in ("Query", "Scan")
    ]
    assert listings == [("Query", WorkflowModel.Meta.table_name, True), ("Scan", tables()["editors"], True)]


def test_a_readers_article_view_reads_eventually_consistently(client):
    make_categories()
    make_article("viewed")
    with DynamoDBRequests() as requests:
        assert client.http.get("/articles/viewed", headers=a_reader()).status_code == 200
    # The article, and the site's settings (site_settings.py: read once a container, kept for the chrome's time).
    assert sorted(requests.reads()) == [
        ("GetItem", tables()["articles"], False),
        ("GetItem", tables()["categories"], False),
    ]


def test_a_logo_saved_right_after_its_processing_is_checked_with_a_consistent_read(client, admin_auth):
    """A link's logo (as a topic's banner, the site's logo) must be ready when saved: a stale read of a photo
    processed a moment ago would refuse it as not ready."""
    make_photo("logo-1", width=640, height=320)
    link = {"group": "members", "name": "万科物业", "url": "https://www.vanke.com/", "logo_photo_id": "logo-1"}
    with DynamoDBRequests() as requests:
        assert call(client, "PUT", "/api/links", {"links": [link]}, admin_auth).status_code == 200
    photo_reads = [
        (operation, consistent) for operation, table, consistent in requests.reads() if table == tables()["photos"]
    ]
    assert photo_reads == [("BatchGetItem", True)]


def test_a_save_of_the_sites_settings_reads_the_stored_item_consistently(client, admin_auth):
    """The save conditions on the item as stored: a stale read would answer a conflict for the admin's own
    change of a moment ago."""
    from chalicelib import site_item

    with DynamoDBRequests() as requests:
        assert call(client, "PUT", "/api/settings", {"icp": "沪ICP备1号"}, admin_auth).status_code == 200
    site_reads = [
        (operation, bool(params.get("ConsistentRead")))
        for operation, params in requests.requests
        if operation == "GetItem" and params["Key"] == {"slug": {"S": site_item.KEY}}
    ]
    assert ("GetItem", True) in site_reads  # (the pages' chrome may read it too, eventually consistently)


def test_an_upload_of_known_content_reads_its_photo_consistently(client):
    """The photo a content hash names, and the hash's record, may have changed a moment ago (processed,
    rejected, deleted): a stale read would answer the new upload with a photo that is no longer usable."""
    from chalicelib.models import LegacyModel, PhotoModel

    make_photo("known")
    digest = "ab" * 32
    PhotoModel("known").update(actions=[PhotoModel.sha256.set(digest)])
    LegacyModel(f"sha256:{digest}", target="known").save()
    form = {"filename": "a.jpg", "content_type": "image/jpeg", "size": 10, "sha256": digest}
    with DynamoDBRequests() as requests:
        answer = call(client, "POST", "/api/photos", form, bearer(make_editor()))
    assert answer.json["photo_id"] == "known" and answer.json["reused"] is True
    reads = requests.reads()
    assert [(op, consistent) for op, table, consistent in reads if table == tables()["photos"]] == [("GetItem", True)]
    assert [(op, consistent) for op, table, consistent in reads if table == tables()["legacy"]] == [("GetItem", True)]
