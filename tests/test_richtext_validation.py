"""The rich-text body through the editors' API: what is stored, and every refusal (400, field path, stable code)."""

from __future__ import annotations

import pytest

from chalicelib.models import ArticleModel
from chalicelib.richtext.links import link_problem
from chalicelib.richtext.schema import BODY_FORMAT, MAX_COLUMNS, MAX_ITEMS, MAX_MARKS, MAX_ROWS
from tests.api_helpers import call


def create(client, auth, body):
    return call(client, "POST", "/api/articles", {"title": "通知", "category": "industry", "body": body}, auth)


def refused(response, field, code):
    assert response.status_code == 400, response.json
    assert response.json["field"] == field and response.json["code"] == code, response.json
    assert response.json["message"].startswith(field) or field in response.json["message"]
    return True


NOTICE = [
    {
        "type": "paragraph",
        "text": "报名截止日期：12月1日。详见通知。",
        "marks": [
            {"type": "bold", "start": 0, "end": 12},
            {"type": "italic", "start": 3, "end": 5},
            {"type": "underline", "start": 7, "end": 9},
            {"type": "link", "start": 15, "end": 17, "href": "https://www.miit.gov.cn/a?b=1&c=2"},
        ],
    },
    {
        "type": "paragraph",
        "text": "联系：会务组\n邮箱",
        "marks": [{"type": "link", "start": 7, "end": 9, "href": "mailto:hui@xh.cn"}],
    },
    {"type": "heading", "text": "日程"},
    {
        "type": "list",
        "ordered": True,
        "items": [
            {"text": "报到", "items": [{"text": "签到", "marks": [{"type": "bold", "start": 0, "end": 2}]}]},
            {"text": "开幕"},
        ],
    },
    {"type": "list", "items": [{"text": "要点"}]},
    {
        "type": "table",
        "header": True,
        "rows": [[{"text": "时间"}, {"text": "内容"}], [{"text": "9:00"}, {"text": ""}]],
    },
    {"type": "quote", "text": "会长说：", "marks": [{"type": "bold", "start": 0, "end": 2}]},
    {"type": "paragraph", "text": "旧式的纯文本段落"},
]


def test_a_notice_with_marks_lists_a_table_and_a_quote_is_stored_as_sent(client, auth):
    created = create(client, auth, NOTICE)
    assert created.status_code == 201, created.json
    assert created.json["body"] == NOTICE  # an unordered list is stored without "ordered"
    assert ArticleModel.get(created.json["id"]).body_format == BODY_FORMAT


def test_marks_are_stored_in_order_whatever_order_they_came_in(client, auth):
    marks = [{"type": "link", "start": 2, "end": 4, "href": "https://a.cn/"}, {"type": "bold", "start": 0, "end": 1}]
    created = create(client, auth, [{"type": "paragraph", "text": "一二三四", "marks": marks}])
    assert created.json["body"][0]["marks"] == [marks[1], marks[0]]


def test_a_body_of_plain_paragraphs_is_still_valid(client, auth):
    body = [{"type": "paragraph", "text": "一"}, {"type": "heading", "text": "二"}]
    assert create(client, auth, body).json["body"] == body


def test_emoji_count_as_one_character_in_offsets(client, auth):
    text = "😀加粗"  # one code point, two UTF-16 units: offsets count code points
    block = {"type": "paragraph", "text": text, "marks": [{"type": "bold", "start": 1, "end": 3}]}
    assert create(client, auth, [block]).status_code == 201
    block["marks"][0]["end"] = 4
    assert refused(create(client, auth, [block]), "body[0].marks[0].end", "mark_range")


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://a.cn/x",
        "/news/1",
        "//evil.example/x",
        "https:evil.example",
    ],
)
def test_a_link_other_than_http_https_or_mailto_is_refused_naming_the_field(client, auth, href):
    block = {"type": "paragraph", "text": "点击", "marks": [{"type": "link", "start": 0, "end": 2, "href": href}]}
    response = create(client, auth, [{"type": "paragraph", "text": "前"}, block])
    assert response.status_code == 400
    assert response.json["field"] == "body[1].marks[0].href"
    assert response.json["code"] in ("link_scheme", "link_invalid")


SCHEMES = "must be a link with one of the schemes: http, https, mailto"
ALMOST_TOO_LONG = "https://a.cn/" + "x" * (2000 - len("https://a.cn/"))


@pytest.mark.parametrize(
    ("href", "problem"),
    [
        (None, ("link_invalid", "is required")),
        ("", ("link_invalid", "is required")),
        (ALMOST_TOO_LONG, None),  # 2,000 characters
        (ALMOST_TOO_LONG + "x", ("link_invalid", "is longer than 2000 characters")),
        ("https://a.cn/会议 纪要.pdf", ("link_invalid", "contains spaces or control characters")),
        ("https://a.cn/\u2028", ("link_invalid", "contains spaces or control characters")),
        ("/news/1", ("link_scheme", SCHEMES)),
        ("mailto", ("link_scheme", SCHEMES)),  # no colon: a relative address that reads like a scheme
        ("HTTPS://A.cn/x", None),
        ("javascript:alert(1)", ("link_scheme", SCHEMES)),
        ("http://[::1", ("link_invalid", "is not a valid URL")),
        ("mailto:ab", ("link_invalid", "needs an e-mail address after mailto:")),
        ("MAILTO:a@b", None),
        ("https:evil.example", ("link_invalid", "needs a host name")),
    ],
)
def test_each_link_problem_is_said_with_its_code(href, problem):
    assert link_problem(href) == problem


def test_the_scheme_refusal_has_its_own_code(client, auth):
    block = {"type": "quote", "text": "点击", "marks": [{"type": "link", "start": 0, "end": 2, "href": "javascript:x"}]}
    assert refused(create(client, auth, [block]), "body[0].marks[0].href", "link_scheme")


def list_of(items):
    return [{"type": "list", "ordered": True, "items": items}]


def table_of(rows, **extra):
    return [{"type": "table", "rows": rows, **extra}]


def marked(*marks, text="一二三四"):
    return [{"type": "paragraph", "text": text, "marks": list(marks)}]


def test_text_refusals_are_worded_whole_and_a_cell_may_leave_its_text_out(client, auth):
    messages = {
        "body[0].items[0].text is required": list_of([{}]),
        "body[0].items[0].text must be a string": list_of([{"text": 5}]),
        "body[0].items[0].text must not be empty": list_of([{"text": " \n"}]),
        "body[0].items[0].text contains a NUL character": list_of([{"text": "甲\x00"}]),
        "body[0].items[0].text is longer than 5000 characters": list_of([{"text": "x" * 5001}]),
        "body[0].header must be true or false": table_of([[{"text": "甲"}]], header="yes"),
    }
    for message, body in messages.items():
        assert create(client, auth, body).json["message"] == message
    assert create(client, auth, list_of([{"text": "x" * 5000}])).status_code == 201
    created = create(client, auth, table_of([[{"text": "甲"}, {}]]))
    assert created.status_code == 201, created.json
    assert created.json["body"][0]["rows"] == [[{"text": "甲"}, {"text": ""}]]


def test_a_table_of_200_rows_is_taken_and_the_refusals_of_its_rows_are_worded_whole(client, auth):
    assert create(client, auth, table_of([[{"text": "格"}, {"text": ""}]] * 200)).status_code == 201
    widest = create(client, auth, table_of([[{"text": "格"}] * MAX_COLUMNS]))
    assert widest.status_code == 201 and len(widest.json["body"][0]["rows"][0]) == MAX_COLUMNS
    messages = {
        "body[0].rows must be a non-empty list of rows": table_of([]),
        "body[0].rows[1] must be a non-empty list of cells": table_of([[{"text": "甲"}], "乙"]),
        f"body[0].rows[0] has more than {MAX_COLUMNS} cells": table_of([[{"text": "格"}] * (MAX_COLUMNS + 1)]),
        "body[0].rows[0][1] must be an object": table_of([[{"text": "甲"}, "乙"]]),
        "body[0].rows[1] has 1 cells; every row has as many as the first (2)": table_of(
            [[{"text": "甲"}, {"text": "乙"}], [{"text": "丙"}]]
        ),
    }
    for message, body in messages.items():
        assert create(client, auth, body).json["message"] == message


@pytest.mark.parametrize(
    "body, field, code",
    [
        (marked({"type": "strike", "start": 0, "end": 1}), "body[0].marks[0].type", "mark_type"),
        (marked("bold"), "body[0].marks[0]", "mark_type"),
        ([{"type": "paragraph", "text": "一", "marks": "bold"}], "body[0].marks", "marks_type"),
        (marked({"type": "bold", "start": 0, "end": 5}), "body[0].marks[0].end", "mark_range"),
        (marked({"type": "bold", "start": -1, "end": 2}), "body[0].marks[0].start", "mark_range"),
        (marked({"type": "bold", "start": 2, "end": 2}), "body[0].marks[0].end", "mark_range"),
        (marked({"type": "bold", "start": True, "end": 2}), "body[0].marks[0].start", "mark_range"),
        (marked({"type": "bold", "start": "0", "end": 2}), "body[0].marks[0].start", "mark_range"),
        (
            marked({"type": "bold", "start": 0, "end": 2, "href": "https://a.cn"}),
            "body[0].marks[0].href",
            "unknown_field",
        ),
        (marked({"type": "link", "start": 0, "end": 2}), "body[0].marks[0].href", "link_invalid"),
        (
            marked({"type": "link", "start": 0, "end": 2, "href": "https://" + "a" * 2000}),
            "body[0].marks[0].href",
            "link_invalid",
        ),
        (
            marked(
                {"type": "link", "start": 0, "end": 3, "href": "https://a.cn"},
                {"type": "link", "start": 2, "end": 4, "href": "https://b.cn"},
            ),
            "body[0].marks[1]",
            "mark_overlap",
        ),
        (
            marked({"type": "bold", "start": 0, "end": 3}, {"type": "bold", "start": 1, "end": 2}),
            "body[0].marks[1]",
            "mark_overlap",
        ),
        (marked(*[{"type": "bold", "start": 0, "end": 1}] * (MAX_MARKS + 1)), "body[0].marks", "marks_too_many"),
        (list_of([]), "body[0].items", "items_type"),
        ([{"type": "list", "items": "一"}], "body[0].items", "items_type"),
        (list_of(["一"]), "body[0].items[0]", "item_type"),
        (list_of([{"text": ""}]), "body[0].items[0].text", "text_empty"),
        (list_of([{"text": 1}]), "body[0].items[0].text", "text_type"),
        (list_of([{"marks": []}]), "body[0].items[0].text", "text_type"),
        (list_of([{"text": "x" * 5001}]), "body[0].items[0].text", "text_too_long"),
        (list_of([{"text": "a\x00"}]), "body[0].items[0].text", "text_nul"),
        (list_of([{"text": "一", "style": "x"}]), "body[0].items[0].style", "unknown_field"),
        (
            list_of([{"text": "一", "items": [{"text": "二", "items": [{"text": "三"}]}]}]),
            "body[0].items[0].items[0].items",
            "list_depth",
        ),
        (list_of([{"text": "一"}] * (MAX_ITEMS + 1)), "body[0].items", "items_too_many"),
        ([{"type": "list", "ordered": "yes", "items": [{"text": "一"}]}], "body[0].ordered", "flag_type"),
        (table_of([]), "body[0].rows", "rows_type"),
        (table_of([[]]), "body[0].rows[0]", "row_type"),
        (table_of([5]), "body[0].rows[0]", "row_type"),  # the first row sets the width: it is checked first
        (table_of([[{"text": "a"}, {"text": "b"}], [{"text": "c"}]]), "body[0].rows[1]", "row_width"),
        (table_of([["a"]]), "body[0].rows[0][0]", "cell_type"),
        (table_of([[{"text": "a", "colspan": 2}]]), "body[0].rows[0][0].colspan", "unknown_field"),
        (table_of([[{"text": "x" * 2001}]]), "body[0].rows[0][0].text", "text_too_long"),
        (table_of([[{"text": ""}] * (MAX_COLUMNS + 1)]), "body[0].rows[0]", "columns_too_many"),
        (table_of([[{"text": ""}]] * (MAX_ROWS + 1)), "body[0].rows", "rows_too_many"),
        (table_of([[{"text": "a"}]], header="yes"), "body[0].header", "flag_type"),
        (
            table_of([[{"text": "点", "marks": [{"type": "link", "start": 0, "end": 1, "href": "javascript:x"}]}]]),
            "body[0].rows[0][0].marks[0].href",
            "link_scheme",
        ),
        ([{"type": "quote", "text": "一", "cite": "x"}], "body[0].cite", None),
        ([{"type": "heading", "text": "一", "marks": []}], "body[0].marks", None),
    ],
)
def test_each_refusal_names_its_field_and_code(client, auth, body, field, code):
    response = create(client, auth, body)
    assert response.status_code == 400, response.json
    assert response.json["field"] == field, response.json
    if code:
        assert response.json["code"] == code, response.json


def test_a_refused_body_stores_nothing(client, auth):
    create(client, auth, marked({"type": "link", "start": 0, "end": 2, "href": "javascript:x"}))
    listed = call(client, "GET", "/api/articles", None, auth)
    assert listed.json["articles"] == []


@pytest.mark.parametrize(
    "body, message",
    [
        (list_of([]), "body[0].items must be a non-empty list of items"),
        (list_of(["一"]), "body[0].items[0] must be an object"),
        (
            list_of([{"text": "一", "items": [{"text": "二", "items": [{"text": "三"}]}]}]),
            "body[0].items[0].items[0].items lists nest one level deep",
        ),
    ],
)
def test_a_refused_list_is_told_what_is_wrong_with_it(client, auth, body, message):
    assert create(client, auth, body).json["message"] == message


@pytest.mark.parametrize(
    "body, message",
    [
        (marked("bold"), "body[0].marks[0] must be an object"),
        ([{"type": "paragraph", "text": "一", "marks": "bold"}], "body[0].marks must be a list of marks"),
        (
            marked(*[{"type": "bold", "start": 0, "end": 1}] * (MAX_MARKS + 1)),
            f"body[0].marks has more than {MAX_MARKS} marks",
        ),
        (
            marked({"type": "strike", "start": 0, "end": 1}),
            "body[0].marks[0].type type must be one of: bold, italic, underline, link",
        ),
        (
            marked({"type": "bold", "start": 0, "end": 5}),
            "body[0].marks[0].end must be an integer from 0 to 4 (the text's length)",
        ),
        (marked({"type": "bold", "start": 2, "end": 2}), "body[0].marks[0].end must be after start"),
        (
            marked({"type": "link", "start": 0, "end": 2, "href": "javascript:x"}),
            "body[0].marks[0].href must be a link with one of the schemes: http, https, mailto",
        ),
    ],
)
def test_a_refused_mark_is_told_what_is_wrong_with_it(client, auth, body, message):
    assert create(client, auth, body).json["message"] == message


def test_a_list_of_as_many_items_as_allowed_is_stored(client, auth):
    created = create(client, auth, list_of([{"text": "一"}] * MAX_ITEMS))
    assert created.status_code == 201, created.json
    assert len(created.json["body"][0]["items"]) == MAX_ITEMS


def test_marks_at_their_limits_are_taken_and_links_may_touch(client, auth):
    text = "一" * MAX_MARKS
    most = [{"type": "bold", "start": i, "end": i + 1} for i in range(MAX_MARKS)]
    created = create(client, auth, [{"type": "paragraph", "text": text, "marks": most}])
    assert created.status_code == 201 and len(created.json["body"][0]["marks"]) == MAX_MARKS
    touching = marked(
        {"type": "link", "start": 2, "end": 4, "href": "https://b.cn"},
        {"type": "link", "start": 0, "end": 2, "href": "https://a.cn"},
    )
    created = create(client, auth, touching)
    assert created.status_code == 201, created.json
    assert [m["href"] for m in created.json["body"][0]["marks"]] == ["https://a.cn", "https://b.cn"]
