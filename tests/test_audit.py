"""The audit trail: a record for every editor action, searchable and exportable by admins only."""

from __future__ import annotations

import csv
import io
import json
import logging
import time
from datetime import datetime, timedelta, timezone

from chalicelib import audit
from chalicelib.clock import set_time
from chalicelib.config import get_settings
from chalicelib.models import AuditModel
from local.dynamodb_calls import DynamoDBRequests
from tests.api_helpers import PASSWORD, bearer, call, make_admin, make_editor
from tests.aws_refusals import client_error, refuse

ARTICLE = {"title": "年会通知", "category": "news", "body": [{"type": "paragraph", "text": "正文"}]}
CLIENT = {"X-Forwarded-For": "198.51.100.7"}


DAY = datetime(2024, 1, 1, tzinfo=timezone.utc)


def record_at(entry: audit.Entry, moment: datetime) -> None:
    """`entry` recorded as if at `moment`: the clock stopped there for it, then the real one again."""
    set_time(moment)
    try:
        audit.record(entry)
    finally:
        set_time(None)


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


def four_records() -> None:
    """Two editors' actions on two articles, a day apart from 2024-01-01 00:00 UTC."""
    for day, (actor, action, obj) in enumerate(
        [
            ("admin", "article.create", "a1"),
            ("editor", "article.create", "a2"),
            ("admin", "article.save", "a2"),
            ("editor", "article.save", "a1"),
        ]
    ):
        record_at(audit.Entry(actor, action, obj, "success", "127.0.0.1"), DAY + timedelta(days=day))


def searched(client, admin_auth, query: str) -> list[tuple[str, str, str]]:
    answer = call(client, "GET", f"/api/audit?{query}", headers=admin_auth)
    assert answer.status_code == 200, answer.json
    return [(r["actor"], r["action"], r["object"]) for r in answer.json["records"]]


def csv_rows(client, admin_auth, query: str = "") -> list[list[str]]:
    response = client.http.get(f"/api/audit.csv?{query}", headers=admin_auth)
    assert response.status_code == 200, response.body
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert rows[0] == list(audit.CSV_COLUMNS)
    return rows[1:]


def test_the_csv_export_takes_each_filter_of_the_search(client, admin_auth):
    four_records()

    def exported(query: str) -> list[tuple[str, str, str]]:
        return [(row[1], row[2], row[3]) for row in csv_rows(client, admin_auth, query)]

    assert exported("actor=editor") == [("editor", "article.save", "a1"), ("editor", "article.create", "a2")]
    assert exported("object=a1") == [("editor", "article.save", "a1"), ("admin", "article.create", "a1")]
    assert exported("action=article.save") == [("editor", "article.save", "a1"), ("admin", "article.save", "a2")]
    # `since` is the first moment shown: a record made at that very microsecond is in
    assert exported("since=2024-01-03T00:00:00Z") == [("editor", "article.save", "a1"), ("admin", "article.save", "a2")]
    assert len(exported("")) == 4


def test_a_search_by_person_object_and_action_needs_all_three_to_match(client, admin_auth):
    four_records()
    assert searched(client, admin_auth, "actor=editor&object=a1&action=article.save") == [
        ("editor", "article.save", "a1")
    ]
    assert searched(client, admin_auth, "actor=editor&object=a1&action=article.create") == []
    assert searched(client, admin_auth, "actor=editor&object=a2&action=article.save") == []


def test_since_is_the_same_moment_whatever_the_machines_time_zone(client, admin_auth, monkeypatch):
    four_records()
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # the local stack runs on ops' and developers' machines
    time.tzset()
    assert time.localtime().tm_gmtoff == 8 * 3600  # the zone reached the process: the test means something
    try:
        found = searched(client, admin_auth, "since=2024-01-03T00:00:00Z")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert found == [("editor", "article.save", "a1"), ("admin", "article.save", "a2")]


def test_an_unknown_action_is_refused_with_its_code_and_the_actions_allowed(client, admin_auth):
    refused = call(client, "GET", "/api/audit?action=steal", headers=admin_auth)
    assert refused.status_code == 400
    assert (refused.json["field"], refused.json["code"]) == ("action", "audit_action")
    assert refused.json["message"] == "action must be one of: " + ", ".join(audit.ACTIONS)
    assert refused.json["message"].startswith("action must be one of: login, logout, password.change, ")
    exported = client.http.get("/api/audit.csv?action=steal", headers=admin_auth)
    assert exported.status_code == 400 and json.loads(exported.body)["code"] == "audit_action"


def test_the_search_pages_by_object_and_over_everyone_with_a_cursor(client, admin_auth, monkeypatch):
    for number in range(5):
        entry = audit.Entry(f"editor{number}", "article.save", "a1", "success", "127.0.0.1", str(number))
        record_at(entry, DAY + timedelta(minutes=number))
    from chalicelib.routes import workflow

    monkeypatch.setattr(workflow, "AUDIT_PAGE_SIZE", 2)
    for query in ("object=a1", "action=article.save", ""):
        seen: list[str] = []
        cursor = ""
        while True:
            answer = call(client, "GET", f"/api/audit?{query}{cursor}", headers=admin_auth)
            assert answer.status_code == 200, (query, answer.json)
            seen += [r["detail"] for r in answer.json["records"]]
            if not answer.json["next_cursor"]:
                break
            cursor = f"&cursor={answer.json['next_cursor']}"
        assert seen == ["4", "3", "2", "1", "0"], query


def test_the_csv_export_reads_pages_of_500_and_stops_at_its_limit(client, admin_auth, monkeypatch):
    for number in range(503):
        entry = audit.Entry("admin", "login", "admin", "success", "127.0.0.1", str(number))
        record_at(entry, DAY + timedelta(seconds=number))
    monkeypatch.setattr(audit, "CSV_LIMIT", 501)  # the limit reached with 503 records, not 10,002
    with DynamoDBRequests() as requests:
        rows = csv_rows(client, admin_auth)
    assert [row[6] for row in rows] == [str(number) for number in range(502, 1, -1)]  # the newest 501, once each
    table = get_settings().tables["audit"]
    limits = [params["Limit"] for name, params in requests.requests if name == "Query" and params["TableName"] == table]
    assert limits == [501, 2]  # a page of 500 and the one left, each asking one more to know if there is a next


def test_the_csv_keeps_empty_cells_empty_and_every_formula_start_as_text(client, admin_auth):
    objects = ["+1", "-1", "@SUM(A1)", "\tx", "\rx", "-", "=1", "a-b"]
    for number, obj in enumerate(objects):
        record_at(audit.Entry("admin", "category.put", obj, "success", "127.0.0.1"), DAY + timedelta(minutes=number))
    rows = csv_rows(client, admin_auth)
    assert [row[3] for row in reversed(rows)] == ["'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "-", "'=1", "a-b"]
    assert {row[6] for row in rows} == {""}  # no detail: an empty cell


def test_an_empty_since_as_a_cleared_date_field_sends_it_is_no_filter(client, admin_auth):
    four_records()
    assert len(searched(client, admin_auth, "since=")) == 4
    assert len(csv_rows(client, admin_auth, "since=&actor=editor")) == 2


def test_each_filter_is_taken_up_to_its_length_and_one_more_character_is_refused_naming_it(client, admin_auth):
    four_records()
    for name, limit in (("actor", 64), ("object", 200), ("action", 40)):
        refused = call(client, "GET", f"/api/audit?{name}={'a' * (limit + 1)}", headers=admin_auth)
        assert (refused.status_code, refused.json) == (
            400,
            {"message": f"{name} is longer than {limit} characters", "code": "too_long", "field": name, "limit": limit},
        )
    assert searched(client, admin_auth, f"actor={'a' * 64}") == []  # searched: nobody has that name
    assert searched(client, admin_auth, f"object={'a' * 200}") == []
    longest = call(client, "GET", f"/api/audit?action={'a' * 40}", headers=admin_auth)  # read, then not an action
    assert (longest.status_code, longest.json["code"]) == (400, "audit_action")


def test_a_field_given_empty_is_left_out_of_the_detail(client, admin_auth):
    answer = call(client, "PUT", "/api/categories/events", {"name": "活动", "parent": ""}, admin_auth)
    assert answer.status_code in (200, 201), answer.json
    (record,) = records()
    assert (record.action, record.detail) == ("category.put", "name=活动")


def test_a_record_is_stamped_by_the_one_clock_and_kept_for_the_audit_days(client, clock, caplog):
    clock(datetime(2027, 3, 1, 8, 0, 0, 250000, tzinfo=timezone(timedelta(hours=8))))  # stamped in UTC
    with DynamoDBRequests() as sent, caplog.at_level(logging.INFO, logger="chalicelib.audit"):
        audit.record(audit.Entry("alice", "publish", "a1", audit.SUCCESS, "203.0.113.9", "年会通知"))
    (item,) = records()
    stamp, _, suffix = item.id.partition("#")
    assert (stamp, item.at) == ("2027-03-01T00:00:00.250000Z", "2027-03-01T00:00:00.250000Z")
    assert len(suffix) == 12 and int(suffix, 16) >= 0  # two records in one microsecond stay two
    stored = (item.actor, item.action, item.object, item.result, item.client, item.detail)
    assert stored == ("alice", "publish", "a1", "success", "203.0.113.9", "年会通知")
    assert item.expires == int(datetime(2027, 3, 1, tzinfo=timezone.utc).timestamp()) + 400 * 86400  # AUDIT_DAYS
    (put,) = [params for operation, params in sent.requests if operation == "PutItem"]
    assert put["ConditionExpression"] == "attribute_not_exists (#0)" and put["ExpressionAttributeNames"] == {"#0": "id"}
    assert [r.getMessage() for r in caplog.records] == ["audit: alice publish a1 success"]


def test_a_record_of_nobody_nothing_and_nowhere_says_so_and_a_long_detail_is_cut(client):
    audit.record(audit.Entry("", "login", "", audit.FAILURE, "", ""))
    audit.record(audit.Entry("bob", "save", "a2", audit.SUCCESS, "198.51.100.1", "长" * 600))
    first, second = records()
    assert (first.actor, first.object, first.client, first.detail) == ("-", "-", "unknown", None)
    assert second.detail == "长" * 500  # MAX_DETAIL characters


def test_a_record_that_cannot_be_written_is_logged_whole_and_the_action_goes_on(client, caplog, monkeypatch):
    table = get_settings().tables["audit"]
    refuse(monkeypatch, client_error("AccessDeniedException", "no"), operation="PutItem", table=table)
    with caplog.at_level(logging.INFO, logger="chalicelib.audit"):
        audit.record(audit.Entry("carol", "delete", "a3", audit.SUCCESS, "203.0.113.7"))  # returns: nothing raised
    logged = [(r.levelname, r.getMessage(), r.exc_info is not None) for r in caplog.records]
    assert logged == [("ERROR", "audit record not written: carol delete a3 success", True)]
    assert records() == []


def test_a_login_with_a_lone_surrogate_in_its_body_is_recorded_without_it(client):
    """Text that is not Unicode never reaches the trail: the failure is recorded with no actor rather than lost."""
    response = call(client, "POST", "/api/session", {"username": "\ud800editor", "password": PASSWORD})
    assert response.status_code == 400
    assert [(r.actor, r.action, r.result) for r in records()] == [("-", "login", "failure")]


def test_a_login_records_api_gateways_source_address_and_a_long_username_cut_to_64(client):
    """Without a CDN the address is API Gateway's own `sourceIp` (chalice's local one here)."""
    call(client, "POST", "/api/session", {"username": "u" * 100, "password": PASSWORD})
    (record,) = records()
    assert (record.actor, record.client, record.result) == ("u" * 64, "127.0.0.1", "failure")


def test_an_object_named_by_a_long_path_is_recorded_cut_to_200_characters(client, auth):
    article_id = "a" * 250
    assert call(client, "PUT", f"/api/articles/{article_id}", {**ARTICLE, "version": 1}, auth).status_code >= 400
    assert actions() == [("editor", "article.save", "a" * 200, "failure")]
