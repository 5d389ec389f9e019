"""``zwgk records publish-scheduled|review-due|timeliness``: the 主动公开 jobs.

``publish-scheduled`` publishes every 定时待发布 record whose time has come;
run it every few minutes (it is idempotent, and a missed run catches up).
``review-due`` lists 不予公开 records due for their periodic review (条例第十八条).
``timeliness [--agency NAME] [--year YYYY]`` lists records published late and
catalogue items left without publication (公开时效), per agency; ``--agency``
narrows to that agency and everything below it, as its 主管部门 sees it.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from zwgk.catalogue.models import CatalogueItem
from zwgk.organizations.management.arguments import agency_named
from zwgk.records.actions import do_publish_scheduled
from zwgk.records.models import Record


class Command(BaseCommand):
    help = "主动公开：定时发布到期的信息、列出到期复查的不予公开信息。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("publish-scheduled", help="发布定时发布时间已到的信息（可重复执行）")
        sub.add_parser("review-due", help="列出到期复查的不予公开信息（条例第十八条）")
        check = sub.add_parser("timeliness", help="公开时效：逾期发布的信息、超期未发布的目录事项")
        check.add_argument("--agency", help="机关的标准全称或简称（含其下级机关）")
        check.add_argument("--year", type=int, help="检查该年发布的信息（默认今年）")

    def handle(self, *args, verb, **options):
        handler = getattr(self, "handle_" + verb.replace("-", "_"))
        if verb == "timeliness":
            handler(agency=options.get("agency"), year=options.get("year"))
        else:
            handler()

    def handle_publish_scheduled(self):
        run = do_publish_scheduled(timezone.now())
        for record in run.published:
            self.stdout.write(f"已发布：{record.index_number} {record.title}")
        for record, message in run.failed:
            self.stderr.write(f"未能发布：{record.title}（{record.agency}）：{message}")
        if not run.published and not run.failed:
            self.stdout.write("没有到期的定时发布信息。")

    def handle_review_due(self):
        due = (
            Record.objects.withheld_due_for_review(timezone.localdate())
            .select_related("agency")
            .order_by("next_review_on", "pk")
        )
        for record in due:
            self.stdout.write(f"{record.next_review_on:%Y-%m-%d}\t{record.agency}\t{record.title}")
        if not due:
            self.stdout.write("没有到期复查的不予公开信息。")

    def handle_timeliness(self, agency: str | None, year: int | None):
        from zwgk.records.timeliness import timeliness_report

        today = timezone.localdate()
        records, items = Record.objects.all(), CatalogueItem.objects.all()
        if agency:
            root = agency_named(agency)
            records = records.filter(agency__path__startswith=root.path)
            items = items.filter(agency__path__startswith=root.path)
        report = timeliness_report(records, items, today, year=year or today.year)
        out = self.stdout.write
        out(
            f"{report.year}年发布{report.checked_records}条，逾期发布{report.late_count}条；"
            f"检查目录事项{report.checked_items}项，超期未发布{report.stale_count}项"
            f"（截至{today:%Y-%m-%d}）。"
        )
        for group in report.agencies:
            out(f"\n{group.agency}：逾期发布{len(group.late)}条，超期未发布{len(group.stale)}项")
            for row in group.late:
                out(
                    f"  逾期\t{row.record.index_number}\t{row.record.title}\t"
                    f"应于{row.due:%Y-%m-%d}，发布于{row.published_on:%Y-%m-%d}，"
                    f"逾期{row.working_days_late}个工作日"
                )
            for row in group.stale:
                latest = f"{row.latest_published:%Y-%m-%d}" if row.latest_published else "从未发布"
                overdue = row.working_days_overdue
                out(
                    f"  超期\t{row.item.name}\t{row.item.deadline_text}\t最近发布：{latest}，"
                    f"应于{row.expected_by:%Y-%m-%d}前发布，"
                    f"超期{'未知' if overdue is None else overdue}个工作日"
                )
        for line in report.undetermined:
            self.stderr.write(f"无法判断：{line}")
