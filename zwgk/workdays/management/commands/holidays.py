import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils import timezone

from zwgk.workdays.actions import do_import_schedule
from zwgk.workdays.importers import parse_schedule
from zwgk.workdays.models import ScheduleYear
from zwgk.workdays.notice import parse_notice
from zwgk.workdays.schedule import ParsedSchedule


class Command(BaseCommand):
    help = "节假日安排：导入、解析国务院办公厅通知、查看已导入的年份。"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        load = commands.add_parser(
            "import",
            help="导入一年的节假日安排（holiday-cn JSON 或通知文本，自动识别），替换该年原有安排",
        )
        load.add_argument("file", help="文件路径；“-”表示从标准输入读取")
        load.add_argument("--year", type=int, help="通知年份（通知文本没有标题时必填）")
        parse = commands.add_parser("parse-notice", help="解析通知文本，逐行输出 JSON（不保存）")
        parse.add_argument("file", help="文件路径；“-”表示从标准输入读取")
        parse.add_argument("--year", type=int, help="通知年份（通知文本没有标题时必填）")
        commands.add_parser("status", help="已导入的年份")

    def handle(self, *args, subcommand, **options):
        if subcommand == "import":
            self.load(read(options["file"]), options["year"])
        elif subcommand == "parse-notice":
            self.parse(read(options["file"]), options["year"])
        else:
            self.status()

    def load(self, text: str, year: int | None) -> None:
        parsed = self.checked(parse_schedule(text, year=year), "无法导入")
        try:
            do_import_schedule(parsed.year, parsed.days, source=parsed.source, acting_user=None)
        except ValidationError as exc:
            raise CommandError("无法导入：" + "；".join(exc.messages)) from exc
        self.stdout.write(
            f"已导入{parsed.year}年节假日安排：放假{len(parsed.off_days)}天，"
            f"调休上班{len(parsed.makeup_days)}天。来源：{parsed.source}"
        )

    def parse(self, text: str, year: int | None) -> None:
        parsed = self.checked(parse_notice(text, year=year), "无法解析")
        for d in parsed.days:
            entry = {"date": d.day.isoformat(), "isOffDay": d.is_off_day, "name": d.name}
            self.stdout.write(json.dumps(entry, ensure_ascii=False))

    def status(self) -> None:
        years = ScheduleYear.objects.select_related("loaded_by").annotate(
            off=Count("days", filter=Q(days__is_off_day=True)),
            makeup=Count("days", filter=Q(days__is_off_day=False)),
        )
        loaded = set()
        for row in sorted(years, key=lambda r: r.year):
            loaded.add(row.year)
            who = row.loaded_by or "系统"
            when = timezone.localtime(row.loaded_at)
            self.stdout.write(
                f"{row.year}年：放假{row.off}天，调休上班{row.makeup}天；"
                f"导入于{when:%Y-%m-%d %H:%M}（{who}）；来源：{row.source}"
            )
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            if year not in loaded:
                self.stdout.write(
                    f"{year}年：尚未导入。国务院办公厅关于{year}年部分节假日安排的通知发布后，"
                    "请用 zwgk holidays import 或管理后台导入。"
                )

    def checked(self, parsed: ParsedSchedule, failure: str) -> ParsedSchedule:
        """Print the warnings; refuse a schedule with errors."""
        for warning in parsed.warnings:
            self.stderr.write(f"警告：{warning}")
        if parsed.errors:
            raise CommandError(f"{failure}：" + "；".join(parsed.errors))
        return parsed


def read(name: str) -> str:
    """The text of a file (or of stdin for ``-``), UTF-8 with or without BOM, else GB18030."""
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise CommandError(f"无法读取{name}：{exc.strerror}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")
