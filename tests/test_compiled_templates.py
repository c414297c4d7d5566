"""The Lambda package renders pages from templates compiled when packaging, exactly as the sources render them.

optimise-package (the step `make package` runs on chalice's zip) is run here in-process on a small zip holding
what the pages need (chalicelib and templates, laid out as chalice packages them); a fresh Python then renders
the home, category and article pages from the unpacked result, and another from the project.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from chalicelib.templating import COMPILED_TEMPLATES, template_names
from ops.lambda_package import optimise

ROOT = Path(__file__).resolve().parent.parent

# argv[1] is the root to import chalicelib from (the unpacked package or the project); prints the pages as JSON.
RENDER = """
import json, sys
from datetime import datetime, timezone
sys.path[:0] = [sys.argv[1]]
from chalicelib import pages
from chalicelib.article_body import from_json
from chalicelib.articles import Article, ArticleSummary, Neighbours, Page
from chalicelib.categories import Category
from chalicelib.config import get_site
from chalicelib.navigation import Navigation
from chalicelib.statuses import PhotoStatus

site = get_site()
news, industry = Category("news", "新闻中心", None, 1), Category("industry", "行业<动态>", "news", 1)
when = datetime(2026, 11, 27, 16, 30, tzinfo=timezone.utc)
notice = ArticleSummary("notice-1", "关于年会的通知", None, "news", None, when, True)
nav = Navigation((news, industry), (notice,))
older = ArticleSummary("older", "上一篇 & 更早", "副标题", "industry", "协会", when, False)
photo = {"type": "photo", "photo_id": "p1", "caption": "会场 <全景>", "media": {"status": PhotoStatus.READY,
         "width": 1800, "height": 1200, "widths": [480, 960, 1800], "color": "#807060"}}
body = from_json([{"type": "paragraph", "text": "第一段\\n第二行 <b>不是标签</b>"},
                  {"type": "heading", "text": "小标题"}, photo,
                  {"type": "photo", "photo_id": "p2", "caption": "", "media": {"status": PhotoStatus.PENDING}}])
article = Article("today", "年会隆重召开 \\"2026\\"", "副标题", "industry", "本会", when, False, author="记者",
                  cover_photo_id="p1", body=body, updated_at=when)
out = {
    "loader": type(pages.environment().loader).__name__,
    "home": pages.render_home(site, nav, [(article, body[2])], [(news, [article, older])]),
    "category": pages.render_category(site, nav, industry, Page([article, older], "next-cursor"), "a-cursor", None, 2),
    "article": pages.render_article(site, nav, article, 42, Neighbours(older, None, [older])),
}
print(json.dumps(out))
"""


def render(root: Path) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-B", "-c", RENDER, str(root)],
        cwd=root,
        env=dict(os.environ),  # conftest put the local stage's settings there
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """chalicelib and templates zipped as chalice lays them out, optimised, then unpacked."""
    work = tmp_path_factory.mktemp("compiled-templates")
    zip_path = work / "deployment.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        for folder in ("chalicelib", "templates"):
            for path in sorted((ROOT / folder).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    archive.write(path, path.relative_to(ROOT).as_posix())
    optimise(zip_path)
    task = work / "task"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(task)
    return task


def test_the_package_holds_every_template_compiled_to_a_module_with_its_bytecode(package):
    modules = sorted(p.name for p in (package / COMPILED_TEMPLATES).glob("tmpl_*.py"))
    assert len(modules) == len(template_names()) > 5
    cached = sorted(p.name for p in (package / COMPILED_TEMPLATES / "__pycache__").glob("tmpl_*.pyc"))
    assert [name.split(".")[0] for name in cached] == [name[:-3] for name in modules]


def test_the_packaged_templates_render_the_same_pages_as_the_sources(package):
    packaged, project = render(package), render(ROOT)
    assert packaged["loader"] == "ModuleLoader"  # the first view compiles nothing
    assert project["loader"] == "FileSystemLoader"
    for page in ("home", "category", "article"):
        assert packaged[page] == project[page], page
    # Rendered in full and escaped, not merely equal.
    assert "上一篇 &amp; 更早" in packaged["home"] and "行业&lt;动态&gt;" in packaged["category"]
    assert "&lt;b&gt;不是标签&lt;/b&gt;" in packaged["article"] and "&lt;全景&gt;" in packaged["article"]
    assert "1800.webp 1800w" in packaged["article"] and "</html>" in packaged["article"]


def test_a_package_without_its_templates_is_refused(tmp_path):
    zip_path = tmp_path / "deployment.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("app.py", "")
    with pytest.raises(RuntimeError, match="no templates"):
        optimise(zip_path)
