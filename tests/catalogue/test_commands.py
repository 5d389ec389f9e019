"""``zwgk catalogue import|export|apply-template|templates``."""

import io

import pytest
from django.core.management import CommandError, call_command

from zwgk.catalogue.models import CatalogueItem


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("catalogue", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_templates_are_listed():
    output = run("templates")
    assert "article-20\t条例第二十条法定主动公开内容（15项）" in output
    assert "grassroots-26\t基层政务公开标准化规范化26个试点领域（26项）" in output


def test_apply_export_import_round_trip(world, tmp_path):
    assert "新建15项，已有0项" in run("apply-template", "--agency", "示范县人民政府", "article-20")
    assert "新建0项，已有15项" in run("apply-template", "--agency", "示范县人民政府", "article-20")
    path = tmp_path / "目录.xlsx"
    assert "15 个目录事项" in run("export", "--agency", "示范县人民政府", str(path))
    output = run("import", "--agency", "示范镇人民政府", str(path))
    assert output.endswith("新建15项，更新0项，未变化0项。\n")
    assert "未变化15项" in run("import", "--agency", "示范镇人民政府", str(path))
    assert CatalogueItem.objects.filter(agency=world.town).count() == 15


def test_import_errors_save_nothing(world, tmp_path):
    path = tmp_path / "目录.csv"
    path.write_text("一级事项,公开方式\n就业,公示\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 处错误"):
        call_command(
            "catalogue", "import", "--agency", "示范县人民政府", str(path), stderr=err,
            stdout=io.StringIO(),
        )  # fmt: skip
    assert "第2行：公开方式“公示”无效" in err.getvalue()
    assert not CatalogueItem.objects.exists()


def test_an_unknown_agency_or_template(world):
    with pytest.raises(CommandError, match="对应 0 个机关"):
        run("apply-template", "--agency", "不存在", "article-20")
    with pytest.raises(CommandError):
        run("apply-template", "--agency", "示范县人民政府", "nope")
