"""工作日 arithmetic: pure functions over a loaded holiday calendar.

Every legal clock of the platform is counted here:

- 条例第三十条: 补正 notice within 7 working days of receipt;
- 条例第三十二条、第三十四条: a consulted third party or agency answers within
  15 working days, and that time is not counted against the reply (a *pause*);
- 条例第三十三条: reply within 20 working days, one extension of at most 20;
- 条例第二十六条: proactive disclosure within 20 working days.

A 工作日 is Monday to Friday, minus the days the State Council declares off
(放假), plus the Saturdays and Sundays it declares worked (调休上班).  Each year
is defined by that year's notice, so a date whose notice is not loaded is
*unknown*: the calendar raises :class:`ScheduleUnknown` rather than guess.

Counting convention: the start day is not counted; working day 1 is the first
working day after it (民法典第二百零一条 default, the 条例 is silent, so
``count_start_day`` lets a site count it).  A due date never falls on a day off
because only working days are counted.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from zwgk.workdays.choices import SkipReason
from zwgk.workdays.schedule import ScheduleDay

ONE_DAY = timedelta(days=1)
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

# The next year's 元旦 arrangement can move days at the end of December
# (2019 notice: 2018-12-29 worked, 12-30 and 12-31 off).  From this day of
# December on, a date is known only when the next year's notice is loaded too.
NEXT_NOTICE_REACH = (12, 25)

Pause = tuple[date, date]


def chinese_date(day: date) -> str:
    """``2027年1月1日``."""
    return f"{day.year}年{day.month}月{day.day}日"


class ScheduleUnknown(Exception):
    """A computation reached a date whose year's 节假日安排 is not loaded."""

    def __init__(self, year: int, reached: date) -> None:
        self.year = year
        self.reached = reached
        detail = (
            f"（{chinese_date(reached)}可能因{year}年元旦调休而变化）"
            if reached.year != year
            else ""
        )
        super().__init__(
            f"{year}年的节假日安排尚未导入，无法计算期限{detail}。"
            f"请系统管理员导入国务院办公厅关于{year}年部分节假日安排的通知。"
        )


@dataclass(frozen=True)
class DayNote:
    """One day of a count: counted as working day ``ordinal``, or skipped for ``skip``."""

    day: date
    ordinal: int | None = None
    skip: SkipReason | None = None
    holiday: str = ""  # the holiday a 放假 or 调休上班 day belongs to
    makeup: bool = False  # a Saturday or Sunday declared worked (调休上班)

    @property
    def counted(self) -> bool:
        return self.ordinal is not None

    def describe(self) -> str:
        """One line of Chinese: ``2026-09-20 周日 第1个工作日（国庆节调休上班）``."""
        head = _with_weekday(self.day)
        if self.counted:
            note = f"（{self.holiday}调休上班）" if self.makeup else ""
            return f"{head} 第{self.ordinal}个工作日{note}"
        reason = f"{self.holiday}放假" if self.skip == SkipReason.HOLIDAY else str(self.skip.label)
        return f"{head} 不计：{reason}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "weekday": WEEKDAY_NAMES[self.day.weekday()],
            "counted": self.counted,
            "ordinal": self.ordinal,
            "reason": self.skip.value if self.skip else None,
            "holiday": self.holiday,
            "makeup": self.makeup,
            "description": self.describe(),
        }


@dataclass(frozen=True)
class DeadlineResult:
    """A due date and, day by day, how it was reached."""

    start: date
    working_days: int
    due_date: date
    explanation: tuple[DayNote, ...]
    pauses: tuple[Pause, ...] = ()
    count_start_day: bool = False

    def describe(self) -> list[str]:
        """The computation in Chinese: start, period, pauses, due date, then day by day."""
        rule = "计入" if self.count_start_day else "不计入（民法典第二百零一条）"
        lines = [
            f"起算日：{_with_weekday(self.start)}，起算日{rule}",
            f"期限：{self.working_days}个工作日",
            *(f"暂停计时：{a:%Y-%m-%d}至{b:%Y-%m-%d}" for a, b in self.pauses),
            f"到期日：{_with_weekday(self.due_date)}",
        ]
        if self.explanation:
            lines += ["", "逐日说明：", *(note.describe() for note in self.explanation)]
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "count_start_day": self.count_start_day,
            "pauses": [{"from": a.isoformat(), "to": b.isoformat()} for a, b in self.pauses],
            "due_date": self.due_date.isoformat(),
            "explanation": [note.as_dict() for note in self.explanation],
        }


@dataclass(frozen=True)
class WorkCalendar:
    """The declared days of the loaded notices, and which notice years are loaded."""

    off_days: Mapping[date, str] = field(default_factory=dict)
    makeup_days: Mapping[date, str] = field(default_factory=dict)
    loaded_years: frozenset[int] = frozenset()

    @classmethod
    def from_days(cls, days: Iterable[ScheduleDay], loaded_years: Iterable[int]) -> "WorkCalendar":
        off, makeup = {}, {}
        for d in days:
            (off if d.is_off_day else makeup)[d.day] = d.name
        return cls(off_days=off, makeup_days=makeup, loaded_years=frozenset(loaded_years))

    def require_known(self, day: date) -> None:
        """Raise :class:`ScheduleUnknown` unless every notice that can decide ``day`` is loaded."""
        if day.year not in self.loaded_years:
            raise ScheduleUnknown(day.year, day)
        if (day.month, day.day) >= NEXT_NOTICE_REACH and day.year + 1 not in self.loaded_years:
            raise ScheduleUnknown(day.year + 1, day)

    def is_working_day(self, day: date) -> bool:
        return self._note(day, ()).skip is None

    def add_working_days(
        self,
        start: date,
        n: int,
        *,
        pauses: Iterable[Pause] = (),
        count_start_day: bool = False,
    ) -> DeadlineResult:
        """The day on which the ``n``-th working day after ``start`` ends.

        ``n == 0`` is the start day itself (当场答复).  Days inside a pause
        (inclusive intervals) are not counted: 条例第三十二条、第三十四条
        consultation time.  With ``count_start_day`` the start day is working
        day 1 when it is a working day.
        """
        if n < 0:
            raise ValueError("工作日数不能为负数。")
        pauses = _checked(pauses)
        notes: list[DayNote] = []
        count, day, due = 0, (start if count_start_day else start + ONE_DAY), start
        while count < n:
            note = self._note(day, pauses)
            if note.skip is None:
                count += 1
                note = replace(note, ordinal=count)
                due = day
            notes.append(note)
            day += ONE_DAY
        return DeadlineResult(start, n, due, tuple(notes), pauses, count_start_day)

    def working_days_between(
        self,
        start: date,
        end: date,
        *,
        pauses: Iterable[Pause] = (),
        count_start_day: bool = False,
    ) -> int:
        """Working days after ``start`` up to and including ``end`` (pauses not counted).

        The inverse of :meth:`add_working_days`: when ``due`` is
        ``add_working_days(start, n).due_date``, this returns ``n``.  With
        ``count_start_day`` the start day counts too.  ``end`` before ``start``
        is an error.
        """
        if end < start:
            raise ValueError("结束日期不能早于起算日期。")
        pauses = _checked(pauses)
        day = start if count_start_day else start + ONE_DAY
        count = 0
        while day <= end:
            if self._note(day, pauses).skip is None:
                count += 1
            day += ONE_DAY
        return count

    def _note(self, day: date, pauses: Sequence[Pause]) -> DayNote:
        """How ``day`` counts, without its ordinal."""
        self.require_known(day)
        if any(first <= day <= last for first, last in pauses):
            return DayNote(day, skip=SkipReason.PAUSED)
        if day in self.off_days:
            return DayNote(day, skip=SkipReason.HOLIDAY, holiday=self.off_days[day])
        weekend = day.weekday() >= 5
        if day in self.makeup_days:
            return DayNote(day, holiday=self.makeup_days[day], makeup=weekend)
        return DayNote(day, skip=SkipReason.WEEKEND if weekend else None)


def _with_weekday(day: date) -> str:
    return f"{day:%Y-%m-%d} {WEEKDAY_NAMES[day.weekday()]}"


def _checked(pauses: Iterable[Pause]) -> tuple[Pause, ...]:
    pauses = tuple(sorted(pauses))
    for first, last in pauses:
        if last < first:
            raise ValueError(f"暂停计时区间有误：{first:%Y-%m-%d}晚于{last:%Y-%m-%d}。")
    return pauses
