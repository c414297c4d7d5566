"""An import leaves history: each imported article's text is a revision ("imported") and an audit record."""

from __future__ import annotations

from chalicelib import revisions
from chalicelib.models import AuditModel
from tests.migration.test_import_dedecms import run_import


def test_imported_articles_have_an_imported_revision_and_an_audit_record(mariadb, web_root):
    run_import(mariadb, web_root)
    history = revisions.list_revisions("dede-101")
    assert [(r["by"], r["reason"]) for r in history] == [("import-dedecms", "imported")]
    assert revisions.get_revision("dede-101", history[0]["id"])["title"]
    records = [r for r in AuditModel.scan() if r.object == "dede-101"]
    assert [(r.actor, r.action, r.result) for r in records] == [("import-dedecms", "import", "success")]
    run_import(mariadb, web_root)  # again, nothing changed: no new revision
    assert len(revisions.list_revisions("dede-101")) == 1
