"""公开时限: parsing the catalogue's wording, writing it back, and the due date of a record."""

from datetime import date
from types import SimpleNamespace

import pytest

from tests.workdays.helpers import notice_calendar
from zwgk.catalogue.choices import DeadlineKind, Period
from zwgk.catalogue.deadlines import (
    DeadlineError,
    format_deadline,
    parse_deadline,
    period_end,
    publication_due,
)
from zwgk.workdays.arithmetic import ScheduleUnknown

WD, RT, PER, OTHER = (
    DeadlineKind.WORKING_DAYS,
    DeadlineKind.REAL_TIME,
    DeadlineKind.PERIODIC,
    DeadlineKind.OTHER,
)


@pytest.mark.parametrize(
    ("text", "kind", "days", "period", "note"),
    [
        ("", WD, 20, "", ""),  # 条例第二十六条 default
        ("信息形成或变更之日起20个工作日内", WD, 20, "", ""),
        ("7个工作日", WD, 7, "", "7个工作日"),
        ("自信息形成之日起5个工作日内", WD, 5, "", "自信息形成之日起5个工作日内"),
        ("２０个工作日内", WD, 20, "", "２０个工作日内"),  # full-width digits
        ("二十个工作日内", WD, 20, "", "二十个工作日内"),
        ("十五个工作日", WD, 15, "", "十五个工作日"),
        ("年度预算批复后20个工作日内", WD, 20, "", "年度预算批复后20个工作日内"),
        ("实时", RT, 20, "", ""),
        ("实时更新", RT, 20, "", "实时更新"),
        ("即时公开", RT, 20, "", "即时公开"),
        ("每月", PER, 20, Period.MONTHLY, "每月"),
        ("按月", PER, 20, Period.MONTHLY, "按月"),
        ("每季度", PER, 20, Period.QUARTERLY, "每季度"),
        ("季度", PER, 20, Period.QUARTERLY, "季度"),
        ("每半年", PER, 20, Period.HALF_YEARLY, "每半年"),
        ("每年", PER, 20, Period.YEARLY, "每年"),
        ("每季度结束后20个工作日内", PER, 20, Period.QUARTERLY, ""),
        ("每月结束后10个工作日内", PER, 10, Period.MONTHLY, ""),
        ("法定时限内", OTHER, 20, "", "法定时限内"),
        ("15日内", OTHER, 20, "", "15日内"),  # calendar days are not working days
        ("实时；涉及个人隐私的去标识化", RT, 20, "", "实时；涉及个人隐私的去标识化"),
    ],
)
def test_parse_deadline(text, kind, days, period, note):
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.days, parsed.period, parsed.note) == (kind, days, period, note)
    assert parsed.recognised == (kind != OTHER)


@pytest.mark.parametrize("text", ["0个工作日内", "400个工作日内"])
def test_impossible_numbers_of_working_days_are_errors(text):
    with pytest.raises(DeadlineError, match="应在1至365之间"):
        parse_deadline(text)


@pytest.mark.parametrize(
    "text",
    ["", "信息形成或变更之日起20个工作日内", "7个工作日", "实时", "每季度", "法定时限内",
     "每月结束后10个工作日内", "每年"],
)  # fmt: skip
def test_the_written_text_parses_back_to_the_same_rule(text):
    parsed = parse_deadline(text)
    written = format_deadline(parsed.kind, parsed.days, parsed.period, parsed.note)
    assert parse_deadline(written) == parsed
    assert written == (text or "信息形成或变更之日起20个工作日内")


@pytest.mark.parametrize(
    ("day", "period", "end"),
    [
        ("2026-02-10", Period.MONTHLY, "2026-02-28"),
        ("2024-02-10", Period.MONTHLY, "2024-02-29"),
        ("2026-05-01", Period.QUARTERLY, "2026-06-30"),
        ("2026-07-01", Period.HALF_YEARLY, "2026-12-31"),
        ("2026-03-31", Period.YEARLY, "2026-12-31"),
    ],
)
def test_period_end(day, period, end):
    assert period_end(date.fromisoformat(day), period) == date.fromisoformat(end)


def rule(kind, days=20, period=""):
    return SimpleNamespace(deadline_kind=kind, deadline_days=days, deadline_period=period)


@pytest.fixture
def calendar():
    return notice_calendar(2026)


def test_20_working_days_across_the_national_day_holiday(calendar):
    # 9-20 (Sun) is worked, 9-25…27 and 10-01…07 are off, 10-10 (Sat) is worked.
    assert publication_due(date(2026, 9, 18), rule(WD), calendar) == date(2026, 10, 22)


def test_no_catalogue_item_means_the_article_26_default(calendar):
    assert publication_due(date(2026, 9, 18), None, calendar) == date(2026, 10, 22)


def test_a_local_five_day_rule(calendar):
    # 2026-04-30 (Thu); 05-01…05 off, 05-09 (Sat) worked.
    assert publication_due(date(2026, 4, 30), rule(WD, 5), calendar) == date(2026, 5, 11)


def test_real_time_is_the_same_day(calendar):
    assert publication_due(date(2026, 10, 3), rule(RT), calendar) == date(2026, 10, 3)


def test_periodic_counts_from_the_end_of_the_period(calendar):
    # Q2 ends 2026-06-30 (Tue); 20 working days later is 2026-07-28.
    item = rule(PER, 20, Period.QUARTERLY)
    assert publication_due(date(2026, 4, 15), item, calendar) == date(2026, 7, 28)
    assert publication_due(date(2026, 6, 30), item, calendar) == date(2026, 7, 28)
    monthly = rule(PER, 10, Period.MONTHLY)  # September ends; the holiday pushes it
    assert publication_due(date(2026, 9, 3), monthly, calendar) == date(2026, 10, 20)


def test_other_has_no_due_date(calendar):
    assert publication_due(date(2026, 9, 18), rule(OTHER), calendar) is None


def test_a_year_without_its_notice_is_unknown(calendar):
    with pytest.raises(ScheduleUnknown):
        publication_due(date(2026, 12, 20), rule(WD), calendar)
    with pytest.raises(ScheduleUnknown):
        publication_due(date(2026, 11, 1), rule(PER, 20, Period.YEARLY), calendar)
