"""Preview links: signed, expiring, never indexed, cached or counted; and paragraphs' line breaks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import boto3
import jwt
import pytest

from chalicelib import auth as tokens
from chalicelib import dynamodb
from chalicelib.config import get_settings
from chalicelib.ids import new_id
from chalicelib.models import CounterModel, EditorModel
from local.dynamodb_calls import DynamoDBRequests
from tests.api_helpers import bearer, call, make_admin
from tests.aws_refusals import client_error, refuse
from tests.site import a_reader, make_article


def draft(client, headers, **changes):
    body = {
        "title": "尚未发布的通知",
        "category": "industry",
        "body": [{"type": "paragraph", "text": "第一行\n<b>第二行</b>"}, {"type": "photo", "photo_id": "photo1"}],
        **changes,
    }
    return call(client, "POST", "/api/articles", body, headers).json


def preview_url(client, headers, article_id):
    response = call(client, "POST", f"/api/articles/{article_id}/preview", None, headers)
    assert response.status_code == 200
    return response.json


def test_a_preview_link_shows_a_draft_marked_unindexed_uncached_and_uncounted(client, auth):
    article = draft(client, auth)
    link = preview_url(client, auth, article["id"])
    assert link["url"].startswith("/preview/")
    expires = datetime.fromisoformat(link["expires_at"])
    assert timedelta(hours=71.9) < expires - datetime.now(timezone.utc) <= timedelta(hours=72)
    page = client.http.get(link["url"])
    text = page.body.decode()
    assert page.status_code == 200
    assert page.headers["X-Robots-Tag"] == "noindex" and page.headers["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex">' in text
    assert 'class="preview-banner"' in text and "预览" in text
    assert "尚未发布的通知" in text and "第一行<br>&lt;b&gt;第二行&lt;/b&gt;" in text
    assert 'class="views"' not in text
    assert CounterModel.count(article["id"]) == 0  # no counter item was even created
    assert client.http.get(f"/articles/{article['id']}").status_code == 404  # still a draft for readers


def test_a_preview_is_the_article_page_with_its_byline_menu_and_breadcrumb(client, auth):
    """An editor checks the page readers will get: the author line, the site's menu, where it is filed."""
    article = draft(client, auth, author="宣传部 王敏")
    text = client.http.get(preview_url(client, auth, article["id"])["url"]).body.decode()
    assert "作者：宣传部 王敏" in text
    menu = text.split('<nav class="menu"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', menu) == [
        ("/", "首页"),
        ("/news/news", "新闻中心"),
        ("/news/policy", "政策法规"),
    ]
    crumbs = text.split('<nav class="crumbs"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [
        ("/", "首页"),
        ("/news/news", "新闻中心"),
        ("/news/industry", "行业动态"),
    ]


def test_previewing_a_published_article_never_counts_a_view_and_shows_the_latest_save(client, auth):
    make_article("published")
    first = client.http.get("/articles/published", headers=a_reader()).body.decode()
    assert '<span class="views">1</span>' in first
    link = preview_url(client, auth, "published")["url"]
    for _ in range(3):
        assert "正文第一段。" in client.http.get(link).body.decode()
    assert int(CounterModel.get("published").views) == 1
    saved = call(client, "GET", "/api/articles/published", headers=auth).json
    changed = {k: saved[k] for k in ("title", "category", "version")}
    changed["title"] = "改过的标题"
    assert call(client, "PUT", "/api/articles/published", {**changed, "body": []}, auth).status_code == 200
    assert "改过的标题" in client.http.get(link).body.decode()  # the same link shows the article as saved now


def test_the_reader_page_keeps_a_paragraphs_line_breaks_and_escapes_its_text(client, auth):
    make_article("lines", body=[{"type": "paragraph", "text": "一\r\n<script>x</script>\n\n三"}])
    text = client.http.get("/articles/lines").body.decode()
    assert "<p>一<br>&lt;script&gt;x&lt;/script&gt;<br><br>三</p>" in text


@pytest.mark.parametrize("kind", ["editor-token", "not-a-token", "expired", "forged", "deleted"])
def test_a_bad_expired_or_foreign_preview_link_is_the_sites_404(client, auth, kind):
    article = draft(client, auth)
    now = datetime.now(timezone.utc)
    token = {
        "editor-token": lambda: auth_token("editor"),
        "not-a-token": lambda: "abc.def.ghi",
        "expired": lambda: tokens.issue_preview(article["id"], now - timedelta(hours=73))[0],
        "forged": lambda: jwt.encode(
            {
                "sub": article["id"],
                "aud": "preview",
                "iat": now,
                "exp": now + timedelta(hours=1),
                "iss": "newsroom-local",
            },
            "another-secret-" + "x" * 32,
            algorithm="HS256",
        ),
        "deleted": lambda: tokens.issue_preview("gone")[0],
    }[kind]()
    good = client.http.get(f"/preview/{tokens.issue_preview(article['id'])[0]}")
    assert good.status_code == 200
    page = client.http.get(f"/preview/{token}")
    assert page.status_code == 404 and "页面未找到" in page.body.decode()
    assert "尚未发布的通知" not in page.body.decode()
    # the error page keeps the preview's noindex and is never cached
    assert page.headers["X-Robots-Tag"] == "noindex" and page.headers["Cache-Control"] == "no-store"


def auth_token(username):
    return tokens.issue_token(EditorModel.get(username)).token


def test_a_preview_token_never_opens_the_api(client, auth):
    article = draft(client, auth)
    token = preview_url(client, auth, article["id"])["url"].rsplit("/", 1)[-1]
    assert call(client, "GET", "/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    # even one naming an editor as its subject
    forged = tokens.sign({"sub": "editor", "gen": 0, "aud": "preview", "iat": 1, "exp": 4_000_000_000})
    assert call(client, "GET", "/api/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_previewing_needs_a_token_and_a_known_article(client, auth):
    article = draft(client, auth)
    assert call(client, "POST", f"/api/articles/{article['id']}/preview").status_code == 401
    unknown = call(client, "POST", "/api/articles/nope/preview", None, auth)
    assert unknown.status_code == 404
    assert unknown.json == {"message": "article not found", "code": "not_found", "article_id": "nope"}


def test_a_preview_link_for_an_article_made_again_at_each_try_is_a_conflict_to_retry(client, auth, monkeypatch):
    article = draft(client, auth)
    beaten = client_error("ConditionalCheckFailedException", "failed")  # DynamoDB's answer: another write came first
    tries = refuse(monkeypatch, beaten, operation="UpdateItem", table=get_settings().tables["articles"])
    answer = call(client, "POST", f"/api/articles/{article['id']}/preview", None, auth)
    monkeypatch.undo()
    assert len(tries) == 2
    assert (answer.status_code, answer.json) == (
        409,
        {"message": "the article changed while its preview link was made; try again", "code": "conflict"},
    )
    assert client.http.get(preview_url(client, auth, article["id"])["url"]).status_code == 200  # a retry works


def test_links_the_api_answers_include_the_sites_base_path(client, auth, monkeypatch):
    from chalicelib.config import get_settings, get_site

    monkeypatch.setenv("SITE_BASE_PATH", "/api")
    get_settings.cache_clear()
    get_site.cache_clear()
    try:
        make_article("live")
        link = preview_url(client, auth, "live")["url"]
        listed = call(client, "GET", "/api/articles", headers=auth).json["articles"]
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        get_site.cache_clear()
    assert link.startswith("/api/preview/") and [a["url"] for a in listed] == ["/api/articles/live"]
    assert client.http.get(link.removeprefix("/api")).status_code == 200  # API Gateway strips its stage


def test_an_editor_revokes_every_link_given_out_and_new_ones_work(client, auth):
    """Issue 27: a link sent to the wrong person stayed open for its 72 hours."""
    article = draft(client, auth)
    first, second = (preview_url(client, auth, article["id"])["url"] for _ in range(2))
    assert client.http.get(first).status_code == client.http.get(second).status_code == 200
    version = call(client, "GET", f"/api/articles/{article['id']}", None, auth).json["version"]
    assert call(client, "DELETE", f"/api/articles/{article['id']}/preview", None, auth).status_code == 204
    for link in (first, second):
        page = client.http.get(link)
        assert page.status_code == 404 and "尚未发布的通知" not in page.body.decode()
    assert client.http.get(preview_url(client, auth, article["id"])["url"]).status_code == 200
    # not an edit: the editor's next save is no conflict
    assert call(client, "GET", f"/api/articles/{article['id']}", None, auth).json["version"] == version
    unknown = call(client, "DELETE", "/api/articles/nope/preview", None, auth)
    assert unknown.status_code == 404
    assert unknown.json == {"message": "article not found", "code": "not_found", "article_id": "nope"}
    assert call(client, "DELETE", f"/api/articles/{article['id']}/preview", None, {}).status_code == 401


def test_deleting_an_article_revokes_its_links_even_if_its_id_is_used_again(client, auth):
    article = draft(client, auth, title="旧文章")
    link = preview_url(client, auth, article["id"])["url"]
    assert call(client, "DELETE", f"/api/articles/{article['id']}", None, auth).status_code == 204
    assert client.http.get(link).status_code == 404  # in the trash: no preview either
    assert call(client, "DELETE", f"/api/trash/{article['id']}", None, bearer(make_admin())).status_code == 204
    make_article(article["id"], title="同号新文章", publish=False)  # e.g. an import run again
    page = client.http.get(link)
    assert page.status_code == 404 and "同号新文章" not in page.body.decode()


def test_a_preview_link_opens_its_article_until_the_instant_it_expires(client, auth, clock):
    """Taken at a known moment on the controlled clock, tried across the documented PREVIEW_HOURS (72)."""
    start = float(int(datetime.now(timezone.utc).timestamp()))  # the editor's token is from now
    clock(start)
    article = draft(client, auth)
    link = preview_url(client, auth, article["id"])
    assert datetime.fromisoformat(link["expires_at"]).timestamp() == start + 72 * 3600
    path = "/preview/" + link["url"].rsplit("/preview/", 1)[1]
    for moment in (start, start + 72 * 3600 - 1, start + 72 * 3600 - 0.5, start + 72 * 3600, start + 72 * 3600 + 0.5):
        clock(moment)
        page = client.http.get(path)
        assert page.status_code == (200 if moment < start + 72 * 3600 else 404), moment - start


def articles_table() -> str:
    return get_settings().tables["articles"]


class Meanwhile:
    """Other requests landing just before some of this request's own on the articles table: `steps` maps
    (operation, n) to what happens first, before the n-th such request (from 1) is sent."""

    def __init__(self, steps: dict[tuple[str, int], Callable[[], object]]) -> None:
        self.steps, self.seen = dict(steps), Counter[str]()

    def __enter__(self) -> Meanwhile:
        dynamodb.client().meta.events.register("before-parameter-build.dynamodb", self._handle)
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        dynamodb.client().meta.events.unregister("before-parameter-build.dynamodb", self._handle)
        assert kind is not None or not self.steps, f"never reached: {list(self.steps)}"

    def _handle(self, params: dict, model: object, **_: object) -> None:
        if params.get("TableName") != articles_table():
            return
        name = str(getattr(model, "name", ""))
        self.seen[name] += 1
        step = self.steps.pop((name, self.seen[name]), None)
        if step is not None:
            step()


def another_link_sets(article_id: str, key: str) -> Callable[[], object]:
    return lambda: boto3.client("dynamodb").update_item(
        TableName=articles_table(),
        Key={"id": {"S": article_id}},
        UpdateExpression="SET preview_key = :key",
        ExpressionAttributeValues={":key": {"S": key}},
    )


def a_link_with_key(article_id: str, key: str) -> str:
    return f"/preview/{tokens.issue_preview(article_id, key=key)[0]}"


def test_a_link_reads_only_the_articles_key_and_reads_it_consistently(client, auth):
    """A key another link set a moment ago is seen (a second key would close that link), for two attributes'
    read units whatever the article's size."""
    article = draft(client, auth)
    with DynamoDBRequests() as requests:
        preview_url(client, auth, article["id"])
    reads = [
        (params.get("ConsistentRead"), sorted(params.get("ExpressionAttributeNames", {}).values()))
        for operation, params in requests.requests
        if operation == "GetItem" and params["TableName"] == articles_table()
    ]
    assert reads == [(True, ["id", "preview_key"])]


def test_two_first_links_at_once_share_the_one_key_the_article_keeps(client, auth):
    """Another editor's first link lands between this one's read of the article and its write: both open it."""
    article, theirs = draft(client, auth), new_id()
    with Meanwhile({("UpdateItem", 1): another_link_sets(article["id"], theirs)}):
        mine = preview_url(client, auth, article["id"])["url"]
    assert client.http.get(mine).status_code == 200
    assert client.http.get(a_link_with_key(article["id"], theirs)).status_code == 200


def test_a_link_asked_for_while_the_article_is_made_again_and_linked_elsewhere_opens_it(client, auth):
    """The article goes and comes back under its id (no key), then another first link lands: the key is theirs."""
    article, theirs = draft(client, auth), new_id()
    dynamo, key = boto3.client("dynamodb"), {"id": {"S": article["id"]}}
    item = dynamo.get_item(TableName=articles_table(), Key=key)["Item"]
    steps = {
        ("UpdateItem", 1): lambda: dynamo.delete_item(TableName=articles_table(), Key=key),
        ("GetItem", 2): lambda: dynamo.put_item(TableName=articles_table(), Item=item),
        ("UpdateItem", 2): another_link_sets(article["id"], theirs),
    }
    with Meanwhile(steps):
        mine = preview_url(client, auth, article["id"])["url"]
    assert client.http.get(mine).status_code == 200
    assert client.http.get(a_link_with_key(article["id"], theirs)).status_code == 200


def test_a_link_asked_for_while_the_article_keeps_being_made_again_is_a_409_to_try_again(client, auth):
    """Both writes miss (the article went each time) and it is back without a key: no link to a key it lacks."""
    article = draft(client, auth)
    dynamo, key = boto3.client("dynamodb"), {"id": {"S": article["id"]}}
    item = dynamo.get_item(TableName=articles_table(), Key=key)["Item"]
    steps = {
        ("UpdateItem", 1): lambda: dynamo.delete_item(TableName=articles_table(), Key=key),
        ("GetItem", 2): lambda: dynamo.put_item(TableName=articles_table(), Item=item),
        ("UpdateItem", 2): lambda: dynamo.delete_item(TableName=articles_table(), Key=key),
        ("GetItem", 3): lambda: dynamo.put_item(TableName=articles_table(), Item=item),
    }
    with Meanwhile(steps):
        answer = call(client, "POST", f"/api/articles/{article['id']}/preview", None, auth)
    assert (answer.status_code, answer.json["code"]) == (409, "conflict"), answer.json
    assert "preview_key" not in dynamo.get_item(TableName=articles_table(), Key=key)["Item"]
