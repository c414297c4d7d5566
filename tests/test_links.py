"""友情链接: admins keep them through GET/PUT /api/links; every page's footer names them and /links shows them
with their logos, read with the site's settings (no request of their own on a page)."""

from __future__ import annotations

import json
import re

from chalicelib import site_item
from chalicelib.articles import now
from chalicelib.imaging import rendition_widths
from chalicelib.models import AuditModel, PhotoModel, SiteSettingsModel
from chalicelib.photos import COLLECTION
from local.dynamodb_calls import DynamoDBCalls
from tests.api_helpers import call
from tests.site import make_categories, make_photo

LINKS = [
    {"group": "government", "name": "上海市住房和城乡建设管理委员会", "url": "https://zjw.sh.gov.cn/"},
    {"group": "members", "name": "万科物业", "url": "https://www.vanke.com/", "logo_photo_id": "logo-1"},
    {"group": "members", "name": "<b>绿城</b>服务", "url": "https://www.lvchengfuwu.com/?a=1&b=2"},
]


def test_an_admin_saves_links_and_every_page_names_them_and_the_links_page_shows_logos(client, admin_auth):
    make_categories()
    make_photo("logo-1", width=640, height=320)
    saved = call(client, "PUT", "/api/links", {"links": LINKS}, admin_auth)
    assert saved.status_code == 200, saved.json
    assert [link["name"] for link in saved.json["links"]] == [link["name"] for link in LINKS]
    assert saved.json["links"][1]["logo_photo_id"] == "logo-1" and saved.json["links"][0]["logo_photo_id"] is None
    assert call(client, "GET", "/api/links", headers=admin_auth).json == saved.json
    for path in ("/", "/news/news", "/search?q=x"):
        footer = client.http.get(path).body.decode().split("<footer>")[1]
        assert "会员单位" in footer and "政府部门" in footer and "合作伙伴" not in footer, path
        assert footer.index("万科物业") < footer.index("&lt;b&gt;绿城&lt;/b&gt;服务"), path  # the admins' order
        assert 'href="https://www.lvchengfuwu.com/?a=1&amp;b=2"' in footer and "<b>绿城" not in footer
        assert "/renditions/" not in footer  # logos only on the links page
    page = client.http.get("/links")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "public, max-age=60"
    main = page.body.decode().split('<main id="content">')[1].split("</main>")[0]
    assert main.index("会员单位") < main.index("政府部门")  # groups in their fixed order
    media = "http://127.0.0.1:4566/newsroom-local-media/renditions"
    assert (
        f'<img src="{media}/logo-1/320.jpg" srcset="{media}/logo-1/320.jpg 320w, {media}/logo-1/640.jpg 640w"' in main
    )
    assert 'width="640" height="320"' in main
    menu = re.search(r'<nav class="menu".*?</nav>', page.body.decode(), re.S)
    assert menu and re.findall(r'<a href="([^"]+)">', menu.group(0)) == ["/", "/news/news", "/news/policy"]


def test_a_logo_narrower_than_the_box_at_2x_is_shown_at_its_own_width(client, admin_auth):
    """The pipeline never upscales: a 200 px logo has one rendition, 200 px wide, and the links page shows it."""
    PhotoModel(
        "small-logo",
        status="ready",
        filename="small-logo.png",
        content_type="image/png",
        size=1000,
        width=200,
        height=80,
        color="#ffffff",
        renditions=[
            {"width": w, "height": 80, "format": f, "url": f"https://media.test/small-logo/{w}"}
            for w in rendition_widths(200)
            for f in ("webp", "jpeg")
        ],
        created_at=now(),
        collection=COLLECTION,
    ).save()
    link = {**LINKS[1], "logo_photo_id": "small-logo"}
    assert call(client, "PUT", "/api/links", {"links": [link]}, admin_auth).status_code == 200
    page = client.http.get("/links")
    assert page.status_code == 200
    logo = "http://127.0.0.1:4566/newsroom-local-media/renditions/small-logo/200.jpg"
    assert f'<img src="{logo}" srcset="{logo} 200w" sizes="160px" alt="" width="200" height="80"' in page.body.decode()


def test_links_cost_a_page_no_request_of_their_own(client, admin_auth):
    make_categories()
    call(client, "PUT", "/api/links", {"links": LINKS[:1]}, admin_auth)
    client.http.get("/news/news")  # the site's item and the navigation are kept from here on
    with DynamoDBCalls() as links_page:
        assert "上海市住房和城乡建设管理委员会" in client.http.get("/links").body.decode()
    with DynamoDBCalls() as category_page:
        assert "上海市住房和城乡建设管理委员会" in client.http.get("/news/news").body.decode()
    assert links_page.operations == []
    assert category_page.operations == ["Query", "Query"]  # its page and its count, as without links


def test_links_and_settings_are_saved_apart_and_both_kept(client, admin_auth):
    call(client, "PUT", "/api/links", {"links": LINKS[:1]}, admin_auth)
    call(client, "PUT", "/api/settings", {"icp": "沪ICP备1号"}, admin_auth)
    call(client, "PUT", "/api/links", {"links": LINKS[:1] * 2}, admin_auth)
    item = SiteSettingsModel.get(site_item.KEY)
    assert json.loads(item.content or "{}")["icp"] == "沪ICP备1号" and len(json.loads(item.links or "[]")) == 2


def test_bad_links_are_refused_with_the_field_and_a_code_and_nothing_changes(client, admin_auth):
    make_photo("pending-logo", status="pending")
    call(client, "PUT", "/api/links", {"links": LINKS[:1]}, admin_auth)
    good = LINKS[0]
    for body, field, code in [
        ({"links": "x"}, "links", "links_list"),
        ({"links": [good] * 61}, "links", "links_list"),
        ({"links": [good, 3]}, "links.1", "links_list"),
        ({"links": [{**good, "group": "friends"}]}, "links.0.group", "link_group"),
        ({"links": [{**good, "name": " "}]}, "links.0.name", "link_name"),
        ({"links": [{**good, "name": "x" * 61}]}, "links.0.name", "link_name"),
        ({"links": [good, {**good, "url": "javascript:alert(1)"}]}, "links.1.url", "link_url"),
        ({"links": [{**good, "url": 'https://a.cn/"><script>'}]}, "links.0.url", "link_url"),
        ({"links": [{**good, "logo_photo_id": "../x"}]}, "links.0.logo_photo_id", "photo_id"),
        ({"links": [good, {**good, "logo_photo_id": "missing"}]}, "links.1.logo_photo_id", "photo_not_ready"),
        ({"links": [{**good, "logo_photo_id": "pending-logo"}]}, "links.0.logo_photo_id", "photo_not_ready"),
        ({"links": [{**good, "colour": "red"}]}, "links.0.colour", "unknown_field"),
        ({"links": [], "extra": 1}, "extra", "unknown_field"),
    ]:
        answer = call(client, "PUT", "/api/links", body, admin_auth)
        assert answer.status_code == 400 and (answer.json["field"], answer.json["code"]) == (field, code), body
    assert [link["name"] for link in call(client, "GET", "/api/links", headers=admin_auth).json["links"]] == [
        good["name"]
    ]


def test_a_logo_still_processing_is_refused_saying_why(client, admin_auth):
    make_photo("pending-logo", status="pending")
    link = {**LINKS[0], "logo_photo_id": "pending-logo"}
    answer = call(client, "PUT", "/api/links", {"links": [link]}, admin_auth)
    assert answer.status_code == 400
    assert answer.json == {
        "message": "the photo is not a processed photo",
        "code": "photo_not_ready",
        "field": "links.0.logo_photo_id",
    }


def test_only_admins_read_or_change_links(client, auth):
    assert call(client, "GET", "/api/links", headers=auth).status_code == 403
    assert call(client, "PUT", "/api/links", {"links": []}, auth).status_code == 403
    assert call(client, "GET", "/api/links").status_code == 401


def test_without_links_pages_have_no_links_block_and_the_links_page_says_so(client):
    make_categories()
    assert 'class="footer-links"' not in client.http.get("/").body.decode()
    assert "暂无友情链接" in client.http.get("/links").body.decode()


def test_site_changes_leave_audit_records(client, admin_auth):
    call(client, "PUT", "/api/links", {"links": LINKS[:1]}, admin_auth)
    call(client, "PUT", "/api/links", {"links": "x"}, admin_auth)
    call(client, "PUT", "/api/settings", {"icp": "沪ICP备1号"}, admin_auth)
    call(client, "PUT", "/api/topics/expo", {"title": "博览会", "articles": []}, admin_auth)
    found = sorted(
        (r.action, r.object, r.result)
        for r in AuditModel.scan(consistent_read=True)
        if r.action in ("settings.change", "topic.put")
    )
    assert found == [
        ("settings.change", "links", "failure"),
        ("settings.change", "links", "success"),
        ("settings.change", "site_settings", "success"),
        ("topic.put", "expo", "success"),
    ]


def test_the_api_answers_each_links_fields_and_the_groups_and_takes_its_answer_back(client, admin_auth):
    """The app reads GET /api/links and PUTs it back after an edit, `groups` and all."""
    make_photo("logo-1", width=640, height=320)
    saved = call(client, "PUT", "/api/links", {"links": LINKS[:2]}, admin_auth)
    expected = {
        "links": [
            {**LINKS[0], "logo_photo_id": None},
            {"group": "members", "name": "万科物业", "url": "https://www.vanke.com/", "logo_photo_id": "logo-1"},
        ],
        "groups": ["members", "partners", "government"],
    }
    assert (saved.status_code, saved.json) == (200, expected)
    read = call(client, "GET", "/api/links", headers=admin_auth)
    assert read.json == expected
    again = call(client, "PUT", "/api/links", read.json, admin_auth)
    assert (again.status_code, again.json) == (200, expected)


def test_links_at_their_limits_are_kept(client, admin_auth):
    """60 links, a name of 60 characters, an address of 300: all allowed, one more of any is refused."""
    name, url = "名" * 60, "https://example.cn/" + "a" * 281
    assert len(url) == 300
    links = [{"group": "partners", "name": name, "url": url}] * 60
    saved = call(client, "PUT", "/api/links", {"links": links}, admin_auth)
    assert saved.status_code == 200, saved.json
    assert len(saved.json["links"]) == 60 and saved.json["links"][0]["name"] == name
    assert saved.json["links"][0]["url"] == url
    too_long = call(client, "PUT", "/api/links", {"links": [{**links[0], "url": url + "a"}]}, admin_auth)
    assert (too_long.status_code, too_long.json["field"], too_long.json["code"]) == (400, "links.0.url", "link_url")


def test_a_link_without_an_address_is_refused_with_its_message(client, admin_auth):
    for url in (None, 3, ["https://a.cn/"]):
        link = {"group": "members", "name": "万科物业", "url": url}
        refused = call(client, "PUT", "/api/links", {"links": [link]}, admin_auth)
        assert refused.status_code == 400, url
        assert refused.json == {"message": "url must be an http(s) address", "code": "link_url", "field": "links.0.url"}


def test_refusals_say_what_is_allowed(client, admin_auth):
    good = LINKS[0]
    for change, field, message in [
        ({"group": "friends"}, "group", "group must be one of members, partners, government"),
        ({"url": "ftp://a.cn/"}, "url", "url must be an http(s) address"),
        ({"logo_photo_id": "../x"}, "logo_photo_id", "logo_photo_id must be a photo id"),
    ]:
        refused = call(client, "PUT", "/api/links", {"links": [{**good, **change}]}, admin_auth)
        assert (refused.status_code, refused.json["field"]) == (400, f"links.0.{field}")
        assert refused.json["message"] == message


def test_links_are_stored_as_utf8_text_not_escapes(client, admin_auth):
    """The site's item holds Chinese as it is: 3 bytes a character where a \\u escape would take 6 (the item's
    400 KB limit and its read units)."""
    call(client, "PUT", "/api/links", {"links": LINKS[:1]}, admin_auth)
    stored = SiteSettingsModel.get(site_item.KEY).links
    assert "上海市住房和城乡建设管理委员会" in stored and "\\u" not in stored


def test_stored_links_of_no_known_group_are_left_out_of_pages():
    """What pages show is read leniently: an entry of a group since retired, or not an entry at all, is left out."""
    from chalicelib.links import site_links

    stored = [
        {"group": "members", "name": "甲协会", "url": "https://a.example.org"},
        {"group": "retired", "name": "乙协会", "url": "https://b.example.org"},
        "not an entry",
    ]
    assert [link.name for link in site_links(stored)] == ["甲协会"]
