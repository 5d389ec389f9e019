"""``zwgk demo``: the demo city, county and township, a user per role, the site profile."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zwgk.demo.actions import load_demo
from zwgk.workdays.models import ScheduleYear


class Command(BaseCommand):
    help = "创建演示数据（虚构的市、县、镇及各角色账号），可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("ZWGK_DEMO_PASSWORD", "zwgk-demo-2026"),
            help="所有演示账号的密码（默认 zwgk-demo-2026，或环境变量 ZWGK_DEMO_PASSWORD）",
        )
        parser.add_argument(
            "--force", action="store_true", help="在生产配置（ZWGK_DEBUG 关闭）下也创建演示账号"
        )

    def handle(self, *args, password, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("演示账号的密码是公开的，生产环境不应创建。确需创建请加 --force。")
        logins = load_demo(password)
        years = sorted(ScheduleYear.objects.values_list("year", flat=True))
        self.stdout.write(
            "演示数据已就绪：示范省 → 示范市（10个部门）→ 示范县（4个部门）→ 白石镇。"
        )
        if years:
            self.stdout.write(f"工作日历：已载入 {years[0]}—{years[-1]} 年节假日安排。")
        self.stdout.write("")
        self.stdout.write("演示账号（管理后台 http://127.0.0.1:8000/admin/）：")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.username:<{width}}  {login.full_name}（{login.description}）"
            )
        self.stdout.write(f"  密码均为：{password}")
