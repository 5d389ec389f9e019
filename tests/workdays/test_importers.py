"""Reading holiday-cn JSON, and telling it from notice text."""

import json
from datetime import date

import pytest

from tests.workdays.helpers import HOLIDAY_CN, NO_HOLIDAY_CN, RULES_MAKEUP, RULES_OFF, notice_text
from zwgk.workdays.importers import parse_holiday_cn, parse_schedule

D = date.fromisoformat


def holiday_cn(year: int, days: list[dict], papers=("https://www.gov.cn/x.htm",)) -> str:
    return json.dumps({"year": year, "papers": list(papers), "days": days}, ensure_ascii=False)


@pytest.mark.skipif(HOLIDAY_CN is None, reason=NO_HOLIDAY_CN)
@pytest.mark.parametrize("year", [2025, 2026])
def test_reads_the_holiday_cn_files(year):
    parsed = parse_holiday_cn((HOLIDAY_CN / f"{year}.json").read_text(encoding="utf-8"))
    assert parsed.errors == ()
    assert parsed.year == year
    assert parsed.source.startswith("https://www.gov.cn/")
    assert {d.day for d in parsed.off_days} == RULES_OFF[year]
    assert {d.day for d in parsed.makeup_days} == RULES_MAKEUP[year]


@pytest.mark.skipif(HOLIDAY_CN is None, reason=NO_HOLIDAY_CN)
def test_empty_file_means_not_published_and_is_refused():
    parsed = parse_holiday_cn((HOLIDAY_CN / "2027.json").read_text(encoding="utf-8"))
    assert parsed.errors == (
        "2027年的节假日安排为空：通知可能尚未发布，空数据不能当作“没有节假日”导入。",
    )


def test_invalid_files_are_refused():
    assert parse_holiday_cn("{not json").errors[0].startswith("不是有效的 holiday-cn JSON 文件")
    assert parse_holiday_cn('{"year": "2026", "days": []}').errors == (
        "holiday-cn 文件缺少有效的 year。",
    )
    bad_date = holiday_cn(2026, [{"name": "元旦", "date": "2026-13-01", "isOffDay": True}])
    assert parse_holiday_cn(bad_date).errors[0].startswith("不是有效的 holiday-cn JSON 文件")
    wrong_year = holiday_cn(2026, [{"name": "元旦", "date": "2024-01-01", "isOffDay": True}])
    assert "不在2026年通知可规定的范围内" in parse_holiday_cn(wrong_year).errors[0]
    twice = holiday_cn(2026, [{"name": "元旦", "date": "2026-01-01", "isOffDay": True}] * 2)
    assert parse_holiday_cn(twice).errors == ("2026-01-01重复出现。",)


def test_year_option_must_agree():
    text = holiday_cn(2026, [{"name": "元旦", "date": "2026-01-01", "isOffDay": True}])
    assert parse_holiday_cn(text, year=2027).errors == (
        "文件是2026年的安排，与指定的2027年不一致。",
    )


def test_source_falls_back_to_the_file_name():
    text = holiday_cn(2026, [{"name": "元旦", "date": "2026-01-01", "isOffDay": True}], papers=())
    assert parse_holiday_cn(text).source == "holiday-cn 2026.json"


def test_format_is_detected():
    json_text = holiday_cn(2026, [{"name": "元旦", "date": "2026-01-01", "isOffDay": True}])
    assert parse_schedule("\n  " + json_text).source == "https://www.gov.cn/x.htm"
    assert parse_schedule(notice_text(2026)).source.startswith("《国务院办公厅")
