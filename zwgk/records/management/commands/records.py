"""``zwgk records publish-scheduled|review-due``: the 主动公开 jobs.

``publish-scheduled`` publishes every 定时待发布 record whose time has come;
run it every few minutes (it is idempotent, and a missed run catches up).
``review-due`` lists 不予公开 records due for their periodic review (条例第十八条).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from zwgk.records.actions import do_publish_scheduled
from zwgk.records.models import Record


class Command(BaseCommand):
    help = "主动公开：定时发布到期的信息、列出到期复查的不予公开信息。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("publish-scheduled", help="发布定时发布时间已到的信息（可重复执行）")
        sub.add_parser("review-due", help="列出到期复查的不予公开信息（条例第十八条）")

    def handle(self, *args, verb, **options):
        getattr(self, "handle_" + verb.replace("-", "_"))()

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
