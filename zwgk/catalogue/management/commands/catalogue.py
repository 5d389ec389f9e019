"""``zwgk catalogue import|export|apply-template --agency NAME …``, ``zwgk catalogue templates``."""

from pathlib import Path

from django.core.management.base import BaseCommand

from zwgk.catalogue.actions import do_apply_template, do_import_catalogue
from zwgk.catalogue.models import CatalogueItem
from zwgk.catalogue.spreadsheet import write_catalogue
from zwgk.catalogue.templates_data import TEMPLATES
from zwgk.organizations.management.arguments import agency_named
from zwgk.utils.table_commands import import_table_file, write_table_file


class Command(BaseCommand):
    help = "主动公开基本目录：从 XLSX/CSV 导入、导出，应用目录模板，列出模板。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("import", help="导入机关的标准目录（任一行有错则不保存任何数据）")
        load.add_argument("--agency", required=True, help="机关的标准全称或简称")
        load.add_argument("file", type=Path)
        load.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        export = sub.add_parser("export", help="导出机关的标准目录（按扩展名 .xlsx 或 .csv）")
        export.add_argument("--agency", required=True, help="机关的标准全称或简称")
        export.add_argument("file", type=Path)
        apply = sub.add_parser("apply-template", help="把目录模板复制到机关的目录（可重复执行）")
        apply.add_argument("--agency", required=True, help="机关的标准全称或简称")
        apply.add_argument("template", choices=sorted(TEMPLATES), metavar="TEMPLATE")
        sub.add_parser("templates", help="列出随系统提供的目录模板")

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb.replace('-', '_')}")(**options)

    def handle_import(self, agency: str, file: Path, dry_run: bool, **options):
        target = agency_named(agency)
        result = import_table_file(
            self,
            file,
            lambda rows: do_import_catalogue(target, rows, acting_user=None, dry_run=dry_run),
        )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(self.style.SUCCESS(result.summary))

    def handle_export(self, agency: str, file: Path, **options):
        target = agency_named(agency)
        items = list(CatalogueItem.objects.filter(agency=target).active().tree())
        write_table_file(file, write_catalogue, items)
        self.stdout.write(f"已导出“{target.name}”的 {len(items)} 个目录事项到 {file}。")

    def handle_apply_template(self, agency: str, template: str, **options):
        result = do_apply_template(agency_named(agency), template, acting_user=None)
        self.stdout.write(self.style.SUCCESS(result.summary))

    def handle_templates(self, **options):
        for template in TEMPLATES.values():
            self.stdout.write(f"{template.key}\t{template.title}（{template.count()}项）")
            self.stdout.write(f"\t{template.description}")
