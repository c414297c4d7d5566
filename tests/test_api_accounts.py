"""Roles, revocation, the caller's account and the admins' account routes, through the real authorizer."""

from __future__ import annotations

import jwt
import pytest

from chalicelib import auth
from chalicelib.answers import error_body
from chalicelib.errors import NotFound
from chalicelib.models import EditorModel
from tests.api_helpers import PASSWORD, bearer, call, make_admin, make_editor
from tests.site import make_categories


def log_in(client, username="editor", password=PASSWORD):
    return call(client, "POST", "/api/session", {"username": username, "password": password})


def test_login_answers_the_token_with_who_it_is_for(client):
    make_admin()
    answer = log_in(client, "admin").json
    assert answer["username"] == "admin" and answer["role"] == "admin" and answer["expires_at"]
    claims = jwt.decode(answer["token"], auth.token_secret(), algorithms=["HS256"], issuer="newsroom-local")
    assert {k: claims[k] for k in ("sub", "gen", "role")} == {"sub": "admin", "gen": 0, "role": "admin"}
    assert call(client, "GET", "/api/me", headers={"Authorization": f"Bearer {answer['token']}"}).json == {
        "username": "admin",
        "role": "admin",
    }


def test_logout_revokes_every_token_of_the_editor_at_once(client):
    make_editor()
    first, second = bearer(), bearer()
    other = bearer(make_editor("other"))
    assert call(client, "DELETE", "/api/session", headers=first).status_code == 204
    assert call(client, "GET", "/api/me", headers=first).status_code == 401
    assert call(client, "GET", "/api/articles", headers=second).status_code == 401  # the editor's other session
    assert call(client, "GET", "/api/me", headers=other).status_code == 200  # other editors keep theirs
    assert call(client, "GET", "/api/me", headers=bearer()).status_code == 200  # a new login works


def test_each_logout_moves_the_token_generation_on_by_one(client):
    make_editor()
    for generation in (1, 2):
        assert call(client, "DELETE", "/api/session", headers=bearer()).status_code == 204
        token = log_in(client).json["token"]
        claims = jwt.decode(token, auth.token_secret(), algorithms=["HS256"], issuer="newsroom-local")
        assert claims["gen"] == generation


def test_revoking_the_tokens_of_an_editor_deleted_meanwhile_is_not_found_and_creates_nobody(client):
    # a logout whose editor was deleted (by ops) between the token check and the revocation
    with pytest.raises(NotFound) as refused:
        auth.revoke_tokens("ghost")
    assert error_body(refused.value) == {"message": "editor not found", "code": "editor_not_found", "field": "username"}
    with pytest.raises(EditorModel.DoesNotExist):
        EditorModel.get("ghost", consistent_read=True)  # no item without a password appears


def test_a_disabled_editors_token_and_login_are_refused_at_once(client):
    make_admin()
    token = bearer(make_editor())
    changed = call(client, "PUT", "/api/editors/editor", {"disabled": True}, bearer("admin"))
    assert changed.status_code == 200 and changed.json["disabled"] is True
    assert call(client, "GET", "/api/articles", headers=token).status_code == 401
    refused = log_in(client)
    assert refused.status_code == 401 and refused.json["code"] == "account_disabled"  # the password was right
    wrong = log_in(client, password="not the password")
    assert wrong.status_code == 401 and wrong.json["code"] == "wrong_credentials"  # nothing learnt without it
    assert call(client, "PUT", "/api/editors/editor", {"disabled": False}, bearer("admin")).status_code == 200
    assert call(client, "GET", "/api/articles", headers=token).status_code == 401  # still revoked when re-enabled
    assert log_in(client).status_code == 200


def test_a_token_of_a_deleted_editor_is_refused(client):
    token = bearer(make_editor())
    EditorModel("editor").delete()
    assert call(client, "GET", "/api/me", headers=token).status_code == 401


def test_a_token_from_before_a_password_reset_is_refused(client):
    make_admin()
    token = bearer(make_editor())
    reset = call(client, "PUT", "/api/editors/editor", {"password": "a brand new password"}, bearer("admin"))
    assert reset.status_code == 200
    assert call(client, "GET", "/api/me", headers=token).status_code == 401
    assert log_in(client, password="a brand new password").status_code == 200


def test_changing_ones_password_revokes_older_tokens_and_answers_a_new_one(client):
    make_editor()
    old = bearer()
    changed = call(
        client, "PUT", "/api/me/password", {"current_password": PASSWORD, "new_password": "another long one"}, old
    )
    assert changed.status_code == 200 and changed.json["username"] == "editor" and changed.json["role"] == "editor"
    assert call(client, "GET", "/api/me", headers=old).status_code == 401
    fresh = {"Authorization": f"Bearer {changed.json['token']}"}
    assert call(client, "GET", "/api/me", headers=fresh).status_code == 200
    assert log_in(client, password=PASSWORD).status_code == 401
    assert log_in(client, password="another long one").status_code == 200


@pytest.mark.parametrize(
    "body, field",
    [
        ({"current_password": "not the password", "new_password": "another long one"}, "current_password"),
        ({"current_password": PASSWORD, "new_password": "short"}, "new_password"),
        ({"current_password": PASSWORD}, "new_password"),
        ({"current_password": PASSWORD, "new_password": "another long one", "x": 1}, "x"),
    ],
)
def test_a_password_change_is_refused_naming_the_field(client, body, field):
    make_editor()
    token = bearer()
    response = call(client, "PUT", "/api/me/password", body, token)
    assert response.status_code == 400 and response.json["field"] == field
    assert call(client, "GET", "/api/me", headers=token).status_code == 200  # nothing was revoked


def test_a_wrong_current_password_and_an_unchanged_one_are_refused_in_words_the_app_knows(client):
    make_editor()
    token = bearer()
    wrong = call(
        client, "PUT", "/api/me/password", {"current_password": "not it", "new_password": "another long one"}, token
    )
    assert wrong.status_code == 400 and wrong.json == {
        "message": "the current password is wrong",
        "code": "wrong_current_password",
        "field": "current_password",
    }
    same = call(client, "PUT", "/api/me/password", {"current_password": PASSWORD, "new_password": PASSWORD}, token)
    assert same.status_code == 400 and same.json == {
        "message": "new_password must differ from the current one",
        "code": "password_same",
        "field": "new_password",
    }
    assert call(client, "GET", "/api/me", headers=token).status_code == 200  # nothing was revoked


def test_a_password_change_moves_the_token_generation_on_by_one(client):
    make_editor()
    body = {"current_password": PASSWORD, "new_password": "another long one"}
    changed = call(client, "PUT", "/api/me/password", body, bearer())
    assert changed.status_code == 200
    claims = jwt.decode(changed.json["token"], auth.token_secret(), algorithms=["HS256"], issuer="newsroom-local")
    assert claims["gen"] == 1 and EditorModel.get("editor", consistent_read=True).token_generation == 1


ADMIN_CALLS = [
    ("GET", "/api/editors", None),
    ("POST", "/api/editors", {"username": "new.one", "password": "long enough pw", "role": "editor"}),
    ("PUT", "/api/editors/admin", {"disabled": True}),
    ("PUT", "/api/categories/events", {"name": "活动"}),
    ("DELETE", "/api/categories/policy", None),
]


@pytest.mark.parametrize("method, path, body", ADMIN_CALLS)
def test_an_editor_is_refused_on_admin_routes(client, method, path, body):
    make_admin()
    make_categories()
    response = call(client, method, path, body, bearer(make_editor()))
    assert response.status_code == 403 and response.json == {"message": "admins only", "code": "admins_only"}
    assert not EditorModel.get("admin").disabled and EditorModel.count("new.one") == 0


def test_a_demoted_admins_token_loses_admin_rights_at_once(client):
    make_admin()
    token = bearer(make_admin("boss"))
    assert call(client, "GET", "/api/editors", headers=token).status_code == 200
    assert call(client, "PUT", "/api/editors/boss", {"role": "editor"}, bearer("admin")).status_code == 200
    assert call(client, "GET", "/api/editors", headers=token).status_code == 403
    assert call(client, "GET", "/api/articles", headers=token).status_code == 200  # still an editor


def test_categories_can_still_be_read_by_editors(client):
    make_categories()
    assert call(client, "GET", "/api/categories", headers=bearer(make_editor())).status_code == 200


def test_admins_list_create_and_change_accounts(client):
    admin = bearer(make_admin())
    make_editor("zhang")
    created = call(client, "POST", "/api/editors", {"username": "li.na", "password": "long enough pw"}, admin)
    assert created.status_code == 201
    assert created.json["username"] == "li.na" and created.json["role"] == "editor" and not created.json["disabled"]
    listed = call(client, "GET", "/api/editors", headers=admin).json["editors"]
    assert [e["username"] for e in listed] == ["admin", "li.na", "zhang"]
    assert set(listed[0]) == {"username", "role", "disabled", "created_at"}  # never the hash or the generation
    promoted = call(client, "PUT", "/api/editors/li.na", {"role": "admin"}, admin)
    assert promoted.status_code == 200 and promoted.json["role"] == "admin"
    assert log_in(client, "li.na", "long enough pw").json["role"] == "admin"


USERNAME_RULE = "username: 2-64 lowercase letters, digits, '.', '_' or '-'"


@pytest.mark.parametrize(
    "body, status, answer",
    [
        (
            {"username": "admin", "password": "long enough pw"},
            409,
            {"message": "the username admin is taken", "code": "username_taken", "field": "username"},
        ),
        (
            {"username": "Bad Name", "password": "long enough pw"},
            400,
            {"message": USERNAME_RULE, "code": "bad_username", "field": "username"},
        ),
        (
            {"username": "li.na", "password": "short"},
            400,
            {
                "message": "password must have at least 10 characters",
                "code": "password_short",
                "field": "password",
                "limit": 10,
            },
        ),
        (
            {"username": "li.na", "password": "Li.Na-at-the-office"},
            400,
            {"message": "password must not contain the username", "code": "password_username", "field": "password"},
        ),
        (
            {"username": "li.na", "password": "long enough pw", "role": "owner"},
            400,
            {
                "message": "role must be one of: contributor, reviewer, editor, admin",
                "code": "bad_role",
                "field": "role",
            },
        ),
    ],
)
def test_creating_an_account_is_refused_naming_the_field_and_the_code(client, body, status, answer):
    """The app words each refusal by its code (chalicelib/admin/messages.js) and marks the field it names."""
    admin = bearer(make_admin())
    response = call(client, "POST", "/api/editors", body, admin)
    assert response.status_code == status
    assert response.json == answer
    assert EditorModel.count("li.na") == 0
    assert EditorModel.get("admin").role == "admin"  # the taken name kept its account as it was


@pytest.mark.parametrize("body", [{"disabled": True}, {"role": "editor"}, {"role": "reviewer", "disabled": False}])
def test_an_admin_cannot_disable_or_demote_themselves(client, body):
    admin = bearer(make_admin())
    make_admin("li")  # another admin remains: the refusal is not the last admin's
    response = call(client, "PUT", "/api/editors/admin", body, admin)
    assert response.status_code == 409
    assert response.json == {
        "message": "you cannot disable or demote yourself; ask another admin",
        "code": "cannot_change_self",
        "field": "username",
    }
    assert call(client, "GET", "/api/me", headers=admin).json == {"username": "admin", "role": "admin"}


@pytest.mark.parametrize("body", [{}, {"role": "admin"}, {"disabled": False}, {"password": "a new long password"}])
def test_an_admin_may_keep_their_own_role_and_set_their_own_password(client, body):
    admin = bearer(make_admin())
    response = call(client, "PUT", "/api/editors/admin", body, admin)
    assert response.status_code == 200
    assert {k: response.json[k] for k in ("username", "role", "disabled")} == {
        "username": "admin",
        "role": "admin",
        "disabled": False,
    }


def test_an_admin_resetting_a_password_or_disabling_moves_the_token_generation_on_by_one(client):
    admin = bearer(make_admin())
    make_editor()
    assert call(client, "PUT", "/api/editors/editor", {"password": "a new long password"}, admin).status_code == 200
    assert EditorModel.get("editor", consistent_read=True).token_generation == 1
    assert call(client, "PUT", "/api/editors/editor", {"disabled": True}, admin).status_code == 200
    assert EditorModel.get("editor", consistent_read=True).token_generation == 2


def test_an_account_stored_without_a_creation_time_is_listed_with_none_and_others_with_theirs(client):
    admin = bearer(make_admin())
    # an item written without one (pynamodb refuses to save it, so straight through DynamoDB's client)
    EditorModel._get_connection().connection.client.put_item(
        TableName=EditorModel.Meta.table_name,
        Item={"username": {"S": "old.hand"}, "password_hash": {"S": "x"}, "role": {"S": "editor"}},
    )
    listed = {e["username"]: e for e in call(client, "GET", "/api/editors", headers=admin).json["editors"]}
    assert listed["old.hand"]["created_at"] is None
    created_at = EditorModel.get("admin", consistent_read=True).created_at
    assert listed["admin"]["created_at"] == created_at.isoformat()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"role": "boss"}, "role"),
        ({"disabled": "yes"}, "disabled"),
        ({"password": "short"}, "password"),
        ({"password": "Editor-at-the-office"}, "password"),  # holds the account's username
    ],
)
def test_changing_an_account_is_refused_naming_the_field(client, body, field):
    admin = bearer(make_admin())
    make_editor()
    response = call(client, "PUT", "/api/editors/editor", body, admin)
    assert response.status_code == 400 and response.json["field"] == field


@pytest.mark.parametrize("body", [{"disabled": True}, {}])
def test_changing_an_unknown_account_is_404(client, body):
    response = call(client, "PUT", "/api/editors/nobody", body, bearer(make_admin()))
    assert (response.status_code, response.json) == (
        404,
        {"message": "editor not found", "code": "editor_not_found", "field": "username"},
    )
    assert EditorModel.count("nobody") == 0


def test_the_authorizer_puts_the_role_in_the_context_api_gateway_passes_on(client):
    make_admin()
    event = {
        "type": "TOKEN",
        "authorizationToken": bearer("admin")["Authorization"],
        "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abcdef/api/GET/api/editors",
    }
    answer = client.lambda_.invoke("editor_token", event).payload
    assert answer["principalId"] == "admin" and answer["context"] == {"role": "admin"}


def test_an_account_stored_with_a_role_this_version_does_not_know_is_an_editor(client):
    """Anything but a known role (an account written by a later version, then rolled back) reads as an editor:
    it logs in and writes, and opens nothing an admin may."""
    make_editor("later", role="chief-editor")
    answer = log_in(client, "later")
    assert answer.status_code == 200 and answer.json["role"] == "editor"
    headers = {"Authorization": f"Bearer {answer.json['token']}"}
    assert call(client, "GET", "/api/articles", headers=headers).status_code == 200
    assert call(client, "GET", "/api/editors", headers=headers).status_code == 403
