"""Speed of annual-report table 三 (zwgk.disclosure_requests.statistics.table_three).

Fills a database of its own with ``--count`` applications that all count in
table 三 of one agency for 2025 (most received in 2025, some carried over from
late 2024; most closed within weeks, some over the year end, a few still
open), optionally ``--history-years`` earlier years of as many applications
for the same agency (all closed before 2025) and ``--others`` more spread over
20 sibling departments, runs ANALYZE, then times ``table_three(agency, 2025)``
and the table of the whole subtree (the government above them): one warm-up
call, then ``--repeat`` timed calls, reporting the best and the median.  The
target is a median of at most 1 s for the single agency.

The script sets Django up itself (``zwgk.settings`` with ``ZWGK_DATABASE_URL``
and ``ZWGK_DEBUG=1``) and migrates the database.  It only ever deletes the
applications of its own benchmark agencies, so it can be run again.

Run, from the repository root::

    createdb -h 127.0.0.1 -U postgres zwgk_bench_stats
    .venv/bin/python benchmarks/table_three.py            # 100,000 applications, one agency
    .venv/bin/python benchmarks/table_three.py --history-years 5 --others 400000
    dropdb -h 127.0.0.1 -U postgres zwgk_bench_stats
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/zwgk_bench_stats"
YEAR = 2025
TARGET_SECONDS = 1.0
BATCH = 5_000
OTHER_DEPARTMENTS = 20


def setup_django(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zwgk.settings"
    os.environ["ZWGK_DATABASE_URL"] = database_url
    os.environ["ZWGK_DEBUG"] = "1"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def benchmark_agencies(others: int):
    """The government at the top, the measured department and its siblings."""
    from zwgk.organizations.choices import AgencyKind, AgencyLevel
    from zwgk.organizations.models import Agency

    root, _ = Agency.objects.get_or_create(
        name="表三基准示范省人民政府",
        defaults={"kind": AgencyKind.GOVERNMENT, "level": AgencyLevel.PROVINCE},
    )

    def department(name: str) -> Agency:
        agency, _ = Agency.objects.get_or_create(
            name=name,
            defaults={"kind": AgencyKind.DEPARTMENT, "level": AgencyLevel.PROVINCE, "parent": root},
        )
        return agency

    measured = department("表三基准示范省教育厅")
    siblings = [department(f"表三基准示范省其他厅局{i:02d}") for i in range(OTHER_DEPARTMENTS)]
    return root, measured, siblings


def one_application(rng: random.Random, agency, number: int, years_back: int = 0):
    """An application counted in table 三 of YEAR: received in YEAR or carried over into it.

    With ``years_back`` ≥ 1, one of the agency's history instead: received in
    YEAR − 1 − ``years_back`` and closed within 300 days, so never counted in YEAR.
    """
    from zwgk.disclosure_requests.choices import (
        ApplicantType,
        Channel,
        Delivery,
        IdentityDocument,
        Outcome,
        ProvisionForm,
        Status,
    )
    from zwgk.disclosure_requests.models import DisclosureRequest

    took = timedelta(days=min(300, int(rng.expovariate(1 / 25))))
    closed = None
    if years_back:
        receipt = date(YEAR - 1 - years_back, 1, 1) + timedelta(days=rng.randrange(365))
        closed = receipt + took
    elif rng.random() < 0.12:  # 上年结转: received in the last quarter of YEAR − 1
        receipt = date(YEAR - 1, 10, 1) + timedelta(days=rng.randrange(92))
        if rng.random() >= 0.05:
            closed = max(date(YEAR, 1, 1), receipt + took)
    else:
        receipt = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
        if rng.random() >= 0.05:
            closed = receipt + took
    applicant = ApplicantType.NATURAL_PERSON
    if rng.random() < 0.2:
        applicant = rng.choice(ApplicantType.values[1:])
    return DisclosureRequest(
        tracking_code=f"B{agency.pk:03d}{number:012d}",
        query_password="!",  # noqa: S106 -- an unusable hash, not a password
        agency=agency,
        channel=Channel.ONLINE,
        status=Status.CLOSED if closed else Status.IN_PROGRESS,
        outcome=rng.choice(Outcome.values) if closed else "",
        applicant_type=applicant,
        applicant_name="基准测试申请人",
        id_type=IdentityDocument.RESIDENT_ID,
        id_number="110101199001010000",
        phone="13800000000",
        description="基准测试所需政府信息",
        provision_form=ProvisionForm.ELECTRONIC,
        delivery=Delivery.EMAIL,
        submitted_at=datetime.combine(receipt, datetime.min.time(), tzinfo=UTC),
        receipt_date=receipt,
        closed_on=closed,
    )


def generate(measured, siblings, count: int, others: int, history: int, seed: int) -> None:
    from django.db import connection, reset_queries, transaction

    from zwgk.disclosure_requests.models import DisclosureRequest

    table = DisclosureRequest._meta.db_table
    ids = [measured.pk, *(a.pk for a in siblings)]
    with connection.cursor() as cursor:
        # Only the benchmark's own agencies; nothing refers to these rows.
        cursor.execute(f"DELETE FROM {table} WHERE agency_id = ANY(%s)", [ids])  # noqa: S608
    rng = random.Random(seed)
    # (agency, how many, years back, first tracking number)
    plan = [(measured, count, 0, 0)]
    plan += [(measured, count, k, k * count) for k in range(1, history + 1)]
    plan += [(a, others // len(siblings), 0, 0) for a in siblings if others]
    total, done, started = sum(p[1] for p in plan), 0, time.perf_counter()
    for agency, n, years_back, offset in plan:
        for first in range(offset, offset + n, BATCH):
            batch = [
                one_application(rng, agency, i, years_back)
                for i in range(first, min(offset + n, first + BATCH))
            ]
            with transaction.atomic():
                DisclosureRequest.objects.bulk_create(batch, batch_size=BATCH)
            reset_queries()  # DEBUG keeps every statement otherwise
            done += len(batch)
            rate = done / (time.perf_counter() - started)
            print(f"\r  inserted {done:,} / {total:,} ({rate:,.0f}/s)", end="", file=sys.stderr)
    print(file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def timed(label: str, call, repeat: int) -> float:
    call()  # warm-up
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        runs.append(time.perf_counter() - started)
    median = statistics.median(runs)
    print(f"{label}: best {min(runs) * 1000:.1f} ms, median {median * 1000:.1f} ms ({repeat} runs)")
    return median


def explain(call) -> None:
    from django.db import connection, reset_queries

    reset_queries()
    call()
    (query,) = connection.queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
        print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--count", type=int, default=100_000, help="applications of the agency")
    parser.add_argument(
        "--others",
        type=int,
        default=0,
        help=f"more applications, spread over {OTHER_DEPARTMENTS} sibling departments",
    )
    parser.add_argument(
        "--history-years",
        type=int,
        default=0,
        help="as many applications again per earlier year for the agency, all closed before",
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--explain", action="store_true", help="print the query plan")
    args = parser.parse_args()

    setup_django(args.database_url)
    from django.db import connection

    from zwgk.disclosure_requests.models import DisclosureRequest
    from zwgk.disclosure_requests.statistics import SummaryRow, table_three
    from zwgk.organizations.models import Agency

    root, measured, siblings = benchmark_agencies(args.others)
    history = args.count * args.history_years
    print(
        f"Generating {args.count:,} applications (+{history:,} of earlier years, "
        f"+{args.others:,} in other agencies) …"
    )
    generate(measured, siblings, args.count, args.others, args.history_years, args.seed)
    rows = DisclosureRequest.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            print(f"PostgreSQL {cursor.fetchone()[0]}")
    print(f"applications in the table: {rows:,}")

    table = table_three(measured, YEAR)
    counted = table.cell(SummaryRow.NEW) + table.cell(SummaryRow.CARRIED_OVER)
    assert counted == args.count, (counted, args.count)
    assert table.check() == [], table.check()
    print(
        f"table 三 {YEAR}: 新收 {table.cell(SummaryRow.NEW):,}, "
        f"上年结转 {table.cell(SummaryRow.CARRIED_OVER):,}, "
        f"办理结果 {table.cell(SummaryRow.RESULTS_TOTAL):,}, "
        f"结转下年度 {table.cell(SummaryRow.CARRIED_FORWARD):,}; check() clean"
    )

    median = timed("table_three(agency)", lambda: table_three(measured, YEAR), args.repeat)
    subtree = Agency.objects.subtree(root)
    timed("table_three(subtree)", lambda: table_three(subtree, YEAR), args.repeat)
    if args.explain:
        explain(lambda: table_three(measured, YEAR))
    ok = median <= TARGET_SECONDS
    print(f"target median ≤ {TARGET_SECONDS:.0f} s for one agency: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
