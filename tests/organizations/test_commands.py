"""``zwgk agencies import|export|template|reconsideration``."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from zwgk.organizations.models import Agency
from zwgk.organizations.spreadsheet import HEADERS


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("agencies", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def county_sheet(path, count: int = 60) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["标准全称", "机关类型", "层级", "上级机关", "排序"])
    for number in range(1, count + 1):
        sheet.append([f"示范县第{number}局", "工作部门", "县级", "示范县人民政府", number])
    workbook.save(path)


def test_a_county_imports_its_60_departments(world, tmp_path):
    path = tmp_path / "示范县.xlsx"
    county_sheet(path)
    output = run("import", str(path))
    assert output.startswith(f"读取 {path}：60 行数据。\n第2行\t新建\t示范县第1局\n")
    assert output.endswith("新建60个，更新0个，未变化0个。\n")
    assert Agency.objects.filter(parent=world.county).count() == 62
    assert "未变化60个" in run("import", str(path))


def test_dry_run_saves_nothing(world, tmp_path):
    path = tmp_path / "示范县.xlsx"
    county_sheet(path, 2)
    assert "（试运行，未保存）" in run("import", str(path), "--dry-run")
    assert not Agency.objects.filter(name="示范县第1局").exists()


def test_row_errors_go_to_stderr_and_fail(world, tmp_path):
    path = tmp_path / "错误.csv"
    path.write_text("标准全称,上级机关\n示范县某局,某某局\n", encoding="gb18030")
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败：1 处错误，未保存任何数据。"):
        call_command("agencies", "import", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == "第2行：上级机关“某某局”不存在。\n"


def test_unreadable_file_fails_with_a_chinese_message(db, tmp_path):
    with pytest.raises(CommandError, match="无法打开文件"):
        run("import", str(tmp_path / "missing.xlsx"))
    with pytest.raises(CommandError, match=r"只支持 \.xlsx 和 \.csv"):
        run("export", str(tmp_path / "agencies.xls"))


def test_export_and_template(world, tmp_path):
    assert (
        run("export", str(tmp_path / "all.xlsx"))
        == f"已导出 9 个机关到 {tmp_path / 'all.xlsx'}。\n"
    )
    sheet = load_workbook(tmp_path / "all.xlsx").worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["A2"].value == "示范省人民政府"  # tree order
    run("template", str(tmp_path / "template.csv"))
    template = (tmp_path / "template.csv").read_bytes().decode("utf-8-sig")
    assert template == ",".join(HEADERS) + "\r\n"


def test_reconsideration_prints_the_body_and_the_article(world):
    assert run("reconsideration", "示范县教育局") == (
        "示范县教育局的行政复议机关：示范县人民政府\n"
        "依据：《中华人民共和国行政复议法》第二十四条第一款第（一）项\n"
    )


def test_reconsideration_reports_errors(world):
    with pytest.raises(CommandError, match="“不存在局”对应 0 个机关。"):
        run("reconsideration", "不存在局")
    Agency.objects.filter(pk=world.province.pk).update(kind="government", level="national")
    with pytest.raises(CommandError, match="国务院的行政行为不能申请行政复议"):
        run("reconsideration", "示范省人民政府")
