"""HTML → blocks: Word and WeChat pastes keep marks, lists and tables; hostile HTML comes out as inert data."""

from __future__ import annotations

import html as html_lib
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib import validation
from chalicelib.richtext.convert import html_to_blocks
from chalicelib.richtext.links import link_problem
from tests.api_helpers import call
from tests.security.xss_payloads import HOSTILE_HREFS, PAYLOADS

FILES = Path(__file__).parent / "richtext_files"


def savable(blocks):
    """The blocks as the editors' API would store them (photo placeholders given an id, as the app does)."""
    placed = [{"type": "photo", "photo_id": "photo1"} if b["type"] == "photo" else b for b in blocks]
    return validation.checked_blocks(placed)


def links(blocks):
    found = []
    for block in blocks:
        inlines = [block] + block.get("items", []) + [s for i in block.get("items", []) for s in i.get("items", [])]
        inlines += [cell for row in block.get("rows", []) for cell in row]
        found += [m["href"] for inline in inlines for m in inline.get("marks", []) if m["type"] == "link"]
    return found


def test_a_word_paste_keeps_bold_italic_links_numbered_lists_and_the_table():
    converted = html_to_blocks((FILES / "word.html").read_text())
    blocks = converted.blocks
    assert [b["type"] for b in blocks] == [
        "paragraph",
        "paragraph",
        "paragraph",
        "list",
        "paragraph",
        "table",
        "paragraph",
    ]
    notice = blocks[2]
    assert notice["text"] == "经研究，定于2027年1月在北京召开会员大会。请于12月1日前登录报名系统报名，逾期不再受理。"
    marked = {(m["type"], notice["text"][m["start"] : m["end"]], m.get("href")) for m in notice["marks"]}
    assert marked == {
        ("bold", "12月1日前", None),
        ("link", "报名系统", "https://www.example-xh.org.cn/baoming"),
        ("italic", "逾期不再受理", None),
    }
    assert blocks[3] == {
        "type": "list",
        "ordered": True,
        "items": [
            {"text": "会议时间：1月10日"},
            {"text": "会议地点：国家会议中心", "items": [{"text": "乘地铁8号线"}]},
        ],
    }
    table = blocks[5]
    assert table["header"] is True  # Word's header row is a row of bold cells
    assert [[c["text"] for c in row] for row in table["rows"]] == [
        ["时间", "内容", "地点"],
        ["9:00", "开幕式", "一层"],
        ["10:30", "工作报告", "一层"],
        ["14:00", "分组讨论", "二层"],
    ]
    assert links(blocks)[-1] == "mailto:huiwu@example-xh.org.cn"
    assert savable(blocks)
    assert {d["code"] for d in converted.dropped} == {"style", "style_attribute"}  # fonts and colours


def test_a_wechat_paste_keeps_bold_lists_the_table_the_quote_and_names_the_image_for_fetching():
    converted = html_to_blocks((FILES / "wechat.html").read_text())
    blocks = converted.blocks
    assert [b["type"] for b in blocks] == [
        *("paragraph", "paragraph", "photo", "paragraph", "list", "list", "table", "quote", "paragraph"),
    ]
    assert blocks[2] == {"type": "photo", "src": "https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg", "alt": "会场"}
    assert blocks[4]["items"][0] == {"text": "听取年度报告", "marks": [{"type": "bold", "start": 2, "end": 6}]}
    assert blocks[5]["ordered"] is True and [i["text"] for i in blocks[5]["items"]] == ["第一项", "第二项"]
    assert blocks[6]["header"] is True and blocks[6]["rows"][1] == [{"text": "会费"}, {"text": "120"}]
    assert blocks[7] == {"type": "quote", "text": "“要把服务会员放在首位。”"}
    assert links(blocks) == ["https://mp.weixin.qq.com/s/AbCdEf"]
    assert savable(blocks)
    assert {d["code"]: d["count"] for d in converted.dropped if d["code"] in ("script", "frame")} == {
        "script": 1,
        "frame": 1,
    }


def test_an_image_pasted_as_data_is_kept_for_upload_unless_its_lazy_address_is_usable():
    """Word and screenshots paste `data:image/...`: the app uploads it. WeChat's lazy images carry a `data:`
    placeholder in `src` and the photo in `data-src`: the photo wins. `data:` of any other kind is no image."""
    png = "data:image/png;base64,iVBORw0KGgo="
    source = (
        f'<p>甲<img src="{png}"></p><p>乙<img src="{png}" data-src="https://mmbiz.qpic.cn/a/640"></p>'
        '<p>丙<img src="data:text/html;base64,PHNjcmlwdD4="></p>'
    )
    for base_url in (None, "https://www.example.org.cn/news/1.html"):
        converted = html_to_blocks(source + '<p>丁<img src="" data-src=""></p>', base_url)
        assert [b["src"] for b in converted.blocks if b["type"] == "photo"] == [png, "https://mmbiz.qpic.cn/a/640"]
        assert converted.dropped == [  # the empty one is no photo of the page itself, and no example
            {"code": "image", "count": 2, "examples": ["data:text/html;base64,PHNjcmlwdD4="]}
        ]


def test_an_image_is_fetched_over_http_or_https_only_and_a_mail_address_is_no_image():
    mail = "mailto:press@example.org.cn?subject=Re:photo"  # its scheme is what comes before the first colon
    source = f'<p>甲<img src="{mail}"></p><p>乙<img src="MAILTO:x@y.cn" data-src="/u/b.jpg"></p>'
    converted = html_to_blocks(source, "https://old.example.cn/")
    assert converted.blocks == [
        {"type": "paragraph", "text": "甲"},
        {"type": "paragraph", "text": "乙"},
        {"type": "photo", "src": "https://old.example.cn/u/b.jpg", "alt": ""},  # the lazy address that is one
    ]
    assert converted.dropped == [{"code": "image", "count": 1, "examples": [mail]}]


def test_a_space_in_an_address_as_old_editors_typed_it_is_encoded_not_a_reason_to_drop_it():
    converted = html_to_blocks(
        '<p><a href="/files/会议 纪要.pdf">纪要</a><img src="/u/合影 1.jpg"></p>', "https://old.example.cn/"
    )
    assert links(converted.blocks) == ["https://old.example.cn/files/会议%20纪要.pdf"]
    assert converted.blocks[1] == {"type": "photo", "src": "https://old.example.cn/u/合影%201.jpg", "alt": ""}
    assert converted.dropped == []


def test_an_images_relative_address_is_read_against_the_base():
    converted = html_to_blocks('<p><img src="/u/a.jpg" alt="会场"></p>', "https://old.example.cn/a/1.html")
    assert converted.blocks == [{"type": "photo", "src": "https://old.example.cn/u/a.jpg", "alt": "会场"}]
    assert converted.dropped == []
    pasted = html_to_blocks('<p>正文<img src="/u/a.jpg" alt="会场"></p>')  # an editor's paste: no base, no photo
    assert pasted.blocks == [{"type": "paragraph", "text": "正文"}]
    assert pasted.dropped == [{"code": "image", "count": 1, "examples": ["/u/a.jpg"]}]


def test_relative_links_are_made_absolute_with_the_base_and_refused_without_one():
    source = '<p>见<a href="/plus/view.php?aid=7">附件</a></p>'
    with_base = html_to_blocks(source, "https://old.example.cn/a/1.html")
    assert links(with_base.blocks) == ["https://old.example.cn/plus/view.php?aid=7"]
    without = html_to_blocks(source)
    assert links(without.blocks) == [] and without.blocks[0]["text"] == "见附件"
    assert without.dropped == [{"code": "link", "count": 1, "examples": ["/plus/view.php?aid=7"]}]


def test_dropped_links_are_all_counted_with_three_examples_of_at_most_200_characters():
    long = "/plus/" + "x" * 300
    source = "".join(f'<p><a href="{href}">附件</a></p>' for href in (long, "/a/1", "/a/2", "/a/3"))
    assert html_to_blocks(source).dropped == [{"code": "link", "count": 4, "examples": [long[:200], "/a/1", "/a/2"]}]


def test_touching_runs_of_one_mark_become_one_mark_and_different_ones_stay_apart():
    """Word splits a bold word into several runs: they are one bold mark; a bold run touching an italic
    one, or a link touching a link elsewhere, stays its own mark."""
    source = (
        "<p><b>一二</b><b>三四</b><i>五六</i>"
        '<a href="https://a.cn/1">七八</a><a href="https://a.cn/2">九十</a><a href="https://a.cn/2">甲乙</a></p>'
    )
    assert html_to_blocks(source).blocks == [
        {
            "type": "paragraph",
            "text": "一二三四五六七八九十甲乙",
            "marks": [
                {"type": "bold", "start": 0, "end": 4},
                {"type": "italic", "start": 4, "end": 6},
                {"type": "link", "start": 6, "end": 8, "href": "https://a.cn/1"},
                {"type": "link", "start": 8, "end": 12, "href": "https://a.cn/2"},
            ],
        }
    ]


def test_line_breaks_stay_inside_a_paragraph_and_two_of_them_part_paragraphs():
    blocks = html_to_blocks("一行<br>二行<br><br><b>三段</b>").blocks
    assert blocks == [
        {"type": "paragraph", "text": "一行\n二行"},
        {"type": "paragraph", "text": "三段", "marks": [{"type": "bold", "start": 0, "end": 2}]},
    ]


def test_a_space_before_a_line_break_is_dropped_and_the_text_before_it_kept_whole():
    blocks = html_to_blocks("<p>TAX <br>XX next <br>MAX</p>").blocks
    assert blocks == [{"type": "paragraph", "text": "TAX\nXX next\nMAX"}]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>会议于今日\n  在北京召开</p>", "会议于今日在北京召开"),  # a source line wrapped between CJK: no space
        ("<p>会议于今日\r\n在北京召开。\nNewsroom\nrelease</p>", "会议于今日在北京召开。 Newsroom release"),
        ("<p>2026\n年</p>", "2026 年"),
    ],
)
def test_a_source_line_break_is_no_space_between_chinese_characters_and_one_space_elsewhere(html, text):
    assert html_to_blocks(html).blocks == [{"type": "paragraph", "text": text}]


def test_a_space_first_in_a_paragraph_or_after_a_space_in_another_element_is_dropped():
    assert html_to_blocks("<p><b>TAX</b> 2026</p>").blocks[0]["text"] == "TAX 2026"  # after a letter: kept
    blocks = html_to_blocks("<p> 甲 <b> 乙</b>\n<i>\n丙</i></p>").blocks
    assert blocks == [
        {
            "type": "paragraph",
            "text": "甲 乙 丙",
            "marks": [{"type": "bold", "start": 2, "end": 3}, {"type": "italic", "start": 4, "end": 5}],
        }
    ]


def test_italic_and_underline_set_by_a_style_are_marks_as_bold_is_in_lower_case_or_as_old_ie_wrote_them():
    html = (
        '<p><span style="font-weight:bold">粗</span><span style="FONT-STYLE: italic">斜</span>'
        '<span style="text-decoration: underline">下</span>正</p>'
    )
    ie = (
        '<P><SPAN style="FONT-WEIGHT: bold">粗</SPAN><SPAN style="font-style: italic">斜</SPAN>'
        '<SPAN style="TEXT-DECORATION: underline">下</SPAN>正</P>'
    )
    assert html_to_blocks(ie).blocks == html_to_blocks(html).blocks
    assert html_to_blocks(html).blocks == [
        {
            "type": "paragraph",
            "text": "粗斜下正",
            "marks": [
                {"type": "bold", "start": 0, "end": 1},
                {"type": "italic", "start": 1, "end": 2},
                {"type": "underline", "start": 2, "end": 3},
            ],
        }
    ]


def test_a_style_is_read_in_any_case_and_only_from_the_properties_it_names():
    mixed = '<p><span style="Font-Weight: Bold; color: red">粗</span><span style="Font-Style:Italic">斜</span>正</p>'
    assert html_to_blocks(mixed).blocks == [
        {
            "type": "paragraph",
            "text": "粗斜正",
            "marks": [{"type": "bold", "start": 0, "end": 1}, {"type": "italic", "start": 1, "end": 2}],
        }
    ]
    lookalikes = "x-font-weight: bold; my-font-style: italic; not-text-decoration: underline"
    lookalikes += "; text-decoration-color: underline"  # not a line: an invalid colour
    plain = [{"type": "paragraph", "text": "甲乙"}]
    assert html_to_blocks(f'<p><span style="{lookalikes}">甲</span>乙</p>').blocks == plain
    word = '<p style="x-mso-list: l0 level1 lfo1">甲</p><p style="color: red;MSO-LIST: L0 LEVEL1 LFO1">乙</p>'
    assert html_to_blocks(word).blocks == [
        {"type": "paragraph", "text": "甲"},
        {"type": "list", "ordered": False, "items": [{"text": "乙"}]},
    ]


def test_sections_as_wechat_writes_them_are_paragraphs_of_their_own():
    html = "<section>第一段</section><section><span>第二段</span></section>第三段<address>地址</address>"
    assert [block["text"] for block in html_to_blocks(html).blocks] == ["第一段", "第二段", "第三段", "地址"]


@pytest.mark.parametrize(
    ("html", "kind"),
    [("<p><br>甲<b>乙</b></p>", "paragraph"), ("<blockquote><br><br>甲<b>乙</b></blockquote>", "quote")],
)
def test_line_breaks_first_in_a_block_go_and_its_marks_keep_their_place(html, kind):
    assert html_to_blocks(html).blocks == [
        {"type": kind, "text": "甲乙", "marks": [{"type": "bold", "start": 1, "end": 2}]}
    ]


def test_what_is_dropped_is_named_with_the_address_of_a_frame_or_an_embed_and_the_name_of_a_handler():
    html = (
        '<p onclick="x()" onmouseover="y()">甲</p><iframe src="https://v.qq.com/x/1"></iframe>'
        '<embed src="https://player.example.cn/a.swf"><object data="b.swf"></object>'
        '<script src="https://cdn.example.cn/t.js"></script><p>乙</p>'
    )
    assert html_to_blocks(html).dropped == [
        {"code": "embed", "count": 2, "examples": ["https://player.example.cn/a.swf"]},  # an object's: none
        {"code": "event_attribute", "count": 2, "examples": ["onclick", "onmouseover"]},
        {"code": "frame", "count": 1, "examples": ["https://v.qq.com/x/1"]},
        {"code": "script", "count": 1},  # a script's address is no example an editor needs
    ]


def test_a_mark_ending_in_spaces_before_a_line_break_ends_with_its_text_not_on_the_break():
    blocks = html_to_blocks("<p>TAX <b>2026 </b><br>next <i> </i><br><a href='https://a.org/'>link</a></p>").blocks
    assert blocks == [
        {
            "type": "paragraph",
            "text": "TAX 2026\nnext\nlink",
            "marks": [
                {"type": "bold", "start": 4, "end": 8},  # "2026", not "2026\n"
                {"type": "link", "start": 14, "end": 18, "href": "https://a.org/"},
            ],
        }
    ]
    assert savable(blocks)


def test_lists_deeper_than_two_levels_join_the_second_and_cell_rows_are_padded():
    blocks = html_to_blocks(
        "<ul><li>一<ol><li>二<ul><li>三</li></ul></li></ol></li></ul>"
        "<table><tr><td colspan=2>甲</td></tr><tr><td>乙</td></tr></table>"
    ).blocks
    assert blocks[0] == {
        "type": "list",
        "ordered": False,
        "items": [{"text": "一", "items": [{"text": "二"}, {"text": "三"}]}],
    }
    assert blocks[1] == {
        "type": "table",
        "header": False,
        "rows": [[{"text": "甲"}, {"text": ""}], [{"text": "乙"}, {"text": ""}]],
    }
    assert savable(blocks)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_in_marks_links_and_cells_comes_out_as_text(payload):
    escaped = html_lib.escape(payload)
    source = (
        f"<p><b>{escaped}</b><a href='https://a.cn/'>{escaped}</a></p>"
        f"<table><tr><th>{escaped}</th></tr><tr><td><i>{escaped}</i></td></tr></table>"
        f"<ul><li>{escaped}</li></ul>"
    )
    blocks = html_to_blocks(source).blocks
    texts = [blocks[0]["text"], blocks[1]["rows"][0][0]["text"], blocks[1]["rows"][1][0]["text"]]
    assert all(payload.strip() in text for text in texts)  # text, never markup: it is escaped when shown
    assert savable(blocks)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markup_loses_its_scripts_handlers_and_frames(payload):
    blocks = html_to_blocks(f"<p>前{payload}后</p><table><tr><td>{payload}</td></tr></table>").blocks
    flat = repr(blocks)
    assert "onerror" not in flat and "onload" not in flat and "javascript" not in flat.lower().replace("\\", "")
    assert all(link_problem(href) is None for href in links(blocks))
    savable(blocks)


@pytest.mark.parametrize("href", HOSTILE_HREFS)
def test_hostile_link_targets_are_dropped_and_named(href):
    converted = html_to_blocks(
        f'<p><a href="{href}">点我</a></p><table><tr><td><a href="{href}">格</a></td></tr></table>'
    )
    assert all(link_problem(target) is None and "alert" not in target for target in links(converted.blocks))
    assert converted.blocks[0]["text"] == "点我"
    codes = {d["code"] for d in converted.dropped}
    assert "link" in codes or "event_attribute" in codes


def test_the_route_converts_for_an_editor(client, auth):
    response = call(client, "POST", "/api/convert/html", {"html": (FILES / "wechat.html").read_text()}, auth)
    assert response.status_code == 200
    assert response.json["blocks"] == html_to_blocks((FILES / "wechat.html").read_text()).blocks
    assert {"code": "script", "count": 1} in response.json["dropped"]


def test_the_route_needs_a_token_and_a_string(client, auth):
    assert call(client, "POST", "/api/convert/html", {"html": "<p>x</p>"}).status_code == 401
    bad = call(client, "POST", "/api/convert/html", {"html": 7}, auth)
    assert bad.status_code == 400 and bad.json["field"] == "html" and bad.json["code"] == "html_type"
    base = call(client, "POST", "/api/convert/html", {"html": "x", "base_url": "javascript:x"}, auth)
    assert base.status_code == 400 and base.json["field"] == "base_url"
    extra = call(client, "POST", "/api/convert/html", {"html": "x", "css": "y"}, auth)
    assert extra.status_code == 400 and extra.json["field"] == "css"


def test_reader_pages_never_load_nh3():
    """nh3 is imported where HTML is converted only: the app and a page render leave it out."""
    code = "import app, sys; from chalicelib import pages; print('nh3' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1]
    )
    assert result.stdout.strip() == "False"


def word_item(list_id: int, level: int, marker: str, text: str, override: int = 1) -> str:
    """A Word list paragraph as Word pastes it: the list and level in its style, the marker in an ignored span."""
    return (
        f"<p class=MsoListParagraph style='mso-list:l{list_id} level{level} lfo{override}'><![if !supportLists]>"
        f"<span style='mso-list:Ignore'>{marker}<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span>"
        f"</span><![endif]>{text}</p>"
    )


def test_a_quote_inside_a_quote_is_one_quote_and_text_before_a_quote_is_its_own_paragraph():
    nested = "<blockquote><p>引文</p><blockquote><p>内层</p></blockquote><p>尾</p></blockquote><p>正文</p>"
    assert html_to_blocks(nested).blocks == [
        {"type": "quote", "text": "引文\n内层\n尾"},
        {"type": "paragraph", "text": "正文"},
    ]
    assert html_to_blocks("前言<blockquote>引文</blockquote>").blocks == [
        {"type": "paragraph", "text": "前言"},
        {"type": "quote", "text": "引文"},
    ]


def test_a_quote_inside_a_list_item_or_a_cell_is_a_line_of_it():
    blocks = html_to_blocks(
        "<ul><li>条目<blockquote>引文</blockquote></li></ul>"
        "<table><tr><td>格<blockquote>引文</blockquote></td></tr></table>"
    ).blocks
    assert blocks == [
        {"type": "list", "ordered": False, "items": [{"text": "条目\n引文"}]},
        {"type": "table", "header": False, "rows": [[{"text": "格\n引文"}]]},
    ]


def test_a_word_list_goes_back_from_its_second_level_to_the_first():
    source = word_item(0, 1, "1.", "报到") + word_item(0, 2, "a.", "领取材料") + word_item(0, 1, "2.", "开幕式")
    assert html_to_blocks(source).blocks == [
        {
            "type": "list",
            "ordered": True,
            "items": [{"text": "报到", "items": [{"text": "领取材料"}]}, {"text": "开幕式"}],
        }
    ]


def test_a_word_list_is_numbered_by_its_first_marker_even_with_one_item_or_other_markers_later():
    source = (
        word_item(0, 1, "1.", "唯一一项")
        + "<p>中间一段</p>"
        + word_item(1, 1, "1.", "第一项")
        + word_item(1, 1, "·", "第二项", override=2)  # the same list, another format for this paragraph
        + word_item(2, 1, "·", "要点")
    )
    assert html_to_blocks(source).blocks == [
        {"type": "list", "ordered": True, "items": [{"text": "唯一一项"}]},
        {"type": "paragraph", "text": "中间一段"},
        {"type": "list", "ordered": True, "items": [{"text": "第一项"}, {"text": "第二项"}]},
        {"type": "list", "ordered": False, "items": [{"text": "要点"}]},
    ]


def test_list_items_pasted_without_their_list_are_lines_of_a_paragraph():
    """A selection that starts inside a list can come without its `<ul>`: its items are kept, as lines."""
    assert html_to_blocks("<li>报到</li><li>开幕式</li><p>正文</p>").blocks == [
        {"type": "paragraph", "text": "报到\n开幕式"},
        {"type": "paragraph", "text": "正文"},
    ]


def test_a_first_marker_in_two_ignored_spans_still_numbers_the_list():
    """Some editors (WPS among them) put a list's number and the space after it in separate ignored spans: the
    space that ends the marker does not undo the numbering."""
    first = (
        "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>1.</span>"
        "<span style='mso-list:Ignore'>&nbsp;&nbsp;</span>报到</p>"
    )
    assert html_to_blocks(first + word_item(0, 1, "2.", "开幕式")).blocks == [
        {"type": "list", "ordered": True, "items": [{"text": "报到"}, {"text": "开幕式"}]}
    ]


def test_word_list_markers_outside_a_list_are_left_out():
    """Word numbers headings with a list too, and a list in a table cell is read as the cell's text."""
    heading = "<h2 style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>1.<span>&nbsp;</span></span>总则</h2>"
    cell = f"<table><tr><td>{word_item(2, 1, '1.', '格内一项')}</td></tr></table>"
    assert html_to_blocks(heading + cell).blocks == [
        {"type": "heading", "text": "总则"},
        {"type": "table", "header": False, "rows": [[{"text": "格内一项"}]]},
    ]


def test_a_paragraph_at_word_list_level_0_is_a_paragraph_and_the_list_after_it_has_its_own_marker():
    blocks = html_to_blocks(word_item(0, 0, "·", "说明") + word_item(0, 1, "1.", "第一项")).blocks
    assert blocks == [
        {"type": "paragraph", "text": "说明"},
        {"type": "list", "ordered": True, "items": [{"text": "第一项"}]},
    ]


def test_an_html_list_around_a_deep_word_item_ends_where_its_tag_does():
    source = word_item(0, 1, "1.", "议程") + "<ul><li>" + word_item(0, 3, "a.", "分组讨论") + "</li></ul>其他事项"
    assert html_to_blocks(source).blocks == [
        {
            "type": "list",
            "ordered": True,
            "items": [{"text": "议程", "items": [{"text": "分组讨论"}]}, {"text": "其他事项"}],
        }
    ]


def test_a_word_list_paragraph_inside_nested_html_lists_is_an_item_of_the_word_list_and_nothing_is_lost(client, auth):
    """Word's list paragraphs pasted around and inside HTML lists: the Word item closes the HTML lists down to its
    level, and their end tags then close nothing more (this was a 500: a list popped twice)."""
    word = "<p style='mso-list:l0 level1 lfo1'>{}</p>"
    pasted = word.format("一") + "<ul><li>x<ul><li>y" + word.format("三") + "</li></ul></li></ul><p>后记</p>"
    response = call(client, "POST", "/api/convert/html", {"html": pasted}, auth)
    assert response.status_code == 200, response.json
    assert response.json["blocks"] == [
        {
            "type": "list",
            "ordered": False,
            "items": [{"text": "一", "items": [{"text": "x"}, {"text": "y"}]}, {"text": "三"}],
        },
        {"type": "paragraph", "text": "后记"},
    ]


def test_a_heading_around_a_word_list_ends_with_its_end_tag_and_the_paragraphs_after_it_are_paragraphs():
    item = '<p style="mso-list:l0 level1 lfo1">项</p>'
    assert html_to_blocks(f"<h2>标题{item}</h2>后文<p>段</p>").blocks == [
        {"type": "heading", "text": "标题"},
        {"type": "list", "ordered": False, "items": [{"text": "项\n后文"}]},  # text between: a line of the item
        {"type": "paragraph", "text": "段"},
    ]
    assert html_to_blocks(f"<h2>标题{item}<p>尾</p></h2><p>段</p>").blocks == [
        {"type": "heading", "text": "标题"},
        {"type": "list", "ordered": False, "items": [{"text": "项"}]},
        {"type": "heading", "text": "尾"},  # still inside the heading, as a paragraph in a heading is
        {"type": "paragraph", "text": "段"},
    ]


def test_a_paragraph_styled_as_list_level_0_is_a_paragraph_of_its_own():
    """Word numbers list levels from 1; a `level0` (hand-written or another tool's) is no list paragraph."""
    source = "<p style='mso-list:l0 level0 lfo1'>说明</p><p style='mso-list:l0 level0 lfo1'>补充</p><p>后记</p>"
    assert html_to_blocks(source).blocks == [
        {"type": "paragraph", "text": "说明"},
        {"type": "paragraph", "text": "补充"},
        {"type": "paragraph", "text": "后记"},
    ]


def test_text_between_word_list_paragraphs_is_a_line_of_the_item_before_it_with_its_marks():
    source = word_item(0, 1, "1.", "<b>报到</b>地点") + "领取<b>材料</b>" + word_item(0, 1, "2.", "开幕")
    assert html_to_blocks(source).blocks == [
        {
            "type": "list",
            "ordered": True,
            "items": [
                {
                    "text": "报到地点\n领取材料",
                    "marks": [{"type": "bold", "start": 0, "end": 2}, {"type": "bold", "start": 7, "end": 9}],
                },
                {"text": "开幕"},
            ],
        }
    ]


def test_a_list_inside_a_quote_or_a_cell_is_lines_of_it():
    source = (
        "<blockquote><ul><li>一</li><li>二</li></ul></blockquote>"
        "<table><tr><td><ol><li>甲</li><li>乙</li></ol></td></tr></table>"
    )
    assert html_to_blocks(source).blocks == [
        {"type": "quote", "text": "一\n二"},
        {"type": "table", "header": False, "rows": [[{"text": "甲\n乙"}]]},
    ]


def test_the_items_of_a_nested_list_without_an_item_of_its_own_take_its_place():
    wrapped = "<ul><li><ul><li>一</li><li>二</li></ul></li><li>三</li></ul>"  # in an item without text
    bare = "<ol><ul><li>一</li></ul><li>二</li></ol>"  # straight inside the list, before any item
    assert html_to_blocks(wrapped).blocks == [
        {"type": "list", "ordered": False, "items": [{"text": "一"}, {"text": "二"}, {"text": "三"}]}
    ]
    assert html_to_blocks(bare).blocks == [{"type": "list", "ordered": True, "items": [{"text": "一"}, {"text": "二"}]}]


@pytest.mark.parametrize(
    ("html", "blocks"),
    [
        (
            "<ul><li>项<table><tr><td>内</td></tr></table>尾</li></ul>",
            [{"type": "list", "ordered": False, "items": [{"text": "项\n内\n尾"}]}],
        ),
        ("<blockquote>引<table><tr><td>内</td></tr></table>尾</blockquote>", [{"type": "quote", "text": "引\n内\n尾"}]),
        (
            "<table><tr><td>外<table><tr><td>内一</td></tr></table><table><tr><td>内二</td></tr></table>后</td>"
            "<td>右</td></tr></table>",
            [{"type": "table", "header": False, "rows": [[{"text": "外\n内一\n内二\n后"}, {"text": "右"}]]}],
        ),
    ],
)
def test_a_table_inside_a_list_a_quote_or_a_cell_is_read_as_lines_of_it(html, blocks):
    """A body holds no table within a block: its cells' text stays where the table stood, a line each."""
    assert html_to_blocks(html).blocks == blocks


@pytest.mark.parametrize(
    ("first_row", "header"),
    [
        ("<td><b>时间</b></td><td><strong>议程</strong></td>", True),  # every cell bold throughout: a header
        ("<td><b>时间</b></td><td>议程</td>", False),
        ("<td>上<b>午</b>九</td><td><b>议程</b></td>", False),  # bold in the middle of a cell
        ("<td><i>时间</i></td><td><i>议程</i></td>", False),  # a whole cell in italics is no header
    ],
)
def test_a_first_row_bold_in_every_cell_is_the_table_s_header(first_row, header):
    table = html_to_blocks(f"<table><tr>{first_row}</tr><tr><td>九点</td><td>开幕</td></tr></table>").blocks[0]
    assert table["header"] is header


def test_a_single_bold_row_is_a_body_row_with_its_bold_kept():
    """Bold first cells head a table only when rows follow: one bold row is text, as written."""
    (table,) = html_to_blocks("<table><tr><td><b>时间</b></td><td><b>议程</b></td></tr></table>").blocks
    bold = [{"type": "bold", "start": 0, "end": 2}]
    assert table == {
        "type": "table",
        "header": False,
        "rows": [[{"text": "时间", "marks": bold}, {"text": "议程", "marks": bold}]],
    }


@pytest.mark.parametrize(
    ("head", "header"),
    [
        ("<thead><tr><td>时间</td><td>议程</td></tr></thead>", True),  # plain cells in <thead>: its header
        ("<tr><th>时间</th><th>议程</th></tr>", True),  # header cells, no <thead>
        ("<tr><td>时间</td><td>议程</td></tr>", False),
        ("<thead></thead><tr><td>时间</td><td>议程</td></tr>", False),  # an empty <thead> closes before the row
    ],
)
def test_a_first_row_in_thead_or_of_header_cells_is_the_table_s_header(head, header):
    (table,) = html_to_blocks(f"<table>{head}<tr><td>九点</td><td>开幕</td></tr></table>").blocks
    assert table["header"] is header
    assert [[cell["text"] for cell in row] for row in table["rows"]] == [["时间", "议程"], ["九点", "开幕"]]


@pytest.mark.parametrize(
    ("html", "blocks"),
    [
        (
            "<p>前</p><table></table><p>后</p>",
            [{"type": "paragraph", "text": "前"}, {"type": "paragraph", "text": "后"}],
        ),
        (
            "<table><caption>2023年会员名单</caption><tr><td>甲</td></tr></table>",
            [
                {"type": "paragraph", "text": "2023年会员名单"},  # the caption goes above, as readers saw it
                {"type": "table", "header": False, "rows": [[{"text": "甲"}]]},
            ],
        ),
        ("<table><caption>表一</caption><tr><td> </td></tr></table>", [{"type": "paragraph", "text": "表一"}]),
        (
            "<table><caption> </caption><tr><td>甲</td></tr></table>",
            [{"type": "table", "header": False, "rows": [[{"text": "甲"}]]}],
        ),
        (
            "<table><tr><th></th><th></th></tr><tr><td>甲</td><td>乙</td></tr></table>",
            [{"type": "table", "header": False, "rows": [[{"text": "甲"}, {"text": "乙"}]]}],  # an empty header row
        ),
    ],
)
def test_a_table_s_caption_and_its_empty_rows(html, blocks):
    assert html_to_blocks(html).blocks == blocks


def test_a_cell_spanning_columns_is_followed_by_empty_cells_and_a_span_that_is_no_number_spans_one():
    first = '<td colspan="x">甲</td><td colspan="0">乙</td><td colspan="3">丙</td>'
    html = f"<table><tr>{first}</tr><tr><td>一</td></tr></table>"
    (table,) = html_to_blocks(html).blocks
    assert [[cell["text"] for cell in row] for row in table["rows"]] == [
        ["甲", "乙", "丙", "", ""],
        ["一", "", "", "", ""],
    ]


def test_rows_in_tbody_and_tfoot_are_rows_in_order_after_the_head():
    html = (
        "<table><thead><tr><th>单位</th></tr></thead><tbody><tr><td>甲</td></tr></tbody>"
        "<tfoot><tr><td>合计</td></tr></tfoot></table>"
    )
    assert html_to_blocks(html).blocks == [
        {"type": "table", "header": True, "rows": [[{"text": "单位"}], [{"text": "甲"}], [{"text": "合计"}]]}
    ]


@pytest.mark.parametrize(
    ("html", "blocks"),
    [
        ("<h2>第一行<br>第二行</h2>", [{"type": "heading", "text": "第一行 第二行"}]),  # a heading is one line
        (f"<h2>{'标' * 200}</h2>", [{"type": "heading", "text": "标" * 200}]),
        (
            f"<h2><b>{'长' * 201}</b></h2>",
            [{"type": "paragraph", "text": "长" * 201, "marks": [{"type": "bold", "start": 0, "end": 201}]}],
        ),
        ("<figure><figcaption>没有图片的说明</figcaption></figure>", [{"type": "paragraph", "text": "没有图片的说明"}]),
        (
            '<p><img src="https://img.example.cn/a.jpg"></p><h2>图后的标题</h2>',
            [
                {"type": "photo", "src": "https://img.example.cn/a.jpg", "alt": ""},
                {"type": "heading", "text": "图后的标题"},
            ],
        ),
    ],
)
def test_a_heading_is_one_line_of_at_most_200_characters_and_a_caption_needs_a_photo(html, blocks):
    assert html_to_blocks(html).blocks == blocks
