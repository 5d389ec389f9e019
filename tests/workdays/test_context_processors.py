"""The back-office banner when next year's 节假日安排 is missing."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from zwgk.workdays.actions import do_import_schedule
from zwgk.workdays.context_processors import calendar_warnings
from zwgk.workdays.schedule import ScheduleDay

MISSING_2027 = (
    "2027年节假日安排尚未导入：跨年的办理期限将无法计算。国务院办公厅通知发布后请及时导入。"
)


def request_for(user):
    return SimpleNamespace(user=user)


def test_anonymous_gets_nothing_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert calendar_warnings(request_for(AnonymousUser())) == {"calendar_warnings": []}
        assert calendar_warnings(SimpleNamespace()) == {"calendar_warnings": []}


@pytest.mark.parametrize("user", ["superuser", "staff_user"])
def test_staff_are_warned_from_october(request, db, time_machine, django_assert_num_queries, user):
    time_machine.move_to("2026-10-01 09:00 +08:00")
    page_request = request_for(request.getfixturevalue(user))
    with django_assert_num_queries(1):
        assert list(calendar_warnings(page_request)["calendar_warnings"]) == [MISSING_2027]
        assert list(calendar_warnings(page_request)["calendar_warnings"]) == [MISSING_2027]


def test_no_warning_before_october_or_once_loaded(superuser, time_machine):
    time_machine.move_to("2026-09-30 23:00 +08:00")
    assert not calendar_warnings(request_for(superuser))["calendar_warnings"]
    time_machine.move_to("2026-11-20 09:00 +08:00")
    do_import_schedule(
        2027, [ScheduleDay(date(2027, 1, 1), True, "元旦")], source="测试", acting_user=None
    )
    assert not calendar_warnings(request_for(superuser))["calendar_warnings"]


def test_non_staff_users_get_nothing(staff_user):
    staff_user.is_staff = False
    assert calendar_warnings(request_for(staff_user)) == {"calendar_warnings": []}
