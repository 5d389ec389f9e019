"""The shipped templates and copying them into an agency's catalogue."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zwgk.audit.models import AuditEvent
from zwgk.catalogue.actions import do_apply_template, do_update_catalogue_item
from zwgk.catalogue.choices import DeadlineKind, LegalCategory
from zwgk.catalogue.models import CatalogueItem
from zwgk.catalogue.templates_data import TEMPLATES


def names(agency, parent=None) -> list[str]:
    items = CatalogueItem.objects.filter(agency=agency, parent=parent).order_by("path")
    return list(items.values_list("name", flat=True))


def test_the_shipped_templates():
    counts = {key: (len(t.items), t.count()) for key, t in TEMPLATES.items()}
    assert counts == {
        "article-20": (15, 15),
        "major-projects": (1, 9),
        "public-resources": (1, 7),
        "public-welfare": (1, 8),
        "grassroots-26": (26, 26),
    }


def test_article_20_gives_fifteen_items_with_their_basis(world):
    result = do_apply_template(world.county, "article-20", acting_user=world.users.admin)
    assert (result.created, result.existing) == (15, 0)
    items = list(CatalogueItem.objects.filter(agency=world.county).order_by("path"))
    assert [item.legal_category for item in items] == list(range(1, 16))
    assert [item.sort_order for item in items] == list(range(1, 16))
    first, tenth = items[0], items[9]
    assert first.name == "行政法规、规章和规范性文件"
    assert first.basis == "《中华人民共和国政府信息公开条例》第二十条第（一）项"
    assert tenth.basis == "《中华人民共和国政府信息公开条例》第二十条第（十）项"
    assert items[14].basis.endswith("第二十条第（十五）项")
    assert {(i.deadline_kind, i.deadline_days) for i in items} == {(DeadlineKind.WORKING_DAYS, 20)}
    assert first.deadline_text == "信息形成或变更之日起20个工作日内"
    assert {i.template_key for i in items} == {"article-20"}


def test_the_key_domains_have_their_classes(world):
    for key in ("major-projects", "public-resources", "public-welfare"):
        do_apply_template(world.county, key, acting_user=None)
    assert names(world.county) == ["重大建设项目批准和实施", "公共资源配置", "社会公益事业建设"]
    projects, resources, welfare = CatalogueItem.objects.filter(
        agency=world.county, parent=None
    ).order_by("path")
    assert projects.legal_category == LegalCategory.MAJOR_PROJECTS
    assert names(world.county, projects) == [
        "批准服务信息", "批准结果信息", "招标投标信息", "征收土地信息", "重大设计变更信息",
        "施工有关信息", "质量安全监督信息", "竣工有关信息",
    ]  # fmt: skip
    assert names(world.county, resources) == [
        "住房保障", "国有土地使用权出让", "矿业权出让", "政府采购", "国有产权交易",
        "工程建设项目招标投标",
    ]  # fmt: skip
    assert names(world.county, welfare) == [
        "脱贫攻坚", "社会救助和社会福利", "教育", "基本医疗卫生", "环境保护", "灾害事故救援",
        "公共文化体育",
    ]  # fmt: skip
    service = CatalogueItem.objects.get(parent=projects, name="批准服务信息")
    assert "申报材料清单" in service.content
    assert service.depth == 2
    procurement = CatalogueItem.objects.get(parent=resources, name="政府采购")
    assert (procurement.deadline_days, procurement.deadline_text) == (
        2,
        "中标、成交结果及采购合同2个工作日内",
    )
    for item in CatalogueItem.objects.filter(agency=world.county):
        item.full_clean()  # every shipped item is valid as it stands


def test_the_26_grassroots_areas_are_headings(world):
    do_apply_template(world.town, "grassroots-26", acting_user=None)
    areas = names(world.town)
    assert len(areas) == 26
    assert areas[0] == "城乡规划" and areas[-1] == "义务教育"
    item = CatalogueItem.objects.get(agency=world.town, name="义务教育")
    assert item.level_labels() == ["县级", "乡级"]


def test_reapplying_creates_nothing_and_keeps_the_offices_changes(world):
    editor = world.users.county_editor
    do_apply_template(world.county_edu, "public-welfare", acting_user=editor)
    education = CatalogueItem.objects.get(agency=world.county_edu, name="教育")
    do_update_catalogue_item(education, acting_user=editor, content="本局自定的内容。")
    CatalogueItem.objects.get(name="公共文化体育").delete()  # as if never applied
    events = AuditEvent.objects.count()
    result = do_apply_template(world.county_edu, "public-welfare", acting_user=editor)
    assert (result.created, result.existing) == (1, 7)
    assert CatalogueItem.objects.filter(agency=world.county_edu).count() == 8
    education.refresh_from_db()
    assert education.content == "本局自定的内容。"
    assert AuditEvent.objects.count() == events + 1
    again = do_apply_template(world.county_edu, "public-welfare", acting_user=editor)
    assert (again.created, again.existing) == (0, 8)
    assert AuditEvent.objects.count() == events + 1  # nothing happened, nothing logged


def test_templates_append_after_the_existing_items(world):
    do_apply_template(world.county, "article-20", acting_user=None)
    do_apply_template(world.county, "major-projects", acting_user=None)
    projects = CatalogueItem.objects.get(
        agency=world.county, parent=None, name="重大建设项目批准和实施"
    )
    assert projects.sort_order == 16
    assert names(world.county)[-1] == "重大建设项目批准和实施"


def test_applying_is_audited(world):
    do_apply_template(world.county_edu, "major-projects", acting_user=world.users.county_editor)
    event = AuditEvent.objects.get(action="catalogue.apply_template")
    assert event.agency == world.county_edu
    assert event.actor == world.users.county_editor
    assert event.changes["template"] == "major-projects"
    assert len(event.changes["created"]) == 9


def test_only_editors_of_the_agency_apply_templates(world):
    for user in (world.users.county_editor, world.users.supervisor, world.users.reviewer):
        with pytest.raises(PermissionDenied):
            do_apply_template(world.city_edu, "article-20", acting_user=user)
    assert not CatalogueItem.objects.exists()


def test_an_unknown_template_is_refused(world):
    with pytest.raises(ValidationError, match="没有目录模板“nope”"):
        do_apply_template(world.county, "nope", acting_user=None)
