"""Word checks: admins' lists, hits named on save, publishing refused while a blocking word is in the text."""

from __future__ import annotations

from chalicelib import word_checks
from chalicelib.models import AuditModel, WorkflowModel
from local.dynamodb_calls import DynamoDBRequests
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
    hits = sorted((h["word"], h["mode"], h["where"], h["offset"], h["list"], h["tag"]) for h in saved["word_hits"])
    assert hits == [
        ("最佳", "warn", "title", 3, "ads", "广告法"),
        ("赌博", "block", "body[1].caption", 3, "banned", "协会"),
    ]
    refused = call(client, "POST", f"/api/articles/{article['id']}/publish", None, auth)
    assert refused.status_code == 409 and refused.json["code"] == "words_blocked"
    assert refused.json["words"] == ["赌博"] and "赌博" in refused.json["message"]
    fixed = {**ARTICLE, "body": [ARTICLE["body"][0]], "version": saved["version"]}
    call(client, "PUT", f"/api/articles/{article['id']}", fixed, auth)
    published = call(client, "POST", f"/api/articles/{article['id']}/publish", None, auth)
    assert published.status_code == 200  # a warning does not stop it


def test_a_blocking_word_in_the_title_or_the_subtitle_refuses_publishing_too(client, admin_auth, auth):
    put(client, admin_auth, "banned", "block", ["赌博", "博彩"])
    for field in ("title", "subtitle"):
        body = {**ARTICLE, "body": [ARTICLE["body"][0]], field: "严禁赌博和博彩"}
        article = call(client, "POST", "/api/articles", body, auth).json
        refused = call(client, "POST", f"/api/articles/{article['id']}/publish", None, auth)
        assert (refused.status_code, refused.json["code"], sorted(refused.json["words"])) == (
            409,
            "words_blocked",
            ["博彩", "赌博"],
        )
        assert refused.json["message"] == f"blocked words: {'、'.join(refused.json['words'])}"


def test_the_lists_and_levels_are_read_strongly_so_one_saved_a_moment_ago_applies(client, admin_auth, auth):
    put(client, admin_auth, "banned", "block", ["赌博"])
    article = call(client, "POST", "/api/articles", {**ARTICLE, "body": [ARTICLE["body"][0]]}, auth).json
    with DynamoDBRequests() as requests:
        call(client, "POST", f"/api/articles/{article['id']}/publish", None, auth)
    reads = [
        params.get("ConsistentRead")
        for operation, params in requests.requests
        if operation == "Query" and params["TableName"] == WorkflowModel.Meta.table_name
    ]
    assert len(reads) >= 2 and all(read is True for read in reads)  # the word lists and the review levels among them


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


def test_a_subtitle_is_checked_and_a_blocks_type_and_ids_are_not():
    """Only the text readers see: a word that is also a block type or in a photo's id is not a hit there."""
    lists = [{"id": "a", "tag": "x", "mode": "warn", "words": ["最佳", "photo"]}]
    article = {
        "title": "年会",
        "subtitle": "最佳服务",
        "body": [{"type": "photo", "photo_id": "photo1", "caption": "photo 现场"}],
    }
    hits = sorted((h["word"], h["where"]) for h in word_checks.check(article, lists))
    assert hits == [("photo", "body[0].caption"), ("最佳", "subtitle")]


def test_a_saved_list_is_answered_and_listed_whole_without_blank_or_repeated_words(client, admin_auth):
    saved = put(client, admin_auth, "ads", "warn", ["最佳", "  ", " 顶级 ", "最佳", ""])
    assert saved == {"id": "ads", "name": "ads", "tag": "协会", "mode": "warn", "words": ["最佳", "顶级"]}
    assert call(client, "GET", "/api/word-lists", headers=bearer()).json["lists"] == [saved]


def test_a_list_holds_up_to_5000_words_of_up_to_50_characters(client, admin_auth):
    words = [f"w{n:04d}" for n in range(4999)] + ["字" * 50]
    assert len(put(client, admin_auth, "big", "block", words)["words"]) == 5000
    size = {"message": "at most 5000 words of 50 characters", "code": "words_size", "field": "words"}
    for too_many in ([*words, "one more"], ["字" * 51]):
        answer = call(
            client, "PUT", "/api/word-lists/big", {"name": "big", "mode": "block", "words": too_many}, admin_auth
        )
        assert (answer.status_code, answer.json) == (400, size), len(too_many)
    assert len(call(client, "GET", "/api/word-lists", headers=bearer()).json["lists"][0]["words"]) == 5000


def test_refusals_carry_the_message_field_and_code_the_app_words_them_by(client, admin_auth):
    """chalicelib/admin/messages.js words each refusal by its code; the field says what to correct."""
    bad_mode = call(client, "PUT", "/api/word-lists/x", {"name": "x", "mode": "never", "words": ["a"]}, admin_auth)
    assert (bad_mode.status_code, bad_mode.json) == (
        400,
        {"message": "mode must be warn or block", "code": "words_mode", "field": "mode"},
    )
    missing = call(client, "DELETE", "/api/word-lists/x", None, admin_auth)
    assert (missing.status_code, missing.json) == (
        404,
        {"message": "word list not found", "code": "words_not_found", "field": "list"},
    )
