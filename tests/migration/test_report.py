"""The import's progress bar (on a terminal only) and its report lines."""

from __future__ import annotations

import io

from ops.dedecms.report import Progress, Report


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal_and_stays_out_of_logs():
    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        bar = Progress(stream, 4, "articles")
        for _ in range(4):
            bar.step()
        bar.finish()
    assert terminal.getvalue().split("\r")[2] == "articles [###############---------------] 2/4"
    assert terminal.getvalue().endswith("articles [##############################] 4/4\n")
    assert log.getvalue() == ""


def test_the_bar_is_full_at_the_last_article_also_of_one_and_past_the_count():
    """Archives written while the import runs are imported too: the bar stays full, the count goes on."""
    one, grown = Terminal(), Terminal()
    bar = Progress(one, 1, "articles")
    bar.step()
    assert one.getvalue() == "\rarticles [" + "#" * 30 + "] 1/1"
    bar = Progress(grown, 0, "articles")  # none counted, one arrived
    bar.step()
    bar.step()
    assert grown.getvalue().split("\r")[1:] == ["articles [" + "#" * 30 + "] 1/1", "articles [" + "#" * 30 + "] 2/1"]


def test_the_report_names_what_was_skipped_and_why():
    report = Report(created=["article 1 甲"], skipped=[("article 2 乙", "in the recycle bin")], warnings=["表格"])
    assert report.lines() == [
        "categories created or changed: 0",
        "articles imported: 1, updated: 0, unchanged: 0, skipped: 1",
        "photos uploaded: 0, already there: 0",
        "files uploaded: 0, already there: 0",
        "old URLs redirected (new or changed): 0",
        "skipped article 2 乙: in the recycle bin",
        "warning: 表格",
    ]


def test_a_report_has_changed_anything_when_one_thing_was_written():
    """What the import tests ask of a second run (`not report.changed()`): each kind of write counts alone;
    what was only looked at, reused, skipped or warned about does not."""
    assert not Report(unchanged=["article 1"], skipped=[("article 2", "why")], warnings=["w"]).changed()
    assert not Report(photos_reused=3, files_reused=2).changed()
    written = [
        Report(categories=["news"]),
        Report(created=["article 1"]),
        Report(updated=["article 1"]),
        Report(redirects=1),
        Report(photos_uploaded=1),
        Report(files_uploaded=1),
    ]
    assert [report.changed() for report in written] == [True] * 6
