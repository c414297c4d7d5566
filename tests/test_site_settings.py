"""The site's settings: admins change them through GET/PUT /api/settings and every page shows them."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib import reader, site_settings
from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.config import get_site as stage_site
from chalicelib.models import SiteSettingsModel
from chalicelib.navigation_cache import forget_navigation
from local.dynamodb_calls import DynamoDBCalls
from ops.migrations import seed_site_settings
from tests.api_helpers import bearer, call
from tests.aws_refusals import client_error, refuse, unreachable
from tests.site import make_article, make_photo

ICP = "沪ICP备20260001号-2"


def test_an_admin_changes_the_name_and_filing_and_every_page_shows_them(client, admin_auth):
    before = call(client, "GET", "/api/settings", headers=admin_auth).json
    assert set(before) >= {"site_name", "icp", "police_filing", "address", "phone"}
    changes = {"site_name": "上海市物业协会", "icp": ICP, "police_filing": "沪公网安备31010502000001号"}
    saved = call(client, "PUT", "/api/settings", {**changes, "phone": "021-12345678"}, admin_auth)
    assert saved.status_code == 200 and saved.json["icp"] == ICP and saved.json["address"] == before["address"]
    assert call(client, "GET", "/api/settings", headers=admin_auth).json == saved.json
    for path in ("/", "/news/news", "/search?q=x"):
        page = client.http.get(path).body.decode()
        assert "上海市物业协会" in page and ICP in page and "021-12345678" in page, path
    assert "上海市物业协会" in client.http.get("/feed.xml").body.decode()


def test_editors_may_not_read_or_change_the_settings(client, auth):
    assert call(client, "GET", "/api/settings", headers=auth).status_code == 403
    assert call(client, "PUT", "/api/settings", {"icp": ICP}, auth).status_code == 403
    assert call(client, "GET", "/api/settings").status_code == 401


def test_bad_settings_are_refused_with_the_field_and_a_code_and_nothing_changes(client, admin_auth):
    call(client, "PUT", "/api/settings", {"icp": ICP}, admin_auth)
    for body, field, code in [
        ({"site_name": "  "}, "site_name", "setting_required"),
        ({"icp": "x" * 61}, "icp", "setting_text"),
        ({"phone": 12}, "phone", "setting_text"),
        ({"address": "a\nb"}, "address", "setting_text"),
        ({"language": "fr"}, "language", "setting_language"),
        ({"contact_url": "javascript:alert(1)"}, "contact_url", "setting_link"),
        ({"logo_color": "red"}, "logo_color", "unknown_field"),
        ({"icp": "ok", "phone": []}, "phone", "setting_text"),
    ]:
        answer = call(client, "PUT", "/api/settings", body, admin_auth)
        assert answer.status_code == 400 and (answer.json["field"], answer.json["code"]) == (field, code), body
    assert call(client, "GET", "/api/settings", headers=admin_auth).json["icp"] == ICP


def test_settings_are_escaped_on_pages(client, admin_auth):
    call(client, "PUT", "/api/settings", {"address": "<script>alert(1)</script>路1号"}, admin_auth)
    page = client.http.get("/").body.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;路1号" in page


def test_another_containers_change_shows_after_the_cache_time_with_one_getitem(client, admin_auth, clock):
    clock(1_900_000_000)
    assert ICP not in client.http.get("/").body.decode()
    # Another container saves: this one keeps its copy for the stage's cache time, to the last instant before it.
    SiteSettingsModel(site_settings.KEY, content=json.dumps({"icp": ICP})).save()
    kept = get_settings().chrome_cache_seconds
    clock(1_900_000_000 + kept - 0.001)
    with DynamoDBCalls() as calls:
        client.http.get("/")
        client.http.get("/news/news")
    assert ICP not in client.http.get("/").body.decode()
    assert "GetItem" not in calls.operations
    clock(1_900_000_000 + kept)
    with DynamoDBCalls() as calls:
        assert ICP in client.http.get("/").body.decode()
        assert ICP in client.http.get("/news/news").body.decode()
    assert calls.operations.count("GetItem") == 1


def test_the_upgrade_seeds_the_stage_values_once(client, admin_auth, configure):
    configure(SITE_ICP_FILING="京ICP备12345678号-1", SITE_ADDRESS="北京市东城区1号")
    assert seed_site_settings() is True
    site_settings.forget_site_settings()
    assert call(client, "GET", "/api/settings", headers=admin_auth).json["icp"] == "京ICP备12345678号-1"
    call(client, "PUT", "/api/settings", {"icp": ICP}, admin_auth)
    assert seed_site_settings() is False  # an admin's values stay
    stored = json.loads(SiteSettingsModel.get(site_settings.KEY).content)
    assert stored["icp"] == ICP and stored["address"] == "北京市东城区1号"


def test_the_seeded_item_holds_the_text_as_written_as_an_admins_save_does(configure, clock):
    """Ops reading the item (the console, `aws dynamodb get-item`) see 京ICP备…, not \\u4eac escapes, and when
    it was seeded."""
    configure(SITE_ICP_FILING="京ICP备12345678号-1", SITE_ADDRESS="北京市东城区1号")
    seeded_at = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)
    clock(seeded_at)
    assert seed_site_settings() is True
    stored = SiteSettingsModel.get(site_settings.KEY)
    assert '"icp": "京ICP备12345678号-1"' in stored.content and '"address": "北京市东城区1号"' in stored.content
    assert stored.changed_at == seeded_at


def test_an_admins_save_holds_the_text_as_written_and_when_it_was_made(client, admin_auth, clock):
    """Ops reading the item see 沪ICP备… (not \\u6caa escapes) and the moment an admin last changed it."""
    saved_at = datetime.fromtimestamp(int(now().timestamp()), timezone.utc)  # the admin's token is from now
    clock(saved_at)
    saved = call(client, "PUT", "/api/settings", {"icp": ICP, "address": "上海市黄浦区2号"}, admin_auth)
    assert saved.status_code == 200
    stored = SiteSettingsModel.get(site_settings.KEY)
    assert f'"icp": "{ICP}"' in stored.content and '"address": "上海市黄浦区2号"' in stored.content
    assert stored.changed_at == saved_at


def test_the_settings_item_is_never_listed_as_a_category(client, admin_auth):
    call(client, "PUT", "/api/settings", {"icp": ICP}, admin_auth)
    listed = call(client, "GET", "/api/categories", headers=bearer()).json["categories"]
    assert [c["slug"] for c in listed] == ["news", "industry", "policy"]


def test_every_other_setting_shows_where_readers_see_it(client, admin_auth):
    make_photo("logo-1", width=640, height=160)
    for number in range(4):
        make_article(
            f"n{number}", title=f"通知{number}号", notice=True, published_at=now() - timedelta(hours=number + 1)
        )
    make_article("p", body=[{"type": "photo", "photo_id": "logo-1", "caption": "图片说明"}])
    changes = {
        "short_name": "市物协",
        "description": "服务会员 规范行业",
        "logo_photo_id": "logo-1",
        "footer_links": [{"name": "关于我们", "url": "/articles/p"}, {"name": "网站地图", "url": "https://x.cn/map"}],
        "notices_shown": 2,
        "caption_style": "bar",
        "language": "en",
    }
    saved = call(client, "PUT", "/api/settings", changes, admin_auth)
    assert saved.status_code == 200 and {k: saved.json[k] for k in changes} == changes
    page = client.http.get("/articles/p").body.decode()
    masthead = page.split('<div class="masthead">')[1].split("</div></div>")[0]
    assert '<span class="short">市物协</span>' in masthead and '<p class="tagline">服务会员 规范行业</p>' in masthead
    assert re.search(
        r'<img class="logo" src="[^"]+/renditions/logo-1/640\.jpg" alt="" width="224" height="56">', masthead
    )
    footer = page.split("<footer>")[1]
    assert '<a href="/articles/p">关于我们</a><a href="https://x.cn/map">网站地图</a>' in footer
    notices = page.split('<section class="notices"')[1].split("</section>")[0]
    assert re.findall(r"通知\d号", notices) == ["通知0号", "通知1号"]  # the newest two
    assert '<body class="captions-bar">' in page and '<html lang="en">' in page and "Published" in page
    call(client, "PUT", "/api/settings", {"notices_shown": 0, "language": "zh-CN"}, admin_auth)
    page = client.http.get("/").body.decode()
    assert 'class="notices"' not in page and '<span class="short">市物协</span>' in page  # the rest kept
    call(client, "PUT", "/api/settings", {"logo_photo_id": None, "short_name": ""}, admin_auth)
    masthead = client.http.get("/").body.decode().split('<div class="masthead">')[1].split("</div></div>")[0]
    assert 'class="logo"' not in masthead and 'class="short"' not in masthead


def masthead_of(page: str) -> str:
    return page.split('<div class="masthead">')[1].split("</div></div>")[0]


@pytest.mark.parametrize(
    "width, height, rendition, shown",
    [
        (1600, 560, 320, 160),  # 320 px is twice the 160 px shown, exactly: sharp enough, and the narrowest
        (1024, 100, 1024, 573),  # none is twice the 573 px shown: the widest of the three
        (640, 0, 320, 56),  # no height recorded: shown in the logo box's square, the page still served
    ],
)
def test_the_logo_is_the_narrowest_rendition_twice_as_wide_as_shown(
    client, admin_auth, width, height, rendition, shown
):
    make_photo("logo-2", width=width, height=height)
    assert call(client, "PUT", "/api/settings", {"logo_photo_id": "logo-2"}, admin_auth).status_code == 200
    page = client.http.get("/")
    assert page.status_code == 200
    logo = rf'src="[^"]+/renditions/logo-2/{rendition}\.jpg" alt="" width="{shown}" height="56"'
    assert re.search(f'<img class="logo" {logo}>', masthead_of(page.body.decode()))


def test_the_footers_own_paths_are_under_the_sites_base_path(client, admin_auth, configure):
    """What dev and prod serve on API Gateway's own URL: the site mounted at /api (test_pages.py)."""
    configure(SITE_BASE_PATH="/api")
    links = [{"name": "关于我们", "url": "/about"}, {"name": "网站地图", "url": "https://x.cn/map"}]
    assert call(client, "PUT", "/api/settings", {"footer_links": links}, admin_auth).status_code == 200
    footer = client.http.get("/").body.decode().split("<footer>")[1]
    assert '<a href="/api/about">关于我们</a><a href="https://x.cn/map">网站地图</a>' in footer


def test_bad_other_settings_are_refused_and_nothing_changes(client, admin_auth):
    make_photo("pending", status="pending")
    call(client, "PUT", "/api/settings", {"notices_shown": 3, "caption_style": "left"}, admin_auth)
    for body, field, code in [
        ({"caption_style": "wavy"}, "caption_style", "setting_choice"),
        ({"short_name": "简" * 21}, "short_name", "setting_text"),
        ({"notices_shown": 11}, "notices_shown", "out_of_range"),
        ({"notices_shown": "3"}, "notices_shown", "out_of_range"),
        ({"notices_shown": True}, "notices_shown", "out_of_range"),
        ({"footer_links": "关于我们"}, "footer_links", "links_list"),
        ({"footer_links": [{"name": "a", "url": "/a"}] * 11}, "footer_links", "links_list"),
        ({"footer_links": [{"name": "a"}]}, "footer_links.0", "links_list"),
        ({"footer_links": [{"name": "", "url": "/a"}]}, "footer_links.0.name", "link_name"),
        ({"footer_links": [{"name": "a", "url": "javascript:alert(1)"}]}, "footer_links.0.url", "link_url"),
        ({"footer_links": [{"name": "a", "url": "//evil.example/"}]}, "footer_links.0.url", "link_url"),
        ({"footer_links": [{"name": "a", "url": "/\\evil.example/"}]}, "footer_links.0.url", "link_url"),
        ({"logo_photo_id": "pending"}, "logo_photo_id", "photo_not_ready"),
        ({"logo_photo_id": "../x"}, "logo_photo_id", "photo_id"),
        ({"notices_shown": 1, "caption_style": "x"}, "caption_style", "setting_choice"),
    ]:
        answer = call(client, "PUT", "/api/settings", body, admin_auth)
        assert answer.status_code == 400 and (answer.json["field"], answer.json["code"]) == (field, code), body
    now_set = call(client, "GET", "/api/settings", headers=admin_auth).json
    assert (now_set["notices_shown"], now_set["caption_style"], now_set["logo_photo_id"]) == (3, "left", None)


def test_a_page_dynamodb_does_not_answer_shows_the_settings_this_container_last_read(client, admin_auth, monkeypatch):
    call(client, "PUT", "/api/settings", {"site_name": "上海市物业协会", "icp": ICP}, admin_auth)
    assert "上海市物业协会" in client.http.get("/news/news").body.decode()  # read, and kept by this container
    refuse(monkeypatch, unreachable(), service="dynamodb")
    response = client.http.get("/articles/any-article")
    page = response.body.decode()
    assert response.status_code == 503 and "服务暂时不可用" in page
    assert "上海市物业协会" in page and ICP in page


def test_the_unavailable_page_asks_dynamodb_nothing_while_other_error_pages_read_the_settings_and_menu(auth):
    """A 503 means DynamoDB did not answer: its page asks it nothing more, so a container that has read nothing
    yet shows the stage's name and no menu; a 404 or 500 page reads the saved settings and the categories."""
    site_settings.save({"site_name": "上海市物业协会"})
    site_settings.forget_site_settings()  # a new container: nothing read yet
    forget_navigation()
    with DynamoDBCalls() as calls:
        unavailable = reader.error_page(503)
    assert calls.operations == []
    assert "服务暂时不可用" in unavailable and stage_site().name in unavailable
    assert "上海市物业协会" not in unavailable and "新闻中心" not in unavailable
    for status, title in ((404, "页面未找到"), (500, "服务暂时不可用")):
        page = reader.error_page(status)
        assert title in page and "上海市物业协会" in page and "新闻中心" in page, status


def test_an_error_page_renders_in_the_stages_design_when_dynamodb_refuses_its_reads(client, auth, monkeypatch):
    """DynamoDB answering with an error (not a timeout) fails the page with a 500, and its error page, whose
    settings and menu cannot be read either, still renders: the stage's name, no menu."""
    refuse(monkeypatch, client_error("ResourceNotFoundException", "gone"), service="dynamodb")
    response = client.http.get("/news/news")
    page = response.body.decode()
    assert response.status_code == 500 and "服务暂时不可用" in page
    assert stage_site().name in page and "新闻中心" not in page and "ResourceNotFound" not in page


def test_other_settings_at_their_limits_are_kept(client, admin_auth):
    """10 footer links, names of 20 characters, addresses of 300, 10 notices: allowed; one more is refused."""
    name, url = "名" * 20, "/" + "a" * 299
    links = [{"name": name, "url": url}] * 10
    saved = call(client, "PUT", "/api/settings", {"footer_links": links, "notices_shown": 10}, admin_auth)
    assert saved.status_code == 200, saved.json
    assert (saved.json["footer_links"], saved.json["notices_shown"]) == (links, 10)
    for link, field in (({"name": name + "名", "url": url}, "name"), ({"name": name, "url": url + "a"}, "url")):
        refused = call(client, "PUT", "/api/settings", {"footer_links": [link]}, admin_auth)
        assert (refused.status_code, refused.json["field"]) == (400, f"footer_links.0.{field}")


def test_an_empty_logo_id_takes_the_logo_away(client, admin_auth):
    """The app's cleared photo field sends "" as well as null."""
    make_photo("logo-1", width=640, height=160)
    assert call(client, "PUT", "/api/settings", {"logo_photo_id": "logo-1"}, admin_auth).json["logo_photo_id"]
    cleared = call(client, "PUT", "/api/settings", {"logo_photo_id": ""}, admin_auth)
    assert (cleared.status_code, cleared.json["logo_photo_id"]) == (200, None)
    assert 'class="logo"' not in masthead_of(client.http.get("/").body.decode())


def test_settings_refusals_say_what_is_allowed(client, admin_auth):
    for body, field, code, message in [
        ({"site_name": " "}, "site_name", "setting_required", "site_name must not be empty"),
        ({"logo_color": "red"}, "logo_color", "unknown_field", "unknown field: logo_color"),
        ({"language": "fr"}, "language", "setting_language", "language must be one of zh-CN, en"),
        ({"caption_style": "wavy"}, "caption_style", "setting_choice", "caption_style: one of center, left, bar"),
        (
            {"contact_url": "ftp://x.cn/"},
            "contact_url",
            "setting_link",
            "contact_url must be a mailto:, tel: or http(s) address",
        ),
        ({"logo_photo_id": "../x"}, "logo_photo_id", "photo_id", "logo_photo_id must be a photo id"),
        (
            {"footer_links": [{"name": "a", "url": "/a"}] * 11},
            "footer_links",
            "links_list",
            "footer_links: at most 10 links",
        ),
        ({"footer_links": [{"name": "", "url": "/a"}]}, "footer_links.0.name", "link_name", "name: 1-20 characters"),
        (
            {"footer_links": [{"name": "a", "url": 3}]},
            "footer_links.0.url",
            "link_url",
            "url: an http(s) address or a path",
        ),
        (
            {"footer_links": [{"name": "a", "url": "https://x.cn/" + "a" * 300}]},
            "footer_links.0.url",
            "link_url",
            "url: an http(s) address or a path",
        ),
    ]:
        refused = call(client, "PUT", "/api/settings", body, admin_auth)
        assert refused.status_code == 400 and refused.json == {"message": message, "code": code, "field": field}, body
    refused = call(client, "PUT", "/api/settings", {"notices_shown": 11}, admin_auth)
    assert refused.json == {
        "message": "notices_shown: 0-10",
        "code": "out_of_range",
        "field": "notices_shown",
        "low": 0,
        "high": 10,
    }


def test_a_short_name_equal_to_the_name_shows_the_name_once(client, admin_auth):
    saved = call(client, "PUT", "/api/settings", {"site_name": "市物协", "short_name": "市物协"}, admin_auth)
    assert saved.status_code == 200
    masthead = masthead_of(client.http.get("/").body.decode())
    assert 'class="short"' not in masthead and masthead.count("市物协") == 1
