"""Seed the calendar from the ``chinesecalendar`` package (2004 to its last year).

Runs once, on the first ``migrate``: a database that already holds schedules
keeps them.  Later years are loaded from the State Council notice
(``zwgk holidays import`` or the back office).  The names are frozen here, not
imported from the app, so that the migration keeps working when the app
changes.
"""

from collections import defaultdict
from importlib.metadata import version

from django.db import migrations
from django.utils import timezone

CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    # 国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知 (2015)
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
SOURCE_PREFIX = "chinesecalendar"


def notice_year(day) -> int:
    # No holiday falls in December, so a December date belongs to the next
    # year's 元旦 arrangement (the 2019 notice declares 2018-12-29 to 12-31).
    return day.year + 1 if day.month == 12 else day.year


def seed(apps, schema_editor):
    import chinese_calendar

    ScheduleYear = apps.get_model("workdays", "ScheduleYear")
    DeclaredDay = apps.get_model("workdays", "DeclaredDay")
    if ScheduleYear.objects.exists():
        return
    by_year = defaultdict(list)
    for is_off_day, table in (
        (True, chinese_calendar.holidays),
        (False, chinese_calendar.workdays),
    ):
        for day, name in table.items():
            by_year[notice_year(day)].append((day, is_off_day, CHINESE_NAMES.get(name, name)))
    source = f"{SOURCE_PREFIX} {version('chinesecalendar')}"
    now = timezone.now()
    for year in sorted(by_year):
        schedule = ScheduleYear.objects.create(year=year, source=source, loaded_at=now)
        DeclaredDay.objects.bulk_create(
            DeclaredDay(date=day, is_off_day=is_off_day, name=name, schedule=schedule)
            for day, is_off_day, name in sorted(by_year[year])
        )


def unseed(apps, schema_editor):
    ScheduleYear = apps.get_model("workdays", "ScheduleYear")
    ScheduleYear.objects.filter(source__startswith=SOURCE_PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
