"""zwgk.utils.tabular: reading and writing XLSX/CSV, and formula-injection escaping."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from zwgk.utils.tabular import (
    TabularError,
    read_table,
    restore_cell,
    safe_cell,
    table_format,
    tabular_response,
    write_table,
)


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+86 531 1234", "-2", "@SUM(A1)", "\tcmd", "\rcmd", '=HYPERLINK("x")', "'=x"],
)
def test_safe_cell_escapes_what_a_spreadsheet_would_evaluate(value):
    escaped = safe_cell(value)
    assert escaped == "'" + value
    assert restore_cell(escaped) == value


@pytest.mark.parametrize("value", ["示范市教育局", "0531-1234", "a=b", "", 42, -3, None, 1.5])
def test_safe_cell_leaves_harmless_values_alone(value):
    assert safe_cell(value) == value


def test_restore_cell_keeps_an_apostrophe_a_user_typed():
    assert restore_cell("'0531") == "'0531"


def write(fmt, headers, rows):
    buffer = io.BytesIO()
    write_table(buffer, fmt, headers, rows)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_written_tables_read_back_unchanged(fmt):
    rows = [["示范市教育局", "=cmd|' /C calc'!A0", "370100"], ["示范县", "", "-"]]
    table = read_table(write(fmt, ["名称", "备注", "代码"], rows), f"t.{fmt}")
    assert table.headers == ["名称", "备注", "代码"]
    assert [(r.number, list(r.values.values())) for r in table.rows] == [(2, rows[0]), (3, rows[1])]


def test_xlsx_cells_are_text_not_formulas():
    buffer = write("xlsx", ["备注"], [["=1+1"]])
    sheet = load_workbook(buffer).worksheets[0]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "'=1+1"


def test_xlsx_drops_control_characters_it_cannot_hold():
    buffer = write("xlsx", ["备注"], [["a\x00b\x07c"]])
    assert read_table(buffer, "t.xlsx").rows[0].values == {"备注": "abc"}


def test_csv_is_utf8_with_bom_and_escaped():
    data = write("csv", ["名称", "备注"], [["教育局", "+1"]]).getvalue()
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig") == "名称,备注\r\n教育局,'+1\r\n"


def test_reads_gb18030_csv():
    data = "名称,电话\r\n示范县教育局,0531-1234\r\n".encode("gb18030")
    table = read_table(io.BytesIO(data), "旧表.CSV")
    assert table.rows[0].values == {"名称": "示范县教育局", "电话": "0531-1234"}


def test_reads_numbers_and_blank_rows_the_way_a_user_sees_them():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["代码", "排序", None, "名称"])
    sheet.append([370100.0, 3, "无表头的列被忽略", " 示范局 "])
    sheet.append([None, None, None, None])
    sheet.append([None, None, None, "第4行"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    table = read_table(buffer, "t.xlsx")
    assert table.headers == ["代码", "排序", "名称"]
    assert [(r.number, r.values) for r in table.rows] == [
        (2, {"代码": "370100", "排序": "3", "名称": "示范局"}),
        (4, {"代码": "", "排序": "", "名称": "第4行"}),
    ]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("t.xls", b"", "只支持 .xlsx 和 .csv"),
        ("t.xlsx", b"not a zip", "无法读取该 XLSX 文件"),
        ("t.csv", b"", "文件是空的"),
        ("t.csv", "名称,名称\r\n".encode(), "表头重复：名称"),
        ("t.csv", b"\xff\xfe\xff\xfe\x81", "无法识别 CSV 文件的编码"),
    ],
)
def test_unreadable_files_are_refused_in_chinese(filename, data, message):
    with pytest.raises(TabularError, match=message):
        read_table(io.BytesIO(data), filename)


def test_table_format_by_extension():
    assert table_format("机关名录.XLSX") == "xlsx"
    assert table_format("a.b.csv") == "csv"


def test_tabular_response_is_a_download_with_a_chinese_file_name():
    response = tabular_response("机关名录.csv", ["名称"], [["=x"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=utf-8''%E6%9C%BA" in response["Content-Disposition"]
    assert b"'=x" in b"".join(response.streaming_content)
