"""Catalogue items through the actions: validation, permission, audit, scoping."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zwgk.audit.models import AuditEvent
from zwgk.catalogue.actions import (
    can_edit_catalogue,
    do_create_catalogue_item,
    do_deactivate_catalogue_item,
    do_update_catalogue_item,
    editable_agencies,
)
from zwgk.catalogue.choices import Channel, DeadlineKind, Period
from zwgk.catalogue.models import CatalogueItem


@pytest.fixture
def tree(world):
    """示范县教育局's catalogue: 义务教育 > 招生入学 > 划片范围; and 示范市教育局's 学前教育."""
    editor = world.users.county_editor
    top = do_create_catalogue_item(world.county_edu, acting_user=editor, name="义务教育")
    child = do_create_catalogue_item(
        world.county_edu, acting_user=editor, name="招生入学", parent=top, sort_order=2
    )
    grandchild = do_create_catalogue_item(
        world.county_edu, acting_user=editor, name="划片范围", parent=child
    )
    city = do_create_catalogue_item(world.city_edu, acting_user=world.users.editor, name="学前教育")
    return top, child, grandchild, city


def test_creating_is_validated_and_audited(world):
    item = do_create_catalogue_item(
        world.county_edu,
        acting_user=world.users.county_editor,
        sort_order=3,
        name="教育经费",
        deadline_kind=DeadlineKind.PERIODIC,
        deadline_period=Period.YEARLY,
        channels=[Channel.WEBSITE, Channel.NOTICE_BOARD],
    )
    assert item.deadline_text == "每年结束后20个工作日内"
    assert item.channel_labels() == ["政府网站", "公示栏(电子屏)"]
    event = AuditEvent.objects.get(action="catalogue.create_item")
    assert (event.agency, event.object_id) == (world.county_edu, str(item.pk))
    assert event.changes["name"] == ["", "教育经费"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"deadline_kind": DeadlineKind.PERIODIC}, "deadline_period", "须选择公开周期"),
        ({"deadline_period": Period.MONTHLY}, "deadline_period", "只有“定期”"),
        ({"deadline_kind": DeadlineKind.OTHER}, "deadline_note", "须填写时限说明"),
        ({"deadline_note": "7个工作日"}, "deadline_note", "不一致"),
        ({"deadline_days": 0}, "deadline_days", ""),
        ({"channels": ["website", "微信"]}, "channels", "无效的取值：微信"),
        ({"channels": ["website", "website"]}, "channels", "取值重复"),
        ({"levels": "county"}, "levels", "应为取值列表"),
    ],
)
def test_invalid_items_are_refused(world, fields, field, message):
    with pytest.raises(ValidationError) as caught:
        do_create_catalogue_item(world.county_edu, acting_user=None, name="事项", **fields)
    assert field in caught.value.message_dict
    assert message in " ".join(caught.value.message_dict[field])
    assert not CatalogueItem.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_note_that_matches_the_rule_is_kept(world):
    item = do_create_catalogue_item(
        world.county_edu,
        acting_user=None,
        name="行政处罚",
        deadline_days=7,
        deadline_note="7个工作日",
    )
    assert item.deadline_text == "7个工作日"


def test_names_are_unique_among_siblings(world, tree):
    top, child, _, _ = tree
    with pytest.raises(ValidationError, match="同名的一级事项"):
        do_create_catalogue_item(world.county_edu, acting_user=None, name="义务教育")
    with pytest.raises(ValidationError, match="同一上级事项下已有同名事项"):
        do_create_catalogue_item(world.county_edu, acting_user=None, name="招生入学", parent=top)
    # The same name in another agency, or below another parent, is fine.
    do_create_catalogue_item(world.county, acting_user=None, name="义务教育")
    do_create_catalogue_item(world.county_edu, acting_user=None, name="招生入学", parent=child)


def test_a_parent_must_belong_to_the_same_agency(world, tree):
    top = tree[0]
    with pytest.raises(ValidationError, match="同一机关"):
        do_create_catalogue_item(world.county, acting_user=None, name="x", parent=top)


def test_an_item_cannot_move_below_itself(world, tree):
    top, _, grandchild, _ = tree
    with pytest.raises(ValidationError, match="本事项或其下级事项"):
        do_update_catalogue_item(top, acting_user=None, parent=grandchild)


def test_the_tree_order_follows_sort_order_and_moves(world, tree):
    top, child, grandchild, _ = tree
    assert (top.depth, child.depth, grandchild.depth) == (1, 2, 3)
    other = do_create_catalogue_item(
        world.county_edu, acting_user=None, name="学生资助", sort_order=1
    )
    order = lambda: list(  # noqa: E731
        CatalogueItem.objects.filter(agency=world.county_edu).tree().values_list("name", flat=True)
    )
    assert order() == ["义务教育", "招生入学", "划片范围", "学生资助"]
    do_update_catalogue_item(top, acting_user=None, sort_order=5)
    assert order() == ["学生资助", "义务教育", "招生入学", "划片范围"]
    do_update_catalogue_item(child, acting_user=None, parent=other)
    assert order() == ["学生资助", "招生入学", "划片范围", "义务教育"]
    grandchild.refresh_from_db()
    assert grandchild.depth == 3 and grandchild.path.startswith(other.path)
    assert grandchild.name_path() == ["学生资助", "招生入学", "划片范围"]


def test_updating_reports_and_audits_what_changed(world, tree):
    top = tree[0]
    changed = do_update_catalogue_item(
        top, acting_user=world.users.county_editor, subject="示范县教育局", name="义务教育"
    )
    assert changed == {"subject": ["", "示范县教育局"]}
    event = AuditEvent.objects.get(action="catalogue.update_item")
    assert event.summary == "修改目录事项“义务教育”：公开主体。"
    assert do_update_catalogue_item(top, acting_user=None, subject="示范县教育局") == {}
    assert AuditEvent.objects.filter(action="catalogue.update_item").count() == 1


def test_deactivating_takes_the_subtree(world, tree):
    child = tree[1]
    assert do_deactivate_catalogue_item(child, acting_user=world.users.county_editor) == 2
    assert set(CatalogueItem.objects.active().values_list("name", flat=True)) == {
        "义务教育",
        "学前教育",
    }
    event = AuditEvent.objects.get(action="catalogue.deactivate_item")
    assert event.changes["items"] == ["招生入学", "划片范围"]
    assert do_deactivate_catalogue_item(child, acting_user=None) == 0


def test_not_a_field_of_an_item():
    with pytest.raises(TypeError):
        do_update_catalogue_item(CatalogueItem(), acting_user=None, agency_id=1)


def test_who_may_edit(world, county_admin):
    u = world.users
    assert can_edit_catalogue(u.editor, world.city_edu)
    assert can_edit_catalogue(u.county_editor, world.county_edu)
    assert can_edit_catalogue(county_admin, world.town)
    assert can_edit_catalogue(u.admin, world.city)
    for user in (u.reviewer, u.handler, u.office_head, u.supervisor, u.county_editor):
        assert not can_edit_catalogue(user, world.city_edu)
    assert set(editable_agencies(county_admin).values_list("name", flat=True)) == {
        "示范县人民政府",
        "示范县教育局",
        "示范镇人民政府",
    }
    assert list(editable_agencies(u.editor)) == [world.city_edu]
    assert not editable_agencies(u.supervisor).exists()


def test_refused_edits_change_nothing(world, tree):
    city = tree[3]
    with pytest.raises(PermissionDenied):
        do_update_catalogue_item(city, acting_user=world.users.county_editor, name="改名")
    with pytest.raises(PermissionDenied):
        do_deactivate_catalogue_item(city, acting_user=world.users.supervisor)
    with pytest.raises(PermissionDenied):
        do_create_catalogue_item(world.city_edu, acting_user=world.users.reviewer, name="x")
    city.refresh_from_db()
    assert city.name == "学前教育" and city.is_active


def visible(user) -> set[str]:
    return set(CatalogueItem.objects.restrict(user).values_list("name", flat=True))


def test_scoping_a_county_editor_cannot_see_the_city_catalogue(world, tree):
    assert visible(world.users.county_editor) == {"义务教育", "招生入学", "划片范围"}
    assert visible(world.users.editor) == {"学前教育"}
    # The 主管部门 of the city reads its whole subtree, the county included.
    assert visible(world.users.supervisor) == {"义务教育", "招生入学", "划片范围", "学前教育"}
    assert visible(None) == set()
