import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zwgk.search import analyzer, sync
from zwgk.search.backends import get_backend, make_backend
from zwgk.search.documents import count_documents


class Command(BaseCommand):
    help = "全文检索索引：查看状态、同步待同步记录、重建索引、持续同步。"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("status", help="索引状态：后端、文档数、分词器版本、待同步记录数")
        commands.add_parser("sync", help="把待同步记录写入索引（可由定时任务调用）")
        rebuild = commands.add_parser(
            "rebuild", help="清空并按数据库重建索引（分词器版本变化后必须执行）"
        )
        rebuild.add_argument(
            "--backend", help="重建指定后端的索引（默认为 ZWGK_SEARCH_BACKEND 设置的后端）"
        )
        worker = commands.add_parser("worker", help="持续同步：每隔几秒把待同步记录写入索引")
        worker.add_argument("--interval", type=float, default=2.0, help="检查间隔（秒），默认 2")

    def handle(self, *args, subcommand, **options):
        if subcommand == "status":
            self.status()
        elif subcommand == "sync":
            self.stdout.write(f"已同步 {sync.drain()} 条待同步记录。")
        elif subcommand == "rebuild":
            self.rebuild(options["backend"])
        else:
            self.worker(options["interval"])

    def status(self) -> None:
        health = get_backend().health()
        self.stdout.write(f"检索后端：{settings.SEARCH_BACKEND}")
        self.stdout.write(f"索引状态：{'正常' if health.ok else '异常：' + health.message}")
        self.stdout.write(f"索引文档数：{health.documents}（应公开 {count_documents()}）")
        self.stdout.write(f"待同步记录：{sync.pending()}")
        if sync.rebuilding():
            self.stdout.write(
                self.style.WARNING("索引正在重建；若重建已中断，请再次执行 zwgk search rebuild。")
            )
        self.stdout.write(
            f"分词器版本：索引 {health.analyzer_version or '无'}，当前 {analyzer.ANALYZER_VERSION}"
        )
        if health.ok and not health.current:
            self.stdout.write(self.style.WARNING("分词器版本已变化，请执行 zwgk search rebuild。"))

    def rebuild(self, name: str | None) -> None:
        try:
            backend = make_backend(name) if name else get_backend()
        except ValueError as error:
            raise CommandError(str(error)) from error
        total = count_documents()
        started = time.monotonic()

        def progress(done: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"  已读取 {done}/{total} 条，{rate:.0f} 条/秒")

        count = sync.rebuild(backend, progress=progress)
        seconds = time.monotonic() - started
        self.stdout.write(f"已重建 {backend.name} 索引：{count} 条，用时 {seconds:.1f} 秒。")

    def worker(self, interval: float) -> None:
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(
            f"检索同步已启动（{settings.SEARCH_BACKEND}），每 {interval} 秒检查一次。"
        )
        while not stopping:
            applied = sync.drain()
            if applied:
                self.stdout.write(f"已同步 {applied} 条。")
            time.sleep(interval)
        self.stdout.write("检索同步已停止。")
