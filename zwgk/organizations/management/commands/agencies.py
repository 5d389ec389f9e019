"""``zwgk agencies import|export|template FILE``, ``zwgk agencies reconsideration NAME``."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from zwgk.organizations.actions import do_import_agencies
from zwgk.organizations.models import Agency
from zwgk.organizations.reconsideration import ReconsiderationError, reconsideration_body
from zwgk.organizations.spreadsheet import write_agencies
from zwgk.utils.tabular import TabularError, read_table, table_format


class Command(BaseCommand):
    help = "机关名录：从 XLSX/CSV 导入、导出、生成导入模板，查询行政复议机关。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("import", help="导入机关表（任一行有错则不保存任何数据）")
        load.add_argument("file", type=Path)
        load.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        export = sub.add_parser("export", help="导出全部机关（按扩展名 .xlsx 或 .csv）")
        export.add_argument("file", type=Path)
        template = sub.add_parser("template", help="生成只有表头的导入模板")
        template.add_argument("file", type=Path)
        body = sub.add_parser("reconsideration", help="查询机关的行政复议机关及法律依据")
        body.add_argument("name", help="机关的标准全称或简称")

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb}")(**options)

    def handle_import(self, file: Path, dry_run: bool, **options):
        try:
            with file.open("rb") as stream:
                table = read_table(stream, file.name)
        except OSError as exc:
            raise CommandError(f"无法打开文件 {file}：{exc.strerror}") from None
        except TabularError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"读取 {file}：{len(table.rows)} 行数据。")
        try:
            result = do_import_agencies(table.rows, acting_user=None, dry_run=dry_run)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"导入失败：{len(exc.messages)} 处错误，未保存任何数据。") from None
        for outcome in result.outcomes:
            changed = f"（{'、'.join(outcome.changed)}）" if outcome.changed else ""
            self.stdout.write(
                f"第{outcome.number}行\t{outcome.status.label}\t{outcome.name}{changed}"
            )
        self.stdout.write(self.style.SUCCESS(result.summary))

    def handle_export(self, file: Path, **options):
        agencies = Agency.objects.select_related("parent", "supervising_authority")
        self._write(file, agencies)
        self.stdout.write(f"已导出 {len(agencies)} 个机关到 {file}。")

    def handle_template(self, file: Path, **options):
        self._write(file, [])
        self.stdout.write(f"已生成导入模板 {file}。")

    def handle_reconsideration(self, name: str, **options):
        matches = list(Agency.objects.filter(Q(name=name) | Q(short_name=name)))
        if len(matches) != 1:
            found = "、".join(a.name for a in matches)
            raise CommandError(f"“{name}”对应 {len(matches)} 个机关{found and '：' + found}。")
        agency = matches[0]
        try:
            body = reconsideration_body(agency)
        except ReconsiderationError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{agency.name}的行政复议机关：{body.name}")
        self.stdout.write(f"依据：{body.basis}")
        if body.alternative is not None:
            self.stdout.write(f"也可以向：{body.alternative.name}（{body.alternative.basis}）")

    def _write(self, file: Path, agencies) -> None:
        try:
            fmt = table_format(file.name)
            with file.open("wb") as stream:
                write_agencies(stream, fmt, agencies)
        except TabularError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"无法写入文件 {file}：{exc.strerror}") from None
