"""Text out of a file, per format: .txt, .md, .html/.htm/.shtml, .docx, .pdf.

:func:`load` returns the text and the *hints* the container holds besides
it (an HTML page's ``<meta name="ArticleTitle">``, ``PubDate``, ``<title>``).
Bytes are decoded as UTF-8 (with or without BOM), then GB18030, then Big5,
each strictly; if none fits, UTF-8 with replacement characters, which the
extractor reports as mis-decoded text.  HTML is read with the standard
library's :mod:`html.parser` (no extra dependency): scripts, styles and
navigation/header/footer elements are skipped, block elements end a line.
DOCX goes through python-docx (paragraphs, then table cells), PDF through
pypdf's text layer (a scanned PDF without one gives no text).
"""

from __future__ import annotations

import contextlib
import io
import re
from html.parser import HTMLParser
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}


class LoadError(Exception):
    """The file could not be read as a document (reason in Chinese, for the report)."""


def decode(data: bytes, declared: str | None = None) -> str:
    """Strict decoding with the usual Chinese encodings; replacement characters last.

    GB18030 accepts almost any byte sequence, Big5 bytes included, so when
    UTF-8 fails both are tried and the more plausible Chinese wins
    (:func:`_plausibility`).
    """
    for encoding in ([declared] if declared else []) + ["utf-8-sig"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    decoded = []
    for encoding in ("gb18030", "big5hkscs"):
        try:
            decoded.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if decoded:
        return max(decoded, key=_plausibility)
    return data.decode("utf-8", errors="replace")


def _plausibility(text: str) -> float:
    """Share of the Chinese characters that are common ones (GB2312 level 1, 3,755
    characters, after conversion to simplified); mis-decoded text scores low."""
    from zwgk.importer.extract import to_simplified

    sample = to_simplified(text[:4000])
    hanzi = [c for c in sample if "\u3400" <= c <= "\u9fff" or "\u3040" <= c <= "\u30ff"]
    if not hanzi:
        return 0.0
    common = 0
    for c in hanzi:
        with contextlib.suppress(UnicodeEncodeError):
            common += 0xB0 <= c.encode("gb2312")[0] <= 0xD7
    return common / len(hanzi)


_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dd",
    "dt",
    "hr",
}
_SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "select", "button"}
_META_HINTS = {
    "articletitle": "title",
    "pubdate": "published_on",
    "firstpublishedtime": "published_on",
    "contentsource": "source",
}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hints: dict[str, str] = {}
        self.skip = 0
        self.in_title = False
        self.title: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "meta":
            a = dict(attrs)
            key = _META_HINTS.get((a.get("name") or "").lower())
            if key and a.get("content"):
                self.hints.setdefault(key, a["content"].strip())
        elif tag in ("td", "th"):
            self.parts.append(" ")
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skip -= 1

    def handle_endtag(self, tag):
        if tag in _SKIP and self.skip:
            self.skip -= 1
        elif tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)


def html_to_text(data: bytes | str) -> tuple[str, dict[str, str]]:
    if isinstance(data, bytes):
        m = _CHARSET.search(data[:4096])
        data = decode(data, m.group(1).decode("ascii", "ignore") if m else None)
    parser = _TextParser()
    parser.feed(data)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    hints = dict(parser.hints)
    page_title = re.sub(r"\s+", " ", "".join(parser.title)).strip()
    if page_title and "title" not in hints:
        # 标题_网站名 / 标题 - 网站名: the site's name is the last part.
        hints["title"] = re.split(r"\s*[_|｜]\s*|\s+-\s+", page_title)[0]
    return text, hints


_MD = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE), ""),
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),
]


def markdown_to_text(text: str) -> str:
    for pattern, repl in _MD:
        text = pattern.sub(repl, text)
    return text


def docx_to_text(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken zip
        raise LoadError(f"无法读取 DOCX：{exc}") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def pdf_to_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise LoadError(f"无法读取 PDF：{exc}") from exc


def load(path: Path, data: bytes) -> tuple[str, dict[str, str]]:
    """The text of the file ``path`` (its bytes ``data``) and the container's hints."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return html_to_text(data)
    if suffix in MARKDOWN_SUFFIXES:
        return markdown_to_text(decode(data)), {}
    if suffix in TEXT_SUFFIXES:
        text = decode(data)
        if re.match(r"\s*<(?:!doctype|html)", text[:200], re.IGNORECASE):
            return html_to_text(text)
        return text, {}
    if suffix == ".docx":
        return docx_to_text(data), {}
    if suffix == ".pdf":
        return pdf_to_text(data), {}
    raise LoadError(f"不支持的文件类型：{suffix or '(无扩展名)'}")


def iter_files(paths) -> list[Path]:
    """The importable files under ``paths`` (files and folders, recursively), sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(raw)
    return found
