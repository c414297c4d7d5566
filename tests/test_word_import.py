"""Word import: a .docx made by python-docx, uploaded with the attachments' form, becomes a draft."""

from __future__ import annotations

import io

import requests
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches
from PIL import Image

from chalicelib.models import PhotoModel
from tests.api_helpers import call


def picture(colour: tuple[int, int, int]) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), colour).save(out, "PNG")
    out.seek(0)
    return out


def notice_docx() -> bytes:
    """A notice as associations write them: headings, bold, a list, a table, captioned pictures."""
    document = Document()
    document.add_heading("关于召开2026年会员大会的通知", level=1)
    intro = document.add_paragraph("各会员单位：请于")
    intro.add_run("12月20日前").bold = True
    intro.add_run("报名。")
    document.add_heading("一、会议安排", level=2)
    document.add_paragraph("签到", style="List Number")
    document.add_paragraph("开幕", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("时间", "议程"), ("9:00", "开幕式")], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    for n, colour in ((1, (200, 30, 30)), (2, (30, 200, 30))):
        document.add_paragraph().add_run().add_picture(picture(colour), width=Inches(3))
        caption = document.add_paragraph(f"图{n} 去年大会现场")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("联系人：王老师，电话 010-12345678。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, auth, filename: str, data: bytes) -> str:
    form = call(client, "POST", "/api/attachments", {"filename": filename, "size": len(data)}, auth).json
    files = {"file": ("f", data)}
    requests.post(form["upload"]["url"], data=form["upload"]["fields"], files=files, timeout=10).raise_for_status()
    return form["attachment_id"]


def test_a_docx_becomes_a_draft_with_headings_marks_lists_a_table_and_captioned_photos(client, auth):
    attachment_id = upload(client, auth, "年会通知.docx", notice_docx())
    answer = call(client, "POST", "/api/imports/word", {"attachment_id": attachment_id, "category": "industry"}, auth)
    assert answer.status_code == 201, answer.json
    article = answer.json["article"]
    assert article["title"] == "年会通知" and article["status"] == "draft" and answer.json["failed_images"] == []
    body = article["body"]
    kinds = [b["type"] for b in body]
    assert kinds[:2] == ["heading", "paragraph"] and "list" in kinds and "table" in kinds
    assert body[1] == {
        "type": "paragraph",
        "text": "各会员单位：请于12月20日前报名。",
        "marks": [{"type": "bold", "start": 8, "end": 15}],
    }
    table = next(b for b in body if b["type"] == "table")
    assert [[c["text"] for c in row] for row in table["rows"]] == [["时间", "议程"], ["9:00", "开幕式"]]
    photos = [b for b in body if b["type"] == "photo"]
    assert [p.get("caption") for p in photos] == ["图1 去年大会现场", "图2 去年大会现场"]
    assert all(PhotoModel.get(p["photo_id"]).status == "pending" for p in photos)
    assert body[-1]["text"] == "联系人：王老师，电话 010-12345678。"
    again = call(client, "POST", "/api/imports/word", {"attachment_id": attachment_id, "category": "industry"}, auth)
    assert again.status_code == 404  # the upload was used up


def test_a_doc_is_refused_with_save_as_docx_and_other_files_are_not_read(client, auth):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    for filename, data, code in [
        ("旧通知.doc", ole, "word_doc"),
        ("旧通知.docx", ole, "word_doc"),
        ("报名表.pdf", b"%PDF-1.4 ...", "word_type"),
        ("坏的.docx", b"PK\x03\x04 not really a zip", "word_unreadable"),
    ]:
        attachment_id = upload(client, auth, filename, data)
        body = {"attachment_id": attachment_id, "category": "industry"}
        answer = call(client, "POST", "/api/imports/word", body, auth)
        assert answer.status_code == 400 and answer.json["code"] == code and answer.json["field"] == "file", filename
