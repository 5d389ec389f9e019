"""A year's 节假日安排 as plain values, whichever source it was read from.

The State Council publishes one notice a year, 《国务院办公厅关于YYYY年部分节假日
安排的通知》.  Its 元旦 arrangement may reach back into December of the
previous year (the 2019 notice: 2018-12-30 to 2019-01-01 off, 2018-12-29
worked), so a notice for ``year`` may declare days from 1 December of
``year - 1`` to 31 December of ``year``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, order=True)
class ScheduleDay:
    """One declared day: 放假 (``is_off_day``) or 调休上班, with its holiday's name."""

    day: date
    is_off_day: bool
    name: str


@dataclass(frozen=True)
class ParsedSchedule:
    """What a parser read.  ``errors`` block an import; ``warnings`` are shown for review."""

    year: int | None
    days: tuple[ScheduleDay, ...]
    source: str
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def off_days(self) -> tuple[ScheduleDay, ...]:
        return tuple(d for d in self.days if d.is_off_day)

    @property
    def makeup_days(self) -> tuple[ScheduleDay, ...]:
        return tuple(d for d in self.days if not d.is_off_day)


def notice_span(year: int) -> tuple[date, date]:
    """The first and last day a notice for ``year`` may declare."""
    return date(year - 1, 12, 1), date(year, 12, 31)


def validate_days(year: int, days: Iterable[ScheduleDay]) -> list[str]:
    """Errors that make ``days`` unfit to be ``year``'s schedule (empty list: fit)."""
    days = list(days)
    if not days:
        # An empty schedule means "not published yet", never "no holidays".
        return [f"{year}年的节假日安排为空：通知可能尚未发布，空数据不能当作“没有节假日”导入。"]
    first, last = notice_span(year)
    errors = [
        f"{d.day:%Y-%m-%d}不在{year}年通知可规定的范围内（{first:%Y-%m-%d}至{last:%Y-%m-%d}）。"
        for d in days
        if not first <= d.day <= last
    ]
    seen: dict[date, ScheduleDay] = {}
    for d in days:
        if d.day in seen:
            errors.append(f"{d.day:%Y-%m-%d}重复出现。")
        seen[d.day] = d
    return errors
