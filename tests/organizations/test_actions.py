"""do_create_agency / do_update_agency: permission, validation, audit in one transaction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import Role, UserFactory
from tests.organizations import credit_code
from zwgk.audit.models import AuditEvent
from zwgk.organizations.actions import do_create_agency, do_update_agency
from zwgk.organizations.choices import AgencyKind, AgencyLevel
from zwgk.organizations.models import Agency

DEPARTMENT = {"kind": AgencyKind.DEPARTMENT, "level": AgencyLevel.COUNTY}


@pytest.fixture
def county_admin(world):
    return UserFactory(username="county_admin", roles=[(world.county, Role.ADMIN)])


def test_admin_creates_below_its_agency_and_the_event_is_written(world, county_admin):
    agency = do_create_agency(
        acting_user=county_admin, name="示范县财政局", parent=world.county, **DEPARTMENT
    )
    assert agency.path.startswith(world.county.path)
    event = AuditEvent.objects.get(action="organizations.create_agency")
    assert (event.actor, event.agency, event.object_id) == (county_admin, agency, str(agency.pk))
    assert event.summary == "新建机关“示范县财政局”。"
    assert event.changes["name"] == ["", "示范县财政局"]
    assert "office_phone" not in event.changes  # only what differs from a blank agency


@pytest.mark.parametrize("username", ["county_admin", "supervisor", "county_editor"])
def test_only_an_admin_of_the_parent_creates(world, county_admin, username):
    user = county_admin if username == "county_admin" else getattr(world.users, username)
    with pytest.raises(PermissionDenied, match="系统管理员"):
        do_create_agency(acting_user=user, name="越权局", parent=world.city, **DEPARTMENT)
    assert not Agency.objects.filter(name="越权局").exists()
    assert not AuditEvent.objects.exists()


def test_only_the_superuser_creates_a_top_level_agency(world, county_admin):
    fields = {"name": "国务院", "kind": AgencyKind.GOVERNMENT, "level": AgencyLevel.NATIONAL}
    with pytest.raises(PermissionDenied, match="只有平台系统管理员"):
        do_create_agency(acting_user=county_admin, **fields)
    assert do_create_agency(acting_user=world.users.admin, **fields).parent is None


def test_the_operator_at_the_command_line_needs_no_role(world):
    agency = do_create_agency(
        acting_user=None, name="示范县水利局", parent=world.county, **DEPARTMENT
    )
    assert AuditEvent.objects.get(object_id=str(agency.pk)).actor_name == "系统"


def test_create_validates_with_chinese_messages(world):
    with pytest.raises(ValidationError) as caught:
        do_create_agency(
            acting_user=None,
            name="示范县某局",
            parent=world.county,
            credit_code="123",
            **DEPARTMENT,
        )
    assert caught.value.message_dict["credit_code"] == [
        "统一社会信用代码格式或校验位不正确（GB 32100）。"
    ]
    assert not AuditEvent.objects.exists()


def test_update_returns_and_audits_what_changed(world, county_admin):
    changed = do_update_agency(
        world.county_edu, acting_user=county_admin, office_phone="0531-1234", short_name=""
    )
    assert changed == {"office_phone": ["", "0531-1234"]}
    assert world.county_edu.office_phone == "0531-1234"  # the caller's object is refreshed
    event = AuditEvent.objects.get(action="organizations.update_agency")
    assert event.summary == "修改机关“示范县教育局”：联系电话。"
    assert event.changes == changed


def test_an_update_that_changes_nothing_writes_nothing(world, county_admin):
    assert do_update_agency(world.county_edu, acting_user=county_admin, name="示范县教育局") == {}
    assert not AuditEvent.objects.exists()


def test_supervisors_and_working_roles_only_read(world):
    for user in (world.users.supervisor, world.users.editor, world.users.office_head):
        with pytest.raises(PermissionDenied):
            do_update_agency(world.city_edu, acting_user=user, office_phone="1")


def test_moving_needs_admin_rights_over_the_new_parent_too(world, county_admin):
    with pytest.raises(PermissionDenied, match="示范市人民政府"):
        do_update_agency(world.county_edu, acting_user=county_admin, parent=world.city)
    world.county_edu.refresh_from_db()
    assert world.county_edu.parent == world.county


def test_moving_an_agency_moves_its_subtree(world):
    do_update_agency(world.town, acting_user=world.users.admin, parent=world.city)
    assert world.town.path.startswith(world.city.path)
    assert world.town.depth == 3


def test_update_refuses_a_cycle(world):
    with pytest.raises(ValidationError, match="上级机关不能是本机关或其下级机关"):
        do_update_agency(world.city, acting_user=None, parent=world.town)


def test_duplicate_credit_code_is_refused_in_chinese(world):
    code = credit_code("11370000MB0000000")
    do_update_agency(world.city_edu, acting_user=None, credit_code=code)
    with pytest.raises(ValidationError, match="统一社会信用代码已被其他机关使用。"):
        do_update_agency(world.city_fin, acting_user=None, credit_code=code)


def test_fields_that_are_not_editable_are_a_programming_error(world):
    with pytest.raises(TypeError, match="path"):
        do_update_agency(world.city, acting_user=None, path="x")
