"""The photo library's housekeeping (issue 29, item 7): one photo per content, abandoned uploads expire,
unused photos can be deleted."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import boto3

from chalicelib import photo_intake
from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel, LegacyModel, PhotoModel, TopicModel
from local.dynamodb_calls import DynamoDBCalls, DynamoDBRequests
from tests.api_helpers import bearer, call
from tests.events import s3_notification, sqs_event
from tests.photo_files import camera_jpeg
from tests.site import make_article, make_photo

JPEG = camera_jpeg(700, 500)
DIGEST = hashlib.sha256(JPEG).hexdigest()


def start(client, auth, **changes):
    body = {"filename": "合影.jpg", "content_type": "image/jpeg", "size": len(JPEG), **changes}
    return call(client, "POST", "/api/photos", body, auth)


def upload_and_process(client, auth, data: bytes = JPEG) -> str:
    """The browser's way: a form, the file posted to S3, the queue's message to the processor."""
    form = start(client, auth, sha256=hashlib.sha256(data).hexdigest()).json
    key = f"uploads/{form['photo_id']}"
    boto3.client("s3").put_object(Bucket=get_settings().media_bucket, Key=key, Body=data)
    assert client.lambda_.invoke("process_photos", sqs_event(s3_notification(key, len(data)))).payload == {
        "batchItemFailures": []
    }
    return str(form["photo_id"])


def library(client, auth) -> list[str]:
    return [p["photo_id"] for p in call(client, "GET", "/api/photos", None, auth).json["photos"]]


def keys(prefix: str) -> list[str]:
    listed = boto3.client("s3").list_objects_v2(Bucket=get_settings().media_bucket, Prefix=prefix)
    return sorted(o["Key"] for o in listed.get("Contents", []))


def test_the_same_file_uploaded_again_is_the_same_photo(client, auth):
    first = upload_and_process(client, auth)
    assert PhotoModel.get(first).sha256 == DIGEST  # hashed by the processor from the bytes it read
    again = start(client, auth, sha256=DIGEST)
    assert again.status_code == 201
    assert again.json["photo_id"] == first and again.json["reused"] and "upload" not in again.json
    assert again.json["status"] == "ready"
    other = start(client, auth, sha256=hashlib.sha256(b"other").hexdigest()).json
    assert other["photo_id"] != first and other["upload"]
    assert sorted(library(client, auth)) == sorted(["photo1", first, other["photo_id"]])


def test_a_processed_photo_is_reused_for_its_content_however_old_it_is(client, auth, clock):
    moment = now()
    clock(moment)
    first = upload_and_process(client, auth)
    clock(moment + timedelta(days=400))
    again = start(client, bearer(), sha256=DIGEST).json
    assert again["photo_id"] == first and again["reused"] and again["status"] == "ready"


def test_a_pending_photo_of_the_content_is_reused_until_it_is_abandoned_a_day_after(client, auth, clock):
    """The server's intake (a fetched or imported image) names the content before the processor has run: an
    upload of the same file is that photo while it may still be processed, a new photo once it was given up."""
    moment = now()
    clock(moment)
    pending = photo_intake.photo_from_bytes(JPEG, "会场.jpg").photo_id
    clock(moment + timedelta(hours=23))
    again = start(client, bearer(), sha256=DIGEST).json
    assert again["photo_id"] == pending and again["reused"] and again["status"] == "pending"
    clock(moment + timedelta(days=1))
    fresh = start(client, bearer(), sha256=DIGEST).json
    assert fresh["photo_id"] != pending and fresh["upload"] and "reused" not in fresh


def test_a_claimed_hash_names_nothing_until_the_processor_has_hashed_the_bytes(client, auth):
    claimed = start(client, auth, sha256=DIGEST).json  # nobody verified this claim: a new photo
    assert claimed["upload"] and LegacyModel.count(f"sha256:{DIGEST}") == 0
    assert start(client, auth, sha256=DIGEST).json["photo_id"] != claimed["photo_id"]


def test_a_bad_hash_is_refused(client, auth):
    answer = start(client, auth, sha256="ABC")
    assert (answer.status_code, answer.json["code"], answer.json["field"]) == (400, "bad_sha256", "sha256")
    assert answer.json["message"] == "sha256: 64 lowercase hexadecimal digits"


def test_an_abandoned_upload_leaves_the_library_after_a_day(client, auth, clock):
    moment = now().replace(microsecond=0)  # a whole second: a day later is exactly a day later
    clock(moment)
    form = start(client, auth).json
    stored = PhotoModel.get(form["photo_id"])
    assert stored.expires == int((moment + timedelta(days=1)).timestamp())  # the table's TTL deletes it
    assert form["photo_id"] in library(client, auth)
    clock(moment + timedelta(hours=23))
    assert form["photo_id"] in library(client, bearer())
    clock(moment + timedelta(days=1))  # abandoned from this instant on, as an upload of its content finds it
    assert form["photo_id"] not in library(client, bearer())
    assert "photo1" in library(client, bearer())  # processed photos stay


def test_a_processed_photo_never_expires(client, auth):
    photo_id = upload_and_process(client, auth)
    assert PhotoModel.get(photo_id).expires is None


def test_an_unused_photo_is_deleted_with_its_files(client, auth):
    photo_id = upload_and_process(client, auth)
    assert keys(f"uploads/{photo_id}") and keys(f"renditions/{photo_id}/")
    assert call(client, "DELETE", f"/api/photos/{photo_id}", None, auth).status_code == 204
    assert PhotoModel.count(photo_id) == 0
    assert keys(f"uploads/{photo_id}") == [] and keys(f"renditions/{photo_id}/") == []
    assert LegacyModel.count(f"sha256:{DIGEST}") == 0  # the next upload of it is a new photo
    assert start(client, auth, sha256=DIGEST).json["photo_id"] != photo_id
    gone = call(client, "DELETE", f"/api/photos/{photo_id}", None, auth)
    assert (gone.status_code, gone.json["code"]) == (404, "photo_not_found")


def test_a_photo_an_article_shows_is_not_deleted_even_from_the_trash(client, auth, admin_auth):
    make_article("meeting", title="年度会员大会", body=[{"type": "photo", "photo_id": "photo1"}])
    make_article("cover", title="封面文章", publish=False, cover_photo_id="photo1")
    refused = call(client, "DELETE", "/api/photos/photo1", None, auth)
    assert (refused.status_code, refused.json["code"], refused.json["count"]) == (409, "photo_in_use", 2)
    assert refused.json["message"] == "the photo is shown by articles"
    assert refused.json["articles"] == [
        {"id": "cover", "title": "封面文章"},
        {"id": "meeting", "title": "年度会员大会"},
    ]
    call(client, "DELETE", "/api/articles/meeting", None, auth)  # to the trash: it can come back with its photo
    call(client, "PUT", "/api/articles/cover", {"title": "封面文章", "category": "industry", "version": 1}, auth)
    refused = call(client, "DELETE", "/api/photos/photo1", None, auth)
    assert refused.json["articles"] == [{"id": "meeting", "title": "年度会员大会"}]
    call(client, "DELETE", "/api/trash/meeting", None, admin_auth)
    assert call(client, "DELETE", "/api/photos/photo1", None, auth).status_code == 204  # nobody shows it now


def test_a_photo_a_video_shows_as_its_poster_is_not_deleted(client, auth):
    make_article("film", publish=False, title="大会视频", body=[{"type": "photo", "photo_id": "photo1"}])
    video = {"type": "video", "provider": "mp4", "video_id": "vid123", "poster_photo_id": "photo1"}
    saved = call(
        client,
        "PUT",
        "/api/articles/film",
        {"title": "大会视频", "category": "industry", "version": 1, "body": [video]},
        auth,
    )
    assert saved.status_code == 200, saved.json
    refused = call(client, "DELETE", "/api/photos/photo1", None, auth)
    assert refused.status_code == 409, "the poster's photo was deleted"
    assert (refused.json["code"], refused.json["articles"]) == ("photo_in_use", [{"id": "film", "title": "大会视频"}])
    assert PhotoModel.count("photo1") == 1


def test_a_photo_shown_only_as_a_videos_poster_is_not_deleted(client, auth):
    """An article that never showed the photo otherwise: saving it links the poster as it links a photo block."""
    video = {"type": "video", "provider": "mp4", "video_id": "vid123", "poster_photo_id": "photo1"}
    created = call(
        client, "POST", "/api/articles", {"title": "大会视频", "category": "industry", "body": [video]}, auth
    )
    assert created.status_code == 201, created.json
    refused = call(client, "DELETE", "/api/photos/photo1", None, auth)
    assert refused.status_code == 409, "the poster's photo was deleted"
    assert refused.json["articles"] == [{"id": created.json["id"], "title": "大会视频"}]
    assert PhotoModel.count("photo1") == 1


def test_the_status_of_many_photos_in_one_request(client, auth):
    make_photo("photo2", status="pending")
    reads: list[object] = []
    record = lambda params, **_: reads.extend(t.get("ConsistentRead") for t in params["RequestItems"].values())  # noqa: E731
    events = PhotoModel._get_connection().connection.client.meta.events
    events.register("before-parameter-build.dynamodb.BatchGetItem", record)
    try:
        with DynamoDBCalls() as calls:
            answer = call(client, "GET", "/api/photos/status?ids=photo1,photo2,gone,photo1", None, auth)
    finally:
        events.unregister("before-parameter-build.dynamodb.BatchGetItem", record)
    assert answer.status_code == 200
    assert {p["photo_id"]: p["status"] for p in answer.json["photos"]} == {"photo1": "ready", "photo2": "pending"}
    assert [c for c in calls.operations if c != "GetItem"] == ["BatchGetItem"]  # one look (and the token's)
    assert reads == [True]  # as last written: the app polls right after the processor marked a photo ready

    def code(query: str) -> str:
        return str(call(client, "GET", f"/api/photos/status{query}", None, auth).json["code"])

    assert code("") == "bad_ids" and code("?ids=") == "bad_ids"
    assert code("?ids=" + ",".join(f"p{n}" for n in range(101))) == "bad_ids"
    assert code("?ids=photo1,Not!") == "bad_id"


def test_a_links_qr_code_is_an_svg_data_uri_and_only_for_web_addresses(client, auth):
    import segno

    url = "https://www.example-xh.org.cn/preview/abc.def"
    answer = call(client, "POST", "/api/qr", {"url": url}, auth)
    assert answer.status_code == 200
    svg = answer.json["svg"]
    assert svg.startswith("data:image/svg+xml") and svg == segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    assert svg != call(client, "POST", "/api/qr", {"url": url + "x"}, auth).json["svg"]
    for bad, code in (
        ("javascript:alert(1)", "link_scheme"),
        (None, "link_scheme"),
        ("https://a.cn/" + "x" * 2100, "too_long"),
    ):
        refused = call(client, "POST", "/api/qr", {"url": bad}, auth)
        assert (refused.status_code, refused.json["code"], refused.json["field"]) == (400, code, "url")


def test_a_qr_code_is_a_full_qr_code_for_plain_http_and_addresses_up_to_2048_characters(client, auth):
    """Phone cameras read full QR codes, not the Micro QR a short address would fit: the smallest full code is
    21 modules, with its 2-module border at 4 px a module a 100 px square (a Micro QR's would be 84 px)."""
    from urllib.parse import unquote

    def size(svg: str) -> tuple[str, str]:
        found = re.search(r"<svg [^>]*width='(\d+)' height='(\d+)'", unquote(svg))
        assert found, svg[:200]
        return found.group(1), found.group(2)

    for url in ("http://a.cn", "https://a.cn"):
        answer = call(client, "POST", "/api/qr", {"url": url}, auth)
        assert answer.status_code == 200, answer.json
        assert size(answer.json["svg"]) == ("100", "100")
    longest = "https://a.cn/" + "x" * (2048 - len("https://a.cn/"))
    assert call(client, "POST", "/api/qr", {"url": longest}, auth).status_code == 200
    too_long = call(client, "POST", "/api/qr", {"url": longest + "x"}, auth)
    assert (too_long.status_code, too_long.json["code"], too_long.json["limit"]) == (400, "too_long", 2048)
    assert too_long.json["message"] == "url is longer than 2048 characters"
    refused = call(client, "POST", "/api/qr", {"url": "ftp://a.cn/notice.pdf"}, auth)
    assert (refused.status_code, refused.json["code"]) == (400, "link_scheme")
    assert refused.json["message"] == "url must be an http or https address"


def test_a_photo_the_site_shows_is_not_deleted(client, auth, admin_auth):
    """The site's logo, a 友情链接's logo and a 专题's banner are shown on every page or a topic's: refused."""
    logo, link_logo, banner = (upload_and_process(client, auth, camera_jpeg(700 + i, 500)) for i in range(3))
    assert call(client, "PUT", "/api/settings", {"logo_photo_id": logo}, admin_auth).status_code == 200
    link = {"group": "members", "name": "万科物业", "url": "https://www.vanke.com/", "logo_photo_id": link_logo}
    assert call(client, "PUT", "/api/links", {"links": [link]}, admin_auth).status_code == 200
    topic = {"title": "年会专题", "intro": "", "articles": [], "banner_photo_id": banner}
    assert call(client, "PUT", "/api/topics/congress", topic, auth).status_code == 200
    for photo_id, where in ((logo, ["logo"]), (link_logo, ["links"]), (banner, ["topic:congress"])):
        refused = call(client, "DELETE", f"/api/photos/{photo_id}", None, auth)
        assert (refused.status_code, refused.json["code"], refused.json["uses"]) == (409, "photo_in_site_use", where)
        assert refused.json["message"] == "the site shows the photo"
        assert PhotoModel.count(photo_id) == 1 and keys(f"renditions/{photo_id}/")
    call(client, "PUT", "/api/settings", {"logo_photo_id": None}, admin_auth)
    assert call(client, "DELETE", f"/api/photos/{logo}", None, auth).status_code == 204


def test_a_photo_an_article_comes_to_show_while_it_is_being_deleted_is_kept(client, auth):
    """Another editor's save joins the photo's `used_by` after the check, just before the delete: refused as if
    it had come first, naming the article."""
    events = PhotoModel._get_connection().connection.client.meta.events
    meanwhile: list[str] = []

    def another_save(**_):
        if not meanwhile:
            meanwhile.append(make_article("late", title="迟到的文章", body=[{"type": "photo", "photo_id": "photo1"}]))

    events.register("before-call.dynamodb.DeleteItem", another_save)
    try:
        refused = call(client, "DELETE", "/api/photos/photo1", None, auth)
    finally:
        events.unregister("before-call.dynamodb.DeleteItem", another_save)
    assert meanwhile == ["late"] and PhotoModel.get("photo1").used_by == {"late"}
    assert (refused.status_code, refused.json["code"]) == (409, "photo_in_use"), refused.json
    assert (refused.json["articles"], refused.json["count"]) == ([{"id": "late", "title": "迟到的文章"}], 1)
    assert PhotoModel.count("photo1") == 1


def test_deleting_a_photo_leaves_its_contents_hash_when_it_names_another_photo(client, auth):
    """A content hash names the newest photo of that content (an abandoned upload's content is uploaded again
    as a new photo): deleting the older photo leaves the next upload of the content to the newer one."""
    PhotoModel("photo1").update(actions=[PhotoModel.sha256.set(DIGEST)])
    make_photo("newer")
    PhotoModel("newer").update(actions=[PhotoModel.sha256.set(DIGEST)])
    LegacyModel(f"sha256:{DIGEST}", target="newer").save()
    assert call(client, "DELETE", "/api/photos/photo1", None, auth).status_code == 204
    assert PhotoModel.count("photo1") == 0 and LegacyModel.get(f"sha256:{DIGEST}").target == "newer"
    assert start(client, auth, sha256=DIGEST).json["photo_id"] == "newer"


def test_an_unused_photo_is_deleted_whatever_the_site_has_saved(client, auth, admin_auth):
    """Links saved and never settings or topics (the site's item holds links only), then settings too."""
    link = {"group": "members", "name": "万科物业", "url": "https://www.vanke.com/"}
    assert call(client, "PUT", "/api/links", {"links": [link]}, admin_auth).status_code == 200
    assert call(client, "DELETE", "/api/photos/photo1", None, auth).status_code == 204
    make_photo("photo2")
    assert call(client, "PUT", "/api/settings", {"icp": "沪ICP备1号"}, admin_auth).status_code == 200
    assert call(client, "DELETE", "/api/photos/photo2", None, auth).status_code == 204
    assert PhotoModel.count("photo1") + PhotoModel.count("photo2") == 0


def test_deleting_a_photo_reads_its_articles_and_topics_as_last_written(client, auth):
    """An article or a topic saved a moment ago must count: the reads that look for them are strongly consistent."""
    make_article("meeting", body=[{"type": "photo", "photo_id": "photo1"}])
    assert call(client, "PUT", "/api/topics/congress", {"title": "年会专题", "articles": []}, auth).status_code == 200
    with DynamoDBRequests() as requests:
        refused = call(client, "DELETE", "/api/photos/photo1", None, auth)
    assert (refused.status_code, refused.json["code"]) == (409, "photo_in_use")
    batches = [read for read in requests.reads() if read[0] == "BatchGetItem"]
    assert sorted(batches) == sorted(
        [("BatchGetItem", TopicModel.Meta.table_name, True), ("BatchGetItem", ArticleModel.Meta.table_name, True)]
    )
