"""The calendar as stored in the database, and the calls the legal clocks make.

Clocks call :func:`add_working_days` (and friends) here, never the ORM; code
that computes many deadlines at once loads :func:`get_calendar` once and
passes it in.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings

from zwgk.workdays.arithmetic import DeadlineResult, Pause, WorkCalendar
from zwgk.workdays.models import DeclaredDay, ScheduleYear
from zwgk.workdays.schedule import ScheduleDay


def get_calendar() -> WorkCalendar:
    """Every loaded notice year and its declared days (two queries)."""
    years = ScheduleYear.objects.values_list("year", flat=True)
    days = DeclaredDay.objects.values_list("date", "is_off_day", "name")
    return WorkCalendar.from_days((ScheduleDay(*row) for row in days), years)


def add_working_days(
    start: date,
    n: int,
    *,
    pauses: Iterable[Pause] = (),
    count_start_day: bool | None = None,
    calendar: WorkCalendar | None = None,
) -> DeadlineResult:
    """The due date ``n`` working days after ``start``; raises ``ScheduleUnknown``.

    ``count_start_day=None`` follows the site setting ``ZWGK_COUNT_START_DAY``
    (off: 民法典第二百零一条, the start day is not counted).
    """
    return (calendar or get_calendar()).add_working_days(
        start, n, pauses=pauses, count_start_day=_count_start_day(count_start_day)
    )


def working_days_between(
    start: date,
    end: date,
    *,
    pauses: Iterable[Pause] = (),
    count_start_day: bool | None = None,
    calendar: WorkCalendar | None = None,
) -> int:
    """Working days after ``start`` up to and including ``end``; raises ``ScheduleUnknown``."""
    return (calendar or get_calendar()).working_days_between(
        start, end, pauses=pauses, count_start_day=_count_start_day(count_start_day)
    )


def is_working_day(day: date, *, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or get_calendar()).is_working_day(day)


def missing_schedule_warnings(today: date, loaded_years: Iterable[int]) -> list[str]:
    """What an administrator must load: this year's notice, and from 1 October next year's."""
    loaded = set(loaded_years)
    warnings = []
    if today.year not in loaded:
        warnings.append(
            f"{today.year}年节假日安排尚未导入：工作日期限无法计算。"
            f"请系统管理员导入国务院办公厅关于{today.year}年部分节假日安排的通知。"
        )
    # The next year's notice is usually published in November; from October
    # a 20-working-day clock may already cross the year.
    if today >= date(today.year, 10, 1) and today.year + 1 not in loaded:
        warnings.append(
            f"{today.year + 1}年节假日安排尚未导入：跨年的办理期限将无法计算。"
            "国务院办公厅通知发布后请及时导入。"
        )
    return warnings


def schedule_warnings(today: date) -> list[str]:
    """:func:`missing_schedule_warnings` for the database (one small query)."""
    loaded = ScheduleYear.objects.filter(year__in=[today.year, today.year + 1])
    return missing_schedule_warnings(today, loaded.values_list("year", flat=True))


def _count_start_day(value: bool | None) -> bool:
    return settings.ZWGK_COUNT_START_DAY if value is None else value
