"""do_import_schedule: whole-year replacement, permission, audit event."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.workdays.helpers import notice_text
from zwgk.audit.models import AuditEvent
from zwgk.workdays.actions import do_import_schedule
from zwgk.workdays.models import DeclaredDay, ScheduleYear
from zwgk.workdays.notice import parse_notice
from zwgk.workdays.schedule import ScheduleDay

D = date.fromisoformat
NEW_YEAR_2027 = [ScheduleDay(D("2027-01-01"), True, "元旦")]


def import_2026(user):
    parsed = parse_notice(notice_text(2026))
    return do_import_schedule(2026, parsed.days, source=parsed.source, acting_user=user)


def test_import_replaces_the_year_and_writes_an_audit_event(superuser):
    schedule = import_2026(superuser)
    assert schedule.loaded_by == superuser
    assert schedule.source == "《国务院办公厅关于2026年部分节假日安排的通知》"
    assert schedule.days.count() == 39
    # chinesecalendar and the notice agree on 2026, so nothing changed but the source.
    event = AuditEvent.objects.get(action="workdays.import_schedule")
    assert event.actor == superuser
    assert event.object_repr == "2026年节假日安排"
    assert event.summary.startswith("导入2026年节假日安排：放假33天，调休上班6天。")
    assert event.changes["source"][1] == schedule.source
    assert event.changes["added"] == [] and event.changes["removed"] == []


def test_import_records_what_changed(db):
    do_import_schedule(2027, NEW_YEAR_2027, source="第一次", acting_user=None)
    do_import_schedule(
        2027,
        [ScheduleDay(D("2027-01-01"), True, "元旦"), ScheduleDay(D("2027-02-06"), False, "春节")],
        source="第二次",
        acting_user=None,
    )
    assert list(DeclaredDay.objects.filter(schedule__year=2027).values_list("date", flat=True)) == [
        D("2027-01-01"),
        D("2027-02-06"),
    ]
    last = AuditEvent.objects.filter(action="workdays.import_schedule").first()
    assert last.actor is None and last.actor_name == "系统"
    assert last.changes == {
        "source": ["第一次", "第二次"],
        "removed": [],
        "added": ["2027-02-06 调休上班 春节"],
    }


def test_only_a_superuser_or_the_command_line_may_import(staff_user):
    with pytest.raises(PermissionDenied, match="只有系统管理员可以导入节假日安排"):
        do_import_schedule(2027, NEW_YEAR_2027, source="x", acting_user=staff_user)
    assert not ScheduleYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.filter(action="workdays.import_schedule").exists()


def test_empty_schedule_is_refused(db):
    with pytest.raises(ValidationError, match="空数据不能当作"):
        do_import_schedule(2027, [], source="x", acting_user=None)


def test_a_day_declared_by_another_notice_is_refused(db):
    with pytest.raises(ValidationError, match="2018-12-29已由2019年的通知规定"):
        do_import_schedule(
            2018, [ScheduleDay(D("2018-12-29"), False, "元旦")], source="x", acting_user=None
        )
    assert DeclaredDay.objects.get(date=D("2018-12-29")).schedule.year == 2019
