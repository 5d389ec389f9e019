"""``zwgk import-documents PATH... --agency NAME [--publish] [--dry-run]``.

Imports .txt, .md, .html, .docx and .pdf files (folders are searched
recursively) as draft records of the agency, or with ``--publish`` as
published records keeping their original 发布日期 (migrating an existing
site's archive).  Prints progress, then a report: counts, the files that
failed, the files that could not be extracted cleanly (garbled text) and the
fields that could not be found.  Re-running imports nothing twice.
"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from zwgk.importer.actions import import_paths
from zwgk.organizations.models import Agency
from zwgk.records.models import TopicCategory

STATUS_LABELS = {
    "created": "新建草稿",
    "published": "已发布",
    "duplicate": "已导入过（跳过）",
    "failed": "失败",
    "dry-run": "试运行（未写入）",
}


class Command(BaseCommand):
    help = "批量导入已有文件（txt、md、html、docx、pdf）为政府信息草稿或已发布信息。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="文件或文件夹（递归查找）")
        parser.add_argument("--agency", required=True, help="发布机关的标准全称")
        parser.add_argument(
            "--topic", default="综合政务", help="主题分类（一级或“一级\\二级”），默认 综合政务"
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="迁移旧网站存档：按原发布日期直接发布（提取不完整的仍建为草稿）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只提取并报告，不写入数据库")
        parser.add_argument("--user", help="以此用户的身份办理（检查其角色）；默认为命令行操作员")
        parser.add_argument("--batch", help="批次名称，默认为当前时间")
        parser.add_argument("--verbose-report", action="store_true", help="列出每个文件的结果")

    def handle(self, *args, paths, agency, topic, publish, dry_run, user, batch, **options):
        try:
            agency_obj = Agency.objects.get(name=agency)
        except Agency.DoesNotExist as exc:
            raise CommandError(f"没有名为“{agency}”的机关。") from exc
        topic_obj = self._topic(topic)
        acting_user = None
        if user:
            try:
                acting_user = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"没有用户“{user}”。") from exc
        try:
            run = import_paths(
                paths,
                agency=agency_obj,
                topic=topic_obj,
                publish=publish,
                dry_run=dry_run,
                acting_user=acting_user,
                batch=batch,
                progress=self._progress,
            )
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件或文件夹：{exc}") from exc
        self._report(run, verbose=options["verbose_report"])

    def _topic(self, path: str) -> TopicCategory:
        first, _, second = path.partition("\\")
        topics = TopicCategory.objects.filter(parent__isnull=True, name=first)
        if second:
            topics = TopicCategory.objects.filter(parent__name=first, name=second)
        found = topics.first()
        if found is None:
            raise CommandError(f"没有主题分类“{path}”。")
        return found

    def _progress(self, done: int, total: int, run) -> None:
        counts = "，".join(
            f"{STATUS_LABELS[s]} {run.count(s)}" for s in STATUS_LABELS if run.count(s)
        )
        self.stderr.write(f"进度 {done}/{total}（{counts}）")
        sys.stderr.flush()

    def _report(self, run, *, verbose: bool) -> None:
        out = self.stdout.write
        total = len(run.outcomes)
        rate = total / run.seconds if run.seconds else 0.0
        out(f"导入批次 {run.batch}：{total} 个文件，用时 {run.seconds:.1f} 秒（{rate:.0f} 份/秒）")
        for status, label in STATUS_LABELS.items():
            if run.count(status):
                out(f"  {label}：{run.count(status)}")
        failed = [o for o in run.outcomes if o.status == "failed"]
        if failed:
            out("\n未能导入：")
            for o in failed:
                out(f"  {o.path}：{o.message}")
        if run.unclean:
            out("\n未能干净提取（文字编码错乱，需人工核对原件，未自动修复）：")
            for o in run.unclean:
                where = f"（已建为草稿 #{o.record_id}）" if o.record_id else ""
                out(f"  {o.path}{where}")
                for evidence in o.misdecoded:
                    out(f"    - {evidence}")
        missing = [o for o in run.outcomes if o.notes and o.status != "duplicate"]
        if missing:
            out("\n未能提取的字段：")
            for o in missing:
                out(f"  {o.path}：{'；'.join(o.notes)}")
        if verbose:
            out("\n逐个文件：")
            for o in run.outcomes:
                e = o.extracted
                fields = (
                    f"{e.title} | {e.doc_number or '-'} | {e.issuer or '-'} | {e.written_on or '-'}"
                    if e
                    else ""
                )
                out(f"  [{STATUS_LABELS[o.status]}] {o.path}：{fields}")
