"""Month grids and a per-holiday summary of a parsed schedule, for the import preview."""

import calendar
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from zwgk.workdays.arithmetic import chinese_date
from zwgk.workdays.schedule import ParsedSchedule, ScheduleDay

# CSS classes of the preview cells.
OFF, MAKEUP, WEEKEND, WORKDAY = "off", "makeup", "weekend", "workday"


@dataclass(frozen=True)
class Cell:
    day: date | None  # None: padding outside the month
    kind: str = ""
    name: str = ""


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    weeks: tuple[tuple[Cell, ...], ...]

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass(frozen=True)
class HolidaySummary:
    name: str
    off: str  # ``2月15日至2月23日（9天）``
    makeup: str  # ``2月14日、2月28日``


def month_grids(parsed: ParsedSchedule) -> list[MonthGrid]:
    """The notice year's twelve months, and the December before when the notice reaches it."""
    declared = {d.day: d for d in parsed.days}
    months = [(parsed.year, month) for month in range(1, 13)]
    if any(d.day.year < parsed.year for d in parsed.days):
        months.insert(0, (parsed.year - 1, 12))
    weeks_of = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar
    return [
        MonthGrid(
            year,
            month,
            tuple(
                tuple(_cell(day, declared) if day.month == month else Cell(None) for day in week)
                for week in weeks_of(year, month)
            ),
        )
        for year, month in months
    ]


def holiday_summaries(parsed: ParsedSchedule) -> list[HolidaySummary]:
    """One line per holiday, ordered by its first day off: days off as ranges, make-up days."""
    first_day: dict[str, date] = {}
    for d in sorted(parsed.days, key=lambda d: (not d.is_off_day, d.day)):
        first_day.setdefault(d.name, d.day)
    return [
        HolidaySummary(
            name,
            _ranges([d.day for d in parsed.off_days if d.name == name], parsed.year),
            "、".join(_label(d.day, parsed.year) for d in parsed.makeup_days if d.name == name),
        )
        for name in sorted(first_day, key=first_day.__getitem__)
    ]


def _cell(day: date, declared: dict[date, ScheduleDay]) -> Cell:
    if day in declared:
        d = declared[day]
        return Cell(day, OFF if d.is_off_day else MAKEUP, d.name)
    return Cell(day, WEEKEND if day.weekday() >= 5 else WORKDAY)


def _ranges(days: list[date], year: int) -> str:
    """``2月15日至2月23日（9天）``; consecutive days form one range."""
    parts = []
    for _, run in groupby(enumerate(days), key=lambda pair: pair[1].toordinal() - pair[0]):
        run = [day for _, day in run]
        if len(run) == 1:
            parts.append(f"{_label(run[0], year)}（1天）")
        else:
            parts.append(f"{_label(run[0], year)}至{_label(run[-1], year)}（{len(run)}天）")
    return "、".join(parts)


def _label(day: date, year: int) -> str:
    """``2月14日``, with the year only for a day outside the notice year."""
    return f"{day.month}月{day.day}日" if day.year == year else chinese_date(day)
