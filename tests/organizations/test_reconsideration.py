"""行政复议机关 resolution: a test per provision of 《行政复议法》(2023) 第二十四条至第二十七条."""

import pytest

from tests.factories import AgencyFactory
from zwgk.organizations.choices import AgencyKind, AgencyLevel
from zwgk.organizations.reconsideration import (
    NotReviewableError,
    ReconsiderationError,
    reconsideration_body,
)

LAW = "《中华人民共和国行政复议法》"
K, L = AgencyKind, AgencyLevel


def resolves(agency, expected, basis: str) -> None:
    body = reconsideration_body(agency)
    assert body.agency == expected
    assert body.basis == LAW + basis


def test_department_goes_to_its_own_government(world):
    """第二十四条第一款第（一）项: 本级人民政府工作部门 → 本级人民政府."""
    resolves(world.city_edu, world.city, "第二十四条第一款第（一）项")
    resolves(world.county_edu, world.county, "第二十四条第一款第（一）项")


def test_department_managed_by_a_department_still_goes_to_the_government(world):
    """第二十四条第一款第（一）项: a 部门管理机构 is still a 工作部门 of 本级人民政府."""
    bureau = AgencyFactory(kind=K.DEPARTMENT, level=L.CITY, parent=world.city_fin)
    resolves(bureau, world.city, "第二十四条第一款第（一）项")


def test_local_government_goes_one_level_up(world):
    """第二十四条第一款第（二）项: 下一级人民政府 → 上一级人民政府."""
    resolves(world.town, world.county, "第二十四条第一款第（二）项")
    resolves(world.county, world.city, "第二十四条第一款第（二）项")
    resolves(world.city, world.province, "第二十四条第一款第（二）项")


def test_province_hears_its_own_acts(world):
    """第二十四条第二款: 省、自治区、直辖市人民政府 also hear cases on their own acts."""
    body = reconsideration_body(world.province)
    assert body.agency == world.province
    assert body.basis == LAW + "第二十四条第二款"
    assert str(body) == f"示范省人民政府（{LAW}第二十四条第二款）"


def test_dispatched_organ_goes_to_the_government_that_set_it_up(world):
    """第二十四条第一款第（三）项: 本级人民政府依法设立的派出机关 → that government."""
    street = AgencyFactory(
        name="示范县城关街道办事处", kind=K.DISPATCHED_ORGAN, level=L.TOWNSHIP, parent=world.county
    )
    resolves(street, world.county, "第二十四条第一款第（三）项")


def test_prefecture_office_acts_as_a_city_government(world):
    """第二十四条第三款: a province's 派出机关 (行政公署) hears cases as a 设区的市 would;
    its own acts go to the province (第二十四条第一款第（三）项)."""
    prefecture = AgencyFactory(
        name="示范地区行政公署", kind=K.DISPATCHED_ORGAN, level=L.CITY, parent=world.province
    )
    county = AgencyFactory(kind=K.GOVERNMENT, level=L.COUNTY, parent=prefecture)
    department = AgencyFactory(kind=K.DEPARTMENT, level=L.CITY, parent=prefecture)
    resolves(prefecture, world.province, "第二十四条第一款第（三）项")
    resolves(county, prefecture, "第二十四条第三款")
    resolves(department, prefecture, "第二十四条第三款")


def test_authorised_organisation_goes_to_the_government_of_its_manager(world):
    """第二十四条第一款第（四）项: 授权组织 managed by a government or department → 本级人民政府."""
    by_department = AgencyFactory(kind=K.AUTHORIZED, level=L.CITY, parent=world.city_edu)
    by_government = AgencyFactory(kind=K.AUTHORIZED, level=L.COUNTY, parent=world.county)
    internal = AgencyFactory(kind=K.INTERNAL, level=L.CITY, parent=world.city_fin)
    resolves(by_department, world.city, "第二十四条第一款第（四）项")
    resolves(by_government, world.county, "第二十四条第一款第（四）项")
    resolves(internal, world.city, "第二十四条第一款第（四）项")


def test_dispatched_office_goes_to_the_government_of_its_department(world):
    """第二十四条第四款: 工作部门依法设立的派出机构 acting in its own name → 本级人民政府."""
    police = AgencyFactory(
        name="示范县公安局", kind=K.DEPARTMENT, level=L.COUNTY, parent=world.county
    )
    station = AgencyFactory(kind=K.DISPATCHED_OFFICE, level=L.TOWNSHIP, parent=police)
    body = reconsideration_body(station)
    assert body.agency == world.county
    assert body.basis == LAW + "第二十四条第四款"
    assert body.alternative is None  # a county is neither 直辖市 nor 设区的市


def test_district_office_of_a_city_department_may_also_go_to_the_district(world):
    """第二十四条第四款后段: 设区的市 department's 派出机构 by 行政区划 → also 所在地的人民政府."""
    world.county.division_code = "379901"
    world.county.save()
    police = AgencyFactory(name="示范市公安局", kind=K.DEPARTMENT, level=L.CITY, parent=world.city)
    branch = AgencyFactory(
        name="示范市公安局示范县分局",
        kind=K.DISPATCHED_OFFICE,
        level=L.COUNTY,
        parent=police,
        division_code="379901",
    )
    body = reconsideration_body(branch)
    assert body.agency == world.city
    assert body.alternative.agency == world.county
    assert body.alternative.basis == LAW + "第二十四条第四款"
    assert body.display_name == "示范市人民政府或者示范县人民政府"


def test_municipality_district_office_may_also_go_to_the_district(db):
    """第二十四条第四款后段: the same for a 直辖市 (recognised by its GB/T 2260 code)."""
    shanghai = AgencyFactory(
        name="上海市人民政府", kind=K.GOVERNMENT, level=L.PROVINCE, division_code="310000"
    )
    pudong = AgencyFactory(
        name="上海市浦东新区人民政府",
        kind=K.GOVERNMENT,
        level=L.COUNTY,
        parent=shanghai,
        division_code="310115",
    )
    police = AgencyFactory(
        name="上海市公安局", kind=K.DEPARTMENT, level=L.PROVINCE, parent=shanghai
    )
    branch = AgencyFactory(
        name="上海市公安局浦东分局",
        kind=K.DISPATCHED_OFFICE,
        level=L.COUNTY,
        parent=police,
        division_code="310115",
    )
    body = reconsideration_body(branch)
    assert (body.agency, body.alternative.agency) == (shanghai, pudong)


def test_state_council_departments_hear_their_own_cases(db):
    """第二十五条: 国务院部门 hear cases on their own acts (一), their 派出机构 (二)
    and the 授权组织 they manage (三)."""
    state_council = AgencyFactory(name="国务院", kind=K.GOVERNMENT, level=L.NATIONAL)
    ministry = AgencyFactory(kind=K.DEPARTMENT, level=L.NATIONAL, parent=state_council)
    bureau = AgencyFactory(kind=K.DEPARTMENT, level=L.NATIONAL, parent=ministry)
    office = AgencyFactory(kind=K.DISPATCHED_OFFICE, level=L.PROVINCE, parent=ministry)
    authorised = AgencyFactory(kind=K.AUTHORIZED, level=L.NATIONAL, parent=ministry)
    resolves(ministry, ministry, "第二十五条第（一）项")
    resolves(bureau, bureau, "第二十五条第（一）项")  # a 部委管理的国家局 is a 国务院部门 itself
    resolves(office, ministry, "第二十五条第（二）项")
    resolves(authorised, ministry, "第二十五条第（三）项")


def test_vertically_managed_body_goes_to_its_supervising_authority(world):
    """第二十七条: 税务机关 → 上一级主管部门, not the local government above it."""
    resolves(world.city_tax, world.province_tax, "第二十七条")


def test_units_of_a_vertically_managed_body_go_to_that_body(world):
    """第二十七条: a 税务所, 稽查局 or district bureau under a tax bureau → that tax bureau."""
    office = AgencyFactory(kind=K.DISPATCHED_OFFICE, level=L.COUNTY, parent=world.city_tax)
    inspection = AgencyFactory(kind=K.INTERNAL, level=L.CITY, parent=world.city_tax)
    district = AgencyFactory(kind=K.DEPARTMENT, level=L.COUNTY, parent=world.city_tax)
    resolves(office, world.city_tax, "第二十七条")
    resolves(inspection, world.city_tax, "第二十七条")
    resolves(district, world.city_tax, "第二十七条")  # not flagged itself, still the tax line


def test_vertically_managed_body_without_supervising_authority_is_an_error(world):
    """第二十七条 needs the 上一级主管部门 recorded."""
    customs = AgencyFactory(
        name="示范海关", kind=K.DEPARTMENT, level=L.CITY, parent=world.city, vertically_managed=True
    )
    with pytest.raises(ReconsiderationError, match=r"未填写上一级主管部门.*第二十七条"):
        reconsideration_body(customs)


def test_state_council_is_not_subject_to_reconsideration(db):
    """第二十四条至第二十七条 name no 复议机关 for 国务院."""
    state_council = AgencyFactory(name="国务院", kind=K.GOVERNMENT, level=L.NATIONAL)
    with pytest.raises(NotReviewableError, match="国务院的行政行为不能申请行政复议"):
        reconsideration_body(state_council)


def test_missing_upper_government_is_an_error(db):
    """第二十四条第一款第（二）项: the 上一级人民政府 must be registered."""
    county = AgencyFactory(name="孤立县人民政府", kind=K.GOVERNMENT, level=L.COUNTY)
    with pytest.raises(ReconsiderationError, match="未登记“孤立县人民政府”的上一级人民政府"):
        reconsideration_body(county)


def test_department_without_government_is_an_error(db):
    """第二十四条第一款第（一）项: the 本级人民政府 must be registered."""
    department = AgencyFactory(name="孤立局", kind=K.DEPARTMENT, level=L.COUNTY)
    with pytest.raises(ReconsiderationError, match="未登记“孤立局”的本级人民政府"):
        reconsideration_body(department)


def test_township_is_never_a_reconsideration_body(world):
    """第二十四条第一款 gives the power to 县级以上地方各级人民政府 only."""
    office = AgencyFactory(kind=K.AUTHORIZED, level=L.TOWNSHIP, parent=world.town)
    with pytest.raises(ReconsiderationError, match="“示范镇人民政府”不是行政复议机关"):
        reconsideration_body(office)


def test_dispatched_office_must_hang_below_a_department(world):
    """第二十四条第四款、第二十五条第（二）项: a 派出机构 is set up by a 工作部门."""
    office = AgencyFactory(name="错挂派出机构", kind=K.DISPATCHED_OFFICE, parent=world.city)
    with pytest.raises(ReconsiderationError, match="上级机关应为设立它的工作部门"):
        reconsideration_body(office)


def test_resolution_reads_the_tree_in_few_queries(world, django_assert_max_num_queries):
    """The ancestors come in one query, whatever the depth."""
    office = AgencyFactory(kind=K.AUTHORIZED, level=L.COUNTY, parent=world.county_edu)
    with django_assert_max_num_queries(1):
        reconsideration_body(office)
