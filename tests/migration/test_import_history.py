"""An import leaves history: each imported article's text is a revision ("imported") and an audit record; a
second run brings each article's publication back in line with the old site's."""

from __future__ import annotations

from datetime import datetime, timezone

from chalicelib import editorial, revisions
from chalicelib.article_body import editor_json
from chalicelib.models import AuditModel
from tests.migration.test_import_dedecms import run_import

CONGRESS = "article 101 协会召开2023年度会员大会"  # the report's label of dede-101


def test_imported_articles_have_an_imported_revision_and_an_audit_record(mariadb, web_root):
    assert CONGRESS in run_import(mariadb, web_root).created
    article = editorial.get_article("dede-101")
    history = revisions.list_revisions("dede-101")
    # the version the import created (publishing it then made the next)
    assert [(r["by"], r["reason"], r["version"]) for r in history] == [("import-dedecms", "imported", 1)]
    assert article.version == 2
    kept = revisions.get_revision("dede-101", history[0]["id"])
    assert (kept["title"], kept["body"]) == (article.title, [editor_json(block) for block in article.body])
    records = [r for r in AuditModel.scan() if r.object == "dede-101"]
    assert [(r.actor, r.action, r.result, r.client, r.detail) for r in records] == [
        ("import-dedecms", "import", "success", "ops", f"dedecms {CONGRESS}")
    ]
    run_import(mariadb, web_root)  # again, nothing changed: no new revision
    assert len(revisions.list_revisions("dede-101")) == 1


def test_a_second_run_puts_back_the_old_sites_publication_date_and_draft_state(mariadb, web_root):
    """The old site stays the source until the move: a date or a publication changed here meanwhile goes back
    to the old site's (its text unchanged), and the report counts the article as updated."""
    run_import(mariadb, web_root)
    first = editorial.get_article("dede-101").published_at
    editorial.publish_article("dede-101", datetime(2024, 1, 2, tzinfo=timezone.utc))
    editorial.publish_article("dede-103", datetime(2024, 1, 2, tzinfo=timezone.utc))  # a draft on the old site
    report = run_import(mariadb, web_root)
    congress, draft = editorial.get_article("dede-101"), editorial.get_article("dede-103")
    assert (congress.status, congress.published_at) == ("published", first)
    assert draft.status == "draft"
    assert CONGRESS in report.updated and "article 103 （待审）关于召开理事会的通知" in report.updated
    assert len(revisions.list_revisions("dede-101")) == 1  # the same text: no new revision
