"""The revision diff shows changes of marks (bold, italic, underline, a link's target) as text changes, in
paragraphs, list items, table cells and quotes (issue 30 item 5): through the API's revisions and diff."""

from __future__ import annotations

from chalicelib.article_body import block_from_json, from_json
from chalicelib.richtext.marked import marked
from tests.api_helpers import call

LINK = "https://www.example.org/notice"


def para(marks: list[dict]) -> dict:
    return {"type": "paragraph", "text": "详见通知全文", "marks": marks}


def body(link: str, bold: bool, italic: bool, underline: bool) -> list[dict]:
    item_marks = [{"type": "bold", "start": 0, "end": 2}] if bold else []
    cell_marks = [{"type": "italic", "start": 0, "end": 3}] if italic else []
    quote_marks = [{"type": "underline", "start": 2, "end": 4}] if underline else []
    return [
        para([{"type": "link", "start": 2, "end": 6, "href": link}]),
        {"type": "list", "ordered": False, "items": [{"text": "会员大会", "marks": item_marks}, {"text": "理事会"}]},
        {"type": "table", "header": True, "rows": [[{"text": "会议名", "marks": cell_marks}, {"text": "日期"}]]},
        {"type": "quote", "text": "团结协作", "marks": quote_marks},
    ]


def test_a_marks_change_in_each_kind_of_block_is_a_change_with_its_marked_text(client, auth):
    article = {"title": "年会通知", "category": "news", "body": body(LINK, False, False, False)}
    created = call(client, "POST", "/api/articles", article, auth)
    assert created.status_code == 201, created.json
    changed = {**created.json, "body": body(f"{LINK}-2", True, True, True)}
    saved = call(client, "PUT", f"/api/articles/{created.json['id']}", changed, auth)
    assert saved.status_code == 200, saved.json
    revisions = call(client, "GET", f"/api/articles/{created.json['id']}/revisions", headers=auth).json["revisions"]
    first = revisions[-1]["id"]
    answer = call(client, "GET", f"/api/articles/{created.json['id']}/revisions/{first}/diff", headers=auth)
    assert answer.status_code == 200, answer.json
    shown = [(c["change"], c["type"], c["old_text"], c["new_text"]) for c in answer.json["blocks"]]
    assert shown == [
        ("changed", "paragraph", f"详见[通知全文]({LINK})", f"详见[通知全文]({LINK}-2)"),
        ("changed", "list", "• 会员大会\n• 理事会", "• **会员**大会\n• 理事会"),
        ("changed", "table", "会议名 | 日期", "*会议名* | 日期"),
        ("changed", "quote", "> 团结协作", "> 团结<u>协作</u>"),
    ]


def test_unchanged_marks_are_no_change_and_crossing_marks_are_written_where_they_start_and_end():
    from chalicelib import diffs

    same = body(LINK, True, True, True)
    assert diffs.diff_blocks(from_json(same), from_json(same)) == []
    crossing = {
        "text": "甲乙丙",
        "marks": [{"type": "bold", "start": 0, "end": 2}, {"type": "italic", "start": 1, "end": 3}],
    }
    assert marked(block_from_json({"type": "paragraph", **crossing})) == "**甲*乙**丙*"
    nested = [{"type": "link", "start": 0, "end": 3, "href": LINK}, {"type": "bold", "start": 0, "end": 3}]
    assert marked(block_from_json({"type": "paragraph", "text": "甲乙丙", "marks": nested})) == f"**[甲乙丙]({LINK})**"


def test_marks_that_start_together_open_outermost_first():
    """A link over 甲乙丙 with 甲乙 bold inside it: the link opens first and closes last, so each mark's text
    reads between its own opening and closing."""
    marks = [{"type": "bold", "start": 0, "end": 2}, {"type": "link", "start": 0, "end": 3, "href": LINK}]
    assert marked(block_from_json({"type": "paragraph", "text": "甲乙丙", "marks": marks})) == f"[**甲乙**丙]({LINK})"


def test_added_blocks_show_quote_lines_list_numbers_and_table_rows_and_no_text_for_media():
    """A body as the API checks it: each block added, with the text the diff shows for it; a video or an
    attachment has no text (the editors' app names it from the block itself)."""
    from chalicelib import diffs, validation

    added = [
        {"type": "quote", "text": "团结 协作\n共谋发展"},
        {
            "type": "list",
            "ordered": True,
            "items": [{"text": "会员大会"}, {"text": "理事会", "items": [{"text": "选举"}]}],
        },
        {
            "type": "table",
            "header": True,
            "rows": [[{"text": "会议名"}, {"text": "日期"}], [{"text": "年会"}, {"text": "3月"}]],
        },
        {"type": "attachment", "attachment_id": "abc123", "filename": "报名表.docx", "size": 34_567},
        {"type": "video", "provider": "qq", "video_id": "x0031abcdef"},
    ]
    shown = [
        (c["change"], c["type"], c.get("old_text"), c.get("new_text"))
        for c in diffs.diff_blocks([], validation.blocks(added))
    ]
    assert shown == [
        ("added", "quote", None, "> 团结 协作\n> 共谋发展"),
        ("added", "list", None, "1. 会员大会\n2. 理事会\n    • 选举"),
        ("added", "table", None, "会议名 | 日期\n年会 | 3月"),
        ("added", "attachment", None, None),
        ("added", "video", None, None),
    ]


def test_a_video_or_attachment_put_in_anothers_place_is_a_change_and_the_same_one_is_none():
    from chalicelib import diffs, validation

    def body(video_id: str, attachment_id: str, filename: str = "报名表.docx") -> list:
        return validation.blocks(
            [
                {"type": "paragraph", "text": "会议通知"},
                {"type": "video", "provider": "qq", "video_id": video_id},
                {"type": "attachment", "attachment_id": attachment_id, "filename": filename, "size": 34_567},
            ]
        )

    assert diffs.diff_blocks(body("x0031abcdef", "abc123"), body("x0031abcdef", "abc123")) == []
    changes = diffs.diff_blocks(body("x0031abcdef", "abc123"), body("y0042ghijkl", "def456", "议程.pdf"))
    assert [(c["change"], c["type"], c["old_index"], c["new_index"]) for c in changes] == [
        ("changed", "video", 1, 1),
        ("changed", "attachment", 2, 2),
    ]
    video, attachment = changes
    assert (video["old"]["video_id"], video["new"]["video_id"]) == ("x0031abcdef", "y0042ghijkl")
    assert (attachment["old"]["filename"], attachment["new"]["filename"]) == ("报名表.docx", "议程.pdf")
