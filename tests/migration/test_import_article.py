"""One DedeCMS archive through `import_article` (ops/dedecms/importer.py), without a database: its old URL by
DedeCMS's naming rules, its flags, how the report names it, and what a dry run counts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib import legacy
from chalicelib.models import ArticleModel
from ops.dedecms.files import Files, soft_links
from ops.dedecms.images import Images
from ops.dedecms.importer import Options, Target, import_article
from ops.dedecms.report import Report
from ops.dedecms.source import Article
from tests.site import make_categories

TARGETS = {1: Target("industry", False, "/a/industry")}
ARTICLE = Article(
    aid=7, typeid=1, channel=1, arcrank=0, click=3, title="关于召开年会的通知", writer="", source="", litpic="",
    pubdate=1672531200, filename="", flag="", body="<p>请各会员单位填写报名表。</p>", redirecturl="",
)  # fmt: skip


def bring(article: Article, options: Options | None = None) -> Report:
    options = options or Options()
    report = Report(dry_run=options.dry_run)
    images = Images(None, dry_run=options.dry_run)
    import_article(article, TARGETS, images, options, report, Files(images))
    return report


@pytest.mark.parametrize(
    ("filename", "old"),
    [
        ("", "/a/industry/20230101/7.html"),  # {typedir}/{Y}{m}{d}/{aid}.html, the site's day (Beijing's)
        ("gongshi", "/a/industry/gongshi.html"),
        ("gongshi.html", "/a/industry/gongshi.html"),
        ("old.htm", "/a/industry/old.htm"),
    ],
)
def test_the_old_url_follows_dedecms_naming_rule_or_the_archive_s_own_file_name(filename, old):
    make_categories()
    bring(replace(ARTICLE, filename=filename))
    assert legacy.redirect_for(old) == "/articles/dede-7"
    assert legacy.redirect_for("/plus/view.php?aid=7") == "/articles/dede-7"


@pytest.mark.parametrize(
    ("flag", "flags"),
    [
        ("", []),
        ("p", []),  # "has a picture": DedeCMS's own bookkeeping
        ("h,f", ["headline", "carousel"]),
        ("c, h ,s,f", ["headline", "carousel", "recommended"]),
    ],
)
def test_dedecms_flags_become_the_article_s_flags(flag, flags):
    make_categories()
    bring(replace(ARTICLE, flag=flag))
    assert sorted(ArticleModel.get("dede-7").flags or []) == sorted(flags)


def test_the_report_names_an_article_by_its_id_and_the_first_40_characters_of_its_title():
    make_categories()
    title = "协" * 40 + "会"
    report = bring(replace(ARTICLE, title=title))
    assert report.created == ["article 7 " + "协" * 40]


def test_an_import_and_its_dry_run_count_the_old_urls_that_are_new_or_changed():
    make_categories()
    assert bring(ARTICLE, Options(dry_run=True)).redirects == 2  # its day's path and /plus/view.php?aid=7
    assert bring(ARTICLE).redirects == 2
    assert bring(ARTICLE, Options(dry_run=True)).redirects == 0  # both there already
    assert bring(ARTICLE).redirects == 0
    legacy.remember_redirect("/plus/view.php?aid=7", "/articles/elsewhere")
    assert bring(ARTICLE, Options(dry_run=True)).redirects == 1
    assert legacy.redirect_for("/plus/view.php?aid=7") == "/articles/elsewhere"  # a dry run writes nothing
    assert bring(ARTICLE).redirects == 1
    assert legacy.redirect_for("/plus/view.php?aid=7") == "/articles/dede-7"


def test_a_file_link_s_text_is_read_as_readers_see_it_and_other_tags_hrefs_are_no_links():
    html = (
        '<link rel="stylesheet" href="/uploads/soft/2301/style.css">'
        '<p><a name="top"></a><a href="/uploads/soft/2301/1.pdf">\n  2023年\n 报名表 </a></p>'
    )
    assert soft_links(html) == [("/uploads/soft/2301/1.pdf", "2023年 报名表")]


@pytest.mark.parametrize(("pubdate", "status"), [(631152000, "published"), (631151999, "draft")])
def test_a_date_from_1990_on_is_published_and_an_earlier_one_is_no_date(pubdate, status):
    """1990-01-01 00:00 UTC is the earliest date taken: before it, only DedeCMS's empty dates (0, 0001-01-01)."""
    make_categories()
    bring(replace(ARTICLE, pubdate=pubdate))
    assert ArticleModel.get("dede-7").status == status


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"title": "  "}, "title must not be empty"),  # found before any photo is uploaded
        ({"body": "<p>段落</p>" * 501}, "body has more than 500 blocks"),  # found once converted
    ],
)
def test_an_archive_the_library_cannot_take_is_skipped_with_its_reason_and_leaves_no_old_url(dry_run, change, reason):
    """Its old addresses would send readers to an article that is not there."""
    make_categories()
    report = bring(replace(ARTICLE, **change), Options(dry_run=dry_run))
    [(label, said)] = report.skipped
    assert (label.strip(), said, report.created) == (
        "article 7" + (" " + ARTICLE.title) * ("body" in change),
        reason,
        [],
    )
    assert report.redirects == 0 and legacy.redirect_for("/plus/view.php?aid=7") is None
    assert not ArticleModel.count("dede-7")


def test_a_dry_run_after_an_import_says_which_archives_would_change_and_why():
    make_categories()
    bring(ARTICLE)
    dry = Options(dry_run=True)
    label = "article 7 关于召开年会的通知"
    assert (bring(ARTICLE, dry).unchanged, bring(ARTICLE, dry).updated) == ([label], [])
    assert bring(replace(ARTICLE, pubdate=ARTICLE.pubdate + 86400), dry).updated == [label]  # its date alone
    assert bring(replace(ARTICLE, arcrank=-1), dry).updated == [label]  # back to awaiting review: a draft
    assert bring(replace(ARTICLE, writer="王编辑"), dry).updated == [label]  # a field alone
    assert ArticleModel.get("dede-7").author in (None, "")  # and nothing was written
