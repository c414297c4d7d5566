"""The audit trail: a record for every editor action, searchable and exportable by admins only."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import datetime, timedelta, timezone

from chalicelib import audit
from chalicelib.models import AuditModel
from tests.api_helpers import PASSWORD, bearer, call, make_admin, make_editor

ARTICLE = {"title": "年会通知", "category": "news", "body": [{"type": "paragraph", "text": "正文"}]}
CLIENT = {"X-Forwarded-For": "198.51.100.7"}


def records() -> list[AuditModel]:
    return sorted(AuditModel.scan(consistent_read=True), key=lambda r: r.at)


def actions() -> list[tuple[str, str, str, str]]:
    return [(r.actor, r.action, r.object, r.result) for r in records()]


def test_every_action_leaves_one_record_with_who_what_when_and_the_result(client, admin_auth):
    assert call(client, "POST", "/api/session", {"username": "editor", "password": "wrong"}).status_code == 401
    assert call(client, "POST", "/api/session", {"username": "editor", "password": PASSWORD}).status_code == 200
    article = call(client, "POST", "/api/articles", ARTICLE, admin_auth).json
    path = f"/api/articles/{article['id']}"
    assert call(client, "PUT", path, {**ARTICLE, "version": 1}, admin_auth).status_code == 200
    assert call(client, "POST", f"{path}/publish", None, admin_auth).status_code == 200
    assert call(client, "POST", f"{path}/unpublish", None, admin_auth).status_code == 200
    form = {"filename": "a.jpg", "content_type": "image/jpeg", "size": 10}
    assert call(client, "POST", "/api/photos", form, admin_auth).status_code == 201
    new_account = {"username": "li.na", "password": "long enough pw", "role": "contributor"}
    assert call(client, "POST", "/api/editors", new_account, admin_auth).status_code == 201
    assert call(client, "PUT", "/api/editors/li.na", {"disabled": True}, admin_auth).status_code == 200
    assert call(client, "PUT", "/api/categories/events", {"name": "活动"}, admin_auth).status_code == 200
    assert call(client, "DELETE", "/api/categories/events", None, admin_auth).status_code == 204
    assert call(client, "DELETE", path, None, admin_auth).status_code == 204
    assert call(client, "DELETE", "/api/session", None, admin_auth).status_code == 204
    photo = next(r.object for r in records() if r.action == "photo.upload")
    assert actions() == [
        ("editor", "login", "editor", "failure"),
        ("editor", "login", "editor", "success"),
        ("admin", "article.create", article["id"], "success"),
        ("admin", "article.save", article["id"], "success"),
        ("admin", "article.publish", article["id"], "success"),
        ("admin", "article.unpublish", article["id"], "success"),
        ("admin", "photo.upload", photo, "success"),
        ("admin", "editor.create", "li.na", "success"),
        ("admin", "editor.update", "li.na", "success"),
        ("admin", "category.put", "events", "success"),
        ("admin", "category.delete", "events", "success"),
        ("admin", "article.delete", article["id"], "success"),
        ("admin", "logout", "-", "success"),
    ]
    first = records()[0]
    assert first.detail == "wrong username or password"
    assert all(r.expires >= (datetime.now(timezone.utc) + timedelta(days=180)).timestamp() for r in records())
    assert next(r.detail for r in records() if r.action == "editor.update") == "disabled=True"


def test_a_login_records_the_client_address_and_never_the_password(client, configure):
    configure(TRUSTED_PROXY_HOPS="1")
    make_editor()
    call(client, "POST", "/api/session", {"username": "editor", "password": PASSWORD}, CLIENT)
    (record,) = records()
    assert (record.client, record.result) == ("198.51.100.7", "success")
    assert PASSWORD not in json.dumps(audit.record_data(record))


def test_a_password_reset_is_recorded_without_the_password(client, admin_auth):
    call(client, "PUT", "/api/editors/editor", {"password": "a new long password"}, admin_auth)
    (record,) = records()
    assert (record.action, record.object, record.detail) == ("editor.update", "editor", "password=(set)")


def test_a_refused_action_is_recorded_as_a_failure(client, auth):
    assert call(client, "PUT", "/api/categories/x", {"name": "X"}, auth).status_code == 403
    assert actions() == [("editor", "category.put", "x", "failure")]
    assert records()[0].detail == "admins only"


def test_admins_search_by_person_object_action_and_time(client, admin_auth):
    editor = bearer()
    one = call(client, "POST", "/api/articles", ARTICLE, editor).json["id"]
    two = call(client, "POST", "/api/articles", ARTICLE, admin_auth).json["id"]
    call(client, "PUT", f"/api/articles/{one}", {**ARTICLE, "version": 1}, admin_auth)

    def search(query: str) -> list[tuple[str, str, str]]:
        answer = call(client, "GET", f"/api/audit?{query}", headers=admin_auth)
        assert answer.status_code == 200, answer.json
        return [(r["actor"], r["action"], r["object"]) for r in answer.json["records"]]

    assert search("actor=editor") == [("editor", "article.create", one)]
    assert search(f"object={one}") == [("admin", "article.save", one), ("editor", "article.create", one)]
    assert search("action=article.create") == [("admin", "article.create", two), ("editor", "article.create", one)]
    assert search(f"actor=admin&object={one}") == [("admin", "article.save", one)]
    assert search("since=2100-01-01T00:00:00Z") == []
    assert len(search("since=2020-01-01")) == 3
    assert call(client, "GET", "/api/audit", headers=editor).status_code == 403
    refused = call(client, "GET", "/api/audit?action=steal", headers=admin_auth)
    assert refused.status_code == 400 and refused.json["field"] == "action"


def test_the_search_pages_with_a_cursor(client, admin_auth):
    for number in range(5):
        audit.record(audit.Entry("admin", "login", "admin", "success", "127.0.0.1", str(number)))
    from chalicelib.routes import workflow

    workflow.AUDIT_PAGE_SIZE, saved = 2, workflow.AUDIT_PAGE_SIZE
    try:
        seen: list[str] = []
        cursor = ""
        while True:
            answer = call(client, "GET", f"/api/audit?actor=admin{cursor}", headers=admin_auth).json
            seen += [r["detail"] for r in answer["records"]]
            if not answer["next_cursor"]:
                break
            cursor = f"&cursor={answer['next_cursor']}"
    finally:
        workflow.AUDIT_PAGE_SIZE = saved
    assert seen == ["4", "3", "2", "1", "0"]


def test_the_csv_export_is_for_admins_and_cannot_carry_a_formula(client, admin_auth):
    audit.record(audit.Entry("admin", "category.put", '=HYPERLINK("http://x")', "success", "127.0.0.1", "名称"))
    response = client.http.get("/api/audit.csv?action=category.put", headers=admin_auth)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert rows[0] == list(audit.CSV_COLUMNS)
    assert rows[1][1:5] == ["admin", "category.put", '\'=HYPERLINK("http://x")', "success"]
    assert rows[1][6] == "名称"
    assert client.http.get("/api/audit.csv", headers=bearer()).status_code == 403


def test_log_lines_carry_the_client_address(client, caplog, configure):
    configure(TRUSTED_PROXY_HOPS="1")
    make_admin()
    with caplog.at_level(logging.INFO):
        call(client, "GET", "/api/me", headers={**bearer("admin"), **CLIENT})
    answered = [r for r in caplog.records if "answered" in r.getMessage()]
    assert answered and answered[-1].newsroom["client"] == "198.51.100.7"
