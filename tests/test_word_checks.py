"""Word checks: admins' lists, hits named on save, publishing refused while a blocking word is in the text."""

from __future__ import annotations

from chalicelib import word_checks
from chalicelib.models import AuditModel
from tests.api_helpers import bearer, call

ARTICLE = {
    "title": "本协会最佳服务评选",
    "category": "news",
    "body": [
        {"type": "paragraph", "text": "欢迎参加。"},
        {"type": "photo", "photo_id": "photo1", "caption": "现场有赌博游戏"},
    ],
}


def put(client, who, list_id, mode, words, tag="协会"):
    answer = call(
        client, "PUT", f"/api/word-lists/{list_id}", {"name": list_id, "tag": tag, "mode": mode, "words": words}, who
    )
    assert answer.status_code == 200, answer.json
    return answer.json


def test_a_blocking_word_refuses_publishing_and_names_the_word(client, admin_auth, auth):
    put(client, admin_auth, "ads", "warn", ["最佳"], tag="广告法")
    put(client, admin_auth, "banned", "block", ["赌博"])
    article = call(client, "POST", "/api/articles", ARTICLE, auth).json
    saved = call(client, "PUT", f"/api/articles/{article['id']}", {**ARTICLE, "version": 1}, auth).json
    hits = sorted((h["word"], h["mode"], h["where"], h["offset"]) for h in saved["word_hits"])
    assert hits == [("最佳", "warn", "title", 3), ("赌博", "block", "body[1].caption", 3)]
    refused = call(client, "POST", f"/api/articles/{article['id']}/publish", None, auth)
    assert refused.status_code == 409 and refused.json["code"] == "words_blocked"
    assert refused.json["words"] == ["赌博"] and "赌博" in refused.json["message"]
    fixed = {**ARTICLE, "body": [ARTICLE["body"][0]], "version": saved["version"]}
    call(client, "PUT", f"/api/articles/{article['id']}", fixed, auth)
    published = call(client, "POST", f"/api/articles/{article['id']}/publish", None, auth)
    assert published.status_code == 200  # a warning does not stop it


def test_matching_is_one_pass_case_insensitive_and_reaches_nested_rich_text():
    lists = [
        {"id": "a", "tag": "x", "mode": "warn", "words": ["VIP", "第一品牌"]},
        {"id": "b", "tag": "y", "mode": "block", "words": ["vip"]},
    ]
    article = {"title": "vip 专享", "body": [{"type": "list", "items": [{"text": "行业第一品牌"}]}]}
    hits = sorted((h["list"], h["mode"], h["where"]) for h in word_checks.check(article, lists))
    assert hits == [("a", "warn", "body[0].items[0].text"), ("b", "block", "title")]


def test_only_admins_keep_lists_and_changes_are_audited(client, admin_auth, auth):
    refused = call(client, "PUT", "/api/word-lists/x", {"name": "x", "mode": "block", "words": ["a"]}, auth)
    assert refused.status_code == 403
    bad = call(client, "PUT", "/api/word-lists/x", {"name": "x", "mode": "never", "words": ["a"]}, admin_auth)
    assert bad.status_code == 400 and bad.json["field"] == "mode"
    put(client, admin_auth, "ads", "warn", word_checks.EXAMPLE["words"], tag="广告法")
    listed = call(client, "GET", "/api/word-lists", headers=bearer()).json
    assert [wl["id"] for wl in listed["lists"]] == ["ads"] and listed["example"]["tag"] == "广告法"
    assert call(client, "DELETE", "/api/word-lists/ads", None, admin_auth).status_code == 204
    assert call(client, "DELETE", "/api/word-lists/ads", None, admin_auth).status_code == 404
    changes = sorted((r.object, r.result) for r in AuditModel.scan() if r.action == "settings.change")
    assert changes == [("ads", "failure"), ("ads", "success"), ("ads", "success"), ("x", "failure"), ("x", "failure")]
