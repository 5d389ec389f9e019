"""``zwgk applications check-deadlines|overdue|ledger``: the 依申请公开 jobs and lists.

No applicant personal data is printed; the ledger file masks it unless ``--reveal``.
"""

import argparse
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from zwgk.audit.services import record_event
from zwgk.disclosure_requests.deadlines import check_deadlines, overdue, working_days_overdue
from zwgk.disclosure_requests.ledger import HEADERS, ledger_queryset, ledger_rows
from zwgk.disclosure_requests.models import DisclosureRequest
from zwgk.organizations.management.arguments import agency_named
from zwgk.utils.tabular import TabularError, table_format, write_table
from zwgk.workdays.services import get_calendar


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


class Command(BaseCommand):
    help = "依申请公开：每日期限检查、逾期申请清单、导出台账。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        check = sub.add_parser(
            "check-deadlines",
            help="每日期限检查：征求意见逾期办结、补算答复期限、发送即将到期提醒和逾期通知",
        )
        check.add_argument("--today", type=iso_date, help="按此日期检查（默认今天）")
        late = sub.add_parser("overdue", help="列出已超过答复期限仍未办结的申请")
        late.add_argument("--agency", help="只列此机关（标准全称或简称）")
        late.add_argument("--today", type=iso_date, help="按此日期计算（默认今天）")
        ledger = sub.add_parser("ledger", help="导出依申请公开台账（.xlsx 或 .csv）")
        ledger.add_argument("--agency", required=True, help="机关的标准全称或简称")
        ledger.add_argument("--year", type=int, required=True, help="收到申请的年份")
        ledger.add_argument(
            "--reveal", action="store_true", help="显示申请人姓名和证件号码（默认遮蔽）"
        )
        ledger.add_argument("file", type=Path)

    def handle(self, *args, verb, **options):
        getattr(self, "handle_" + verb.replace("-", "_"))(**options)

    def handle_check_deadlines(self, today, **options):
        today = today or timezone.localdate()
        self.stdout.write(f"检查日期：{today:%Y年%m月%d日}")
        result = check_deadlines(today, progress=self.stdout.write)
        if result.did_nothing:
            self.stdout.write("没有需要处理的申请。")
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def handle_overdue(self, agency, today, **options):
        today = today or timezone.localdate()
        applications = DisclosureRequest.objects.all()
        if agency:
            applications = applications.filter(agency=agency_named(agency))
        rows = overdue(applications, today).select_related("agency").order_by("effective_due", "pk")
        calendar = get_calendar()
        count = 0
        self.stdout.write("查询码\t受理机关\t答复期限\t逾期工作日")
        for application in rows.iterator(chunk_size=2_000):
            days = working_days_overdue(application, today, calendar)
            self.stdout.write(
                f"{application.tracking_code}\t{application.agency}\t"
                f"{application.effective_due:%Y-%m-%d}\t{'未知' if days is None else days}"
            )
            count += 1
        self.stdout.write(f"共 {count} 件逾期未办结。")

    def handle_ledger(self, agency, year, reveal, file: Path, **options):
        try:
            fmt = table_format(file.name)
        except TabularError as exc:
            raise CommandError(str(exc)) from None
        queryset = ledger_queryset(
            DisclosureRequest.objects.all(), agency=agency_named(agency), year=year
        )
        count = queryset.count()
        if reveal:
            with transaction.atomic():
                record_event(
                    "disclosure_requests.ledger_export",
                    summary=f"命令行导出{agency}{year}年依申请公开台账（含申请人个人信息）",
                )
        try:
            with file.open("wb") as stream:
                write_table(
                    stream, fmt, HEADERS, ledger_rows(queryset, reveal_personal_data=reveal)
                )
        except OSError as exc:
            raise CommandError(f"无法写入文件 {file}：{exc.strerror}") from None
        masked = "含申请人个人信息" if reveal else "申请人信息已遮蔽"
        self.stdout.write(f"已导出 {year} 年台账 {count} 件到 {file}（{masked}）。")
