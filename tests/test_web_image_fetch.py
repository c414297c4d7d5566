"""`POST /api/photos/fetch` for an image pasted from any web page (issue 29): any public host, nothing else.

Seen from the attacker's side: a name resolving to loopback, the metadata address or ::1, a redirect to one of
them, a body larger than an upload may be, a decompression bomb and a page posing as an image are all refused
with a stable code before anything is stored. The fixture server is on loopback, which the local stage may be
told about (FETCH_LOOPBACK_HOSTS); any other name or address for it is as private as it is.
"""

from __future__ import annotations

import io
import struct
import time
import zlib
from collections.abc import Iterator

import pytest
from PIL import Image

from chalicelib.config import get_settings
from chalicelib.fetching import FetchRefused
from chalicelib.models import PhotoModel
from chalicelib.photo_intake import image_fetcher, image_name, web_image_fetcher
from tests.api_helpers import call
from tests.fixture_server import FixtureServer, loopback_allowed, serving
from tests.photo_files import camera_jpeg

PHOTO = camera_jpeg(800, 600)
PUBLIC = "202.108.22.5"  # a public address (TEST-NET ranges are not global, so refused): the resolver answers it


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width`×`height` pixels (a decompression bomb's shape)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


def fetch(client, auth, url):
    return call(client, "POST", "/api/photos/fetch", {"url": url}, auth)


def new_photos() -> list[str]:
    return sorted(p.photo_id for p in PhotoModel.scan() if p.photo_id != "photo1")


@pytest.fixture
def site() -> Iterator[FixtureServer]:
    """A member's web site on loopback (allowed as the local stage's fixture) with its photos and traps."""
    with serving() as server, loopback_allowed(server.pair):
        server.routes.update(
            {
                "/uploads/2024/04/huiyi.jpg": (200, {"Content-Type": "image/jpeg"}, PHOTO),
                "/img?id=7": (200, {"Content-Type": "text/html"}, PHOTO),  # the type is judged by content
                "/page.jpg": (200, {"Content-Type": "image/jpeg"}, b"<!doctype html><p>not found</p>"),
                "/bomb.png": (200, {"Content-Type": "image/png"}, bomb_png(20000, 20000)),
                "/to-localhost": (302, {"Location": f"http://localhost:{server.port}/secret"}, b""),
                "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
                "/to-v6-loopback": (301, {"Location": f"http://[::1]:{server.port}/secret"}, b""),
                "/declared-huge": (200, {"Content-Type": "image/jpeg", "Content-Length": str(10**10)}, PHOTO),
                "/secret": (200, {"Content-Type": "image/jpeg"}, PHOTO),
            }
        )
        yield server


def test_an_image_from_a_site_that_is_not_wechat_becomes_a_photo(client, auth, site):
    answer = fetch(client, auth, f"{site.origin}/uploads/2024/04/huiyi.jpg")
    sniffed = fetch(client, auth, f"{site.origin}/img?id=7")
    assert answer.status_code == 201, answer.json
    assert answer.json["filename"] == "huiyi.jpg" and answer.json["status"] == "pending"
    assert sniffed.status_code == 201 and sniffed.json["photo_id"] == answer.json["photo_id"]  # same content
    assert new_photos() == [answer.json["photo_id"]]


def test_an_image_the_site_does_not_give_is_refused_with_the_site_s_status(client, auth, site):
    """The editor is told what the other site answered (a moved or deleted image), and nothing is stored."""
    answer = fetch(client, auth, f"{site.origin}/uploads/2024/04/gone.jpg")
    assert answer.status_code == 400
    assert answer.json == {
        "message": f"{site.origin}/uploads/2024/04/gone.jpg: HTTP 404",
        "code": "fetch_status",
        "field": "url",
        "status": 404,
    }
    assert new_photos() == []


def test_an_image_at_an_address_without_an_extension_is_named_after_its_type(client, auth, site):
    answer = fetch(client, auth, f"{site.origin}/img?id=7")  # served as text/html: the bytes are a JPEG
    assert answer.status_code == 201, answer.json
    assert answer.json["filename"] == "img.jpg"


def test_a_remote_image_is_named_after_its_address_last_part_and_its_type():
    assert image_name("https://example.com/pics/TAX/", "image/png") == "TAX.png"  # a trailing slash: the folder
    assert image_name("https://example.com/?wx_fmt=jpeg", None) == "photo.jpeg"  # no name in the path
    assert image_name("https://example.com/pics/a", "image/gif") == "a"  # a type without an extension: none
    assert image_name("https://example.com/pics/a?wx_fmt=x%2Fy", None) == "a"  # not a word: no extension


class SlowServerClock:
    """The monotonic clock as chalicelib.fetching reads it: after its first reading (the fetch's start), every
    reading is `seconds` later, as when a server takes that long to send the image."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = False

    def monotonic(self) -> float:
        real = time.monotonic()
        if not self.started:
            self.started = True
            return real
        return real + self.seconds


def test_a_pasted_image_taking_longer_than_fifteen_seconds_is_given_up(client, auth, site, monkeypatch):
    """The editor waits for the answer: 15 s for one pasted image, not the 20 s of a background fetch."""
    from chalicelib import fetching

    monkeypatch.setattr(fetching, "time", SlowServerClock(16))
    answer = fetch(client, auth, f"{site.origin}/uploads/2024/04/huiyi.jpg")
    assert (answer.status_code, answer.json["code"], answer.json["field"]) == (400, "fetch_timeout", "url")
    assert answer.json["message"].endswith("took longer than 15 s") and new_photos() == []


def test_any_public_host_is_reached_over_http_or_https_at_its_checked_address():
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return {"www.gov.cn": [PUBLIC], "img.member.org.cn": [PUBLIC, "10.0.0.8"]}.get(host, [])

    fetcher = web_image_fetcher(resolver=resolve)
    assert fetcher.check("https://www.gov.cn/images/a.jpg") == ("https", "www.gov.cn", 443, PUBLIC)
    assert fetcher.check("http://www.gov.cn:8080/a.jpg") == ("http", "www.gov.cn", 8080, PUBLIC)
    with pytest.raises(FetchRefused) as mixed:  # one private address among public ones is enough to refuse
        fetcher.check("https://img.member.org.cn/a.jpg")
    assert mixed.value.code == "fetch_address"
    for url, code in [
        ("ftp://www.gov.cn/a.jpg", "fetch_url"),
        ("https://user:pw@www.gov.cn/a.jpg", "fetch_url"),
        ("file:///etc/passwd", "fetch_url"),
        ("http://www.gov.cn:25/a.jpg", "fetch_port"),  # a mail server on a public host: not a web port
    ]:
        with pytest.raises(FetchRefused) as refused:
            fetcher.check(url)
        assert refused.value.code == code, url
    with pytest.raises(FetchRefused) as wechat_only:  # a WeChat article's images still come from WeChat only
        image_fetcher().check("https://www.gov.cn/images/a.jpg")
    assert wechat_only.value.code == "fetch_host"
    assert asked == ["www.gov.cn", "www.gov.cn", "img.member.org.cn", "www.gov.cn"]


@pytest.mark.parametrize(
    "address",
    [
        "http://localhost:{port}/secret",  # a name resolving to 127.0.0.1 (and ::1)
        "http://[::1]:{port}/secret",
        "http://127.1:{port}/secret",
        "http://2130706433:{port}/secret",  # 127.0.0.1 as one number
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://10.0.0.7/a.jpg",
        "http://0.0.0.0:{port}/secret",
    ],
)
def test_private_and_local_addresses_are_refused_before_any_connection(client, auth, site, address):
    answer = fetch(client, auth, address.format(port=site.port))
    assert answer.status_code == 400 and answer.json["field"] == "url"
    assert answer.json["code"] == "fetch_address", answer.json
    assert site.seen == [] and new_photos() == []


def test_a_public_host_on_a_port_that_is_not_a_web_port_is_refused_naming_the_field(client, auth, site):
    answer = fetch(client, auth, "http://93.184.216.34:6379/a.jpg")  # a public address's Redis port
    assert (answer.status_code, answer.json["code"], answer.json["field"]) == (400, "fetch_port", "url")
    assert "6379" in answer.json["message"] and new_photos() == []


@pytest.mark.parametrize("path", ["/to-localhost", "/to-metadata", "/to-v6-loopback"])
def test_a_redirect_to_a_private_address_is_refused_and_not_followed(client, auth, site, path):
    answer = fetch(client, auth, f"{site.origin}{path}")
    assert (answer.status_code, answer.json["code"], answer.json["field"]) == (400, "fetch_address", "url")
    assert [seen for seen, _ in site.seen] == [path]  # /secret was never asked for
    assert new_photos() == []


def test_huge_bodies_bombs_and_pages_posing_as_images_are_refused(client, auth, site, monkeypatch):
    declared = fetch(client, auth, f"{site.origin}/declared-huge")
    bomb = fetch(client, auth, f"{site.origin}/bomb.png")
    page = fetch(client, auth, f"{site.origin}/page.jpg")
    monkeypatch.setenv("MAX_UPLOAD_BYTES", str(len(PHOTO) - 1))
    get_settings.cache_clear()
    try:
        with loopback_allowed(site.pair):
            streamed = fetch(client, auth, f"{site.origin}/uploads/2024/04/huiyi.jpg")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert (declared.status_code, declared.json["code"]) == (400, "fetch_size")
    assert (streamed.status_code, streamed.json["code"]) == (400, "fetch_size")
    assert (bomb.status_code, bomb.json["code"], bomb.json["limit"]) == (400, "too_many_pixels", 50_000_000)
    assert (bomb.json["field"], bomb.json["message"]) == ("url", "image has too many pixels (the limit is 50,000,000)")
    assert (page.status_code, page.json["code"]) == (400, "photo_format")
    assert new_photos() == []
