"""``zwgk holidays`` and ``zwgk deadline``."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.workdays.helpers import notice_text
from zwgk.workdays.actions import do_import_schedule
from zwgk.workdays.models import ScheduleYear
from zwgk.workdays.schedule import ScheduleDay

D = date.fromisoformat
pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_notice_text(tmp_path):
    path = tmp_path / "2026.txt"
    path.write_text(notice_text(2026), encoding="utf-8")
    out, err = run("holidays", "import", str(path))
    assert out.strip() == (
        "已导入2026年节假日安排：放假33天，调休上班6天。"
        "来源：《国务院办公厅关于2026年部分节假日安排的通知》"
    )
    assert err == ""
    assert ScheduleYear.objects.get(year=2026).source.startswith("《国务院办公厅")


def test_import_json_for_a_new_year(tmp_path):
    path = tmp_path / "2027.json"
    days = [{"name": "元旦", "date": "2027-01-01", "isOffDay": True}]
    path.write_text(json.dumps({"year": 2027, "papers": [], "days": days}), encoding="utf-8")
    out, _ = run("holidays", "import", str(path))
    assert out.startswith("已导入2027年节假日安排：放假1天，调休上班0天。")
    assert ScheduleYear.objects.filter(year=2027).exists()


def test_import_of_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        run("holidays", "import", str(tmp_path / "missing.txt"))


def test_import_refuses_an_empty_json_file(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text('{"year": 2027, "papers": [], "days": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="2027年的节假日安排为空：通知可能尚未发布"):
        run("holidays", "import", str(path))
    assert not ScheduleYear.objects.filter(year=2027).exists()


def test_import_notice_without_title_needs_the_year(tmp_path):
    path = tmp_path / "items.txt"
    path.write_text("一、元旦：1月1日（周五）放假1天。", encoding="utf-8")
    with pytest.raises(CommandError, match="无法从通知中识别年份"):
        run("holidays", "import", str(path))
    out, _ = run("holidays", "import", str(path), "--year", "2027")
    assert out.startswith("已导入2027年节假日安排：放假1天")


def test_import_prints_warnings_to_stderr(tmp_path):
    path = tmp_path / "2024.txt"
    path.write_text(notice_text(2024), encoding="utf-8")
    _, err = run("holidays", "import", str(path))
    assert err.strip() == "警告：春节：未能识别“安排职工在除夕(2月9日)休息”，其中的日期未导入。"


def test_import_from_stdin(monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(notice_text(2026).encode("utf-8")))
    monkeypatch.setattr("sys.stdin", stdin)
    out, _ = run("holidays", "import", "-")
    assert out.startswith("已导入2026年节假日安排")


def test_parse_notice_prints_json_lines_without_saving(tmp_path):
    path = tmp_path / "2026.txt"
    path.write_text(notice_text(2026), encoding="gb18030")
    before = ScheduleYear.objects.get(year=2026).loaded_at
    out, _ = run("holidays", "parse-notice", "--year", "2026", str(path))
    lines = out.splitlines()
    assert len(lines) == 39
    assert lines[0] == '{"date": "2026-01-01", "isOffDay": true, "name": "元旦"}'
    assert '{"date": "2026-02-14", "isOffDay": false, "name": "春节"}' in lines
    assert [json.loads(line)["date"] for line in lines] == sorted(
        json.loads(line)["date"] for line in lines
    )
    assert ScheduleYear.objects.get(year=2026).loaded_at == before


def test_parse_notice_reports_errors(tmp_path):
    path = tmp_path / "2026.txt"
    path.write_text(notice_text(2026), encoding="utf-8")
    with pytest.raises(CommandError, match="与指定的2027年不一致"):
        run("holidays", "parse-notice", "--year", "2027", str(path))


def test_status_lists_years_and_flags_the_missing_next_year(time_machine):
    time_machine.move_to("2026-11-20 10:00 +08:00")
    out, _ = run("holidays", "status")
    lines = out.splitlines()
    assert lines[0].startswith("2004年：")
    assert lines[-2].startswith("2026年：放假33天，调休上班6天；导入于") and lines[-2].endswith(
        "（系统）；来源：chinesecalendar 1.11.0"
    )
    assert lines[-1] == (
        "2027年：尚未导入。国务院办公厅关于2027年部分节假日安排的通知发布后，"
        "请用 zwgk holidays import 或管理后台导入。"
    )
    do_import_schedule(
        2027, [ScheduleDay(D("2027-01-01"), True, "元旦")], source="测试", acting_user=None
    )
    assert run("holidays", "status")[0].splitlines()[-1].startswith("2027年：放假1天")


def test_deadline_text():
    out, _ = run("deadline", "2026-09-18", "20")
    lines = out.splitlines()
    assert lines[:3] == [
        "起算日：2026-09-18 周五，起算日不计入（民法典第二百零一条）",
        "期限：20个工作日",
        "到期日：2026-10-22 周四",
    ]
    assert "2026-09-20 周日 第1个工作日（国庆节调休上班）" in lines
    assert "2026-10-03 周六 不计：国庆节放假" in lines


def test_deadline_json_with_pause_and_start_day():
    """条例第三十二条：征求第三方意见期间暂停计时."""
    out, _ = run(
        "deadline",
        "2026-03-02",
        "20",
        "--pause",
        "2026-03-09:2026-03-13",
        "--count-start-day",
        "--json",
    )
    data = json.loads(out)
    assert data["start"] == "2026-03-02"
    assert data["working_days"] == 20
    assert data["count_start_day"] is True
    assert data["pauses"] == [{"from": "2026-03-09", "to": "2026-03-13"}]
    assert data["due_date"] == "2026-04-03"
    assert data["explanation"][0] == {
        "date": "2026-03-02",
        "weekday": "周一",
        "counted": True,
        "ordinal": 1,
        "reason": None,
        "holiday": "",
        "makeup": False,
        "description": "2026-03-02 周一 第1个工作日",
    }
    paused = [e for e in data["explanation"] if e["reason"] == "paused"]
    assert len(paused) == 5
    assert paused[0]["description"] == "2026-03-09 周一 不计：暂停计时"


def test_deadline_fails_closed():
    with pytest.raises(CommandError) as caught:
        run("deadline", "2026-12-10", "20")
    assert "2027年的节假日安排尚未导入，无法计算期限" in str(caught.value)


def test_deadline_rejects_bad_arguments():
    with pytest.raises(CommandError, match="日期格式应为"):
        run("deadline", "2026-13-01", "20")
    with pytest.raises(CommandError, match="暂停计时应写作"):
        run("deadline", "2026-03-02", "20", "--pause", "2026-03-09")
    with pytest.raises(CommandError, match="负数"):
        run("deadline", "2026-03-02", "-1")
