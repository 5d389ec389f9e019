"""Speed of the daily deadline job (zwgk.disclosure_requests.deadlines.check_deadlines).

Fills a database of its own with ``--count`` open applications of one agency
whose due dates are spread evenly from 5 days before to 45 days after the
checked day (2026-10-14): about a tenth are overdue and a tenth due within
three working days, so the first run sends some 200,000 notices per million
(timeline entry, audit event and mail each; mail goes to Django's dummy
backend).  It then runs ``check_deadlines`` twice and times both runs: the
second must find nothing to do.  The target is at most 60 s for the first
run with 1,000,000 open applications on PostgreSQL.  Afterwards it checks
that nothing was lost: one timeline entry and one audit event per notice,
and every notified application marked.

The script sets Django up itself (``zwgk.settings`` with ``ZWGK_DATABASE_URL``
and ``ZWGK_DEBUG=1``) and migrates the database.  It deletes only the
applications of its own benchmark agency, their timeline and their audit
events (the audit log is append-only for the application; the database
owner may delete, and this is the benchmark's own database), so it can be
run again.

Run, from the repository root::

    createdb -h 127.0.0.1 -U postgres zwgk_bench_deadlines
    .venv/bin/python benchmarks/check_deadlines.py --count 1000000
    dropdb -h 127.0.0.1 -U postgres zwgk_bench_deadlines
"""

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/zwgk_bench_deadlines"
TODAY = date(2026, 10, 14)
TARGET_SECONDS = 60.0
BATCH = 10_000
SPREAD_DAYS = 50  # due dates from TODAY - 5 to TODAY + 44


def setup_django(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zwgk.settings"
    os.environ["ZWGK_DATABASE_URL"] = database_url
    os.environ["ZWGK_DEBUG"] = "1"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    call_command("migrate", verbosity=0)


def benchmark_agency():
    from zwgk.organizations.choices import AgencyKind, AgencyLevel
    from zwgk.organizations.models import Agency

    agency, _ = Agency.objects.get_or_create(
        name="期限基准示范市教育局",
        defaults={
            "kind": AgencyKind.DEPARTMENT,
            "level": AgencyLevel.CITY,
            "office_email": "gongkai@example.gov.cn",
        },
    )
    return agency


def fill(agency, count: int) -> None:
    from django.db import connection

    from zwgk.audit.models import AuditEvent
    from zwgk.disclosure_requests.choices import (
        ApplicantType,
        Channel,
        Delivery,
        IdentityDocument,
        ProvisionForm,
        Status,
    )
    from zwgk.disclosure_requests.models import DisclosureRequest, RequestEvent

    RequestEvent.objects.filter(request__agency=agency)._raw_delete(RequestEvent.objects.db)
    AuditEvent.objects.filter(agency=agency)._raw_delete(AuditEvent.objects.db)
    DisclosureRequest.objects.filter(agency=agency)._raw_delete(DisclosureRequest.objects.db)
    submitted = datetime(2026, 9, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, count)):
            due = TODAY + timedelta(days=n % SPREAD_DAYS - 5)
            rows.append(
                DisclosureRequest(
                    tracking_code=f"QX{n:012d}",
                    query_password="!",  # noqa: S106 (an unusable hash)
                    agency=agency,
                    channel=Channel.IN_PERSON,
                    status=Status.IN_PROGRESS,
                    applicant_type=ApplicantType.NATURAL_PERSON,
                    applicant_name="张三",
                    id_type=IdentityDocument.RESIDENT_ID,
                    id_number="110101199003071234",
                    phone="13800000000",
                    description="2025年度部门预算执行情况",
                    provision_form=ProvisionForm.ELECTRONIC,
                    delivery=Delivery.EMAIL,
                    submitted_at=submitted,
                    receipt_date=due - timedelta(days=28),
                    clock_start=due - timedelta(days=28),
                    due_date=due,
                )
            )
        DisclosureRequest.objects.bulk_create(rows)
        done = min(first + BATCH, count)
        if done % 100_000 == 0 or done == count:
            print(f"  已生成 {done:,} 件（{time.perf_counter() - started:.0f} 秒）", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE disclosure_requests_disclosurerequest")


def timed_run(label: str, verbose: bool):
    from zwgk.disclosure_requests.deadlines import check_deadlines

    batches = 0

    def progress(message: str) -> None:
        nonlocal batches
        batches += 1
        if verbose:
            print("   ", message)

    started = time.perf_counter()
    result = check_deadlines(TODAY, progress=progress)
    seconds = time.perf_counter() - started
    print(f"{label}：{seconds:.1f} 秒，{batches} 批。{result.summary()}", flush=True)
    return seconds, result


def check_nothing_lost(agency, result) -> list[str]:
    """Every notice has its timeline entry, its audit event and its marker."""
    from zwgk.audit.models import AuditEvent
    from zwgk.disclosure_requests.models import DisclosureRequest, RequestEvent

    problems = []
    for kind, sent, marker in (
        ("due_soon_notice", result.due_soon_notices, "due_soon_notified_at"),
        ("overdue_notice", result.overdue_notices, "overdue_notified_at"),
    ):
        events = RequestEvent.objects.filter(request__agency=agency, kind=kind).count()
        audits = AuditEvent.objects.filter(
            agency=agency, action=f"disclosure_requests.{kind}"
        ).count()
        marked = DisclosureRequest.objects.filter(
            agency=agency, **{f"{marker}__isnull": False}
        ).count()
        print(
            f"  {kind}：通知 {sent:,}，办理记录 {events:,}，审计事件 {audits:,}，已标记 {marked:,}"
        )
        if not sent == events == audits == marked:
            problems.append(kind)
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--verbose", action="store_true", help="每批输出进度")
    args = parser.parse_args()
    setup_django(args.database_url)
    agency = benchmark_agency()
    print(f"生成 {args.count:,} 件办理中的申请……", flush=True)
    fill(agency, args.count)
    first, done = timed_run("第一次运行", args.verbose)
    _, again = timed_run("第二次运行", args.verbose)
    lost = check_nothing_lost(agency, done)
    reached = first <= TARGET_SECONDS * args.count / 1_000_000
    print(f"目标（每百万件 {TARGET_SECONDS:.0f} 秒）：{'达到' if reached else '未达到'}。")
    if not again.did_nothing:
        sys.exit("第二次运行不应再发送任何通知。")
    if lost:
        sys.exit(f"通知与办理记录、审计事件或标记不一致：{'、'.join(lost)}")
    if not reached:
        sys.exit(1)


if __name__ == "__main__":
    main()
