"""Throughput of the public submit endpoint ``POST /api/v1/applications``.

Serves zwgk with gunicorn (2 sync workers by default) on 127.0.0.1 against a
PostgreSQL database of its own, with the rate limits in Redis
(``ZWGK_CACHE_URL``, database 5 by default), and sends bounded load from a
Python client on loopback: ``--clients`` threads, each with its own
``http.client`` connection (re-opened when the sync worker closes it), for
``--seconds`` or ``--requests``, whichever ends first.  It reports requests
per second, latency percentiles and errors, then checks that nothing was
lost: as many new applications as 201 answers, and every tracking code
answered exists.  Target: at least 100 requests per second.

The rate limits (5 submissions per address per hour, 3 per identity number
per day) are not lifted: every request carries a distinct, valid 公民身份号码
(GB 11643 check character) and a distinct client address in
``X-Forwarded-For``, which the server trusts with ``ZWGK_PROXY_COUNT=1`` (as
behind one reverse proxy).  The limit keys of earlier runs are deleted from
the Redis database first (only keys under ``disclosure_requests:rl:``).

Each submission stores its query password as a keyed HMAC-SHA256, which the
report times on its own.  The report also gives the CPU time of the timed
phase: this client's, gunicorn's (per request too) and the rest of the
machine's (PostgreSQL, Redis), since all of them share the same cores.

The script migrates the database, creates its benchmark agency, deletes that
agency's applications (with their timeline and audit events) of earlier
runs, and always stops gunicorn, on errors too.  Run, from the repository
root::

    createdb -h 127.0.0.1 -U postgres zwgk_bench_submit
    .venv/bin/python benchmarks/public_submit.py                 # 20 s, 8 clients
    .venv/bin/python benchmarks/public_submit.py --seconds 10 --clients 4
    dropdb -h 127.0.0.1 -U postgres zwgk_bench_submit
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/zwgk_bench_submit"
DEFAULT_CACHE = "redis://127.0.0.1:6379/5"
TARGET_PER_SECOND = 100.0
AGENCY_NAME = "提交基准示范市教育局"
LIMIT_KEYS = "*disclosure_requests:rl:*"


def server_environment(args) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZWGK_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zwgk.settings",
            "ZWGK_SECRET_KEY": "benchmark-only-" + secrets.token_urlsafe(40),
            "ZWGK_DATABASE_URL": args.database_url,
            "ZWGK_CACHE_URL": args.cache_url,
            "ZWGK_ALLOWED_HOSTS": "127.0.0.1",
            "ZWGK_HTTPS": "0",
            "ZWGK_DEBUG": "0",
            "ZWGK_PROXY_COUNT": "1",
            "ZWGK_LOG_LEVEL": "WARNING",
            "ZWGK_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def benchmark_agency():
    from zwgk.audit.models import AuditEvent
    from zwgk.disclosure_requests.models import DisclosureRequest, RequestEvent
    from zwgk.organizations.choices import AgencyKind, AgencyLevel
    from zwgk.organizations.models import Agency

    agency, _ = Agency.objects.get_or_create(
        name=AGENCY_NAME,
        defaults={"kind": AgencyKind.DEPARTMENT, "level": AgencyLevel.CITY},
    )
    RequestEvent.objects.filter(request__agency=agency)._raw_delete(RequestEvent.objects.db)
    AuditEvent.objects.filter(agency=agency)._raw_delete(AuditEvent.objects.db)
    DisclosureRequest.objects.filter(agency=agency)._raw_delete(DisclosureRequest.objects.db)
    return agency


def clear_rate_limits(cache_url: str) -> int:
    import redis

    client = redis.Redis.from_url(cache_url)
    keys = list(client.scan_iter(match=LIMIT_KEYS, count=1000))
    for first in range(0, len(keys), 1000):
        client.delete(*keys[first : first + 1000])
    return len(keys)


def time_password_hash(rounds: int = 1000) -> float:
    """Microseconds of one ``hash_query_password`` (keyed HMAC-SHA256), mean of N."""
    from zwgk.disclosure_requests.actions import hash_query_password

    hash_query_password("warm-up")
    started = time.perf_counter()
    for n in range(rounds):
        hash_query_password(f"AB{n:08d}")
    return (time.perf_counter() - started) / rounds * 1e6


# ---------------------------------------------------------------- CPU accounting

TICKS = os.sysconf("SC_CLK_TCK")


def process_group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of the live processes of a process group (gunicorn)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state ppid pgrp ...
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / TICKS, sum(values) / TICKS


class CpuMeter:
    """CPU used during the timed phase: this client, gunicorn, and the machine as a whole."""

    def __init__(self, server_pgid: int) -> None:
        self.pgid = server_pgid

    def __enter__(self):
        self.client = time.process_time()
        self.server = process_group_cpu(self.pgid)
        self.busy, self.total = machine_cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.client = time.process_time() - self.client
        self.server = process_group_cpu(self.pgid) - self.server
        busy, total = machine_cpu()
        self.busy, self.total = busy - self.busy, total - self.total

    def report(self, requests: int) -> str:
        cores = os.cpu_count()
        other = max(self.busy - self.client - self.server, 0.0)
        per = 1000 / max(requests, 1)
        return (
            f"CPU（计时阶段，共 {cores} 核，忙 {self.busy / self.total:.0%}）："
            f"客户端 {self.client:.1f} 秒（{self.client / max(self.busy, 1e-9):.0%}），"
            f"gunicorn {self.server:.1f} 秒（{self.server / max(self.busy, 1e-9):.0%}，"
            f"每请求 {self.server * per:.1f} 毫秒），"
            f"其他（PostgreSQL、Redis 等）{other:.1f} 秒（{other / max(self.busy, 1e-9):.0%}）。"
        )


# ---------------------------------------------------------------- the load


def resident_id(n: int, salt: int) -> str:
    """The n-th distinct valid 公民身份号码 of this run (region 110101, born 1950-2005)."""
    from zwgk.disclosure_requests.validators import resident_id_check_character

    n += salt
    birth = date(1950, 1, 1) + timedelta(days=(n // 1000) % 20_000)
    body = f"110101{birth:%Y%m%d}{n % 1000:03d}"
    return body + resident_id_check_character(body)


def client_address(n: int, salt: int) -> str:
    n = (n + salt) % (1 << 24)
    return f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}"


class Load:
    """Shared state of the client threads: the next request number and the results."""

    def __init__(self, args, agency_id: int) -> None:
        self.args = args
        self.agency_id = agency_id
        self.salt = secrets.randbelow(1_000_000) * 1000
        self.lock = threading.Lock()
        self.next = 0
        self.deadline = 0.0
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors: list[str] = []
        self.codes: list[str] = []

    def take(self) -> int | None:
        with self.lock:
            if self.next >= self.args.requests or time.perf_counter() >= self.deadline:
                return None
            self.next += 1
            return self.next - 1

    def body(self, n: int) -> bytes:
        return json.dumps(
            {
                "agency": self.agency_id,
                "applicant_type": "natural_person",
                "applicant_name": "张三",
                "id_type": "resident_id",
                "id_number": resident_id(n, self.salt),
                "phone": "13800000000",
                "email": "zhangsan@example.com",
                "description": "2025年度部门预算执行情况及相关说明材料",
                "purpose": "了解本地教育经费使用情况",
                "provision_form": "electronic",
                "delivery": "email",
            },
            ensure_ascii=False,
        ).encode()

    def worker(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=30)
        try:
            while (n := self.take()) is not None:
                headers = {
                    "Content-Type": "application/json",
                    "X-Forwarded-For": client_address(n, self.salt),
                }
                body = self.body(n)
                started = time.perf_counter()
                try:
                    connection.request("POST", "/api/v1/applications", body, headers)
                    response = connection.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    connection.close()
                    with self.lock:
                        self.errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - started
                if response.will_close:
                    connection.close()
                code = None
                if response.status == 201:
                    code = json.loads(data)["tracking_code"]
                elif len(self.errors) < 1000:
                    with self.lock:
                        self.errors.append(f"HTTP {response.status}: {data[:200]!r}")
                with self.lock:
                    self.latencies.append(elapsed)
                    self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
                    if code:
                        self.codes.append(code)
        finally:
            connection.close()

    def run(self, seconds: float) -> float:
        self.deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        with ThreadPoolExecutor(self.args.clients) as pool:
            for future in [pool.submit(self.worker) for _ in range(self.args.clients)]:
                future.result()
        return time.perf_counter() - started


# ---------------------------------------------------------------- the server


def start_server(args, env: dict[str, str]) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "zwgk.wsgi",
        "-w",
        str(args.workers),
        "-b",
        f"127.0.0.1:{args.port}",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603


def wait_until_answering(server: subprocess.Popen, port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn 已退出（返回码 {server.returncode}）")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/openapi.json")
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn 在 {seconds:.0f} 秒内未应答")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)  # its own session: gunicorn and its workers
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# ---------------------------------------------------------------- the report


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def check_nothing_lost(agency, before: int, load: Load) -> list[str]:
    from zwgk.disclosure_requests.models import DisclosureRequest

    problems = []
    created = DisclosureRequest.objects.filter(agency=agency).count() - before
    accepted = load.statuses.get(201, 0)
    found = 0
    for first in range(0, len(load.codes), 5000):
        chunk = load.codes[first : first + 5000]
        found += DisclosureRequest.objects.filter(tracking_code__in=chunk).count()
    print(
        f"新增申请 {created:,} 件；201 应答 {accepted:,} 个；"
        f"查询码存在 {found:,}/{len(load.codes):,}"
    )
    if created != accepted:
        problems.append("新增申请数与 201 应答数不一致")
    if found != len(load.codes) or len(set(load.codes)) != len(load.codes):
        problems.append("有查询码不存在或重复")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cache-url", default=DEFAULT_CACHE)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数")
    parser.add_argument("--clients", type=int, default=8, help="并发客户端线程数")
    parser.add_argument("--seconds", type=float, default=20.0, help="计时阶段的时长上限")
    parser.add_argument("--requests", type=int, default=20_000, help="计时阶段的请求数上限")
    parser.add_argument("--warmup", type=float, default=2.0, help="计时前的预热秒数")
    args = parser.parse_args()
    if args.seconds > 120 or args.requests > 100_000:
        sys.exit("负载有上限：--seconds 不超过 120，--requests 不超过 100000。")

    env = server_environment(args)
    setup_django(env)
    agency = benchmark_agency()
    from zwgk.disclosure_requests.models import DisclosureRequest

    before = DisclosureRequest.objects.filter(agency=agency).count()
    print(f"清除 Redis 中旧的限流计数 {clear_rate_limits(args.cache_url)} 个。")
    print(f"查询密码散列（HMAC-SHA256）：{time_password_hash():.1f} 微秒/次（本进程，单线程）。")

    server = start_server(args, env)
    try:
        wait_until_answering(server, args.port)
        print(
            f"gunicorn：{args.workers} 个进程，127.0.0.1:{args.port}；"
            f"客户端 {args.clients} 个线程。",
            flush=True,
        )
        warm = Load(args, agency.pk)
        warm.run(args.warmup)
        load = Load(args, agency.pk)
        load.salt = warm.salt + 10_000_000  # distinct identities and addresses
        with CpuMeter(server.pid) as cpu:
            seconds = load.run(args.seconds)
    finally:
        stop_server(server)

    total = len(load.latencies)
    rate = total / seconds if seconds else 0.0
    print(f"请求 {total:,} 个，用时 {seconds:.1f} 秒：{rate:.1f} 个/秒。")
    if total:
        ms = [x * 1000 for x in load.latencies]
        print(
            f"延迟（毫秒）：p50 {percentile(ms, 50):.0f}，p95 {percentile(ms, 95):.0f}，"
            f"p99 {percentile(ms, 99):.0f}，最大 {max(ms):.0f}，平均 {statistics.fmean(ms):.0f}。"
        )
    print(cpu.report(total))
    print(f"状态码：{dict(sorted(load.statuses.items()))}；错误 {len(load.errors)} 个。")
    for error in load.errors[:5]:
        print("   ", error)
    warm.statuses[201] = warm.statuses.get(201, 0) + load.statuses.get(201, 0)
    warm.codes += load.codes
    problems = check_nothing_lost(agency, before, warm)
    reached = rate >= TARGET_PER_SECOND
    print(f"目标（每秒 {TARGET_PER_SECOND:.0f} 个）：{'达到' if reached else '未达到'}。")
    if problems:
        sys.exit("；".join(problems))
    if warm.errors or load.errors or not reached:
        sys.exit(1)


if __name__ == "__main__":
    main()
