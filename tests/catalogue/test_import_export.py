"""The 标准目录 sheet: all-or-nothing import with row errors; an export re-imports unchanged."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zwgk.audit.models import AuditEvent
from zwgk.catalogue.actions import (
    do_apply_template,
    do_create_catalogue_item,
    do_deactivate_catalogue_item,
    do_import_catalogue,
)
from zwgk.catalogue.choices import Audience, Channel, DeadlineKind, DisclosureLevel, Period
from zwgk.catalogue.models import CatalogueItem
from zwgk.catalogue.spreadsheet import HEADERS, write_catalogue
from zwgk.utils.tabular import Row, read_table


def rows(*values: dict[str, str]) -> list[Row]:
    """Data rows as a spreadsheet numbers them: the header is row 1."""
    return [Row(number, row) for number, row in enumerate(values, start=2)]


def line(serial, level1, level2="", **extra) -> dict[str, str]:
    return {"序号": str(serial), "一级事项": level1, "二级事项": level2, **extra}


def export(agency, fmt: str) -> bytes:
    buffer = io.BytesIO()
    items = CatalogueItem.objects.filter(agency=agency).active().tree()
    write_catalogue(buffer, fmt, items)
    return buffer.getvalue()


def reread(data: bytes, fmt: str) -> list[Row]:
    return read_table(io.BytesIO(data), f"目录.{fmt}").rows


def test_headers_are_the_standard_catalogue_columns():
    assert HEADERS == [
        "序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
        "公开渠道和载体", "公开对象", "公开方式", "公开层级",
    ]  # fmt: skip


def test_a_printed_county_catalogue_loads(world):
    """Merged 一级事项 cells come in blank; the 一级事项 has no row of its own."""
    sheet = rows(
        line(
            1, "社会救助", "最低生活保障",
            **{"公开内容（要素）": "保障对象、保障标准", "公开依据": "《社会救助暂行办法》",
               "公开时限": "信息形成或变更之日起20个工作日内", "公开主体": "示范县民政局",
               "公开渠道和载体": "政府网站、公示栏（电子屏）、入户/现场",
               "公开对象": "特定群体", "公开方式": "主动", "公开层级": "县级、乡级"}
        ),
        line(2, "", "特困人员救助供养", 公开时限="每季度", 公开渠道和载体="网站,微信"),
        line(3, "", "临时救助", 公开时限="7个工作日", 公开层级="乡镇"),
        line(4, "财政预决算", "", 公开时限="实时", 公开方式="依申请公开"),
    )  # fmt: skip
    result = do_import_catalogue(world.county, sheet, acting_user=world.users.admin)
    assert result.summary == "新建5项，更新0项，未变化0项。"
    assert [(o.number, o.name) for o in result.outcomes] == [
        (2, "社会救助"),  # created as a bare heading for row 2
        (2, "社会救助 > 最低生活保障"),
        (3, "社会救助 > 特困人员救助供养"),
        (4, "社会救助 > 临时救助"),
        (5, "财政预决算"),
    ]
    heading = CatalogueItem.objects.get(name="社会救助")
    assert (heading.parent, heading.sort_order, heading.agency) == (None, 1, world.county)
    dibao = CatalogueItem.objects.get(name="最低生活保障")
    assert dibao.parent == heading
    assert dibao.channels == [Channel.WEBSITE, Channel.NOTICE_BOARD, Channel.DOOR_TO_DOOR]
    assert dibao.audience == Audience.SPECIFIC
    assert dibao.levels == [DisclosureLevel.COUNTY, DisclosureLevel.TOWNSHIP]
    assert (dibao.deadline_kind, dibao.deadline_days, dibao.deadline_note) == (
        DeadlineKind.WORKING_DAYS, 20, ""
    )  # fmt: skip
    tekun = CatalogueItem.objects.get(name="特困人员救助供养")
    assert (tekun.deadline_kind, tekun.deadline_period) == (DeadlineKind.PERIODIC, Period.QUARTERLY)
    assert tekun.channels == [Channel.WEBSITE, Channel.NEW_MEDIA]
    assert CatalogueItem.objects.get(name="临时救助").deadline_days == 7
    budget = CatalogueItem.objects.get(name="财政预决算")
    assert (budget.deadline_kind, budget.mode) == (DeadlineKind.REAL_TIME, "on_request")
    event = AuditEvent.objects.get(action="catalogue.import")
    assert event.agency == world.county and len(event.changes["created"]) == 5


def test_every_row_error_is_reported_and_nothing_is_saved(world):
    sheet = rows(
        line(1, "社会救助", "最低生活保障", 公开渠道和载体="政府网站、村广播"),
        line("一", "社会救助", "临时救助"),
        line(3, "社会救助", "最低生活保障"),
        line(4, "就业", "", 公开对象="群众"),
        line(5, "就业", "招聘", 公开时限="0个工作日"),
        {"序号": "6", "一级事项": "", "二级事项": "", "公开主体": "县人社局"},
        line(7, "养老服务", "", 公开层级="村级"),
        line(8, "救灾", "", 公开时限="法定时限内"),  # accepted as 其他, with a warning
    )
    with pytest.raises(ValidationError) as caught:
        do_import_catalogue(world.county, sheet, acting_user=None)
    assert caught.value.messages == [
        "第2行：公开渠道和载体“村广播”无效，应为：政府网站、两微一端、政府公报、广播电视、纸质媒体、"
        "发布会/听证会、公开查阅点、政务服务中心、便民服务站、入户/现场、公示栏(电子屏)、精准推送、其他。",
        "第3行：序号应为不超过999999的整数，不能是“一”。",
        "第4行：事项“社会救助 > 最低生活保障”与第2行重复。",
        "第5行：公开对象“群众”无效，应为：全社会、特定群体。",
        "第6行：公开时限“0个工作日”的工作日数应在1至365之间。",
        "第7行：一级事项不能为空。",
        "第8行：公开层级“村级”无效，应为：省级、市级、县级、乡级。",
    ]
    assert not CatalogueItem.objects.exists()
    assert not AuditEvent.objects.exists()


def test_model_validation_errors_name_the_row_and_column(world):
    long_note = "每季度" + "。" * 200
    with pytest.raises(ValidationError) as caught:
        do_import_catalogue(
            world.county, rows(line(1, "统计信息", 公开时限=long_note)), acting_user=None
        )
    assert caught.value.messages[0].startswith("第2行：公开时限说明：")


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        ([], "文件中没有数据行。"),
        ([Row(2, {"序号": "1", "事项": "x"})], "未知的列：事项。"),
        ([Row(2, {"序号": "1", "二级事项": "x"})], "缺少“一级事项”列。"),
    ],
)
def test_unusable_files(world, sheet, message):
    with pytest.raises(ValidationError) as caught:
        do_import_catalogue(world.county, sheet, acting_user=None)
    assert caught.value.messages[0].startswith(message)


def test_an_unreadable_deadline_is_kept_as_other_with_a_warning(world):
    result = do_import_catalogue(
        world.county, rows(line(1, "救灾", 公开时限="灾情发生后及时")), acting_user=None
    )
    assert result.warnings == [
        "第2行：公开时限“灾情发生后及时”无法识别，按“其他”保存，不计算公开期限。"
    ]
    item = CatalogueItem.objects.get()
    assert (item.deadline_kind, item.deadline_note) == (DeadlineKind.OTHER, "灾情发生后及时")


def test_dry_run_saves_nothing(world):
    result = do_import_catalogue(
        world.county, rows(line(1, "就业")), acting_user=None, dry_run=True
    )
    assert result.summary == "新建1项，更新0项，未变化0项（试运行，未保存）。"
    assert not CatalogueItem.objects.exists()
    assert not AuditEvent.objects.exists()


def test_reimporting_updates_by_names_and_reactivates(world):
    sheet = rows(line(1, "就业", "招聘", 公开主体="县人社局"), line(2, "就业", "培训"))
    do_import_catalogue(world.county, sheet, acting_user=None)
    do_deactivate_catalogue_item(CatalogueItem.objects.get(name="培训"), acting_user=None)
    changed = rows(
        line(1, "就业", "招聘", 公开主体="示范县人力资源和社会保障局"), line(2, "就业", "培训")
    )
    result = do_import_catalogue(world.county, changed, acting_user=None)
    assert [(o.name, o.status.value, o.changed) for o in result.outcomes] == [
        ("就业 > 招聘", "updated", ("公开主体",)),
        ("就业 > 培训", "updated", ("启用",)),
    ]
    assert CatalogueItem.objects.filter(agency=world.county).count() == 3
    assert CatalogueItem.objects.active().count() == 3


def test_columns_missing_from_the_file_are_left_alone(world):
    do_create_catalogue_item(world.county, acting_user=None, name="就业", subject="县人社局")
    result = do_import_catalogue(world.county, rows({"一级事项": "就业"}), acting_user=None)
    assert result.summary == "新建0项，更新0项，未变化1项。"
    assert CatalogueItem.objects.get().subject == "县人社局"


def test_only_editors_of_the_agency_import(world):
    with pytest.raises(PermissionDenied):
        do_import_catalogue(
            world.city_edu, rows(line(1, "x")), acting_user=world.users.county_editor
        )
    do_import_catalogue(world.county_edu, rows(line(1, "x")), acting_user=world.users.county_editor)


def build_catalogue(agency):
    for key in ("article-20", "major-projects", "public-resources", "public-welfare"):
        do_apply_template(agency, key, acting_user=None)
    top = CatalogueItem.objects.get(agency=agency, name="公共资源配置")
    housing = CatalogueItem.objects.get(parent=top, name="住房保障")
    do_create_catalogue_item(
        agency,
        acting_user=None,
        parent=housing,
        name="=分配结果",  # would run as a formula if the export did not escape it
        deadline_kind=DeadlineKind.PERIODIC,
        deadline_period=Period.MONTHLY,
        deadline_days=10,
        channels=[Channel.PRESS_CONFERENCE, Channel.DOOR_TO_DOOR],
        audience=Audience.SPECIFIC,
        levels=[DisclosureLevel.COUNTY],
    )
    do_create_catalogue_item(
        agency, acting_user=None, name="其他事项", deadline_kind=DeadlineKind.OTHER,
        deadline_note="法定时限内", sort_order=99,
    )  # fmt: skip
    do_create_catalogue_item(agency, acting_user=None, name="已停用", is_active=False)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_reimports_unchanged(world, fmt):
    build_catalogue(world.county)
    before = {
        item.pk: {f.attname: getattr(item, f.attname) for f in CatalogueItem._meta.concrete_fields}
        for item in CatalogueItem.objects.all()
    }
    data = export(world.county, fmt)
    sheet = reread(data, fmt)
    assert len(sheet) == CatalogueItem.objects.active().count() == 15 + 9 + 7 + 8 + 2
    assert sheet[-1].values["一级事项"] == "其他事项"
    deep = next(row for row in sheet if row.values["二级事项"] == "住房保障 > =分配结果")
    assert deep.values["公开时限"] == "每月结束后10个工作日内"
    assert deep.values["公开渠道和载体"] == "发布会/听证会、入户/现场"
    events = AuditEvent.objects.count()
    result = do_import_catalogue(world.county, sheet, acting_user=None)
    assert result.summary == f"新建0项，更新0项，未变化{len(sheet)}项。"
    assert AuditEvent.objects.count() == events
    after = {
        item.pk: {f.attname: getattr(item, f.attname) for f in CatalogueItem._meta.concrete_fields}
        for item in CatalogueItem.objects.all()
    }
    assert after == before
    assert export(world.county, fmt) == data or fmt == "xlsx"  # xlsx embeds a timestamp


def test_an_export_loads_into_another_agency(world):
    build_catalogue(world.county)
    sheet = reread(export(world.county, "csv"), "csv")
    result = do_import_catalogue(world.town, sheet, acting_user=None)
    assert result.count("created") == len(sheet)
    assert reread(export(world.town, "csv"), "csv") == sheet
