"""The agency sheet: all-or-nothing import with row errors; an export re-imports unchanged."""

import io

import pytest
from django.core.exceptions import ValidationError

from tests.factories import Role, UserFactory
from tests.organizations import credit_code
from zwgk.audit.models import AuditEvent
from zwgk.organizations.actions import do_import_agencies
from zwgk.organizations.choices import AgencyKind, ImportStatus
from zwgk.organizations.models import Agency
from zwgk.organizations.spreadsheet import HEADERS, write_agencies
from zwgk.utils.tabular import Row, read_table


def rows(*values: dict[str, str]) -> list[Row]:
    """Data rows as a spreadsheet numbers them: the header is row 1."""
    return [Row(number, row) for number, row in enumerate(values, start=2)]


def department(name: str, parent: str = "示范县人民政府", **extra: str) -> dict[str, str]:
    return {"标准全称": name, "机关类型": "工作部门", "层级": "县级", "上级机关": parent, **extra}


def test_headers_are_the_documented_columns():
    assert HEADERS == [
        "标准全称", "简称", "机关类型", "层级", "上级机关", "统一社会信用代码", "组织机构代码",
        "行政区划代码", "索引号前缀", "垂直管理", "上一级主管部门", "政府信息公开工作机构名称",
        "办公地址", "邮政编码", "办公时间", "联系电话", "传真", "电子邮箱", "网上联系方式",
        "排序", "启用",
    ]  # fmt: skip


def test_a_county_loads_its_departments_parents_in_any_order(world):
    office = department("示范县发展和改革局办公室", parent="示范县发展和改革局")
    office["机关类型"] = "内设机构（以自己名义履职）"  # a label
    bureau = department("示范县发展和改革局", 简称="县发改局", 排序="2", 联系电话="+86 531 1")
    zone = department("示范县新区管委会", 机关类型="dispatched_organ", 层级="township")  # slugs
    result = do_import_agencies(rows(office, bureau, zone), acting_user=None)
    assert result.summary == "新建3个，更新0个，未变化0个。"
    office = Agency.objects.get(name="示范县发展和改革局办公室")
    bureau = office.parent
    assert (bureau.short_name, bureau.sort_order, bureau.office_phone) == (
        "县发改局",
        2,
        "+86 531 1",
    )
    assert office.path.startswith(bureau.path) and bureau.path.startswith(world.county.path)
    assert Agency.objects.get(name="示范县新区管委会").kind == AgencyKind.DISPATCHED_ORGAN
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("pk"))
    assert actions == ["organizations.create_agency"] * 3 + ["organizations.import_agencies"]
    event = AuditEvent.objects.get(action="organizations.import_agencies")
    assert event.agency == world.county  # the lowest common ancestor: its admins see the import
    assert len(event.changes["created"]) == 3


def test_re_import_updates_by_name_and_is_idempotent(world):
    sheet = rows(department("示范县教育局", 联系电话="0531-1"), department("示范县水利局"))
    first = do_import_agencies(sheet, acting_user=None)
    assert [(o.name, o.status, o.changed) for o in first.outcomes] == [
        ("示范县教育局", ImportStatus.UPDATED, ("联系电话",)),
        ("示范县水利局", ImportStatus.CREATED, ()),
    ]
    events = AuditEvent.objects.count()
    again = do_import_agencies(sheet, acting_user=None)
    assert again.count(ImportStatus.UNCHANGED) == 2
    assert AuditEvent.objects.count() == events


def test_columns_absent_from_the_file_are_left_alone(world):
    world.county_edu.office_phone = "0531-9"
    world.county_edu.save()
    do_import_agencies(rows({"标准全称": "示范县教育局", "简称": "县教育局"}), acting_user=None)
    world.county_edu.refresh_from_db()
    assert (world.county_edu.short_name, world.county_edu.office_phone) == ("县教育局", "0531-9")


def test_vertical_management_by_name(world):
    bureau = department("国家税务总局示范县税务局", 垂直管理="是")
    bureau["上一级主管部门"] = "国家税务总局示范市税务局"
    do_import_agencies(rows(bureau), acting_user=None)
    bureau = Agency.objects.get(name="国家税务总局示范县税务局")
    assert bureau.vertically_managed and bureau.supervising_authority == world.city_tax


def test_any_row_error_saves_nothing_and_every_error_is_reported(world):
    sheet = rows(
        department("示范县水利局"),
        department("示范县林业局", 层级="地级", 垂直管理="对"),
        department("示范县商务局"),
        department("示范县统计局", 统一社会信用代码="11370000MB00000000"),
        department("示范县审计局"),
        department("示范县档案局", parent="某某局"),
        department("示范县档案馆", parent="示范县档案局", 机关类型="法律、法规、规章授权的组织"),
    )
    with pytest.raises(ValidationError) as caught:
        do_import_agencies(sheet, acting_user=None)
    assert caught.value.messages == [
        "第3行：层级“地级”无效，应为：国家级、省级、市级、县级、乡级。",
        "第3行：垂直管理应填“是”或“否”，不能是“对”。",
        "第5行：统一社会信用代码格式或校验位不正确（GB 32100）。",
        "第7行：上级机关“某某局”不存在。",
        "第8行：上级机关“示范县档案局”所在的第7行有错误。",
    ]
    assert not Agency.objects.filter(name__in=["示范县水利局", "示范县商务局"]).exists()
    assert not AuditEvent.objects.exists()


def test_model_validation_names_the_column(world):
    sheet = rows({"标准全称": "示范县某局", "机关类型": "工作部门", "层级": "县级"})
    with pytest.raises(ValidationError) as caught:
        do_import_agencies(sheet, acting_user=None)
    assert caught.value.messages == ["第2行：上级机关：非政府机关必须有上级机关。"]


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        ([], "文件中没有数据行。"),
        (rows({"标准全称": "甲", "名字": "乙"}), "未知的列：名字。"),
        (rows({"简称": "甲"}), "缺少“标准全称”列。"),
        (rows(department(""), department("甲")), "第2行：标准全称不能为空。"),
        (
            rows(department("甲"), department("乙"), department("甲")),
            "第4行：标准全称“甲”与第2行重复。",
        ),
        (
            rows(department("甲", parent="乙"), department("乙", parent="甲")),
            "第2、3行：上级机关或上一级主管部门循环引用（",
        ),
    ],
)
def test_file_level_errors(world, sheet, message):
    with pytest.raises(ValidationError) as caught:
        do_import_agencies(sheet, acting_user=None)
    assert caught.value.messages[0].startswith(message)


def test_rows_outside_the_users_subtree_are_row_errors(world):
    county_admin = UserFactory(roles=[(world.county, Role.ADMIN)])
    sheet = rows(department("示范县水利局"), department("示范市水利局", parent="示范市人民政府"))
    with pytest.raises(ValidationError) as caught:
        do_import_agencies(sheet, acting_user=county_admin)
    assert caught.value.messages == [
        "第3行：您没有在“示范市人民政府”办理此事项的权限（需要角色：系统管理员）。"
    ]


def test_dry_run_checks_everything_and_saves_nothing(world):
    result = do_import_agencies(rows(department("示范县水利局")), acting_user=None, dry_run=True)
    assert result.summary == "新建1个，更新0个，未变化0个（试运行，未保存）。"
    assert not Agency.objects.filter(name="示范县水利局").exists()
    assert not AuditEvent.objects.exists()


def test_moving_a_subtree_then_adding_below_it_keeps_paths_right(world):
    county = {"标准全称": "示范县人民政府", "上级机关": "示范省人民政府"}
    school = department("示范县某学校", parent="示范县教育局")
    school["机关类型"] = "法律、法规、规章授权的组织"
    do_import_agencies(rows(county, school), acting_user=None)
    world.county_edu.refresh_from_db()
    school = Agency.objects.get(name="示范县某学校")
    assert (
        world.county_edu.path
        == f"{world.province.path}{world.county.pk:08d}/{world.county_edu.pk:08d}/"
    )
    assert school.path == f"{world.county_edu.path}{school.pk:08d}/"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_re_imports_unchanged(world, fmt):
    world.city_edu.credit_code = credit_code("11370100MB0000000")
    world.city_edu.office_phone = "+86-531-1234"  # escaped on export, restored on import
    world.city_edu.office_hours = "=工作日 9:00"
    world.city_edu.save()
    buffer = io.BytesIO()
    write_agencies(buffer, fmt, Agency.objects.select_related("parent", "supervising_authority"))
    buffer.seek(0)
    table = read_table(buffer, f"agencies.{fmt}")
    assert table.headers == HEADERS
    result = do_import_agencies(table.rows, acting_user=None)
    assert result.count(ImportStatus.UNCHANGED) == Agency.objects.count() == 9
