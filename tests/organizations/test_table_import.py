"""zwgk.utils.table_import and .table_commands: what the agency and catalogue imports share."""

from datetime import timedelta

import pytest
import time_machine
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.utils import timezone

from zwgk.organizations.management.arguments import agency_named
from zwgk.utils.table_commands import read_table_file, write_table_file
from zwgk.utils.table_import import (
    MAX_UPLOAD_BYTES,
    PAYLOAD_MAX_AGE,
    SignedPayloadForm,
    TableFileField,
    dump_rows,
    load_rows,
)
from zwgk.utils.tabular import Row, write_table


class UploadForm(forms.Form):
    file = TableFileField(label="表")


class OptionalUploadForm(forms.Form):
    file = TableFileField(label="表", required=False)


class ConfirmForm(SignedPayloadForm):
    salt = "tests.confirm"


class OtherConfirmForm(SignedPayloadForm):
    salt = "tests.other"


def uploaded(form_class, content: bytes, name: str = "表.csv") -> forms.Form:
    form = form_class(files={"file": SimpleUploadedFile(name, content)})
    form.is_valid()
    return form


def test_an_upload_is_cleaned_to_its_table():
    form = uploaded(UploadForm, "名称,代码\n教育局,1\n".encode("gb18030"))
    table = form.cleaned_data["file"]
    assert table.headers == ["名称", "代码"]
    assert table.rows == [Row(2, {"名称": "教育局", "代码": "1"})]


def test_the_field_asks_for_xlsx_or_csv():
    field = UploadForm().fields["file"]
    assert field.help_text == "XLSX 或 CSV（UTF-8 或 GB18030），第一行为表头。"
    assert field.widget.attrs["accept"] == ".xlsx,.csv"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"x", "表.xls", "只支持 .xlsx 和 .csv 文件"),
        (b"not a zip", "表.xlsx", "无法读取该 XLSX 文件"),
        (b"", "表.csv", "所提交的是空文件。"),
        (b"a\n" + b"x" * MAX_UPLOAD_BYTES, "表.csv", "文件太大（上限 5 MB）。"),
    ],
)
def test_an_unusable_upload_is_a_field_error(content, name, message):
    form = uploaded(UploadForm, content, name)
    assert message in form.errors["file"][0]


def test_an_optional_field_left_empty_is_none():
    form = OptionalUploadForm(files={})
    assert form.is_valid()
    assert form.cleaned_data["file"] is None


def test_a_signed_payload_comes_back_unchanged():
    rows = [Row(2, {"名称": "教育局"}), Row(4, {"名称": "财政局", "代码": ""})]
    payload = ConfirmForm.signed({"rows": dump_rows(rows)}).initial["payload"]
    form = ConfirmForm({"payload": payload})
    assert form.is_valid()
    assert load_rows(form.cleaned_data["payload"]["rows"]) == rows


def test_a_forged_expired_or_foreign_payload_is_refused():
    payload = ConfirmForm.signed([1, 2]).initial["payload"]
    later = timezone.now() + timedelta(seconds=PAYLOAD_MAX_AGE + 1)
    with time_machine.travel(later):
        expired = ConfirmForm({"payload": payload})
        assert not expired.is_valid()
    for form in [ConfirmForm({"payload": payload + "x"}), OtherConfirmForm({"payload": payload})]:
        assert not form.is_valid()
        assert form.errors["payload"] == ["预览已过期或数据不完整，请重新上传文件。"]


def test_table_files_fail_the_command_in_chinese(tmp_path):
    with pytest.raises(CommandError, match="无法打开文件"):
        read_table_file(tmp_path / "missing.csv")
    (tmp_path / "表.csv").write_bytes(b"\xff\xfe\xff")
    with pytest.raises(CommandError, match="无法识别 CSV 文件的编码"):
        read_table_file(tmp_path / "表.csv")
    with pytest.raises(CommandError, match="无法写入文件"):
        write_table_file(tmp_path / "missing" / "表.csv", write_table, ["名称"], [])
    with pytest.raises(CommandError, match="只支持"):
        write_table_file(tmp_path / "表.ods", write_table, ["名称"], [])


def test_a_written_table_file_reads_back(tmp_path):
    path = tmp_path / "表.xlsx"
    write_table_file(path, write_table, ["名称"], [["=教育局"]])
    assert read_table_file(path).rows == [Row(2, {"名称": "=教育局"})]


def test_an_agency_is_named_by_its_name_or_short_name(world):
    assert agency_named("示范县教育局") == world.county_edu
    world.county_edu.short_name = "县教育局"
    world.county_edu.save()
    assert agency_named("县教育局") == world.county_edu
    with pytest.raises(CommandError, match="“不存在局”对应 0 个机关。"):
        agency_named("不存在局")
