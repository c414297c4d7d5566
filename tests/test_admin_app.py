"""The editors' app as the server hands it out: the shell, its files, its Content-Security-Policy."""

from __future__ import annotations

import re

import pytest

from chalicelib import admin_app
from chalicelib.config import get_settings, get_site


def test_the_shell_is_html_with_its_settings_and_no_inline_code(client):
    response = client.http.get("/admin")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    body = response.body.decode()
    assert '<html lang="zh-CN">' in body and "编辑后台" in body
    assets = f"/admin/assets/{admin_app.assets_version()}"
    assert f'<script type="module" src="{assets}/app.js"></script>' in body
    assert f'<link rel="stylesheet" href="{assets}/admin.css">' in body
    assert 'data-api-base="/api"' in body and 'data-base-path=""' in body
    assert 'data-timezone="Asia/Shanghai"' in body
    assert re.search(r'data-media-origin="http://127\.0\.0\.1:\d+"', body)
    assert (
        "<style" not in body
        and " style=" not in body
        and re.findall(r"<script[^>]*>", body) == [f'<script type="module" src="{assets}/app.js">']
    )
    assert "正在建设中" not in body


def test_admin_pages_get_their_own_csp(client):
    csp = client.http.get("/admin").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    media = admin_app.origin(get_settings().media_base_url)
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["img-src"].split() == ["'self'", "blob:", "data:", media]
    assert directives["connect-src"].split() == ["'self'", *admin_app.upload_origins()]
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe" not in csp
    # the reader's pages keep theirs: their one script is ours, and no connections anywhere
    reader_csp = client.http.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self';" in reader_csp and "connect-src" not in reader_csp


def test_uploads_are_posted_to_the_aws_bucket_without_an_endpoint(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    bucket, region = get_settings().media_bucket, get_settings().region
    assert f"https://{bucket}.s3.{region}.amazonaws.com" in admin_app.upload_origins()


def test_uploads_are_posted_to_the_local_endpoint_when_there_is_one(client, monkeypatch):
    """Locally AWS_ENDPOINT_URL names the stack's moto server: the browser posts uploads there, and nowhere else."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/")
    response = client.http.get("/admin/assets/app.js")  # a file from disk: no call to AWS
    assert response.status_code == 200
    directives = dict(d.strip().split(" ", 1) for d in response.headers["Content-Security-Policy"].split(";"))
    assert directives["connect-src"].split() == ["'self'", "http://127.0.0.1:4566"]


def test_the_shell_loads_every_module_of_one_deploy_under_its_content_version(client, monkeypatch, tmp_path):
    """A module imports its neighbours by relative URLs: all of one page's modules share the shell's version."""
    version = admin_app.assets_version()
    assert re.fullmatch(r"[0-9a-f]{16}", version)
    for name in ("app.js", "api.js", "admin.css"):
        response = client.http.get(f"/admin/assets/{version}/{name}")
        assert response.status_code == 200 and response.body == (admin_app.ASSETS_DIR / name).read_bytes()
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for path in (f"/admin/assets/{'0' * 16}/app.js", f"/admin/assets/{version}/nope.js"):
        assert client.http.get(path).status_code == 404, path  # an old page after a deploy: never a newer file
    for module in sorted(n for n in admin_app.ASSETS if n.endswith(".js")):
        source = (admin_app.ASSETS_DIR / module).read_text(encoding="utf-8")
        imports = re.findall(r'^(?:import|export)\b[^;\n]*?"([^"]+)";$|\bimport\(\s*"([^"]+)"', source, re.M)
        assert all(a.startswith("./") or b.startswith("./") for a, b in imports), module


def test_a_change_to_any_asset_is_a_new_version(monkeypatch, tmp_path):
    for name in admin_app.ASSETS:
        (tmp_path / name).write_bytes((admin_app.ASSETS_DIR / name).read_bytes())
    monkeypatch.setattr(admin_app, "ASSETS_DIR", tmp_path)
    admin_app.assets_version.cache_clear()
    try:
        before = admin_app.assets_version()
        (tmp_path / "dom.js").write_bytes((tmp_path / "dom.js").read_bytes() + b"\n")
        admin_app.assets_version.cache_clear()
        assert admin_app.assets_version() != before
    finally:
        admin_app.assets_version.cache_clear()


@pytest.mark.parametrize("name", sorted(admin_app.ASSETS))
def test_every_asset_is_served_as_written_with_its_type(client, name):
    response = client.http.get(f"/admin/assets/{name}")
    assert response.status_code == 200
    assert response.body == (admin_app.ASSETS_DIR / name).read_bytes()
    expected = "text/css" if name.endswith(".css") else "text/javascript"
    assert response.headers["Content-Type"] == f"{expected}; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_allow_list_is_exactly_the_app_folder():
    assert sorted(p.name for p in admin_app.ASSETS_DIR.iterdir()) == sorted(admin_app.ASSETS)


@pytest.mark.parametrize("name", ["nope.js", "..%2Fapi.py", "%2E%2E%2Fconfig.py", "APP.JS", "app.js.map", "admin.html"])
def test_anything_else_is_a_404_page(client, name):
    response = client.http.get(f"/admin/assets/{name}")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html") and "页面未找到" in response.body.decode()


def test_every_module_the_app_imports_is_served():
    for name in admin_app.ASSETS:
        if name.endswith(".js"):
            source = (admin_app.ASSETS_DIR / name).read_text(encoding="utf-8")
            for imported in re.findall(r'from "\./([\w.]+)"', source):
                assert imported in admin_app.ASSETS, f"{name} imports {imported}, which is not served"


LABEL_MODULES = (
    "i18n.js",
    "intake_labels.js",
    "housekeeping_labels.js",
    "settings.js",
    "links.js",
    "flags.js",
    "topics.js",
)  # i18n.js and the features' own label modules (addLabels)


def test_no_label_module_redefines_anothers_label():
    """addLabels merges into one table: a key defined twice would silently change the other feature's words."""
    owner: dict[str, str] = {}
    for module in LABEL_MODULES:
        zh = (admin_app.ASSETS_DIR / module).read_text(encoding="utf-8").split("\n  en: {\n")[0]
        for key in re.findall(r"^    (\w+): ", zh, re.M):
            assert owner.setdefault(key, module) == module, f"{key}: in {owner[key]} and {module}"


def test_every_label_the_app_uses_exists_in_both_languages():
    keys: dict[str, set[str]] = {"zh-CN": set(), "en": set()}
    for module in LABEL_MODULES:
        zh, en = (admin_app.ASSETS_DIR / module).read_text(encoding="utf-8").split("\n  en: {\n")
        module_keys = {lang: set(re.findall(r"^    (\w+): ", text, re.M)) for lang, text in (("zh-CN", zh), ("en", en))}
        assert module_keys["zh-CN"] == module_keys["en"], module
        for lang in keys:
            keys[lang] |= module_keys[lang]
    used = set()
    for name in admin_app.ASSETS:
        if name.endswith(".js"):
            used |= set(re.findall(r'\bt\("(\w+)"', (admin_app.ASSETS_DIR / name).read_text(encoding="utf-8")))
    assert used - keys["zh-CN"] == set()


def test_the_labels_the_issue_names(client):
    """Tests and assistive technology rely on these exact zh-CN labels."""
    i18n = (admin_app.ASSETS_DIR / "i18n.js").read_text(encoding="utf-8").split("\n  en: {\n")[0]
    labels = dict(re.findall(r'^    (\w+): "([^"]*)"', i18n, re.M))
    wanted = {
        "username": "用户名",
        "password": "密码",
        "login": "登录",
        "logout": "退出",
        "new_article": "新建文章",
        "title": "标题",
        "subtitle": "副标题",
        "category": "栏目",
        "source": "来源",
        "author": "作者",
        "add_paragraph": "添加段落",
        "paragraph": "段落",
        "add_heading": "添加小标题",
        "add_photos": "添加图片",
        "caption": "图片说明",
        "alt": "替代文字",
        "save": "保存",
        "preview": "预览",
        "publish": "发布",
        "schedule": "定时发布",
        "unpublish": "撤回",
    }
    assert {k: labels.get(k) for k in wanted} == wanted


def test_the_shell_under_a_base_path_and_in_english(client, monkeypatch):
    monkeypatch.setenv("SITE_BASE_PATH", "/api")
    monkeypatch.setenv("SITE_LANGUAGE", "en")
    get_settings.cache_clear()
    get_site.cache_clear()
    try:
        body = admin_app.shell_page()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        get_site.cache_clear()
    assert '<html lang="en">' in body and "Editors&#39; desk" in body
    assets = f"/api/admin/assets/{admin_app.assets_version()}"
    assert f'src="{assets}/app.js"' in body and f'href="{assets}/admin.css"' in body
    assert 'data-api-base="/api/api"' in body and 'data-base-path="/api"' in body and 'data-home-url="/api/"' in body


def test_a_china_sites_uploads_go_to_the_bucket_on_chinas_hosts(monkeypatch, configure):
    """The upload origins come from botocore's partition data: `.amazonaws.com.cn` in cn-north-1."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    configure(AWS_REGION="cn-north-1", MEDIA_BUCKET="newsroom-example-china-media-123456789012-cn-north-1")
    origins = admin_app.upload_origins()
    bucket = get_settings().media_bucket
    assert f"https://{bucket}.s3.cn-north-1.amazonaws.com.cn" in origins
    assert all(origin.endswith(".amazonaws.com.cn") for origin in origins), origins
