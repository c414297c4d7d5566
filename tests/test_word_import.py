"""Word import: a .docx made by python-docx, uploaded with the attachments' form, becomes a draft."""

from __future__ import annotations

import io
from typing import Any

import boto3
import requests
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from PIL import Image

from chalicelib import word_import
from chalicelib.config import get_settings
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


def docx_of(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def centred(document: Any, *runs: str) -> Any:
    paragraph = document.add_paragraph()
    for text in runs:
        paragraph.add_run(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def add_picture(document: Any, colour: tuple[int, int, int], kind: str = "PNG", alt: str = "") -> None:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, kind)
    out.seek(0)
    shape = document.add_paragraph().add_run().add_picture(out, width=Inches(1))
    if alt:
        shape._inline.docPr.set("descr", alt)


def add_link(paragraph: Any, url: str, text: str) -> None:
    """A hyperlink run, as Word writes it (python-docx has no call for one)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:t"))
    run[0].text = text
    link.append(run)
    paragraph._p.append(link)


def import_word(client, auth, filename: str, data: bytes) -> Any:
    attachment_id = upload(client, auth, filename, data)
    return call(client, "POST", "/api/imports/word", {"attachment_id": attachment_id, "category": "industry"}, auth)


def test_only_a_short_centred_paragraph_right_under_a_picture_is_its_caption(client, auth):
    sixty = "图2 " + "会" * 27, "场" * 30  # two runs, 60 characters: the longest caption
    document = Document()
    add_picture(document, (200, 0, 0), alt="主席台")  # the document's first paragraph
    centred(document, "①")  # one character is a caption
    add_picture(document, (0, 200, 0))
    centred(document, *sixty)
    add_picture(document, (0, 0, 200))
    document.add_paragraph("图3 靠左的一行")  # not centred: text
    centred(document, "居中但不在图下")  # centred under text: text
    add_picture(document, (200, 200, 0))
    centred(document, "长" * 61)  # one character too long: text
    answer = import_word(client, auth, "2026.12 会场.图片.docx", docx_of(document))
    assert answer.status_code == 201, answer.json
    article = answer.json["article"]
    assert article["title"] == "2026.12 会场.图片"  # only the extension is cut off
    body = article["body"]
    ids = [b.get("photo_id") for b in body if b["type"] == "photo"]
    assert len(set(ids)) == 4
    assert body == [
        {"type": "photo", "photo_id": ids[0], "caption": "①", "alt": "主席台"},
        {"type": "photo", "photo_id": ids[1], "caption": "".join(sixty)},
        {"type": "photo", "photo_id": ids[2]},
        {"type": "paragraph", "text": "图3 靠左的一行"},
        {"type": "paragraph", "text": "居中但不在图下"},
        {"type": "photo", "photo_id": ids[3]},
        {"type": "paragraph", "text": "长" * 61},
    ]
    assert [PhotoModel.get(i).filename for i in ids] == ["word-image"] * 4


def test_a_picture_and_its_text_on_one_centred_line_stay_in_their_order(client, auth):
    document = Document()
    paragraph = centred(document)
    picture_run = paragraph.add_run()
    picture_run.add_picture(picture((10, 20, 30)), width=Inches(1))
    paragraph.add_run("会场全景")
    answer = import_word(client, auth, "会场.docx", docx_of(document))
    assert answer.status_code == 201, answer.json
    body = answer.json["article"]["body"]
    assert body == [{"type": "photo", "photo_id": body[0]["photo_id"]}, {"type": "paragraph", "text": "会场全景"}]


def test_pictures_that_cannot_be_photos_are_named_with_their_place_and_caption_and_refused_links_too(client, auth):
    document = Document()
    add_link(document.add_paragraph("附件："), "file:///C:/Users/wang/报名表.xls", "报名表")
    add_picture(document, (0, 0, 0), kind="GIF")
    centred(document, "图1 流程图")
    add_picture(document, (9, 9, 9))
    add_picture(document, (255, 255, 255), kind="GIF")  # no caption
    document.add_paragraph("以上。")
    answer = import_word(client, auth, "流程.docx", docx_of(document))
    assert answer.status_code == 201, answer.json
    body = answer.json["article"]["body"]
    assert [b["type"] for b in body] == ["paragraph", "photo", "paragraph"]
    assert body[0] == {"type": "paragraph", "text": "附件：报名表"}  # the link to a file on a PC is dropped
    assert answer.json["failed_images"] == [
        {"position": 1, "caption": "图1 流程图", "code": "photo_format"},
        {"position": 2, "caption": "", "code": "photo_format"},
    ]
    assert answer.json["dropped"] == [{"code": "link", "count": 1, "examples": ["file:///C:/Users/wang/报名表.xls"]}]


def test_refusals_name_the_file_with_their_code_and_message(client, auth):
    docx = notice_docx()
    empty = docx_of(Document())
    for filename, data, code, message in [
        ("旧通知.doc", docx, "word_doc", "a .doc file: save it as .docx and import that"),  # the name says .doc
        ("年会通知.zip", docx, "word_type", "not a Word .docx document"),  # a ZIP, but not named .docx
        ("坏的.docx", b"PK\x03\x04 not a zip", "word_unreadable", "the document could not be read"),
        ("空白.docx", empty, "word_empty", "the document has no content that could be imported"),
    ]:
        answer = import_word(client, auth, filename, data)
        assert (answer.status_code, answer.json) == (400, {"message": message, "code": code, "field": "file"}), filename
    missing = call(client, "POST", "/api/imports/word", {"attachment_id": "nosuchupload", "category": "industry"}, auth)
    assert (missing.status_code, missing.json) == (
        404,
        {"message": "no uploaded document with this id", "code": "word_missing"},
    )


def test_a_document_over_the_upload_limit_is_refused_and_deleted_and_one_at_it_is_imported(client, auth, configure):
    docx = notice_docx()
    configure(MAX_UPLOAD_BYTES=str(len(docx) - 1))
    attachment_id = upload(client, auth, "年会通知.docx", docx)
    body = {"attachment_id": attachment_id, "category": "industry"}
    answer = call(client, "POST", "/api/imports/word", body, auth)
    assert (answer.status_code, answer.json) == (
        400,
        {"message": "the document is too large to import", "code": "word_size", "field": "file"},
    )
    bucket = get_settings().media_bucket
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix="attachments/")
    configure(MAX_UPLOAD_BYTES=str(len(docx)))
    answer = import_word(client, auth, "年会通知.docx", docx)
    assert answer.status_code == 201 and answer.json["article"]["title"] == "年会通知", answer.json


def test_a_document_whose_name_has_no_stem_is_titled_by_its_first_line_or_else_word_document(auth):
    # The attachments' form refuses such a name, so only a caller of import_bytes itself can pass one.
    document = Document()
    add_picture(document, (1, 2, 3))
    lines = document.add_paragraph("2026年 会员大会")
    lines.runs[0].add_break()
    lines.add_run("第二行")
    titled = word_import.import_bytes(docx_of(document), ".docx", "industry")["article"]
    assert titled.title == "2026年 会员大会"
    document = Document()
    add_picture(document, (4, 5, 6))
    untitled = word_import.import_bytes(docx_of(document), ".docx", "industry")["article"]
    assert untitled.title == "Word 文档" and len(untitled.body) == 1


def test_a_centred_line_with_no_text_of_its_own_under_a_picture_is_not_its_caption(client, auth):
    """A footnote mark alone: mammoth writes "[1]" for it, but the line holds no text, so it is no caption."""
    notes = (
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:footnote w:id="1"><w:p><w:r><w:t>摄影：李明</w:t></w:r></w:p></w:footnote></w:footnotes>'
    )
    document = Document()
    footnotes = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes.encode(), document.part.package)
    document.part.relate_to(footnotes, RT.FOOTNOTES)
    add_picture(document, (10, 10, 10))
    mark = OxmlElement("w:footnoteReference")
    mark.set(qn("w:id"), "1")
    centred(document).add_run()._r.append(mark)
    answer = import_word(client, auth, "脚注.docx", docx_of(document))
    assert answer.status_code == 201, answer.json
    body = answer.json["article"]["body"]
    assert body[:2] == [{"type": "photo", "photo_id": body[0]["photo_id"]}, {"type": "paragraph", "text": "[1]"}]
