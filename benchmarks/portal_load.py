# ruff: noqa: S603, S607, S608  (fixed commands and SQL of this script only)
"""Portal pages at scale: the record page and the 法定主动公开内容 list under load.

Creates a PostgreSQL database of its own (``zwgk_bench_portal`` on
127.0.0.1, user postgres; with ``createdb``/``dropdb``), migrates it, fills
``--count`` published 主动公开 records (1,000,000 by default) over
``--agencies`` agencies (50), each with its 主动公开基本目录 and the seeded
主题分类 plus second levels, by ``COPY`` (bodies of 1–3 KB), then
``VACUUM ANALYZE``.  It serves zwgk with gunicorn (2 sync workers,
``ZWGK_DEBUG=0``) on 127.0.0.1 and loads it with ``wrk`` on loopback
(Debian's package: ``apt-get install -y wrk``), with the page cache in Redis
(database 15 of 127.0.0.1:6379, emptied first) as in production,
``--seconds`` per URL set:

- ``record``: ``/zfxxgk/records/<id>/`` for 1,000 ids drawn at random from
  the public records (a wrk Lua script), each asked for once before the run,
  so that the run measures pages served from the page cache;
- ``record-uncached``: 20,000 random ids, each request with a parameter no
  view reads (``?nocache=…``) so that the page cache never answers: the
  cost of rendering a page;
- ``list``: ``/zfxxgk/statutory/?agency=<id>`` for a random agency, page 1
  (cached), and ``list-uncached`` the same, never from the cache;
- ``list-deep``: the same with ``&page=50`` (rows 981–1,000 of the agency);
- ``list-all``: ``/zfxxgk/statutory/`` unfiltered, page 1 (all 1,000,000);
- ``bare``: ``/bench/bare/`` — ``HttpResponse("ok")`` through the same
  middleware, for comparison.  That view is not part of the product: the
  script writes a settings module and a URLconf (the product's URLs plus
  this one) to a temporary folder put on gunicorn's ``PYTHONPATH``.

It reports requests/s, p50/p99 and non-2xx answers for each set and the
ratio to ``bare``, and counts the SQL queries of each page with the Django
test client on the same database.  Target (per page): ≥ 300 requests/s and
p99 < 100 ms.  gunicorn is always stopped; the database is dropped at the
end unless ``--keep-database`` (``--reuse-database`` skips the fill when the
database already holds the records).  Run from the repository root::

    .venv/bin/python benchmarks/portal_load.py                       # 1,000,000 records
    .venv/bin/python benchmarks/portal_load.py --count 100000 --seconds 10
"""

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "zwgk_bench_portal"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
TARGET_RATE = 300.0
UNCACHED = "-uncached"
HOT_RECORDS = 1_000  # the record pages of the cached set (warmed before the run)
REDIS_DB = 15  # the page cache of the benchmark's server, emptied before the run
TARGET_P99_MS = 100.0
AGENCY_PREFIX = "门户基准示范市"
DEPARTMENTS = [
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水务局",
    "农业农村局",
    "商务局",
    "文化广电旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "体育局",
    "林业局",
    "城市管理局",
    "信访局",
    "机关事务管理局",
    "地方金融管理局",
    "数据资源管理局",
    "粮食和物资储备局",
    "人民防空办公室",
    "民族宗教事务局",
    "外事办公室",
    "国有资产监督管理委员会",
    "行政审批服务局",
    "投资促进局",
    "档案局",
    "气象局",
    "地震局",
    "供销合作社",
    "住房公积金管理中心",
    "公共资源交易中心",
    "乡村振兴局",
    "港口管理局",
    "口岸办公室",
    "经济技术开发区管理委员会",
    "高新技术产业开发区管理委员会",
]
CATALOGUE = {
    "机构职能": ["机构设置", "领导信息", "内设机构"],
    "政策文件": ["规范性文件", "其他文件", "政策解读"],
    "规划计划": ["发展规划", "年度计划"],
    "财政信息": ["部门预算", "部门决算", "三公经费"],
    "行政执法": ["行政许可", "行政处罚", "行政检查"],
    "人事信息": ["公务员招考", "人事任免"],
}
SENTENCES = (
    "为深入贯彻落实党中央、国务院决策部署，进一步提升政务服务水平，结合本地实际，制定本方案。",
    "各地区、各部门要高度重视，加强组织领导，明确责任分工，确保各项任务落到实处。",
    "本办法自发布之日起施行，有效期五年，原有规定与本办法不一致的，以本办法为准。",
    "申请人应当提交申请书、身份证明材料以及与申请事项相关的其他材料，并对材料的真实性负责。",
    "对符合条件的项目，按照不超过总投资百分之三十的比例给予补助，单个项目最高不超过五百万元。",
    "相关单位应当于每年三月底前报送上一年度工作情况，逾期未报送的，予以通报批评。",
    "加大财政资金统筹力度，优化支出结构，重点保障基本民生和重大项目建设资金需求。",
    "建立健全监督检查机制，定期开展督导评估，对工作推进不力的单位依法依规严肃问责。",
    "鼓励社会资本参与基础设施建设和运营，依法保障投资者合法权益，营造公平竞争的市场环境。",
    "本通知由市政府办公室负责解释，执行中遇到的问题请及时向有关主管部门反映。",
    "坚持以人民为中心的发展思想，着力解决群众急难愁盼问题，不断增强人民群众获得感。",
    "推进政务公开标准化规范化建设，及时准确公开政策文件、执行结果和解读回应情况。",
)
TITLE_SUBJECTS = (
    "优化营商环境",
    "城乡居民基本医疗保险",
    "农村人居环境整治",
    "安全生产专项整治",
    "中小企业发展",
    "义务教育阶段学校招生",
    "城市更新",
    "生态环境保护督察整改",
    "公共资源交易管理",
    "政府信息公开工作",
    "住房保障",
    "就业创业补贴",
)
TITLE_FORMS = (
    "关于印发{}实施方案的通知",
    "关于进一步加强{}工作的意见",
    "{}管理办法",
    "关于{}有关事项的公告",
    "关于开展{}专项行动的通知",
    "关于{}工作情况的通报",
)
DOC_TYPES = (
    "notice",
    "notice",
    "notice",
    "opinion",
    "announcement",
    "public_notice",
    "bulletin",
    "reply",
    "letter",
    "decision",
    "other",
)


# ---------------------------------------------------------------- database


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", *PG, "-d", database, "-Atqc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def database_exists(name: str) -> bool:
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def server_environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZWGK_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zwgk.settings",
            "ZWGK_SECRET_KEY": "benchmark-only-" + secrets.token_urlsafe(40),
            "ZWGK_DATABASE_URL": database_url,
            "ZWGK_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "ZWGK_HTTPS": "0",
            "ZWGK_DEBUG": "0",
            "ZWGK_LOG_LEVEL": "WARNING",
            "ZWGK_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # Production shares the page cache between workers (docs/operations.md).
            "ZWGK_CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
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


# ---------------------------------------------------------------- the data


def make_fixtures(agencies: int) -> tuple[list, list, dict]:
    """Agencies (a government and its departments), topics, catalogue items."""
    from zwgk.catalogue.models import CatalogueItem
    from zwgk.organizations.choices import AgencyKind, AgencyLevel
    from zwgk.organizations.models import Agency
    from zwgk.records.models import TopicCategory

    government = Agency.objects.create(
        name=f"{AGENCY_PREFIX}人民政府",
        kind=AgencyKind.GOVERNMENT,
        level=AgencyLevel.CITY,
        index_prefix="MHJZ00",
    )
    made = [government]
    for n, name in enumerate(DEPARTMENTS[: agencies - 1], start=1):
        made.append(
            Agency.objects.create(
                name=f"{AGENCY_PREFIX}{name}",
                kind=AgencyKind.DEPARTMENT,
                level=AgencyLevel.CITY,
                parent=government,
                sort_order=n,
                index_prefix=f"MHJZ{n:02d}",
            )
        )
    roots = list(TopicCategory.objects.filter(parent=None).order_by("sort_order", "pk"))
    topics = list(roots)
    for root in roots[:10]:
        for n in range(1, 4):
            topics.append(
                TopicCategory.objects.create(name=f"基准二级{n}", parent=root, sort_order=n)
            )
    items: dict[int, list[int]] = {}
    for agency in made:
        ids = []
        for i, (top, children) in enumerate(CATALOGUE.items(), start=1):
            parent = CatalogueItem.objects.create(agency=agency, name=top, sort_order=i)
            ids.append(parent.pk)
            for j, child in enumerate(children, start=1):
                ids.append(
                    CatalogueItem.objects.create(
                        agency=agency, parent=parent, name=child, sort_order=j
                    ).pk
                )
        items[agency.pk] = ids
    return made, topics, items


def bodies(rng: random.Random, n: int) -> list[str]:
    """n distinct HTML bodies of about 1–3 KB (UTF-8) each."""
    out = []
    for _ in range(n):
        paragraphs, size = [], 0
        target = rng.randint(1000, 3000)
        while size < target:
            text = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 5)))
            paragraphs.append(f"<p>{text}</p>")
            size += len(paragraphs[-1].encode())
        out.append("".join(paragraphs))
    return out


def fill_records(count: int, agencies: list, topics: list, items: dict, seed: int) -> None:
    """COPY ``count`` published 主动公开 records, newest publication dates spread over 10 years."""
    from django.db import connection

    from zwgk.records.models import Record

    rng = random.Random(seed)
    pool = bodies(rng, 4000)
    fields = [f for f in Record._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    # Fields this script does not set (added later) take their model default.
    defaults = {
        f.attname: json.dumps(f.get_default())
        if f.get_internal_type() == "JSONField"
        else f.get_default()
        for f in fields
    }
    start = datetime(2016, 1, 1, tzinfo=UTC)
    span = int((datetime(2026, 1, 1, tzinfo=UTC) - start).total_seconds())
    serial: dict[tuple[int, int], int] = {}
    now = datetime.now(UTC)
    agency_ids = [a.pk for a in agencies]
    prefixes = {a.pk: a.index_prefix for a in agencies}
    topic_ids = [t.pk for t in topics]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        raw = cursor.cursor  # psycopg 3
        sql = f"COPY records_record ({', '.join(columns)}) FROM STDIN"
        with raw.copy(sql) as copy:
            for n in range(count):
                agency = rng.choice(agency_ids)
                published = start + timedelta(seconds=rng.randrange(span))
                written = (published - timedelta(days=rng.randint(0, 20))).date()
                year = published.year
                serial[agency, year] = serial.get((agency, year), 0) + 1
                subject = rng.choice(TITLE_SUBJECTS)
                title = rng.choice(TITLE_FORMS).format(subject)
                doc_type = rng.choice(DOC_TYPES)
                number = f"{prefixes[agency]}发〔{year}〕{serial[agency, year]}号"
                r = rng.random()
                validity = "valid" if r < 0.9 else ("expired" if r < 0.96 else "abolished")
                kind_r = rng.random()
                kind = (
                    "policy" if kind_r < 0.15 else ("interpretation" if kind_r < 0.18 else "other")
                )
                interp = kind == "interpretation"
                values = {
                    "agency_id": agency,
                    "index_number": f"{prefixes[agency]}/{year}-{serial[agency, year]:06d}",
                    "title": f"{AGENCY_PREFIX}{title}",
                    "summary": f"{subject}相关工作安排。",
                    "doc_number": number,
                    "doc_number_normalized": number,
                    "written_on": written,
                    "formed_on": written,
                    "published_at": published,
                    "topic_id": rng.choice(topic_ids),
                    "doc_type": doc_type,
                    "keywords": subject,
                    "disclosure": "proactive",
                    "withhold_reason": "",
                    "next_review_on": None,
                    "validity": validity,
                    "abolished_on": None if validity == "valid" else written + timedelta(days=900),
                    "replaced_by_id": None,
                    "body": rng.choice(pool),
                    "catalogue_item_id": rng.choice(items[agency]),
                    "kind": kind,
                    "needs_interpretation": False,
                    "interpretation_form": "text" if interp else "",
                    "author_unit": "门户基准示范市政府办公室" if interp else "",
                    "status": "published",
                    "scheduled_for": None,
                    "withdrawn_reason": "",
                    "secrecy_checklist": "{}",
                    "secrecy_reviewed_by_id": None,
                    "secrecy_reviewed_at": None,
                    "approved_by_id": None,
                    "approved_at": None,
                    "created_by_id": None,
                    "created_at": published,
                    "updated_at": now,
                }
                copy.write_row([values.get(f.attname, defaults[f.attname]) for f in fields])
                if (n + 1) % 100_000 == 0:
                    elapsed = time.perf_counter() - started
                    print(
                        f"  {n + 1:,} 条，{elapsed:.0f} 秒（{(n + 1) / elapsed:,.0f} 条/秒）",
                        flush=True,
                    )
    print(f"写入 {count:,} 条用时 {time.perf_counter() - started:.0f} 秒。", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('records_record', 'id'), "
            "(SELECT max(id) FROM records_record))"
        )
    connection.close()
    # VACUUM outside a transaction: a settled table, as autovacuum leaves it.
    psql("VACUUM ANALYZE", DB_NAME)
    print(f"VACUUM ANALYZE 用时 {time.perf_counter() - started:.0f} 秒。", flush=True)


# ---------------------------------------------------------------- the server


BENCH_SETTINGS = """
from zwgk.settings import *  # noqa: F403

ROOT_URLCONF = "zwgk_bench_urls"
"""
BENCH_URLS = """
from django.http import HttpResponse
from django.urls import path

from zwgk.urls import urlpatterns as product


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *product]
"""


def start_server(args, env: dict[str, str], folder: Path) -> subprocess.Popen:
    (folder / "zwgk_bench_settings.py").write_text(BENCH_SETTINGS)
    (folder / "zwgk_bench_urls.py").write_text(BENCH_URLS)
    env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "zwgk_bench_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
    }
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
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_until_answering(server: subprocess.Popen, port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn 已退出（返回码 {server.returncode}）")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn 在 {seconds:.0f} 秒内未应答")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# ---------------------------------------------------------------- the load

LUA = """
local paths = {%(paths)s}
local n = #paths
local counter = 0
function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end
request = function()
  local path = paths[math.random(n)]
  if %(uncached)s then
    -- A parameter no view reads makes every URL new: the page cache never answers.
    counter = counter + 1
    path = path .. (path:find("?", 1, true) and "&" or "?") .. "nocache=" .. counter .. "-"
      .. math.random(1000000000)
  end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%f, "p50": %%f, "p90": %%f, "p99": %%f, "max": %%f, '
    .. '"non2xx": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    non2xx, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


def run_wrk(args, paths: list[str], folder: Path, name: str, seconds: float) -> dict:
    script = folder / f"{name}.lua"
    uncached = "true" if name.endswith(UNCACHED) else "false"
    script.write_text(
        LUA % {"paths": ", ".join(json.dumps(p) for p in paths), "uncached": uncached}
    )
    command = [
        "wrk",
        "-t",
        str(args.threads),
        "-c",
        str(args.connections),
        "-d",
        f"{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://127.0.0.1:{args.port}",
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["rate"] = result["requests"] / result["seconds"]
    return result


def drain(port: int, seconds: float = 60) -> None:
    """Wait until both workers are idle again (slow requests of the previous set end)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=60):
            pass
        if time.perf_counter() - started < 0.02:
            return
        time.sleep(0.5)


def url_sets(agencies: list, ids: list[int], total: int) -> dict[str, list[str]]:
    """The URL sets; a name ending in ``-uncached`` is never answered from the page cache."""
    agency_ids = [a.pk for a in agencies]
    deep = max(1, min(50, total // len(agencies) // 40))  # page 50, or half-way when smaller
    lists = [f"/zfxxgk/statutory/?agency={a}" for a in agency_ids]
    return {
        "bare": ["/bench/bare/"],
        "record": [f"/zfxxgk/records/{i}/" for i in ids[:HOT_RECORDS]],
        "record" + UNCACHED: [f"/zfxxgk/records/{i}/" for i in ids],
        "list": lists,
        "list" + UNCACHED: lists,
        "list-deep": [f"/zfxxgk/statutory/?agency={a}&page={deep}" for a in agency_ids],
        "list-all": ["/zfxxgk/statutory/"],
    }


def warm(port: int, paths: list[str]) -> None:
    """Ask for every page once, so that the timed run measures the cache."""
    for path in paths:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60):
            pass


def count_queries(sets: dict[str, list[str]], rng: random.Random) -> dict[str, tuple[int, float]]:
    """SQL statements and server-side time of one rendered request of each set (test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out = {}
    for name, paths in sets.items():
        if name == "bare" or name.endswith(UNCACHED):  # not in the URLconf / the same pages
            continue
        path = rng.choice(paths)
        client.get(path)  # warm
        # A parameter no view reads: the page is rendered, not taken from the cache.
        path += ("&" if "?" in path else "?") + "nocache=count"
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path} 应答 {response.status_code}")
        out[name] = (len(queries), elapsed, [q["sql"] for q in queries.captured_queries])
    return out


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="公开记录数")
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="wrk 线程数")
    parser.add_argument("--connections", type=int, default=4, help="wrk 连接数")
    parser.add_argument("--seconds", type=float, default=15.0, help="每组 URL 的计时秒数")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--only", default="", help="只测这些组，逗号分隔")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--reuse-database", action="store_true")
    parser.add_argument("--show-sql", action="store_true")
    args = parser.parse_args()
    if args.seconds > 60 or args.connections > 64 or not 0 < args.agencies <= len(DEPARTMENTS) + 1:
        sys.exit("负载有上限：--seconds 不超过 60，--connections 不超过 64；--agencies 1–50。")

    reuse = args.reuse_database and database_exists(DB_NAME)
    if not reuse:
        if database_exists(DB_NAME):
            subprocess.run(["dropdb", *PG, DB_NAME], check=True)
        subprocess.run(["createdb", *PG, DB_NAME], check=True)
    env = server_environment(f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}")
    server = None
    folder = Path(tempfile.mkdtemp(prefix="zwgk_bench_portal_"))
    try:
        setup_django(env)
        from zwgk.organizations.models import Agency
        from zwgk.records import public

        if not reuse:
            started = time.perf_counter()
            agencies, topics, items = make_fixtures(args.agencies)
            print(
                f"机关 {len(agencies)} 个，主题分类 {len(topics)} 个，"
                f"目录事项 {sum(map(len, items.values()))} 个。",
                flush=True,
            )
            fill_records(args.count, agencies, topics, items, args.seed)
            print(f"准备数据共 {time.perf_counter() - started:.0f} 秒。", flush=True)
        agencies = list(Agency.objects.filter(name__startswith=AGENCY_PREFIX))
        total = public.public_records().count()
        print(f"公开记录 {total:,} 条，机关 {len(agencies)} 个。", flush=True)

        rng = random.Random(args.seed + 1)
        low, high = [
            int(x) for x in psql("SELECT min(id), max(id) FROM records_record", DB_NAME).split("|")
        ]
        ids = [rng.randint(low, high) for _ in range(20_000)]
        sets = url_sets(agencies, ids, total)
        if args.only:
            sets = {k: v for k, v in sets.items() if k in args.only.split(",")}
        print("\n每页查询（Django 测试客户端，同一数据库，一次请求）：")
        for name, (n, ms, sqls) in count_queries(sets, rng).items():
            print(f"  {name:10s} {n:3d} 条 SQL，{ms:7.1f} 毫秒")
            if args.show_sql:
                for sql in sqls:
                    print("      ", sql[:300])

        from django.core.cache import cache

        cache.clear()
        server = start_server(args, env, folder)
        wait_until_answering(server, args.port)
        print(
            f"\ngunicorn：{args.workers} 个进程，127.0.0.1:{args.port}；"
            f"wrk {args.threads} 线程 {args.connections} 连接，每组 {args.seconds:g} 秒。"
        )
        results = {}
        for name, paths in sets.items():
            drain(args.port)
            if name != "bare" and not name.endswith(UNCACHED):
                warm(args.port, paths)
            run_wrk(args, paths, folder, name, args.warmup)
            results[name] = run_wrk(args, paths, folder, name, args.seconds)
            r = results[name]
            print(
                f"  {name:10s} {r['rate']:7.1f} 请求/秒  p50 {r['p50']:6.1f} 毫秒  "
                f"p99 {r['p99']:6.1f} 毫秒  最大 {r['max']:6.1f}  非2xx {r['non2xx']}  "
                f"套接字错误 {r['socket_errors']}",
                flush=True,
            )
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(folder, ignore_errors=True)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110
            pass
        if not args.keep_database:
            subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=False)
            print(f"已删除数据库 {DB_NAME}。")

    bare = results.get("bare")
    missed = []
    print("\n结果：")
    for name, r in results.items():
        ratio = f"，为 bare 的 {r['rate'] / bare['rate']:.0%}" if bare and name != "bare" else ""
        ok = r["rate"] >= TARGET_RATE and r["p99"] < TARGET_P99_MS and not r["non2xx"]
        if name != "bare" and not ok:
            missed.append(name)
        print(
            f"  {name:10s} {r['rate']:7.1f}/s p50 {r['p50']:.1f} ms p99 {r['p99']:.1f} ms{ratio}"
            f"{'' if name == 'bare' else ('  达到' if ok else '  未达到')}"
        )
    if missed:
        target = f"≥{TARGET_RATE:.0f} 请求/秒且 p99 < {TARGET_P99_MS:.0f} 毫秒"
        sys.exit(f"未达到目标（{target}）：{', '.join(missed)}")


if __name__ == "__main__":
    main()
