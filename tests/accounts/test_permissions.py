"""The permission layer: no agency's content leaks to staff of another agency."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import Role, UserFactory
from zwgk.accounts.permissions import has_role, require_role, restrict, user_scope
from zwgk.audit.models import AuditEvent
from zwgk.organizations.models import Agency


def names(queryset):
    return {agency.name for agency in queryset}


def test_working_role_sees_only_its_own_agency(world):
    assert names(Agency.objects.restrict(world.users.editor)) == {"示范市教育局"}
    assert names(Agency.objects.restrict(world.users.county_editor)) == {"示范县教育局"}


def test_supervisor_sees_its_whole_subtree_but_changes_nothing(world):
    visible = names(Agency.objects.restrict(world.users.supervisor))
    assert visible == {
        "示范市人民政府",
        "示范市教育局",
        "示范市财政局",
        "国家税务总局示范市税务局",
        "示范县人民政府",
        "示范县教育局",
        "示范镇人民政府",
    }
    assert not Agency.objects.restrict(world.users.supervisor, "change").exists()


def test_agency_admin_changes_its_subtree(world):
    admin = UserFactory(roles=[(world.county, Role.ADMIN)])
    assert names(Agency.objects.restrict(admin, "change")) == {
        "示范县人民政府",
        "示范县教育局",
        "示范镇人民政府",
    }
    assert has_role(admin, world.town, [Role.EDITOR])  # 系统管理员 of an ancestor
    assert not has_role(admin, world.city_edu, [Role.EDITOR])


def test_superuser_sees_everything(world):
    assert Agency.objects.restrict(world.users.admin).count() == Agency.objects.count()


def test_anonymous_and_inactive_users_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Agency.objects.restrict(AnonymousUser()).exists()
    world.users.editor.is_active = False
    assert not Agency.objects.restrict(world.users.editor).exists()


def test_restrict_follows_a_foreign_key(world):
    from django.db import transaction

    from zwgk.audit.services import record_event

    with transaction.atomic():
        record_event("test.city", agency=world.city_edu, summary="city")
        record_event("test.county", agency=world.county_edu, summary="county")
    visible = restrict(AuditEvent.objects.all(), world.users.county_editor, "view")
    assert [e.summary for e in visible] == ["county"]


def test_require_role_names_the_agency_and_role_in_chinese(world):
    with pytest.raises(PermissionDenied, match=r"示范县教育局.*信息员"):
        require_role(world.users.editor, world.county_edu, [Role.EDITOR])
    require_role(world.users.county_editor, world.county_edu, [Role.EDITOR])


def test_scope_is_cached_per_user_object(world, django_assert_num_queries):
    user = world.users.supervisor
    user_scope(user)
    with django_assert_num_queries(0):
        user_scope(user)


def test_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError, match="unknown action"):
        user_scope(world.users.editor, "delete")
