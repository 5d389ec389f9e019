"""Attachments of a record: allowed types, size limit, fingerprint, text extraction.

A file is accepted only when its extension *and* its first bytes agree
(a renamed executable is refused).  The extracted text feeds the search index
and the personal-information scan; the SHA-256 lets the 网站检查
(国办秘函〔2019〕19号) tell a broken or replaced attachment from the original.
"""

import hashlib
import io
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_SIZE = 50 * 1024 * 1024  # 50 MB
# extension → (label, magic prefixes, a member an Office (zip) package must contain)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...], str | None]] = {
    "pdf": ("PDF", (b"%PDF-",), None),
    "docx": ("Word (DOCX)", (b"PK\x03\x04",), "word/document.xml"),
    "xlsx": ("Excel (XLSX)", (b"PK\x03\x04",), "xl/workbook.xml"),
    "jpg": ("JPEG", (b"\xff\xd8\xff",), None),
    "jpeg": ("JPEG", (b"\xff\xd8\xff",), None),
    "png": ("PNG", (b"\x89PNG\r\n\x1a\n",), None),
}
# Extracted text is for search; a cap keeps a 2000-page PDF from filling a row.
MAX_TEXT = 1_000_000


def extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def validate_upload(file) -> str:
    """Check size, extension and magic bytes of an uploaded ``file``; return the extension."""
    name = getattr(file, "name", "") or ""
    ext = extension(name)
    if ext not in ALLOWED:
        allowed = "、".join(sorted({label for label, _, _ in ALLOWED.values()}))
        raise ValidationError(f"不支持的附件类型“{ext or '无扩展名'}”。允许上传：{allowed}。")
    if file.size > MAX_SIZE:
        raise ValidationError(
            f"附件“{PurePath(name).name}”超过 {MAX_SIZE // (1024 * 1024)} MB 的大小限制。"
        )
    if file.size == 0:
        raise ValidationError(f"附件“{PurePath(name).name}”是空文件。")
    label, magics, member = ALLOWED[ext]
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not any(head.startswith(m) for m in magics) or (
        member is not None and not _zip_has(file, member)
    ):
        raise ValidationError(
            f"附件“{PurePath(name).name}”的内容不是 {label} 文件（扩展名与文件内容不符）。"
        )
    return ext


def _zip_has(file, member: str) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        file.seek(0)


def sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def extract_text(file, ext: str) -> str:
    """The text of a PDF (pypdf) or DOCX (python-docx); empty for other types or on failure.

    A damaged or encrypted file still uploads: extraction is best effort.
    """
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        if ext == "pdf":
            text = _pdf_text(data)
        elif ext == "docx":
            text = _docx_text(data)
        else:
            return ""
    except Exception:  # any parser failure means "no text", not a failed upload
        return ""
    return text.strip()[:MAX_TEXT]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)
