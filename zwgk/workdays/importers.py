"""Reading a year's 节假日安排 from a file: holiday-cn JSON or the notice text."""

import json
from datetime import date

from zwgk.workdays.notice import parse_notice
from zwgk.workdays.schedule import ParsedSchedule, ScheduleDay, validate_days


def parse_schedule(text: str, *, year: int | None = None) -> ParsedSchedule:
    """Read ``text`` as holiday-cn JSON when it looks like JSON, else as the notice."""
    if text.lstrip().startswith("{"):
        return parse_holiday_cn(text, year=year)
    return parse_notice(text, year=year)


def parse_holiday_cn(text: str, *, year: int | None = None) -> ParsedSchedule:
    """Read a ``holiday-cn`` file: ``{"year", "papers", "days": [{"name", "date", "isOffDay"}]}``.

    Files are keyed by the notice year, so ``2019.json`` holds 2018-12-29.
    An empty ``days`` list (``2027.json`` before the notice) means "not
    published yet" and is refused by :func:`validate_days`.
    """
    try:
        data = json.loads(text)
        stated = data["year"]
        entries = data["days"]
        days = tuple(
            ScheduleDay(date.fromisoformat(e["date"]), bool(e["isOffDay"]), str(e["name"]))
            for e in entries
        )
        papers = [str(p) for p in data.get("papers", [])]
    except (ValueError, KeyError, TypeError) as exc:
        return ParsedSchedule(None, (), "", errors=(f"不是有效的 holiday-cn JSON 文件：{exc}",))
    if not isinstance(stated, int):
        return ParsedSchedule(None, (), "", errors=("holiday-cn 文件缺少有效的 year。",))
    if year is not None and year != stated:
        return ParsedSchedule(
            None, (), "", errors=(f"文件是{stated}年的安排，与指定的{year}年不一致。",)
        )
    source = "；".join(papers) or f"holiday-cn {stated}.json"
    return ParsedSchedule(
        stated, tuple(sorted(days)), source, errors=tuple(validate_days(stated, days))
    )
