"""Attachments: type by extension and content, 50 MB limit, SHA-256, text extraction."""

import hashlib
import io
import re

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from zwgk.audit.models import AuditEvent
from zwgk.records import actions
from zwgk.records.attachments import MAX_SIZE, extract_text, validate_upload
from zwgk.records.choices import VersionReason

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def pdf_bytes(text: str) -> bytes:
    return HTML(string=f"<p>{text}</p>").write_pdf()


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "cell one"
    table.rows[0].cells[1].text = "cell two"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.pdf", pdf_bytes("x")),
        ("a.DOCX", docx_bytes("x")),
        ("a.xlsx", xlsx_bytes()),
        ("a.png", PNG),
        ("a.jpg", JPG),
        ("a.jpeg", JPG),
    ],
)
def test_allowed_types(name, content):
    assert validate_upload(upload(name, content)) == name.rsplit(".", 1)[1].lower()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", b"MZ\x90\x00", "不支持的附件类型“exe”"),
        ("a", b"%PDF-1.7", "无扩展名"),
        ("a.doc", b"\xd0\xcf\x11\xe0", "不支持"),
        ("a.pdf", b"MZ\x90\x00 not a pdf", "不是 PDF 文件"),
        ("a.png", JPG, "不是 PNG 文件"),
        ("a.docx", xlsx_bytes(), "不是 Word (DOCX) 文件"),  # a zip, but not a Word package
        ("a.xlsx", b"PK\x03\x04 broken zip", "不是 Excel (XLSX) 文件"),
        ("a.pdf", b"", "空文件"),
    ],
)
def test_refused_by_extension_or_content(name, content, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        validate_upload(upload(name, content))


def test_size_limit_is_50_mb():
    assert MAX_SIZE == 50 * 1024 * 1024
    big = upload("big.pdf", b"%PDF-1.7\n")
    big.size = MAX_SIZE + 1
    with pytest.raises(ValidationError, match="50 MB"):
        validate_upload(big)
    big.size = MAX_SIZE
    validate_upload(big)


def test_text_extraction_from_pdf_and_docx():
    assert "Notice on enrolment 2026" in extract_text(
        upload("a.pdf", pdf_bytes("Notice on enrolment 2026")), "pdf"
    )
    text = extract_text(upload("a.docx", docx_bytes("示范市教育局通知")), "docx")
    assert "示范市教育局通知" in text
    assert "cell one\tcell two" in text
    assert extract_text(upload("a.png", PNG), "png") == ""
    assert extract_text(upload("a.pdf", b"%PDF-1.7 damaged"), "pdf") == ""


def test_add_attachment_to_a_draft(draft, rworld):
    content = docx_bytes("附件正文")
    attachment = actions.do_add_attachment(
        draft, upload("招生方案.docx", content), acting_user=rworld.users.editor
    )
    attachment.refresh_from_db()
    assert attachment.original_name == "招生方案.docx"
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert "附件正文" in attachment.extracted_text
    assert attachment.file.read() == content
    assert AuditEvent.objects.filter(action="records.attachment_add").count() == 1
    assert not draft.versions.exists()


def test_county_editor_cannot_attach_to_city_record(draft, rworld):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_add_attachment(
            draft, upload("a.png", PNG), acting_user=rworld.users.county_editor
        )


def test_attachment_change_on_published_record_is_a_correction(published, rworld):
    with pytest.raises(Exception, match="没有"):  # an editor may not change a published record
        actions.do_add_attachment(published, upload("a.png", PNG), acting_user=rworld.users.editor)
    attachment = actions.do_add_attachment(
        published, upload("a.png", PNG), acting_user=rworld.users.reviewer
    )
    versions = list(published.versions.order_by("number"))
    assert [v.reason for v in versions] == [VersionReason.PUBLISH, VersionReason.CORRECT]
    assert versions[1].data["attachments"][0]["sha256"] == attachment.sha256
    actions.do_remove_attachment(attachment, acting_user=rworld.users.reviewer)
    assert published.versions.order_by("-number").first().data["attachments"] == []
