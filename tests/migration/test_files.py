"""The old site's attachments (links to /uploads/soft/ in a body) come along as attachment blocks, read under the
web root and checked like the app's uploads: a PDF arrives with its Chinese name, an executable named .doc and a
missing file are left out and reported, the same file linked twice is one upload (issue 24 item 3)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import boto3

from chalicelib import legacy
from chalicelib.article_body import to_json
from chalicelib.config import get_settings
from chalicelib.media_keys import attachment_key
from chalicelib.models import ArticleModel, LegacyModel
from ops.dedecms.files import Files, file_name, soft_links
from ops.dedecms.images import Images, own_name
from ops.dedecms.importer import Options, Target, import_article
from ops.dedecms.report import Report
from ops.dedecms.source import Article
from tests.photo_files import camera_jpeg
from tests.site import make_categories

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"  # the binary comment line
BODY = (
    "<p>请各会员单位填写报名表。</p>"
    '<p>附件：<a href="/uploads/soft/2301/1-230101.pdf">报名表</a>　'
    '<a href="/uploads/soft/2301/1-230101.pdf">报名表（同一文件）</a>　'
    '<a href="/uploads/soft/2301/2-230101.doc">会议议程.doc</a>　'
    '<a href="/uploads/soft/2301/gone.xls">名单</a>　'
    '<a href="/uploads/allimg/230101/1.jpg">图片</a></p>'
)


def article(body: str) -> Article:
    return Article(
        aid=7, typeid=1, channel=1, arcrank=0, click=3, title="关于召开年会的通知", writer="",
        source="", litpic="", pubdate=1672531200, filename="", flag="", body=body, redirecturl="",
    )  # fmt: skip


def web_root(tmp_path: Path) -> Path:
    soft = tmp_path / "uploads" / "soft" / "2301"
    soft.mkdir(parents=True)
    (soft / "1-230101.pdf").write_bytes(PDF)
    (soft / "2-230101.doc").write_bytes(b"MZ\x90\x00" + b"\0" * 200)  # an executable, named .doc
    return tmp_path


def test_links_under_uploads_soft_are_the_attachments_each_once_named_by_their_text():
    assert [href for href, _ in soft_links(BODY)] == [
        "/uploads/soft/2301/1-230101.pdf",
        "/uploads/soft/2301/2-230101.doc",
        "/uploads/soft/2301/gone.xls",
    ]
    assert file_name("/uploads/soft/2301/1-230101.pdf", "报名表") == "报名表.pdf"
    assert file_name("/uploads/soft/2301/2-230101.doc", "会议议程.DOC") == "会议议程.DOC"
    assert file_name("/uploads/soft/2301/2-230101.doc", "") == "2-230101.doc"


def test_the_importer_brings_the_files_checked_and_reports_what_it_left_out(client, tmp_path):
    make_categories()
    report = Report()
    targets = {1: Target("industry", False, "/a/industry/")}
    images = Images(web_root(tmp_path))
    import_article(article(BODY), targets, images, Options(), report, Files(images))
    body = to_json(ArticleModel.get("dede-7").body)
    attachments = [block for block in body if block["type"] == "attachment"]
    assert [(a["filename"], a["size"]) for a in attachments] == [("报名表.pdf", len(PDF))]
    stored = boto3.client("s3").head_object(
        Bucket=get_settings().media_bucket, Key=attachment_key(attachments[0]["attachment_id"])
    )
    assert "filename*=UTF-8''%E6%8A%A5%E5%90%8D%E8%A1%A8.pdf" in stored["ContentDisposition"]
    key = attachment_key(attachments[0]["attachment_id"])
    assert boto3.client("s3").get_object(Bucket=get_settings().media_bucket, Key=key)["Body"].read() == PDF
    assert client.http.get(f"/files/{attachments[0]['attachment_id']}").status_code == 302
    left_out = [w for w in report.warnings if "attachment left out" in w]
    assert len(left_out) == 2
    assert "2-230101.doc" in left_out[0] and "executable" in left_out[0]
    assert "gone.xls" in left_out[1] and "missing file" in left_out[1]


def test_a_re_run_finds_the_files_it_brought_and_changes_nothing(tmp_path):
    """And the import's report counts them, as it counts photos: uploaded, or already there."""
    make_categories()
    targets = {1: Target("industry", False, "/a/industry/")}
    root = web_root(tmp_path)
    images = Images(root)
    files = Files(images)
    import_article(article(BODY), targets, images, Options(), Report(), files)
    assert (files.uploaded, files.reused) == (1, 0)
    first = to_json(ArticleModel.get("dede-7").body)
    again, files_again = Report(), Files(images)
    import_article(article(BODY), targets, images, Options(), again, files_again)
    assert (files_again.uploaded, files_again.reused) == (0, 1)
    assert to_json(ArticleModel.get("dede-7").body) == first and len(again.unchanged) == 1
    stored = boto3.client("s3").list_objects_v2(Bucket=get_settings().media_bucket, Prefix=attachment_key(""))
    assert stored["KeyCount"] == 1


def test_the_counts_of_files_uploaded_and_already_there_add_up_over_several_files(tmp_path):
    """Two files brought, then found again by a re-run; and a dry run counts the two it would upload."""
    make_categories()
    targets = {1: Target("industry", False, "/a/industry/")}
    root = web_root(tmp_path)
    (root / "uploads" / "soft" / "2301" / "3-230101.pdf").write_bytes(PDF + b"%second\n")
    body = (
        '<p><a href="/uploads/soft/2301/1-230101.pdf">报名表</a><a href="/uploads/soft/2301/3-230101.pdf">议程</a></p>'
    )
    dry_images = Images(root, dry_run=True)
    dry = Files(dry_images)
    import_article(article(body), targets, dry_images, Options(dry_run=True), Report(dry_run=True), dry)
    assert (dry.uploaded, dry.reused) == (2, 0)
    images = Images(root)
    files = Files(images)
    import_article(article(body), targets, images, Options(), Report(), files)
    assert (files.uploaded, files.reused) == (2, 0)
    again = Files(images)
    import_article(article(body), targets, images, Options(), Report(), again)
    assert (again.uploaded, again.reused) == (0, 2)


def test_a_file_an_earlier_run_brought_is_found_by_the_sha256_of_its_name_and_content(tmp_path):
    """The legacy table keeps `file-sha256:` + SHA-256 of the name, a NUL and the content: what earlier runs
    stored is found again by every later one, whichever version of the importer ran."""
    make_categories()
    legacy.remember_attachment(hashlib.sha256("报名表.pdf".encode() + b"\0" + PDF).hexdigest(), "earlier-upload")
    targets = {1: Target("industry", False, "/a/industry/")}
    images = Images(web_root(tmp_path))
    import_article(article(BODY), targets, images, Options(), Report(), Files(images))
    body = to_json(ArticleModel.get("dede-7").body)
    assert [b["attachment_id"] for b in body if b["type"] == "attachment"] == ["earlier-upload"]
    stored = boto3.client("s3").list_objects_v2(Bucket=get_settings().media_bucket, Prefix=attachment_key(""))
    assert stored["KeyCount"] == 0


def test_a_dry_run_uploads_nothing_and_counts_the_article_as_would_be_imported(tmp_path):
    make_categories()
    report = Report(dry_run=True)
    targets = {1: Target("industry", False, "/a/industry/")}
    root = web_root(tmp_path)
    images = Images(root, dry_run=True)
    import_article(article(BODY), targets, images, Options(dry_run=True), report, Files(images))
    assert report.created == ["article 7 关于召开年会的通知"] and not report.skipped
    assert ArticleModel.count() == 0
    stored = boto3.client("s3").list_objects_v2(Bucket=get_settings().media_bucket)
    assert stored["KeyCount"] == 0


def test_files_are_read_up_to_the_attachment_limit_not_the_photo_limit(tmp_path):
    """`Images` reads photos up to MAX_UPLOAD_BYTES (import-dedecms passes it); a file may be larger."""
    make_categories()
    report = Report()
    targets = {1: Target("industry", False, "/a/industry/")}
    images = Images(web_root(tmp_path), max_bytes=len(PDF) // 2)
    import_article(article(BODY), targets, images, Options(), report, Files(images))
    body = to_json(ArticleModel.get("dede-7").body)
    assert [(b["filename"], b["size"]) for b in body if b["type"] == "attachment"] == [("报名表.pdf", len(PDF))]
    assert not [w for w in report.warnings if "报名表" in w]


def test_each_file_left_out_is_reported_by_its_link_and_why(tmp_path):
    """The warning names the link (its first 100 characters) or the file's name, and the reason in words."""
    root = web_root(tmp_path)
    soft = root / "uploads" / "soft" / "2301"
    long_doc = "/uploads/soft/2301/" + "y" * 100 + ".doc"
    (root / long_doc.lstrip("/")).write_bytes(b"MZ\x90\x00" + b"\0" * 200)
    (soft / "empty.txt").write_bytes(b"")
    long_exe = "/uploads/soft/2301/" + "x" * 100 + ".exe"
    long_empty = "/uploads/soft/2301/" + "z" * 100 + ".txt"
    (root / long_empty.lstrip("/")).write_bytes(b"")
    links = [
        ("/uploads/soft/2301/setup.exe", "安装程序"),
        (long_exe, ""),
        ("/uploads/soft/2301/2-230101.doc", "会议议程.doc"),
        (long_doc, ""),
        ("/uploads/soft/2301/empty.txt", "名单"),
        (long_empty, ""),
    ]
    make_categories()
    report = Report()
    body = "<p>附件：" + "".join(f'<a href="{href}">{text}</a>' for href, text in links) + "</p>"  # "": own name
    images = Images(root)
    import_article(
        article(body), {1: Target("industry", False, "/a/industry/")}, images, Options(), report, Files(images)
    )
    label = "article 7 关于召开年会的通知: attachment left out:"
    assert [w for w in report.warnings if "attachment left out" in w] == [
        f"{label} /uploads/soft/2301/setup.exe: not an accepted kind of file",
        f"{label} {long_exe[:100]}: not an accepted kind of file",
        f"{label} /uploads/soft/2301/2-230101.doc: executable files are not accepted",
        f"{label} {long_doc[:100]}: executable files are not accepted",
        f"{label} /uploads/soft/2301/empty.txt: the file is empty",
        f"{label} {long_empty[:100]}: the file is empty",
    ]


def test_an_upload_the_bucket_refuses_is_reported_with_its_status(tmp_path, configure):
    make_categories()
    configure(MEDIA_BUCKET="no-such-bucket")
    report = Report()
    targets = {1: Target("industry", False, "/a/industry/")}
    images = Images(web_root(tmp_path))
    files = Files(images)
    import_article(article(BODY), targets, images, Options(), report, files)
    assert (
        "article 7 关于召开年会的通知: attachment left out: 报名表.pdf: the upload was refused (404)" in report.warnings
    )
    assert (files.uploaded, files.reused) == (0, 0)  # reported as left out, not counted as uploaded
    assert [b["type"] for b in to_json(ArticleModel.get("dede-7").body)] == ["paragraph", "paragraph"]


def test_a_download_brings_its_files_named_by_its_title(tmp_path):
    """DedeCMS's soft model: the text in addonsoft.introduce, the files in addonsoft.softlinks."""
    make_categories()
    links = (
        "{dede:link islocal='1' text='本地下载'} /uploads/soft/2301/1-230101.pdf {/dede:link}\r\n"
        "{dede:link islocal='1' text='备用下载'} /uploads/soft/2301/1-230101.pdf {/dede:link}\r\n"
    )
    download = replace(article("<p>年会报名表，请下载填写。</p>"), channel=3, title="2023年会报名表", softlinks=links)
    report = Report()
    images = Images(web_root(tmp_path))
    import_article(download, {1: Target("industry", False, "/a/industry/")}, images, Options(), report, Files(images))
    body = to_json(ArticleModel.get("dede-7").body)
    assert [b["type"] for b in body] == ["paragraph", "attachment"]
    assert body[1]["filename"] == "2023年会报名表.pdf" and not report.skipped


def test_the_file_is_looked_up_strongly_consistent(tmp_path):
    """A file the run brought moments ago (another article linking it) must be found, not uploaded again:
    DynamoDB's default read may miss that write (moto's reads are always current, so the test reads the request)."""
    make_categories()
    reads: list[object] = []

    def record(params, **_):
        if params["Key"].get("key", {}).get("S", "").startswith("file-sha256:"):  # the legacy table's files
            reads.append(params.get("ConsistentRead"))

    events = LegacyModel._get_connection().connection.client.meta.events
    events.register("before-parameter-build.dynamodb.GetItem", record)
    try:
        images = Images(web_root(tmp_path))
        import_article(
            article(BODY), {1: Target("industry", False, "/a/industry/")}, images, Options(), Report(), Files(images)
        )
    finally:
        events.unregister("before-parameter-build.dynamodb.GetItem", record)
    assert reads and all(read is True for read in reads), reads


def test_a_file_s_own_name_leaves_out_control_characters():
    """A remote file's name comes from its URL, where `%00` or `%0A` is allowed; no name the API takes holds one."""
    assert file_name("http://old.example.org/uploads/soft/2301/%E6%8A%A5%00%0A%E5%90%8D.pdf", "") == "报名.pdf"
    assert own_name("/uploads/allimg/1%7F%09.jpg") == "1.jpg"


def test_links_with_a_nul_in_their_path_are_reported_and_the_rest_imported(tmp_path):
    """`%00` in an old link (a photo's or a file's) names no file: it is left out with a reason, and the run goes on
    (the file system's refusal was a traceback that stopped the import)."""
    make_categories()
    report = Report()
    body = (
        '<p>附件：<a href="/uploads/soft/2301/1-230101.pdf%00.pdf"></a></p>'
        '<p><img src="/uploads/allimg/230101/1-230101.jpg%00.jpg"></p>'
    )
    targets = {1: Target("industry", False, "/a/industry/")}
    images = Images(web_root(tmp_path))
    import_article(article(body), targets, images, Options(), report, Files(images))
    label = "article 7 关于召开年会的通知"
    assert report.warnings == [
        f"{label}: photo left out: /uploads/allimg/230101/1-230101.jpg%00.jpg: not a file name",
        f"{label}: attachment left out: /uploads/soft/2301/1-230101.pdf%00.pdf: not a file name",
    ]
    assert report.created == [label]


def test_an_article_skipped_for_its_fields_uploads_nothing(tmp_path):
    """A title the API refuses (DedeCMS allows a NUL in one) skips the article before its photos and files are
    uploaded: nothing is left in the bucket that no article uses."""
    make_categories()
    links = "{dede:link islocal='1' text='本地下载'} /uploads/soft/2301/1-230101.pdf {/dede:link}\r\n"
    root = web_root(tmp_path)
    (root / "uploads" / "allimg").mkdir(parents=True)
    (root / "uploads" / "allimg" / "1.jpg").write_bytes(camera_jpeg(640, 480))
    body = BODY + '<p><img src="/uploads/allimg/1.jpg" alt="会场"></p>'
    download = replace(article(body), channel=3, title="年会\x00报名表", softlinks=links)
    report = Report()
    images = Images(root)
    import_article(download, {1: Target("industry", False, "/a/industry/")}, images, Options(), report, Files(images))
    assert report.skipped == [("article 7 年会\x00报名表", "title contains a NUL character")]
    assert report.warnings == []
    listed = boto3.client("s3").list_objects_v2(Bucket=get_settings().media_bucket)
    assert listed.get("KeyCount") == 0, listed.get("Contents")
