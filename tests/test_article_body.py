"""An article's body as types (chalicelib/article_body.py): the stored JSON read and written back key for key."""

from __future__ import annotations

import json

import pytest

from chalicelib import article_body
from chalicelib.article_body import Heading, ListBlock, Photo, PhotoMedia, Table, TextBlock, Video
from chalicelib.models import ArticleModel
from chalicelib.richtext.text import plain
from chalicelib.validation import blocks

MEDIA_EMPTY: dict[str, object] = {"status": "ready", "width": None, "height": None, "color": None, "widths": []}
MEDIA = {"status": "ready", "width": 1600, "height": 1067, "color": "#808080", "widths": [320, 640, 1024, 1600]}
# One block of every type, as an article stores it (what validation checks, without its empty fields).
STORED = [
    {"type": "paragraph", "text": "大会召开", "marks": [{"type": "bold", "start": 0, "end": 2}]},
    {"type": "quote", "text": "引文"},
    {"type": "heading", "text": "小标题"},
    {"type": "photo", "photo_id": "photo1", "caption": "合影", "media": MEDIA},
    {"type": "photo", "photo_id": "photo2", "alt": "会场", "media": {**MEDIA, "status": "pending", "widths": []}},
    {
        "type": "list",
        "ordered": True,
        "items": [
            {
                "text": "一",
                "items": [{"text": "甲", "marks": [{"type": "link", "start": 0, "end": 1, "href": "https://a.cn/"}]}],
            },
            {"text": "二"},
        ],
    },
    {"type": "list", "items": [{"text": "无序"}]},
    {"type": "table", "header": True, "rows": [[{"text": "项目"}, {"text": "金额"}], [{"text": "会费"}, {"text": ""}]]},
    {"type": "attachment", "attachment_id": "file1", "filename": "通知.pdf", "size": 2048},
    {"type": "video", "provider": "mp4", "video_id": "video1", "poster_photo_id": "photo1", "caption": "开幕"},
    {"type": "video", "provider": "bilibili", "video_id": "BV1xx411c7mD"},
]


def test_every_block_type_reads_as_its_type_and_writes_back_as_stored():
    body = article_body.from_json(STORED)
    assert [type(b).__name__ for b in body] == [
        "TextBlock", "TextBlock", "Heading", "Photo", "Photo", "ListBlock", "ListBlock", "Table", "Attachment",
        "Video", "Video",
    ]  # fmt: skip
    assert article_body.to_json(body) == STORED


def test_the_model_stores_the_same_compact_json_and_reads_blocks():
    attribute = ArticleModel.body
    body = attribute.deserialize(json.dumps(STORED, ensure_ascii=False))
    assert body[3] == Photo("photo1", "合影", None, PhotoMedia("ready", 1600, 1067, "#808080", [320, 640, 1024, 1600]))
    assert attribute.serialize(body) == json.dumps(STORED, ensure_ascii=False, separators=(",", ":"))


def test_empty_fields_are_left_out_and_the_editor_view_has_no_photo_snapshot():
    block = Photo("photo1", caption="", alt=None, media=PhotoMedia("ready"))
    assert article_body.block_to_json(block) == {"type": "photo", "photo_id": "photo1", "media": {**MEDIA_EMPTY}}
    assert article_body.editor_json(block) == {"type": "photo", "photo_id": "photo1"}
    assert article_body.block_to_json(ListBlock([], ordered=False)) == {"type": "list"}
    assert article_body.block_to_json(Table([[article_body.Inline("")]])) == {"type": "table", "rows": [[{"text": ""}]]}


def test_validation_hands_the_services_blocks():
    checked = blocks(
        [
            {"type": "paragraph", "text": "正文", "marks": []},
            {"type": "heading", "text": "标题"},
            {"type": "photo", "photo_id": "photo1", "caption": " "},
            {"type": "video", "url": "https://www.bilibili.com/video/BV1xx411c7mD"},
        ]
    )
    assert checked[:2] == [TextBlock("正文", [], "paragraph"), Heading("标题")]
    assert isinstance(checked[2], Photo) and checked[2].media is None
    assert checked[3] == Video("bilibili", "BV1xx411c7mD")


def test_plain_text_reads_the_types():
    body = article_body.from_json(STORED)
    assert [plain(b) for b in body[:4]] == ["大会召开", "引文", "小标题", "合影"]
    assert plain(body[5]) == "一\n甲\n二" and plain(body[7]) == "项目\t金额\n会费\t"
    assert plain(body[8]) == "" and plain(body[9]) == ""


def test_a_block_of_no_known_type_is_an_error_not_a_silent_skip():
    with pytest.raises(ValueError, match="unknown block type"):
        article_body.from_json([{"type": "marquee", "text": "x"}])
