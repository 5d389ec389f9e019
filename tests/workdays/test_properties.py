"""Property test: the calendar against a brute-force count over every holiday-cn year 2007–2026."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workdays.helpers import HOLIDAY_CN, NO_HOLIDAY_CN
from zwgk.workdays.arithmetic import ScheduleUnknown, WorkCalendar
from zwgk.workdays.schedule import ScheduleDay

pytestmark = pytest.mark.skipif(HOLIDAY_CN is None, reason=NO_HOLIDAY_CN)

YEARS = range(2007, 2027)
OFF: set[date] = set()
WORKED: set[date] = set()
if HOLIDAY_CN is not None:
    for year in YEARS:
        data = json.loads((HOLIDAY_CN / f"{year}.json").read_text(encoding="utf-8"))
        for entry in data["days"]:
            (OFF if entry["isOffDay"] else WORKED).add(date.fromisoformat(entry["date"]))
CALENDAR = WorkCalendar.from_days(
    [ScheduleDay(d, True, "假") for d in OFF] + [ScheduleDay(d, False, "班") for d in WORKED],
    YEARS,
)


class Unknown(Exception):
    pass


def brute_is_working(day: date, pauses) -> bool:
    """rules.md §1, written out: Mon–Fri minus 放假 plus 调休上班; unknown years refused."""
    late_december = day.month == 12 and day.day >= 25
    if day.year not in YEARS or (late_december and day.year + 1 not in YEARS):
        raise Unknown
    if any(a <= day <= b for a, b in pauses):
        return False
    if day in OFF:
        return False
    return day in WORKED or day.weekday() < 5


def brute_due(start: date, n: int, pauses, count_start_day: bool) -> date:
    day, due, count = (start if count_start_day else start + timedelta(days=1)), start, 0
    while count < n:
        if brute_is_working(day, pauses):
            count += 1
            due = day
        day += timedelta(days=1)
    return due


def brute_between(start: date, end: date, pauses, count_start_day: bool) -> int:
    first = start if count_start_day else start + timedelta(days=1)
    days = (first + timedelta(days=i) for i in range((end - first).days + 1))
    return sum(brute_is_working(day, pauses) for day in days)


def outcome(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except (ScheduleUnknown, Unknown):
        return "unknown"


pause_offsets = st.lists(st.tuples(st.integers(-5, 40), st.integers(0, 10)), max_size=2)


@settings(max_examples=400, deadline=None, database=None)
@given(
    start=st.dates(date(2007, 1, 1), date(2026, 12, 31)),
    n=st.integers(0, 60),
    span=st.integers(0, 120),
    offsets=pause_offsets,
    count_start_day=st.booleans(),
)
def test_calendar_matches_a_day_by_day_count(start, n, span, offsets, count_start_day):
    pauses = [
        (start + timedelta(days=a), start + timedelta(days=a + length)) for a, length in offsets
    ]
    options = {"pauses": pauses, "count_start_day": count_start_day}

    due = outcome(lambda: CALENDAR.add_working_days(start, n, **options).due_date)
    assert due == outcome(brute_due, start, n, pauses, count_start_day)

    end = start + timedelta(days=span)
    between = outcome(CALENDAR.working_days_between, start, end, **options)
    assert between == outcome(brute_between, start, end, pauses, count_start_day)

    if n >= 1 and due != "unknown":
        assert CALENDAR.working_days_between(start, due, **options) == n
