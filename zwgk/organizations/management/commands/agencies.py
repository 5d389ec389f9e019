"""``zwgk agencies import|export|template FILE``, ``zwgk agencies reconsideration NAME``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zwgk.organizations.actions import do_import_agencies
from zwgk.organizations.management.arguments import agency_named
from zwgk.organizations.models import Agency
from zwgk.organizations.reconsideration import ReconsiderationError, reconsideration_body
from zwgk.organizations.spreadsheet import write_agencies
from zwgk.utils.table_commands import import_table_file, write_table_file


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
        result = import_table_file(
            self, file, lambda rows: do_import_agencies(rows, acting_user=None, dry_run=dry_run)
        )
        self.stdout.write(self.style.SUCCESS(result.summary))

    def handle_export(self, file: Path, **options):
        agencies = Agency.objects.select_related("parent", "supervising_authority")
        write_table_file(file, write_agencies, agencies)
        self.stdout.write(f"已导出 {len(agencies)} 个机关到 {file}。")

    def handle_template(self, file: Path, **options):
        write_table_file(file, write_agencies, [])
        self.stdout.write(f"已生成导入模板 {file}。")

    def handle_reconsideration(self, name: str, **options):
        agency = agency_named(name)
        try:
            body = reconsideration_body(agency)
        except ReconsiderationError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{agency.name}的行政复议机关：{body.name}")
        self.stdout.write(f"依据：{body.basis}")
        if body.alternative is not None:
            self.stdout.write(f"也可以向：{body.alternative.name}（{body.alternative.basis}）")
