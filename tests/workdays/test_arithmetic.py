"""工作日 arithmetic on the 2025 and 2026 notices (no database)."""

from datetime import date, timedelta

import pytest

from tests.workdays.helpers import RULES_MAKEUP, RULES_OFF, notice_calendar, span
from zwgk.workdays.arithmetic import ScheduleUnknown, WorkCalendar
from zwgk.workdays.choices import SkipReason

D = date.fromisoformat
CALENDAR = notice_calendar(2025, 2026)


@pytest.mark.parametrize("year", [2025, 2026])
def test_full_year_schedule(year):
    """Every day of 2025 and 2026: Mon–Fri minus 放假 plus 调休上班 (rules.md §1)."""
    for day in span(f"{year}-01-01", f"{year}-12-24"):
        expected = (day.weekday() < 5 and day not in RULES_OFF[year]) or day in RULES_MAKEUP[year]
        assert CALENDAR.is_working_day(day) == expected, day


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-09-18", 20, "2026-10-22"),  # over 中秋节 and 国庆节, 9-20 and 10-10 worked
        ("2026-01-29", 7, "2026-02-09"),
        ("2026-04-30", 15, "2026-05-25"),  # over 劳动节, 5-9 worked
        ("2025-01-24", 5, "2025-02-07"),  # over 春节 2025, 1-26 worked
    ],
)
def test_required_examples(start, n, due):
    """条例第三十三条：20个工作日 (and shorter clocks) over holidays and 调休上班."""
    assert CALENDAR.add_working_days(D(start), n).due_date == D(due)


def test_start_day_not_counted_by_default():
    """民法典第二百零一条：起算日不计入; working day 1 is the next working day."""
    result = CALENDAR.add_working_days(D("2026-03-02"), 1)
    assert result.due_date == D("2026-03-03")
    assert [note.day for note in result.explanation] == [D("2026-03-03")]


def test_count_start_day_counts_a_working_start_day():
    result = CALENDAR.add_working_days(D("2026-03-02"), 1, count_start_day=True)
    assert result.due_date == D("2026-03-02")
    assert result.explanation[0].ordinal == 1


def test_count_start_day_skips_a_start_day_off():
    # 2026-10-01 is 国庆节: counting it is not possible, day 1 is 10-08.
    result = CALENDAR.add_working_days(D("2026-10-01"), 1, count_start_day=True)
    assert result.due_date == D("2026-10-08")
    assert result.explanation[0].skip == SkipReason.HOLIDAY


def test_zero_days_is_the_start_day_and_negative_is_refused():
    assert CALENDAR.add_working_days(D("2026-10-01"), 0).due_date == D("2026-10-01")
    with pytest.raises(ValueError, match="负数"):
        CALENDAR.add_working_days(D("2026-10-01"), -1)


def test_explanation_names_every_day():
    result = CALENDAR.add_working_days(D("2026-09-18"), 20)
    lines = {note.day: note.describe() for note in result.explanation}
    assert min(lines) == D("2026-09-19")
    assert max(lines) == D("2026-10-22")
    assert len(lines) == (D("2026-10-22") - D("2026-09-18")).days
    assert lines[D("2026-09-19")] == "2026-09-19 周六 不计：周末"
    assert lines[D("2026-09-20")] == "2026-09-20 周日 第1个工作日（国庆节调休上班）"
    assert lines[D("2026-09-25")] == "2026-09-25 周五 不计：中秋节放假"
    assert lines[D("2026-10-01")] == "2026-10-01 周四 不计：国庆节放假"
    assert lines[D("2026-10-10")] == "2026-10-10 周六 第11个工作日（国庆节调休上班）"
    assert lines[D("2026-10-22")] == "2026-10-22 周四 第20个工作日"


def test_describe_starts_with_the_summary():
    lines = CALENDAR.add_working_days(D("2026-09-18"), 20).describe()
    assert lines[:3] == [
        "起算日：2026-09-18 周五，起算日不计入（民法典第二百零一条）",
        "期限：20个工作日",
        "到期日：2026-10-22 周四",
    ]
    assert lines[4] == "逐日说明："


def test_pause_days_are_not_counted():
    """条例第三十二条：征求第三方意见的时间不计算在答复期限内 (inclusive interval)."""
    plain = CALENDAR.add_working_days(D("2026-03-02"), 20)
    paused = CALENDAR.add_working_days(
        D("2026-03-02"), 20, pauses=[(D("2026-03-09"), D("2026-03-13"))]
    )
    assert plain.due_date == D("2026-03-30")
    assert paused.due_date == D("2026-04-07")  # five working days later, 4-4..4-6 清明节
    skipped = [n.day for n in paused.explanation if n.skip == SkipReason.PAUSED]
    assert skipped == sorted(span("2026-03-09", "2026-03-13"))
    assert paused.as_dict()["pauses"] == [{"from": "2026-03-09", "to": "2026-03-13"}]


def test_pause_of_one_day_and_overlapping_pauses():
    one = CALENDAR.add_working_days(D("2026-03-02"), 2, pauses=[(D("2026-03-03"), D("2026-03-03"))])
    assert one.due_date == D("2026-03-05")
    overlapping = CALENDAR.add_working_days(
        D("2026-03-02"),
        2,
        pauses=[(D("2026-03-03"), D("2026-03-05")), (D("2026-03-04"), D("2026-03-06"))],
    )
    assert overlapping.due_date == D("2026-03-10")


def test_reversed_pause_is_refused():
    with pytest.raises(ValueError, match="暂停计时"):
        CALENDAR.add_working_days(D("2026-03-02"), 2, pauses=[(D("2026-03-05"), D("2026-03-03"))])


def test_working_days_between_is_the_inverse():
    """Working days after ``start`` up to and including ``end``."""
    assert CALENDAR.working_days_between(D("2026-09-18"), D("2026-10-22")) == 20
    assert CALENDAR.working_days_between(D("2026-09-18"), D("2026-09-18")) == 0
    assert CALENDAR.working_days_between(D("2026-09-30"), D("2026-10-07")) == 0
    assert (
        CALENDAR.working_days_between(D("2026-09-18"), D("2026-10-22"), count_start_day=True) == 21
    )
    paused = [(D("2026-09-21"), D("2026-09-24"))]
    assert CALENDAR.working_days_between(D("2026-09-18"), D("2026-10-22"), pauses=paused) == 16
    with pytest.raises(ValueError):
        CALENDAR.working_days_between(D("2026-10-22"), D("2026-09-18"))


def test_unknown_year_fails_closed():
    """A year whose notice is not loaded is unknown, never plain weekdays (rules.md §1)."""
    with pytest.raises(ScheduleUnknown) as caught:
        CALENDAR.add_working_days(D("2026-12-10"), 20)
    assert caught.value.year == 2027
    assert str(caught.value).startswith("2027年的节假日安排尚未导入，无法计算期限")
    assert str(caught.value).endswith(
        "请系统管理员导入国务院办公厅关于2027年部分节假日安排的通知。"
    )
    with pytest.raises(ScheduleUnknown, match="2024年的节假日安排尚未导入"):
        CALENDAR.is_working_day(D("2024-06-03"))


def test_end_of_december_needs_the_next_notice():
    """The next year's 元旦 arrangement can move late-December days (2018-12-29 was worked)."""
    assert CALENDAR.is_working_day(D("2026-12-24"))
    with pytest.raises(ScheduleUnknown, match="2026年12月25日可能因2027年元旦调休而变化"):
        CALENDAR.is_working_day(D("2026-12-25"))
    with_2027 = WorkCalendar(
        off_days={**CALENDAR.off_days, D("2027-01-01"): "元旦"},
        makeup_days=CALENDAR.makeup_days,
        loaded_years=CALENDAR.loaded_years | {2027},
    )
    assert with_2027.add_working_days(D("2026-12-10"), 20).due_date == D("2027-01-08")


def test_a_weekday_declared_worked_is_not_called_makeup():
    # The 2020 extension notice listed Monday 2020-02-03 as worked (holiday-cn keeps it).
    calendar = WorkCalendar(makeup_days={D("2020-02-03"): "春节"}, loaded_years=frozenset({2020}))
    note = calendar.add_working_days(D("2020-02-02"), 1).explanation[0]
    assert note.counted
    assert not note.makeup
    assert note.describe() == "2020-02-03 周一 第1个工作日"


def test_every_explained_day_is_consecutive():
    result = CALENDAR.add_working_days(D("2025-09-26"), 20)
    days = [note.day for note in result.explanation]
    assert days == [D("2025-09-27") + timedelta(days=i) for i in range(len(days))]
    assert [n.ordinal for n in result.explanation if n.counted] == list(range(1, 21))
