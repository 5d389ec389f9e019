"""Shared values for the workdays tests: the rules.md schedules and the holiday-cn data."""

import os
from datetime import date, timedelta
from pathlib import Path

from zwgk.workdays.arithmetic import WorkCalendar
from zwgk.workdays.notice import parse_notice

NOTICES = Path(__file__).resolve().parent / "notices"


def span(first: str, last: str) -> set[date]:
    """Every day from ``first`` to ``last`` inclusive (ISO dates)."""
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    return {a + timedelta(days=i) for i in range((b - a).days + 1)}


def dates(*isos: str) -> set[date]:
    return {date.fromisoformat(iso) for iso in isos}


# /work/shared/spec/rules.md §1
RULES_OFF = {
    2025: span("2025-01-01", "2025-01-01")
    | span("2025-01-28", "2025-02-04")
    | span("2025-04-04", "2025-04-06")
    | span("2025-05-01", "2025-05-05")
    | span("2025-05-31", "2025-06-02")
    | span("2025-10-01", "2025-10-08"),
    2026: span("2026-01-01", "2026-01-03")
    | span("2026-02-15", "2026-02-23")
    | span("2026-04-04", "2026-04-06")
    | span("2026-05-01", "2026-05-05")
    | span("2026-06-19", "2026-06-21")
    | span("2026-09-25", "2026-09-27")
    | span("2026-10-01", "2026-10-07"),
}
RULES_MAKEUP = {
    2025: dates("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"),
    2026: dates("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"),
}


def notice_text(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def notice_calendar(*years: int) -> WorkCalendar:
    """A calendar of the fixture notices for ``years`` (and only those years loaded)."""
    days = [day for year in years for day in parse_notice(notice_text(year)).days]
    return WorkCalendar.from_days(days, years)


def holiday_cn_dir() -> Path | None:
    """``shared/data/holiday-cn`` beside the checkout, or under ``$ZWGK_SHARED_DATA``."""
    if os.environ.get("ZWGK_SHARED_DATA"):
        folder = Path(os.environ["ZWGK_SHARED_DATA"]) / "holiday-cn"
        return folder if folder.is_dir() else None
    for parent in Path(__file__).resolve().parents:
        folder = parent / "shared" / "data" / "holiday-cn"
        if folder.is_dir():
            return folder
    return None


HOLIDAY_CN = holiday_cn_dir()
NO_HOLIDAY_CN = "shared/data/holiday-cn is absent (set ZWGK_SHARED_DATA to the shared data folder)"
