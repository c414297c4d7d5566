"""Compiling the templates for the Lambda package (templating.compile_all, which `make package` runs), in-process:
the modules render what the sources render. test_compiled_templates.py checks the whole packaging step, in a fresh
Python as a new container renders."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from chalicelib.article_body import from_json
from chalicelib.config import get_site
from chalicelib.labels import labels_for
from chalicelib.page_blocks import body_blocks
from chalicelib.templating import ASSETS, TEMPLATES_DIR, compile_all, configured, template_names


def both(templates: Path, compiled: Path) -> tuple[jinja2.Environment, jinja2.Environment]:
    """The environment a packaged container renders with, and the one everywhere else does."""
    return configured(jinja2.ModuleLoader(str(compiled))), configured(jinja2.FileSystemLoader(str(templates)))


def test_every_template_is_compiled_and_renders_as_its_source(tmp_path):
    names = compile_all(TEMPLATES_DIR, tmp_path)
    on_disk = sorted(p.relative_to(TEMPLATES_DIR).as_posix() for p in TEMPLATES_DIR.rglob("*") if p.is_file())
    assert names == template_names() == [n for n in on_disk if not n.startswith(f"{ASSETS}/")]
    assert {"base.html", "article.html", "feed_content.html", "_rich_block.html"} <= set(names)
    assert len(list(tmp_path.glob("tmpl_*.py"))) == len(names)
    site = get_site()
    body = from_json(
        [
            {"type": "heading", "text": "一、会议 <安排>"},
            {"type": "paragraph", "text": "第一行 & 第二行\n换行", "marks": [{"type": "bold", "start": 0, "end": 3}]},
            {"type": "list", "ordered": True, "items": [{"text": "签到"}, {"text": "开幕"}]},
        ]
    )
    context = {"blocks": body_blocks(site, body), "labels": labels_for(site.language)}
    packaged, sources = both(TEMPLATES_DIR, tmp_path)
    rendered = packaged.get_template("feed_content.html").render(**context)
    assert rendered == sources.get_template("feed_content.html").render(**context)
    assert "<h2>一、会议 &lt;安排&gt;</h2>" in rendered and "第二行" in rendered and "<li>签到" in rendered


def test_templates_compile_with_the_pages_configuration_and_assets_are_left_out(tmp_path):
    templates, compiled = tmp_path / "templates", tmp_path / "compiled"
    (templates / "assets").mkdir(parents=True)
    (templates / "parts").mkdir()
    (templates / "page.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n  {% for item in items %}\n'
        '    {% include "parts/_item.html" %}\n  {% endfor %}\n{% endblock %}\n'
    )
    (templates / "base.html").write_text("<main>\n{% block main %}{% endblock %}\n</main>\n")
    (templates / "parts" / "_item.html").write_text("<p>{{ item }}</p>\n")
    (templates / "assets" / "reader.js").write_text("{% not a template %}")  # served as it is: never compiled
    assert compile_all(templates, compiled) == ["base.html", "page.html", "parts/_item.html"]
    packaged, sources = both(templates, compiled)
    rendered = packaged.get_template("page.html").render(items=["<b>甲</b>", "乙"])
    assert rendered == sources.get_template("page.html").render(items=["<b>甲</b>", "乙"])
    assert rendered == "<main>\n<p>&lt;b&gt;甲&lt;/b&gt;</p><p>乙</p></main>"  # escaped, tags' lines trimmed
    with pytest.raises(jinja2.UndefinedError):  # an undefined name is an error there too
        packaged.get_template("page.html").render()
    with pytest.raises(jinja2.TemplateNotFound):
        packaged.get_template("assets/reader.js")


def test_a_template_that_does_not_compile_stops_the_packaging(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "good.html").write_text("<p>{{ text }}</p>")
    (templates / "broken.html").write_text("<p>{% if text %}</p>")
    with pytest.raises(jinja2.TemplateSyntaxError):
        compile_all(templates, tmp_path / "compiled")
