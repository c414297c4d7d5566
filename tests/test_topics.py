"""专题: editors build a topic through the API; readers see its page and feed with the visible articles only."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import editorial
from chalicelib.articles import now
from local.dynamodb_calls import DynamoDBCalls
from tests.api_helpers import call
from tests.site import make_article

TOPIC = {"title": "2026年会员大会", "intro": "大会的全部报道<b>。", "articles": ["b", "a", "draft", "later", "gone"]}


def test_a_topic_built_by_an_editor_is_read_in_its_order(client, auth):
    make_article("a", title="大会开幕", category="industry")
    make_article("b", title="大会闭幕", category="policy")
    make_article("draft", title="草稿", publish=False)
    make_article("later", title="定时", publish=False)
    editorial.publish_article("later", now() + timedelta(days=1))
    saved = call(client, "PUT", "/api/topics/congress-2026", TOPIC, auth)
    assert saved.status_code == 200 and saved.json["articles"] == TOPIC["articles"]
    assert call(client, "GET", "/api/topics/congress-2026", headers=auth).json == saved.json
    with DynamoDBCalls() as calls:
        page = client.http.get("/topics/congress-2026")
    assert page.status_code == 200
    html = page.body.decode()
    assert "<h1>2026年会员大会</h1>" in html and "大会的全部报道&lt;b&gt;。" in html
    assert html.index("大会闭幕") < html.index("大会开幕") and "草稿" not in html and "定时" not in html
    assert "Scan" not in calls.operations and calls.operations.count("BatchGetItem") == 1
    feed = client.http.get("/topics/congress-2026/feed.xml")
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("application/atom+xml")
    body = feed.body.decode()
    assert "2026年会员大会" in body and "/articles/b" in body and "/articles/draft" not in body


def test_unknown_topics_are_the_404_page(client, auth):
    assert client.http.get("/topics/nothing").status_code == 404
    assert client.http.get("/topics/nothing/feed.xml").status_code == 404
    assert call(client, "GET", "/api/topics/nothing", headers=auth).status_code == 404


def test_bad_topics_are_refused_and_nothing_is_stored(client, auth):
    for body, field in [
        ({"intro": "x"}, "title"),
        ({**TOPIC, "articles": ["a", "a"]}, "articles"),
        ({**TOPIC, "articles": "a"}, "articles"),
        ({**TOPIC, "banner_photo_id": "../x"}, "banner_photo_id"),
        ({**TOPIC, "colour": "red"}, "colour"),
    ]:
        answer = call(client, "PUT", "/api/topics/t1", body, auth)
        assert answer.status_code == 400 and answer.json["field"] == field and answer.json["code"], body
    assert call(client, "GET", "/api/topics/t1", headers=auth).status_code == 404
    assert call(client, "PUT", "/api/topics/t1", TOPIC).status_code == 401
