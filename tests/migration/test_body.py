"""DedeCMS body HTML -> blocks (ops/dedecms/body.py), on what its editor and WeChat pastes produce."""

from __future__ import annotations

import pytest

from ops.dedecms.body import clean_marked, to_blocks, useful_alt


def blocks(html: str) -> list[dict]:
    return to_blocks(html).blocks


def test_spacers_and_styles_go_line_breaks_stay():
    html = (
        '<p style="text-indent:2em">&nbsp;</p><p>&nbsp;&nbsp;</p><p><br /></p>'
        '<p style="text-indent: 2em;"><span style="font-size:14px;color:#333">第一行<br/>第二行&nbsp;</span></p>'
    )
    assert blocks(html) == [{"type": "paragraph", "text": "第一行\n第二行"}]


def test_strong_subheadings_and_real_headings():
    html = "<p><strong>一、基本情况</strong></p><h2>二、<em>主要</em>做法</h2><p>正文<strong>加粗</strong>部分。</p>"
    assert blocks(html) == [
        {"type": "heading", "text": "一、基本情况"},
        {"type": "heading", "text": "二、主要做法"},
        {"type": "paragraph", "text": "正文加粗部分。", "marks": [{"type": "bold", "start": 2, "end": 4}]},
    ]


def test_a_short_bold_paragraph_broken_into_lines_stays_a_paragraph():
    """A heading is one line: bold lines with a break between them are a bold passage (a signature, an address)."""
    assert blocks("<p><strong>中国某某协会<br>2026年12月7日</strong></p>") == [
        {
            "type": "paragraph",
            "text": "中国某某协会\n2026年12月7日",
            "marks": [{"type": "bold", "start": 0, "end": 6}, {"type": "bold", "start": 7, "end": 17}],  # line by line
        }
    ]


def test_a_centred_line_after_a_photo_is_its_caption_and_junk_alt_is_dropped():
    html = (
        '<p style="text-align:center"><a href="/u/a.jpg"><img src="/u/a.jpg" alt="from clipboard"></a></p>'
        '<p style="text-align:center">图为会议现场</p>'
        '<p align="center"><img src="/u/b.jpg" alt="理事长讲话"><br>理事长讲话</p>'
        '<center><img src="/u/c.jpg" title="DSC_0012.JPG"></center>'
        "<p>不居中的正文不是图注。</p>"
    )
    assert blocks(html) == [
        {"type": "photo", "src": "/u/a.jpg", "caption": "图为会议现场"},
        {"type": "photo", "src": "/u/b.jpg", "caption": "理事长讲话"},  # alt equal to the caption: once
        {"type": "photo", "src": "/u/c.jpg"},
        {"type": "paragraph", "text": "不居中的正文不是图注。"},
    ]


def test_a_long_centred_paragraph_after_a_photo_stays_text():
    long = "这是一段居中的很长的正文，" * 12
    assert blocks(f'<p><img src="/u/a.jpg"></p><p style="text-align:center">{long}</p>')[1]["type"] == "paragraph"


def test_tables_stay_tables_with_their_header_and_links_video_is_dropped_and_reported():
    converted = to_blocks(
        '<table><tr><th>单位</th><th>人数</th></tr><tr><td><a href="http://www.a.cn/x">甲</a></td><td>3</td></tr>'
        '<tr><td>乙<img src="/u/t.jpg"></td><td>4</td></tr></table>'
        '<p><iframe src="https://v.qq.com/x"></iframe></p><script>alert(1)</script>'
    )
    link = {"type": "link", "start": 0, "end": 1, "href": "http://www.a.cn/x"}
    assert converted.blocks == [
        {
            "type": "table",
            "header": True,
            "rows": [
                [{"text": "单位"}, {"text": "人数"}],
                [{"text": "甲", "marks": [link]}, {"text": "3"}],
                [{"text": "乙"}, {"text": "4"}],
            ],
        },
        {"type": "photo", "src": "/u/t.jpg"},  # the importer makes it a photo, after the table
    ]
    assert converted.warnings == ["dropped a <iframe> (no such block here)"]


def test_links_are_kept_made_absolute_and_hostile_or_unresolvable_ones_reported():
    html = (
        '<p>见<a href="/plus/view.php?aid=3">通知</a>，<b>截止</b>日期，<a href="javascript:alert(1)">点此</a>，'
        '<a href="mailto:a@b.cn">来信</a>。</p>'
    )
    converted = to_blocks(html, "http://old.example.cn/a/")
    assert converted.blocks == [
        {
            "type": "paragraph",
            "text": "见通知，截止日期，点此，来信。",
            "marks": [
                {"type": "link", "start": 1, "end": 3, "href": "http://old.example.cn/plus/view.php?aid=3"},
                {"type": "bold", "start": 4, "end": 6},
                {"type": "link", "start": 12, "end": 14, "href": "mailto:a@b.cn"},
            ],
        }
    ]
    assert converted.warnings == ["a link to javascript:alert(1) was left out"]
    assert to_blocks(html).warnings[0] == "a link to /plus/view.php?aid=3 was left out"  # no base: not a link


def test_marks_follow_the_text_when_spaces_and_blank_lines_are_cleaned():
    html = "<p>&nbsp;&nbsp;第一行&nbsp;<br><br>\u3000\u3000<strong>第二行</strong>  尾</p>"
    assert blocks(html) == [
        {"type": "paragraph", "text": "第一行\n第二行 尾", "marks": [{"type": "bold", "start": 4, "end": 7}]}
    ]


@pytest.mark.parametrize("cell", ["td", "th"])
def test_a_one_cell_layout_table_is_walked_into(cell):
    html = (
        f'<table width="100%"><tr><{cell}><p>第一段</p>'
        f'<p style="text-align:center"><img src="/u/a.jpg"></p></{cell}></tr></table>'
    )
    assert blocks(html) == [{"type": "paragraph", "text": "第一段"}, {"type": "photo", "src": "/u/a.jpg"}]


def test_lists_stay_lists():
    assert blocks("<ol><li>报名</li><li><b>缴费</b></li></ol><ul><li>注意</li></ul>") == [
        {
            "type": "list",
            "ordered": True,
            "items": [{"text": "报名"}, {"text": "缴费", "marks": [{"type": "bold", "start": 0, "end": 2}]}],
        },
        {"type": "list", "ordered": False, "items": [{"text": "注意"}]},
    ]


def test_alt_text_worth_keeping():
    assert useful_alt("大会会场全景", "/u/1.jpg") == "大会会场全景"
    for junk in ("", "from clipboard", "FROM CLIPBOARD", "1.jpg", "1", "IMG_2031", "image", "微信图片_20230315"):
        assert useful_alt(junk, "/u/1.jpg") is None, junk
    assert useful_alt("会场.全景", "/uploads/2023/会场.全景.jpg") is None  # the file's name without its extension
    assert useful_alt("会场", "/uploads/会场.全景.jpg") == "会场"  # part of a name is no name
    assert useful_alt("uploads", "/uploads/a/b.jpg") == "uploads"  # nor is a folder's


def test_photos_in_a_list_or_table_keep_their_alt_only_when_it_says_something():
    html = '<ul><li>甲<img src="/u/t.jpg" alt="会场全景"></li><li>乙<img src="/u/s.jpg" alt="image"></li></ul>'
    assert blocks(html) == [
        {"type": "list", "ordered": False, "items": [{"text": "甲"}, {"text": "乙"}]},
        {"type": "photo", "src": "/u/t.jpg", "alt": "会场全景"},
        {"type": "photo", "src": "/u/s.jpg"},
    ]


def test_photos_in_a_list_keep_their_old_sites_address_as_written_and_never_a_script():
    """Relative addresses are the old site's files (read from its web root); a full address is kept; a
    `javascript:` or `data:text/html` one is no photo; a `data-src` stands in for an empty `src`."""
    html = (
        '<ul><li>甲<img src="https://www.old.example.cn/u/a.jpg"></li><li>乙<img src="u/b.jpg"></li>'
        '<li>丙<img src="javascript:alert(1)"></li><li>丁<img src="data:text/html,x"></li>'
        '<li>戊<img src=" " data-src="/u/e.jpg"></li><li>己<img src="uploads/2023:03/f.jpg"></li>'
        '<li>庚<img alt="没有地址"></li><li>辛<img src="mailto:a@b.cn"></li></ul>'
    )
    converted = to_blocks(html)
    assert [b["src"] for b in converted.blocks if b["type"] == "photo"] == [
        "https://www.old.example.cn/u/a.jpg",
        "u/b.jpg",
        "/u/e.jpg",
        "uploads/2023:03/f.jpg",  # a colon after the first slash is a path's, not a scheme's
    ]
    assert converted.warnings == ["left out of a list or table: image (4)"]


def test_links_in_a_list_of_a_page_at_a_url_are_read_against_its_address():
    html = '<ul><li><a href="/a/news/2.html">上次大会</a></li></ul>'
    converted = to_blocks(html, "http://www.old.example.cn/a/news/1.html")
    (item,) = converted.blocks[0]["items"]
    assert item["marks"] == [{"type": "link", "start": 0, "end": 4, "href": "http://www.old.example.cn/a/news/2.html"}]
    assert converted.warnings == []


def test_anchors_and_links_within_the_page_stay_plain_text_unreported():
    html = '<p><a name="top">顶部</a>，<a href="#top">回到顶部</a>，<a href=" ">空链接</a></p>'
    for base_url in (None, "http://old.example.cn/a/"):
        converted = to_blocks(html, base_url)
        assert converted.blocks == [{"type": "paragraph", "text": "顶部，回到顶部，空链接"}], base_url
        assert converted.warnings == [], base_url


def test_a_long_link_left_out_is_reported_by_its_first_100_characters():
    href = "javascript:" + "void(0);" * 20
    converted = to_blocks(f'<p><a href="{href}">点此</a>报名</p>', "http://old.example.cn/a/")
    assert converted.blocks == [{"type": "paragraph", "text": "点此报名"}]
    assert converted.warnings == [f"a link to {href[:100]} was left out"]


def test_list_items_outside_a_list_become_bulleted_paragraphs():
    """Old editors pasted `<li>`s without their `<ul>`: each is a line of its own, marked as a list item."""
    html = "<div><li>报名截止12月20日</li><li><b>缴费</b>后领取材料</li></div><p>正文。</p>"
    assert blocks(html) == [
        {"type": "paragraph", "text": "• 报名截止12月20日"},
        {"type": "paragraph", "text": "• 缴费后领取材料", "marks": [{"type": "bold", "start": 2, "end": 4}]},
        {"type": "paragraph", "text": "正文。"},
    ]


def test_a_link_whose_old_address_holds_a_space_is_kept_encoded():
    """Old editors typed file names with spaces; the paste converter keeps such links, and so does the import."""
    converted = to_blocks('<p>详见<a href="/files/会议 纪要.doc">纪要</a></p>', "http://old.example.cn/a/1.html")
    assert converted.blocks[0]["marks"] == [
        {"type": "link", "start": 2, "end": 4, "href": "http://old.example.cn/files/会议%20纪要.doc"}
    ]
    assert converted.warnings == []


@pytest.mark.parametrize(
    ("line", "caption"),
    [("图" * 120, True), ("图" * 121, False), ("图为会场<br>第二行", False)],
)
def test_a_centred_line_of_at_most_120_characters_without_a_break_is_the_photo_s_caption(line, caption):
    converted = blocks(f'<p><img src="/u/a.jpg"></p><p style="text-align:center">{line}</p>')
    assert ("caption" in converted[0]) is caption, converted


def bold(start: int, end: int) -> dict[str, object]:
    return {"type": "bold", "start": start, "end": end}


def link(start: int, end: int, href: str) -> dict[str, object]:
    return {"type": "link", "start": start, "end": end, "href": href}


@pytest.mark.parametrize(
    ("text", "marks", "cleaned"),
    [
        ("  甲乙 ", [bold(2, 4)], {"text": "甲乙", "marks": [bold(0, 2)]}),  # the line trimmed, the mark moved
        ("甲\n乙", [bold(2, 3)], {"text": "甲\n乙", "marks": [bold(2, 3)]}),  # a line break is a character
        ("甲\xa0\u3000乙", [bold(3, 4)], {"text": "甲 乙", "marks": [bold(2, 3)]}),  # spaces of any kind: one
        ("甲 乙", [bold(1, 2)], {"text": "甲 乙"}),  # a mark over a space alone is no mark
        ("甲乙", [bold(0, 1), bold(1, 2)], {"text": "甲乙", "marks": [bold(0, 2)]}),  # marks that touch are one
        # each mark is joined to the last of its kind, not the first
        ("甲乙丙丁", [bold(0, 1), bold(2, 3), bold(3, 4)], {"text": "甲乙丙丁", "marks": [bold(0, 1), bold(2, 4)]}),
        # links that touch are one only when they go to the same place
        ("甲乙", [link(0, 1, "http://a.cn/x"), link(1, 2, "http://a.cn/y")], None),
        (
            "甲乙",
            [link(0, 1, "http://a.cn/x"), link(1, 2, "http://a.cn/x")],
            {"text": "甲乙", "marks": [link(0, 2, "http://a.cn/x")]},
        ),
        ("甲乙", [bold(0, 1), link(1, 2, "http://a.cn/x")], None),  # a bold and a link: two marks
        ("甲\r乙", [bold(0, 1)], {"text": "甲乙"}),  # a lone "\r" is dropped: where the marks go is unsure
    ],
)
def test_marks_follow_their_text_as_spaces_and_lines_are_cleaned(text, marks, cleaned):
    assert clean_marked(text, marks) == (cleaned or {"text": text, "marks": marks})  # None: as they were


def test_text_after_a_comment_a_script_or_a_dropped_video_is_kept_in_its_paragraph():
    converted = to_blocks(
        "<p>会议<!-- 旧编辑器的注释 -->开幕</p><p>发言<script>track()</script>摘要</p>"
        '<p>视频<iframe src="https://v.qq.com/x"></iframe>见原文</p>'
    )
    assert converted.blocks == [
        {"type": "paragraph", "text": "会议开幕"},
        {"type": "paragraph", "text": "发言摘要"},
        {"type": "paragraph", "text": "视频见原文"},
    ]
    assert converted.warnings == ["dropped a <iframe> (no such block here)"]


def test_a_line_in_a_center_element_after_a_photo_is_its_caption():
    assert blocks('<p><img src="/u/a.jpg"></p><CENTER>图为会议现场</CENTER>') == [
        {"type": "photo", "src": "/u/a.jpg", "caption": "图为会议现场"}
    ]


def test_an_image_without_an_address_is_dropped_and_reported():
    converted = to_blocks('<p>前文<img alt="会场"><img src="  ">后文</p>')
    assert converted.blocks == [{"type": "paragraph", "text": "前文"}, {"type": "paragraph", "text": "后文"}]
    assert converted.warnings == ["dropped an image without src", "dropped an image without src"]


def test_an_images_title_is_its_alt_when_it_has_no_alt():
    assert blocks('<p><img src="/u/a.jpg" title="理事长讲话"></p><p>正文。</p>')[0] == {
        "type": "photo",
        "src": "/u/a.jpg",
        "alt": "理事长讲话",
    }
    assert blocks('<img src="/u/a.jpg" alt="会场全景" title="理事长讲话">')[0]["alt"] == "会场全景"


def test_a_link_inside_a_link_ends_where_the_inner_one_does():
    """Invalid, but old editors wrote it: the outer link goes on after the inner one."""
    html = '<p><a href="http://a.cn/x">甲<span><a href="http://a.cn/y">乙</a></span>丙</a>丁</p>'
    assert blocks(html) == [
        {
            "type": "paragraph",
            "text": "甲乙丙丁",
            "marks": [link(0, 1, "http://a.cn/x"), link(1, 2, "http://a.cn/y"), link(2, 3, "http://a.cn/x")],
        }
    ]


def test_a_definition_list_is_its_own_paragraphs():
    assert blocks("<div>说明如下<dl>术语表<dt>会员</dt><dd>缴纳会费的单位</dd></dl>以上。</div>") == [
        {"type": "paragraph", "text": "说明如下"},
        {"type": "paragraph", "text": "术语表"},
        {"type": "paragraph", "text": "会员"},
        {"type": "paragraph", "text": "缴纳会费的单位"},
        {"type": "paragraph", "text": "以上。"},
    ]


@pytest.mark.parametrize(("length", "kind"), [(40, "heading"), (41, "paragraph")])
def test_a_bold_paragraph_of_at_most_40_characters_is_a_subheading(length, kind):
    assert blocks(f"<p><strong>{'标' * length}</strong></p>")[0]["type"] == kind


@pytest.mark.parametrize(
    "html",
    [
        '<p style="text-align:center"><img src="/u/a.jpg">图为会议现场</p>',
        '<div align="center"><p><img src="/u/a.jpg">图为会议现场</p></div>',  # centred further out
        '<center><span><img src="/u/a.jpg"></span>图为会议现场</center>',
    ],
)
def test_text_after_a_photo_in_a_centred_block_is_its_caption(html):
    assert blocks(html) == [{"type": "photo", "src": "/u/a.jpg", "caption": "图为会议现场"}]


def test_text_after_a_photo_in_a_block_not_centred_is_text():
    assert blocks('<p><img src="/u/a.jpg">会议现场</p><p align="left">正文。</p>') == [
        {"type": "photo", "src": "/u/a.jpg"},
        {"type": "paragraph", "text": "会议现场"},
        {"type": "paragraph", "text": "正文。"},
    ]


@pytest.mark.parametrize("tag", ["strong", "b", "STRONG"])
def test_text_after_an_inline_element_inside_bold_is_bold(tag):
    assert blocks(f"<p><{tag}><span>一、</span>基本情况</{tag}></p>") == [{"type": "heading", "text": "一、基本情况"}]
    assert blocks(f"<p>正文<{tag}><span>甲</span>乙</{tag}>丙</p>") == [
        {"type": "paragraph", "text": "正文甲乙丙", "marks": [bold(2, 4)]}
    ]


@pytest.mark.parametrize(
    ("html", "heading"),
    [
        ("<h3>一、\n 基本情况</h3>", "一、基本情况"),  # a source line wrapped between Chinese characters: no space
        ("<h3>Annual\nreport 2026</h3>", "Annual report 2026"),
    ],
)
def test_a_heading_written_over_several_source_lines_is_one_line(html, heading):
    assert blocks(html) == [{"type": "heading", "text": heading}]


@pytest.mark.parametrize("html", ["", "  \n\t", "<!-- 空 -->"])
def test_an_empty_body_has_no_blocks(html):
    assert to_blocks(html).blocks == [] and to_blocks(html).warnings == []
