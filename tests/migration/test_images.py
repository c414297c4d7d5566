"""The old site's images: remote ones only when allowed, paths kept inside the web root, one photo per content."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from chalicelib import legacy
from chalicelib.file_types import size_label
from chalicelib.models import PhotoModel
from ops.dedecms.images import ImageProblem, Images
from tests.fixture_server import loopback_allowed, serving
from tests.migration.sites import jpeg


@pytest.fixture
def other_site(tmp_path: Path) -> Iterator[str]:
    """Another web server holding /pic.jpg (a newspaper's site an article took a photo from)."""
    (tmp_path / "pic.jpg").write_bytes(jpeg(320, 240, (1, 2, 3)))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_an_image_on_another_site_is_fetched_only_when_allowed(other_site, tmp_path):
    with pytest.raises(ImageProblem, match="on another site"):
        Images(tmp_path).photo_for(f"{other_site}/pic.jpg")
    assert list(PhotoModel.scan()) == []
    with pytest.raises(ImageProblem, match="private or local address"):  # loopback: never, unless listed
        Images(tmp_path, allow_remote=True).photo_for(f"{other_site}/pic.jpg")
    assert list(PhotoModel.scan()) == []
    with loopback_allowed(other_site.removeprefix("http://")):
        images = Images(tmp_path, allow_remote=True)
        photo_id = images.photo_for(f"{other_site}/pic.jpg")
        assert images.uploaded == 1 and PhotoModel.get(photo_id).status == "pending"  # the processor's turn
        with pytest.raises(ImageProblem, match="HTTP 404"):
            Images(tmp_path, allow_remote=True).photo_for(f"{other_site}/gone.jpg")


def test_a_remote_image_that_fails_is_named_with_the_one_reason(other_site, tmp_path):
    """The import report's line: the image's address, then why (not the address a second time)."""
    images = Images(tmp_path, allow_remote=True)
    with loopback_allowed(other_site.removeprefix("http://")):
        with pytest.raises(ImageProblem) as gone:
            images.photo_for(f"{other_site}/gone.jpg")
        assert str(gone.value) == f"{other_site}/gone.jpg: HTTP 404"
        with pytest.raises(ImageProblem) as odd:  # an old site's file name with ": " and a space in it
            images.photo_for(f"{other_site}/photos/note: a.jpg")
        assert str(odd.value) == f"{other_site}/photos/note: a.jpg: InvalidURL"


def test_remote_images_never_come_from_internal_addresses_or_through_redirects_to_them(tmp_path):
    """`import-page --remote-images` once made a photo of an image on a local "internal" server."""
    (tmp_path / "pic.jpg").write_bytes(jpeg(32, 24, (1, 2, 3)))
    with serving({"/pic.jpg": (200, {}, (tmp_path / "pic.jpg").read_bytes())}) as internal, serving() as outside:
        outside.routes["/moved.jpg"] = (302, {"Location": f"{internal.origin}/pic.jpg"}, b"")
        outside.routes["/meta.jpg"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
        with loopback_allowed(outside.pair):
            for path in ("/moved.jpg", "/meta.jpg"):
                with pytest.raises(ImageProblem, match="private or local address"):
                    Images(tmp_path, allow_remote=True).photo_for(f"{outside.origin}{path}")
            for url in ("http://10.0.0.1/a.jpg", "http://169.254.169.254/a.jpg", "http://[::1]/a.jpg"):
                with pytest.raises(ImageProblem, match="private or local address"):
                    Images(tmp_path, allow_remote=True).photo_for(url)
    assert internal.seen == [] and list(PhotoModel.scan()) == []


def test_a_remote_image_on_a_port_that_is_not_a_web_port_is_reported_without_a_connection(tmp_path):
    """An old article's image at a public host's database port: the report names the web ports."""
    with pytest.raises(ImageProblem) as refused:
        Images(tmp_path, allow_remote=True).photo_for("http://93.184.216.34:6379/pic.jpg")
    assert (
        str(refused.value)
        == "http://93.184.216.34:6379/pic.jpg: port 6379: only the web ports (80, 443, 8080, 8443) are fetched"
    )
    assert list(PhotoModel.scan()) == []


def test_the_old_sites_own_host_is_read_from_the_web_root(tmp_path):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "a.jpg").write_bytes(jpeg(64, 48, (9, 9, 9)))
    images = Images(tmp_path, site_hosts=("www.example.org",))
    first = images.photo_for("http://www.example.org/uploads/a.jpg")
    again = images.photo_for("/uploads/a.jpg")
    assert again == first and (images.uploaded, images.reused) == (1, 1)
    later = Images(tmp_path)  # a later run: by its hash
    assert later.photo_for("/uploads/a.jpg") == first and (later.uploaded, later.reused) == (0, 1)
    assert len(list(PhotoModel.scan())) == 1 and legacy.photo_with_content("0" * 64) is None


def test_paths_cannot_leave_the_web_root_and_odd_files_are_refused(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    (tmp_path / "secret.jpg").write_bytes(jpeg(8, 8, (0, 0, 0)))
    (root / "anim.gif").write_bytes(b"GIF89a" + b"\x00" * 20)
    images = Images(root)
    with pytest.raises(ImageProblem, match="outside the web root"):
        images.photo_for("/../secret.jpg")
    with pytest.raises(ImageProblem, match="not a JPEG, PNG or WebP"):
        images.photo_for("/anim.gif")
    with pytest.raises(ImageProblem, match="not a file or web address"):
        images.photo_for("data:image/png;base64,iVBORw0KGgo=")


def test_a_photo_s_long_file_name_is_cut_to_what_the_library_keeps(tmp_path):
    """A remote photo is named after its address's last part, which may be longer than the 255 characters the
    photo library keeps."""
    name = "会" * 300 + ".jpg"
    with serving() as server, loopback_allowed(server.pair):
        server.routes[f"/uploads/{quote(name)}"] = (200, {"Content-Type": "image/jpeg"}, jpeg(64, 48, (9, 9, 9)))
        photo_id = Images(tmp_path, allow_remote=True).photo_for(f"{server.origin}/uploads/{quote(name)}")
    assert PhotoModel.get(photo_id).filename == "会" * 255


def test_a_photo_upload_the_bucket_refuses_is_reported_with_its_status(tmp_path, configure):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "a.jpg").write_bytes(jpeg(64, 48, (9, 9, 9)))
    configure(MEDIA_BUCKET="no-such-bucket")
    with pytest.raises(ImageProblem) as refused:
        Images(tmp_path).photo_for("/uploads/a.jpg")
    assert str(refused.value) == "a.jpg: the upload was refused (404)"


def test_the_old_sites_own_host_over_https_is_read_from_the_web_root_and_another_over_https_is_remote(tmp_path):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "a.jpg").write_bytes(jpeg(64, 48, (9, 9, 9)))
    images = Images(tmp_path, site_hosts=("www.example.org",))
    assert images.read("https://WWW.example.org/uploads/a.jpg") == (jpeg(64, 48, (9, 9, 9)), "a.jpg")
    with pytest.raises(ImageProblem) as remote:
        images.read("https://news.example.cn/uploads/a.jpg")
    assert str(remote.value) == "https://news.example.cn/uploads/a.jpg: on another site (allow with --remote-images)"


def test_a_remote_image_without_a_file_name_is_named_photo(tmp_path):
    answers = {"/?id=7": (200, {"Content-Type": "image/jpeg"}, jpeg(64, 48, (9, 9, 9)))}
    with serving(answers) as server, loopback_allowed(server.pair):
        _, name = Images(tmp_path, allow_remote=True).read(f"{server.origin}/?id=7")
    assert name == "photo"


def test_a_site_path_is_read_from_the_web_root_even_beside_a_saved_page_and_a_relative_one_beside_it(tmp_path):
    root, page = tmp_path / "www", tmp_path / "www" / "a" / "news"
    (root / "Xinwen").mkdir(parents=True)  # a folder whose name starts with the character a mutant would strip
    page.mkdir(parents=True)
    (root / "Xinwen" / "a.jpg").write_bytes(b"site")
    (page / "b.jpg").write_bytes(b"page")
    images = Images(root)
    assert images.read("/Xinwen/a.jpg", base=page) == (b"site", "a.jpg")
    assert images.read("b.jpg", base=page) == (b"page", "b.jpg")


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"x" * 100)
    assert Images(tmp_path).read("/a.jpg", max_bytes=100)[0] == b"x" * 100
    with pytest.raises(ImageProblem) as refused:
        Images(tmp_path).read("/a.jpg", max_bytes=99)
    assert str(refused.value) == f"/a.jpg: larger than {size_label(99)}"


def test_refusals_name_the_address_and_cut_a_long_one_at_80_characters(tmp_path):
    long = "ftp://files.example.cn/" + "x" * 200 + ".jpg"
    with pytest.raises(ImageProblem) as odd:
        Images(tmp_path).read(long)
    assert str(odd.value) == f"{long[:80]}: not a file or web address"
    with pytest.raises(ImageProblem) as nul:
        Images(tmp_path).read("/uploads/" + "y" * 100 + "%00.jpg")
    assert str(nul.value) == f"{('/uploads/' + 'y' * 100)[:80]}: not a file name"
    with pytest.raises(ImageProblem) as rootless:
        Images(None).read("/uploads/a.jpg")
    assert str(rootless.value) == "/uploads/a.jpg: a site path, and no web root was given (--web-root)"
