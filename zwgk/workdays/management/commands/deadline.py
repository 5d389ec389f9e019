import argparse
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zwgk.workdays.arithmetic import Pause, ScheduleUnknown
from zwgk.workdays.services import add_working_days


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def pause_interval(text: str) -> Pause:
    first, sep, last = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(
            f"暂停计时应写作 起:止（如 2026-09-21:2026-09-25）：{text}"
        )
    return iso_date(first), iso_date(last)


class Command(BaseCommand):
    help = "按工作日计算期限：起算日之后第 N 个工作日是哪天，并逐日说明。"

    def add_arguments(self, parser):
        parser.add_argument("start", type=iso_date, help="起算日，如 2026-09-18（收到申请之日）")
        parser.add_argument("n", type=int, help="工作日数，如 20（条例第三十三条）")
        parser.add_argument(
            "--pause",
            dest="pauses",
            type=pause_interval,
            action="append",
            default=[],
            metavar="FROM:TO",
            help="暂停计时的日期区间（含首尾），如征求第三方意见期间（条例第三十二条）；可重复",
        )
        parser.add_argument(
            "--count-start-day",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="起算日是否计为第1个工作日（默认按 ZWGK_COUNT_START_DAY 设置）",
        )
        parser.add_argument("--json", dest="as_json", action="store_true", help="输出 JSON")

    def handle(self, *args, start, n, pauses, count_start_day, as_json, **options):
        try:
            result = add_working_days(start, n, pauses=pauses, count_start_day=count_start_day)
        except (ScheduleUnknown, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(result.describe()))
