"""State changes of the calendar.  Each runs in one transaction with its audit event."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zwgk.audit.services import record_event
from zwgk.workdays.choices import DAY_KINDS
from zwgk.workdays.models import DeclaredDay, ScheduleYear
from zwgk.workdays.schedule import ScheduleDay, validate_days


def do_import_schedule(
    year: int, days: Iterable[ScheduleDay], *, source: str, acting_user
) -> ScheduleYear:
    """Replace the whole 节假日安排 of notice ``year`` with ``days``.

    Only a superuser (系统管理员) or the operator at the command line
    (``acting_user=None``) may do it.  The old days of that notice are deleted,
    the new ones inserted and an audit event written, all or nothing.
    """
    if acting_user is not None and not (acting_user.is_active and acting_user.is_superuser):
        raise PermissionDenied("只有系统管理员可以导入节假日安排。")
    days = sorted(days)
    errors = validate_days(year, days)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        schedule = ScheduleYear.objects.select_for_update().filter(year=year).first()
        _refuse_days_of_other_notices(year, days)
        before = (
            {ScheduleDay(d.date, d.is_off_day, d.name) for d in schedule.days.all()}
            if schedule
            else set()
        )
        if schedule is None:
            schedule = ScheduleYear(year=year)
        old_source = schedule.source
        schedule.source = source
        schedule.loaded_at = timezone.now()
        schedule.loaded_by = acting_user
        schedule.save()
        schedule.days.all().delete()
        DeclaredDay.objects.bulk_create(
            DeclaredDay(date=d.day, is_off_day=d.is_off_day, name=d.name, schedule=schedule)
            for d in days
        )
        off = sum(d.is_off_day for d in days)
        record_event(
            "workdays.import_schedule",
            actor=acting_user,
            obj=schedule,
            summary=(
                f"导入{year}年节假日安排：放假{off}天，调休上班{len(days) - off}天。来源：{source}"
            ),
            changes={
                "source": [old_source, source],
                "removed": _entries(before - set(days)),
                "added": _entries(set(days) - before),
            },
        )
    return schedule


def _refuse_days_of_other_notices(year: int, days: list[ScheduleDay]) -> None:
    taken = (
        DeclaredDay.objects.filter(date__in=[d.day for d in days])
        .exclude(schedule__year=year)
        .select_related("schedule")
    )
    if taken:
        raise ValidationError(
            [
                f"{d.date:%Y-%m-%d}已由{d.schedule.year}年的通知规定，不能再列入{year}年。"
                for d in taken
            ]
        )


def _entries(days: set[ScheduleDay]) -> list[str]:
    """Declared days as audit-friendly strings: ``2026-02-14 调休上班 春节``."""
    labels = dict(DAY_KINDS)
    return [f"{d.day:%Y-%m-%d} {labels[d.is_off_day]} {d.name}" for d in sorted(days)]
