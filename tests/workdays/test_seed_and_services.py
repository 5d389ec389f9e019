"""The calendar seeded by migration from ``chinesecalendar``, through the service layer."""

from datetime import date

import pytest
from django.test import override_settings

from tests.workdays.helpers import RULES_MAKEUP, RULES_OFF
from zwgk.workdays import services
from zwgk.workdays.actions import do_import_schedule
from zwgk.workdays.arithmetic import ScheduleUnknown
from zwgk.workdays.models import DeclaredDay, ScheduleYear
from zwgk.workdays.schedule import ScheduleDay

D = date.fromisoformat
pytestmark = pytest.mark.django_db


def test_migration_seeds_2004_to_2026():
    years = set(ScheduleYear.objects.values_list("year", flat=True))
    assert years == set(range(2004, 2027))
    assert ScheduleYear.objects.get(year=2026).source.startswith("chinesecalendar ")


@pytest.mark.parametrize("year", [2025, 2026])
def test_seeded_schedule_agrees_with_the_rules(year):
    calendar = services.get_calendar()
    for day in RULES_OFF[year]:
        assert not calendar.is_working_day(day), day
    for day in RULES_MAKEUP[year]:
        assert calendar.is_working_day(day), day
    names = dict(DeclaredDay.objects.filter(schedule__year=2026).values_list("date", "name"))
    assert names[D("2026-02-15")] == "春节"
    assert names[D("2026-10-10")] == "国庆节"


def test_seed_files_december_days_under_the_next_notice():
    day = DeclaredDay.objects.get(date=D("2018-12-29"))
    assert day.schedule.year == 2019
    assert not day.is_off_day
    assert day.name == "元旦"
    assert DeclaredDay.objects.get(date=D("2015-09-03")).name == "抗战胜利70周年纪念日"


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-09-18", 20, "2026-10-22"),
        ("2026-01-29", 7, "2026-02-09"),
        ("2026-04-30", 15, "2026-05-25"),
    ],
)
def test_required_examples_from_the_database(start, n, due):
    """条例第三十三条：20个工作日; 条例第三十条：7个工作日; 条例第三十二条：15个工作日."""
    assert services.add_working_days(D(start), n).due_date == D(due)


def test_crossing_into_an_unloaded_year_fails_until_it_is_imported():
    """rules.md §1: a schedule that is not loaded is unknown — refuse, never guess."""
    with pytest.raises(ScheduleUnknown, match="2027年的节假日安排尚未导入"):
        services.add_working_days(D("2026-12-10"), 20)
    do_import_schedule(
        2027, [ScheduleDay(D("2027-01-01"), True, "元旦")], source="测试", acting_user=None
    )
    assert services.add_working_days(D("2026-12-10"), 20).due_date == D("2027-01-08")


def test_count_start_day_follows_the_setting():
    assert services.add_working_days(D("2026-03-02"), 1).due_date == D("2026-03-03")
    with override_settings(ZWGK_COUNT_START_DAY=True):
        assert services.add_working_days(D("2026-03-02"), 1).due_date == D("2026-03-02")
        assert services.working_days_between(D("2026-03-02"), D("2026-03-03")) == 2
        explicit = services.add_working_days(D("2026-03-02"), 1, count_start_day=False)
        assert explicit.due_date == D("2026-03-03")


def test_service_wrappers_accept_a_loaded_calendar(django_assert_num_queries):
    calendar = services.get_calendar()
    with django_assert_num_queries(0):
        assert services.is_working_day(D("2026-02-14"), calendar=calendar)
        assert (
            services.working_days_between(D("2026-09-18"), D("2026-10-22"), calendar=calendar) == 20
        )
        services.add_working_days(D("2026-09-18"), 20, calendar=calendar)


def test_get_calendar_costs_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        services.get_calendar()


@pytest.mark.parametrize(
    ("today", "loaded", "expected"),
    [
        ("2026-09-30", {2026}, []),
        (
            "2026-10-01",
            {2026},
            [
                "2027年节假日安排尚未导入：跨年的办理期限将无法计算。国务院办公厅通知发布后请及时导入。"
            ],
        ),
        ("2026-10-01", {2026, 2027}, []),
        (
            "2027-01-05",
            {2026},
            [
                "2027年节假日安排尚未导入：工作日期限无法计算。请系统管理员导入国务院办公厅关于2027年部分节假日安排的通知。"
            ],
        ),
    ],
)
def test_missing_schedule_warnings(today, loaded, expected):
    assert services.missing_schedule_warnings(D(today), loaded) == expected
