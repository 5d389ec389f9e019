"""Spreadsheets in and out: XLSX and CSV, read into rows keyed by header, written back.

Offices keep their lists in Excel or WPS, so imports accept ``.xlsx`` and
``.csv`` (UTF-8, with or without BOM, or GB18030 as WPS and older Excel save
it), and exports write ``.xlsx`` or UTF-8 CSV with a BOM so that Excel opens
the Chinese text correctly.

Every export in the project goes through :func:`write_table` (or at least
:func:`safe_cell`): a cell a user typed must never run as a formula when the
file is opened (CSV/formula injection, OWASP).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import IO, Any, TypeVar
from zipfile import BadZipFile

from django.http import FileResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# Excel, WPS and LibreOffice start a formula (or DDE call) with these characters.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A leading apostrophe makes the spreadsheet show the rest as text.
ESCAPE = "'"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")

T = TypeVar("T")


class TabularError(ValueError):
    """The file cannot be read as a table (the message is for the user, in Chinese)."""


@dataclass(frozen=True)
class Row:
    """One data row: ``number`` is the row number the user sees (the header is row 1)."""

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]


def safe_cell(value: T) -> T | str:
    """Neutralise spreadsheet formula injection in one exported cell.

    A text value starting with ``= + - @``, a tab or a carriage return gets a
    leading apostrophe, so Excel/WPS show it as text instead of evaluating
    it.  Values that already start with an apostrophe get one more, so that
    :func:`restore_cell` undoes exactly what this did.  Numbers, dates and
    ``None`` pass unchanged: only text can carry a formula.
    """
    if isinstance(value, str) and value.startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return ESCAPE + value
    return value


def restore_cell(text: str) -> str:
    """Undo :func:`safe_cell`, so that an exported file re-imports unchanged."""
    if text.startswith(ESCAPE) and text[1:].startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return text[1:]
    return text


def table_format(filename: str) -> str:
    """``xlsx`` or ``csv`` from a file name; anything else is refused."""
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise TabularError("只支持 .xlsx 和 .csv 文件（.xls 请在 Excel 或 WPS 中另存为 .xlsx）。")
    return suffix


def read_table(file: IO[bytes], filename: str) -> Table:
    """Read the first sheet of an XLSX file, or a CSV file, into rows keyed by header.

    Row 1 is the header; columns without a header and blank rows are skipped;
    every value is stripped text (``""`` for an empty cell).
    """
    raw_rows = _xlsx_rows(file) if table_format(filename) == "xlsx" else _csv_rows(file)
    if not raw_rows:
        raise TabularError("文件是空的，没有表头。")
    header_cells = [_text(cell) for cell in raw_rows[0]]
    columns = [(index, header) for index, header in enumerate(header_cells) if header]
    headers = [header for _, header in columns]
    duplicates = sorted({h for h in headers if headers.count(h) > 1})
    if duplicates:
        raise TabularError(f"表头重复：{'、'.join(duplicates)}。")
    rows = []
    for number, cells in enumerate(raw_rows[1:], start=2):
        values = {
            header: _text(cells[index]) if index < len(cells) else "" for index, header in columns
        }
        if any(values.values()):
            rows.append(Row(number, values))
    return Table(headers, rows)


def write_table(
    file: IO[bytes], fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Write ``headers`` and ``rows`` as ``xlsx`` or ``csv``, every cell via :func:`safe_cell`."""
    if fmt == "xlsx":
        _write_xlsx(file, headers, rows)
    elif fmt == "csv":
        _write_csv(file, headers, rows)
    else:
        raise ValueError(f"unknown table format {fmt!r}")


def tabular_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    """A download of the table, its format chosen by ``filename``'s extension."""
    fmt = table_format(filename)
    buffer = io.BytesIO()
    write_table(buffer, fmt, headers, rows)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=FORMATS[fmt])


def _xlsx_rows(file: IO[bytes]) -> list[tuple[Any, ...]]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise TabularError(
            "无法读取该 XLSX 文件：文件已损坏或不是 Excel 2007 及以上格式。"
        ) from exc
    try:
        return list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _csv_rows(file: IO[bytes]) -> list[list[str]]:
    data = file.read()
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return list(csv.reader(io.StringIO(text, newline="")))
    raise TabularError("无法识别 CSV 文件的编码（支持 UTF-8 和 GB18030）。")


def _text(value: Any) -> str:
    """A cell as text: Excel stores codes such as 370100 as numbers, dates as datetimes."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return restore_cell(str(value).strip())


def _write_xlsx(file: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    # Write-only mode streams rows, so a long audit log does not sit in memory twice.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    workbook.save(file)


def _xlsx_value(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, str):
        # XLSX cannot hold most control characters; openpyxl refuses them.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _write_csv(file: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    # The BOM (utf-8-sig) tells Excel the file is UTF-8; without it Chinese is garbled.
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([safe_cell(header) for header in headers])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    text.flush()
    text.detach()
