"""The parser of 《国务院办公厅关于YYYY年部分节假日安排的通知》."""

import json
from datetime import date

import pytest

from tests.workdays.helpers import (
    HOLIDAY_CN,
    NO_HOLIDAY_CN,
    RULES_MAKEUP,
    RULES_OFF,
    dates,
    notice_text,
    span,
)
from zwgk.workdays.notice import parse_notice

D = date.fromisoformat


def kinds(parsed) -> tuple[set[date], set[date]]:
    return {d.day for d in parsed.off_days}, {d.day for d in parsed.makeup_days}


@pytest.mark.parametrize("year", [2025, 2026])
def test_notice_gives_exactly_the_rules_schedule(year):
    parsed = parse_notice(notice_text(year))
    assert parsed.errors == ()
    assert parsed.warnings == ()
    assert parsed.year == year
    assert parsed.source == f"《国务院办公厅关于{year}年部分节假日安排的通知》"
    assert kinds(parsed) == (RULES_OFF[year], RULES_MAKEUP[year])


def test_2026_names_per_item():
    names = {d.day: d.name for d in parse_notice(notice_text(2026)).days}
    assert names[D("2026-02-14")] == "春节"
    assert names[D("2026-02-15")] == "春节"  # a Sunday inside the range is a day off too
    assert names[D("2026-09-20")] == "国庆节"
    assert names[D("2026-09-26")] == "中秋节"


def test_2025_combined_holiday_and_range_across_months():
    days = {d.day: d for d in parse_notice(notice_text(2025)).days}
    assert days[D("2025-10-05")].name == "国庆节、中秋节"
    assert days[D("2025-09-28")].name == "国庆节、中秋节"
    assert not days[D("2025-09-28")].is_off_day
    assert span("2025-05-31", "2025-06-02") <= {d for d, v in days.items() if v.is_off_day}
    # 一、元旦：1月1日（周三）放假1天，不调休。
    assert [d for d in days if d.month == 1 and d.day < 5] == [D("2025-01-01")]


def test_2019_range_across_the_year():
    """2019 notice: 2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。"""
    parsed = parse_notice(notice_text(2019))
    assert parsed.errors == ()
    days = {d.day: d for d in parsed.days}
    assert not days[D("2018-12-29")].is_off_day
    assert all(days[d].is_off_day for d in span("2018-12-30", "2019-01-01"))
    assert {days[d].name for d in span("2018-12-29", "2019-01-01")} == {"元旦"}
    # 三、清明节：4月5日放假，与周末连休。 — only the declared day.
    assert D("2019-04-05") in days
    assert D("2019-04-06") not in days


def test_2023_explicit_years_in_a_range():
    off, makeup = kinds(parse_notice(notice_text(2023)))
    assert span("2022-12-31", "2023-01-02") <= off
    assert span("2023-09-29", "2023-10-06") <= off
    assert dates("2023-10-07", "2023-10-08") <= makeup


def test_2012_year_in_the_item_name_and_previous_december():
    days = {d.day: d for d in parse_notice(notice_text(2012)).days}
    assert days[D("2011-12-31")].name == "元旦"
    assert not days[D("2011-12-31")].is_off_day
    assert days[D("2012-06-23")].is_off_day  # 放假公休


def test_2015_buxiu_is_a_day_off():
    """三、清明节：4月5日放假，4月6日（星期一）补休。"""
    off, _ = kinds(parse_notice(notice_text(2015)))
    assert dates("2015-04-05", "2015-04-06", "2015-06-20", "2015-06-22", "2015-09-27") <= off


def test_2024_encouragement_sentence_is_reported_not_imported():
    """鼓励……安排职工在除夕（2月9日）休息 is not a declared day off."""
    parsed = parse_notice(notice_text(2024))
    assert parsed.errors == ()
    assert D("2024-02-09") not in {d.day for d in parsed.days}
    assert parsed.warnings == ("春节：未能识别“安排职工在除夕(2月9日)休息”，其中的日期未导入。",)


@pytest.mark.skipif(HOLIDAY_CN is None, reason=NO_HOLIDAY_CN)
@pytest.mark.parametrize("year", [2012, 2021, 2023, 2024, 2025, 2026])
def test_notice_agrees_with_holiday_cn(year):
    data = json.loads((HOLIDAY_CN / f"{year}.json").read_text(encoding="utf-8"))
    expected = {(D(e["date"]), e["isOffDay"]) for e in data["days"]}
    parsed = parse_notice(notice_text(year))
    assert {(d.day, d.is_off_day) for d in parsed.days} == expected


@pytest.mark.skipif(HOLIDAY_CN is None, reason=NO_HOLIDAY_CN)
@pytest.mark.parametrize("year", [2025, 2026])
def test_notice_equals_holiday_cn_with_names(year):
    data = json.loads((HOLIDAY_CN / f"{year}.json").read_text(encoding="utf-8"))
    expected = sorted((e["date"], e["isOffDay"], e["name"]) for e in data["days"])
    parsed = parse_notice(notice_text(year))
    assert [(d.day.isoformat(), d.is_off_day, d.name) for d in parsed.days] == expected


ITEMS_2026 = (
    "一、元旦:1月1日(周四)至3日(周六)放假调休,共3天。1月4日(周日)上班。"
    "二、春节:2月15日(农历腊月二十八、周日)至23日(农历正月初七、周一)放假调休,共9天。"
    "2月14日(周六)、2月28日(周六)上班。"
)


def test_half_width_punctuation_one_line_and_no_title():
    parsed = parse_notice(ITEMS_2026, year=2026)
    assert parsed.errors == ()
    off, makeup = kinds(parsed)
    assert off == span("2026-01-01", "2026-01-03") | span("2026-02-15", "2026-02-23")
    assert makeup == dates("2026-01-04", "2026-02-14", "2026-02-28")


def test_hard_wrapped_lines_are_joined():
    text = (
        "二、春节：2月15日（农历腊月二十八、周日）至23日（农历正\n"
        "月初七、周一）放假调休，共9天。2月14日\n（周六）、2月28日（周六）上班。"
    )
    off, makeup = kinds(parse_notice(text, year=2026))
    assert off == span("2026-02-15", "2026-02-23")
    assert makeup == dates("2026-02-14", "2026-02-28")


def test_weekday_annotation_is_checked():
    """Parsing the 2026 items as 2027 must fail: the weekdays do not match."""
    parsed = parse_notice(ITEMS_2026, year=2027)
    assert parsed.errors
    assert "2027年1月1日是周五，与通知标注的“周四”不符" in parsed.errors[0]


def test_stated_length_is_checked():
    parsed = parse_notice("二、春节：2月15日（周日）至23日（周一）放假调休，共8天。", year=2026)
    assert parsed.errors == (
        "春节：“2月15日(周日)至23日(周一)放假调休,共8天”写明共8天，但解析出放假9天。",
    )


def test_stated_length_in_chinese_numerals():
    parsed = parse_notice("三、清明节：4月4日至6日放假，共三天。", year=2026)
    assert parsed.errors == ()


def test_single_days():
    parsed = parse_notice(
        "一、元旦：1月1日（周三）放假1天，不调休。三、清明节：4月5日放假，与周末连休。", year=2025
    )
    assert parsed.errors == ()
    assert kinds(parsed) == (dates("2025-01-01", "2025-04-05"), set())


def test_make_up_day_without_month_takes_the_previous_month():
    _, makeup = kinds(
        parse_notice(
            "二、春节：1月22日至28日放假调休，共7天。1月21日（星期六）、29日（星期日）上班。",
            year=2012,
        )
    )
    assert makeup == dates("2012-01-21", "2012-01-29")


def test_restating_clauses_are_silent_and_december_without_year_is_the_year_before():
    # The 2008 style: 其中……为法定节假日, 公休日调至……
    text = (
        "一、元旦：2007年12月30日—2008年1月1日放假，共3天。其中，1月1日为法定节假日，"
        "12月29日（星期六）公休日调至12月31日（星期一），12月29日（星期六）上班。"
    )
    parsed = parse_notice(text, year=2008)
    assert parsed.errors == ()
    assert parsed.warnings == ()
    assert kinds(parsed) == (span("2007-12-30", "2008-01-01"), dates("2007-12-29"))


def test_arrangement_outside_the_items_is_reported():
    parsed = parse_notice(ITEMS_2026 + "节假日期间注意安全。另外，3月2日放假。", year=2026)
    assert parsed.warnings == ("条目之外的“另外,3月2日放假”未导入。",)


def test_item_without_dates_is_reported():
    parsed = parse_notice("一、元旦：1月1日放假。二、春节：放假安排另行通知。", year=2026)
    assert parsed.warnings == ("春节：没有找到放假或上班的日期。",)


def test_year_is_read_from_the_title_or_required():
    assert parse_notice(notice_text(2026)).year == 2026
    assert parse_notice(ITEMS_2026).errors == ("无法从通知中识别年份，请指定年份。",)
    mismatch = parse_notice(notice_text(2026), year=2027)
    assert mismatch.errors == ("通知写明的是2026年的安排，与指定的2027年不一致。",)


def test_text_without_items_is_refused():
    parsed = parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n（尚未发布）")
    assert "未找到节假日条目" in parsed.errors[0]
    assert parsed.days == ()


def test_contradictions_are_errors():
    both = parse_notice("一、元旦：1月1日至3日放假。1月3日上班。", year=2026)
    assert "2026年1月3日既被规定为放假，又被规定为上班。" in both.errors
    same_clause = parse_notice("一、元旦：1月1日放假1月4日上班。", year=2026)
    assert "同时出现“放假”和“上班”" in same_clause.errors[0]
    impossible = parse_notice("一、元旦：2月30日放假。", year=2026)
    assert impossible.errors[0] == "“2月30日”不是有效日期。"
    reversed_range = parse_notice("一、元旦：1月3日至1日放假。", year=2026)
    assert "结束日期早于开始日期" in reversed_range.errors[0]


def test_a_day_in_two_items_is_kept_once_with_a_warning():
    parsed = parse_notice(
        "六、中秋节：10月1日放假。七、国庆节：10月1日至7日放假，共7天。", year=2026
    )
    assert parsed.errors == ()
    assert len(parsed.off_days) == 7
    assert parsed.warnings == ("2026年10月1日在“中秋节”和“国庆节”中都出现，按“中秋节”记录。",)


def test_dates_outside_the_notice_span_are_errors():
    parsed = parse_notice("一、元旦：2025年11月1日放假。", year=2026)
    assert parsed.errors == ("2025-11-01不在2026年通知可规定的范围内（2025-12-01至2026-12-31）。",)
