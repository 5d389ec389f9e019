"""The daily deadline job of 依申请公开: reminders, overdue notices and stuck clocks.

条例第三十三条 gives the office 20 working days (plus one approved extension)
to reply.  The job keeps handlers on time:

- a clock whose due date could not be computed because a year's 节假日安排 was
  missing is recomputed once the schedule is imported;
- a consultation whose 15 working days ran out without an answer is closed
  as silence (条例第三十二条: the office decides; 第三十四条: consent), on the
  first day after its due date;
- an application due within three working days gets one reminder, and an
  overdue one gets one overdue notice.

Every notice is keyed on a persisted marker (``due_soon_notified_at``,
``overdue_notified_at``) set in the same transaction as the timeline entry
and the audit event, and the mail goes out on commit.  A repeated run sends
nothing twice, a crashed run loses nothing, and a missed day is caught up by
the next run: the job selects by marker, never by a time window.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import DateField, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from zwgk.accounts.models import User
from zwgk.audit.services import SystemEntry, record_system_events
from zwgk.disclosure_requests.actions import do_end_consultation, recompute_due_date
from zwgk.disclosure_requests.choices import Status
from zwgk.disclosure_requests.models import (
    Consultation,
    DisclosureRequest,
    RequestEvent,
)
from zwgk.organizations.models import Agency
from zwgk.utils.copy import copy_rows
from zwgk.workdays.arithmetic import ScheduleUnknown, WorkCalendar
from zwgk.workdays.services import get_calendar

# Working days before the due date at which the handler is reminded.
DUE_SOON_WORKING_DAYS = 3
# Rows locked and processed per transaction: bounded memory, bounded loss on a crash.
# A batch of notices costs a few MB and well under a second; larger batches
# mean fewer round trips (measured in docs/benchmarks.md, check-deadlines).
BATCH_SIZE = 5_000
# Primary keys read per query when collecting a batch of notices: each query
# is a range scan of the primary key index, whatever the share of matches.
SCAN_WINDOW = 50_000
# Without the schedule, N working days are at most N + 10 calendar days away
# (国庆 with 中秋 is 8 days off, plus the weekends around it): reminding early
# is harmless, reminding late is not.
UNKNOWN_SCHEDULE_SLACK = 10

Progress = Callable[[str], None]

logger = logging.getLogger(__name__)


@dataclass
class CheckResult:
    """What one run of :func:`check_deadlines` did (all counts)."""

    consultations_closed: int = 0
    due_dates_recomputed: int = 0
    due_dates_still_unknown: int = 0
    due_soon_notices: int = 0
    overdue_notices: int = 0
    notices_without_recipient: int = 0

    @property
    def did_nothing(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def summary(self) -> str:
        return (
            f"征求意见逾期视为未提出意见{self.consultations_closed}件；"
            f"重新计算答复期限{self.due_dates_recomputed}件"
            f"（仍无法计算{self.due_dates_still_unknown}件）；"
            f"发送即将到期提醒{self.due_soon_notices}件，"
            f"逾期通知{self.overdue_notices}件"
            f"（其中无收件邮箱{self.notices_without_recipient}件）。"
        )


# ---------------------------------------------------------------- selections


def with_effective_due(queryset: QuerySet) -> QuerySet:
    """Annotate ``effective_due``: the 条例第三十五条 later deadline if set, else ``due_date``."""
    return queryset.annotate(
        effective_due=Coalesce("deferred_due_date", "due_date", output_field=DateField())
    )


def running(queryset: QuerySet) -> QuerySet:
    """Open applications whose reply clock runs (an effective due date is set)."""
    return with_effective_due(queryset.exclude(status=Status.CLOSED)).filter(
        effective_due__isnull=False
    )


def due_soon_bound(
    today: date, working_days: int = DUE_SOON_WORKING_DAYS, calendar: WorkCalendar | None = None
) -> date:
    """The last due date that counts as due soon: ``working_days`` working days after today."""
    calendar = calendar or get_calendar()
    try:
        return calendar.add_working_days(today, working_days).due_date
    except ScheduleUnknown:
        return today + timedelta(days=working_days + UNKNOWN_SCHEDULE_SLACK)


def due_soon(
    queryset: QuerySet,
    today: date,
    *,
    working_days: int = DUE_SOON_WORKING_DAYS,
    calendar: WorkCalendar | None = None,
) -> QuerySet:
    """Open applications due today or within ``working_days`` working days (not yet overdue).

    The bound is computed once; pass ``DisclosureRequest.objects.restrict(user)``,
    an agency's or a handler's applications as ``queryset``.
    """
    bound = due_soon_bound(today, working_days, calendar)
    return running(queryset).filter(effective_due__gte=today, effective_due__lte=bound)


def overdue(queryset: QuerySet, today: date) -> QuerySet:
    """Open applications whose effective due date is before ``today``."""
    return running(queryset).filter(effective_due__lt=today)


def working_days_overdue(application, today: date, calendar: WorkCalendar) -> int | None:
    """Working days from the effective due date to ``today``; None when the schedule is unknown."""
    due = getattr(application, "effective_due", None) or application.effective_due_date
    if due is None or due >= today:
        return 0
    try:
        return calendar.working_days_between(due, today)
    except ScheduleUnknown:
        return None


# ---------------------------------------------------------------- the daily job


def check_deadlines(
    today: date, *, calendar: WorkCalendar | None = None, progress: Progress | None = None
) -> CheckResult:
    """The idempotent daily job (see the module docstring); safe to run twice or concurrently."""
    calendar = calendar or get_calendar()
    report = progress or (lambda message: None)
    result = CheckResult()
    # Consultations first: closing one restarts the clock, and reminders see the new date.
    _close_silent_consultations(today, result, report)
    _recompute_unknown_due_dates(calendar, result, report)
    overdue_rows = overdue(DisclosureRequest.objects.all(), today).filter(
        overdue_notified_at__isnull=True
    )
    result.overdue_notices = _notify(overdue_rows, "overdue_notice", today, result, report)
    due_soon_rows = due_soon(DisclosureRequest.objects.all(), today, calendar=calendar).filter(
        due_soon_notified_at__isnull=True
    )
    result.due_soon_notices = _notify(due_soon_rows, "due_soon_notice", today, result, report)
    return result


def _close_silent_consultations(today: date, result: CheckResult, report: Progress) -> None:
    expired = Consultation.objects.filter(
        closed_date__isnull=True, due_date__lt=today, request__status=Status.CONSULTING
    ).select_related("request")
    for consultation in expired.iterator(chunk_size=BATCH_SIZE):
        try:
            # The party stayed silent through its last day; silence is recorded
            # on the first day after the due date (条例第三十二条、第三十四条).
            do_end_consultation(
                consultation,
                answer="",
                closed_on=consultation.due_date + timedelta(days=1),
                acting_user=None,
            )
        except ValidationError as exc:
            # Closed meanwhile by a handler (or the other run): nothing to do.
            report(f"征求意见 {consultation.pk} 未处理：{'；'.join(exc.messages)}")
            continue
        result.consultations_closed += 1
    if result.consultations_closed:
        report(f"征求意见逾期未答复，已按未提出意见办结 {result.consultations_closed} 件。")


def _recompute_unknown_due_dates(
    calendar: WorkCalendar, result: CheckResult, report: Progress
) -> None:
    """Retry the clocks that stopped for a missing 节假日安排 (fail closed: still unknown stays)."""
    stuck = DisclosureRequest.objects.exclude(status=Status.CLOSED).filter(
        clock_start__isnull=False, due_date__isnull=True, due_explanation__has_key="error"
    )
    for ids in _batches(stuck):
        with transaction.atomic():
            for application in _locked(DisclosureRequest.objects.filter(pk__in=ids)):
                recompute_due_date(application, calendar)
                if application.due_date is None:
                    result.due_dates_still_unknown += 1
                    continue
                application.save(update_fields=["due_date", "due_explanation", "updated_at"])
                result.due_dates_recomputed += 1
                _log_many(
                    [
                        (
                            application.pk,
                            application.agency_id,
                            str(application),
                            f"节假日安排已导入，答复期限重新计算为{application.due_date:%Y年%m月%d日}。",
                        )
                    ],
                    "recompute_due",
                )
        report(
            f"重新计算答复期限：累计 {result.due_dates_recomputed} 件，"
            f"仍无法计算 {result.due_dates_still_unknown} 件。"
        )


def _notify(
    queryset: QuerySet, kind: str, today: date, result: CheckResult, report: Progress
) -> int:
    """Mark, log and mail each row of ``queryset`` once; returns how many were notified.

    A batch is one transaction: lock the rows (skipping those another run or
    a handler holds), set the marker with one UPDATE, write a timeline entry
    and an audit event per row, and queue the mails for the commit.  The rows
    are read as plain tuples, not model instances: a million applications
    must fit in the job's time.
    """
    marker = "overdue_notified_at" if kind == "overdue_notice" else "due_soon_notified_at"
    label = "逾期通知" if kind == "overdue_notice" else "即将到期提醒"
    texts: dict[date, str] = {}
    sent = 0
    for ids in _window_batches(queryset):
        with transaction.atomic():
            # Re-check the condition under the lock: a handler may have replied
            # meanwhile.  The batch is the range of its ids (a row that started
            # to match since they were read is notified with them).
            locked = _locked(
                queryset.filter(pk__gte=ids[0], pk__lte=ids[-1]),
                values=("pk", "tracking_code", "effective_due", "agency_id", "handler_id"),
            )
            if not locked:
                continue
            now = timezone.now()
            _set_marker([row[0] for row in locked], marker, now)
            agencies = {
                pk: (name, office_email)
                for pk, name, office_email in Agency.objects.filter(
                    pk__in={row[3] for row in locked}
                ).values_list("pk", "name", "office_email")
            }
            handler_emails = dict(
                User.objects.filter(
                    pk__in={row[4] for row in locked if row[4] is not None}
                ).values_list("pk", "email")
            )
            entries, messages = [], []
            for pk, tracking_code, due, agency_id, handler_id in locked:
                text = texts.get(due)
                if text is None:
                    text = texts[due] = _notice_text_for(due, kind)
                entries.append((pk, agency_id, tracking_code, text))
                agency_name, office_email = agencies[agency_id]
                recipient = handler_emails.get(handler_id, "") or office_email
                if recipient:
                    messages.append(
                        _compose_mail(recipient, agency_name, tracking_code, text, kind)
                    )
                else:
                    result.notices_without_recipient += 1
            _log_many(entries, kind, now=now)
            transaction.on_commit(lambda messages=messages: _send(messages))
        sent += len(locked)
        report(f"{label}：本批 {len(locked)} 件，累计 {sent} 件。")
    return sent


def _batches(queryset: QuerySet) -> Iterator[list[int]]:
    """The ids of ``queryset`` in ascending batches (keyset pagination on the primary key).

    Each batch is read fresh, so rows marked by an earlier batch (or by a
    concurrent run) drop out, and memory stays at one batch.
    """
    last = 0
    ids_query = queryset.order_by("pk").values_list("pk", flat=True)
    while True:
        ids = list(ids_query.filter(pk__gt=last)[:BATCH_SIZE])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _window_batches(queryset: QuerySet) -> Iterator[list[int]]:
    """The ids of ``queryset`` in ascending batches of ``BATCH_SIZE``, read window by window.

    Like :func:`_batches`, but each query reads the matches among the next
    ``SCAN_WINDOW`` primary keys (a range scan of the primary key index)
    instead of the next ``BATCH_SIZE`` matches, which PostgreSQL may answer
    with a scan of the whole table each time when matches are rare.  A batch
    is yielded before the next window is read; memory stays at one window.
    """
    ids_query = queryset.order_by("pk").values_list("pk", flat=True)
    everything = DisclosureRequest.objects.order_by("-pk").values_list("pk", flat=True)
    last, pending = 0, []
    top = everything.first() or 0
    while True:
        if last >= top:
            top = everything.first() or 0  # rows added during the run
            if last >= top:
                break
        found = list(ids_query.filter(pk__gt=last, pk__lte=last + SCAN_WINDOW))
        following = None
        if not found:  # skip a gap in the primary keys (one index probe)
            following = everything.reverse().filter(pk__gt=last + SCAN_WINDOW).first()
        last = following - 1 if following is not None else last + SCAN_WINDOW
        pending.extend(found)
        while len(pending) >= BATCH_SIZE:
            yield pending[:BATCH_SIZE]
            pending = pending[BATCH_SIZE:]
    if pending:
        yield pending


def _set_marker(pks: list[int], marker: str, now: datetime) -> None:
    """One UPDATE for the batch (on PostgreSQL with one array parameter, not one per id)."""
    if connection.vendor != "postgresql":
        DisclosureRequest.objects.filter(pk__in=pks).update(**{marker: now})
        return
    quote = connection.ops.quote_name
    opts = DisclosureRequest._meta
    # Identifiers from the model's metadata, values as parameters.
    sql = (
        f"UPDATE {quote(opts.db_table)} SET {quote(opts.get_field(marker).column)} = %s "  # noqa: S608
        f"WHERE {quote(opts.pk.column)} = ANY(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, pks])


def _locked(queryset: QuerySet, values: tuple[str, ...] | None = None) -> list:
    """Lock the rows for this transaction, skipping rows another run or handler holds.

    With ``values``, the rows come back as tuples of those fields (no joins,
    so no ``OF`` clause is needed); otherwise as model instances.
    """
    skip = connection.features.has_select_for_update_skip_locked
    if values is not None:
        return list(
            queryset.select_for_update(skip_locked=skip).order_by("pk").values_list(*values)
        )
    return list(
        queryset.select_for_update(skip_locked=skip, of=("self",)).order_by("pk")
        if connection.features.has_select_for_update_of
        else queryset.select_for_update(skip_locked=skip).order_by("pk")
    )


def _log_many(entries: Iterable[SystemEntry], kind: str, *, now: datetime | None = None) -> None:
    """:func:`actions._log` for a batch: a non-public timeline entry and an audit event each.

    ``entries``: (application id, its agency's id, str(application), text).
    The rows are the ones ``_log`` writes for the daily job — no actor (系统),
    no applicant data — without loading the applications; the timeline entries
    are stamped ``now``, the time of the batch's markers.  On PostgreSQL they
    are streamed with COPY, elsewhere inserted with ``bulk_create``.  Only
    inside the batch's transaction: the markers, the entries and the events
    commit together.
    """
    now = now or timezone.now()
    entries = list(entries)
    record_system_events(f"disclosure_requests.{kind}", DisclosureRequest, entries)
    if connection.vendor == "postgresql":
        copy_rows(
            RequestEvent,
            ("request", "created_at", "kind", "actor", "public", "text", "data"),
            ((pk, now, kind, None, False, text, "{}") for pk, _a, _r, text in entries),
        )
        return
    RequestEvent.objects.bulk_create(
        [
            RequestEvent(request_id=pk, kind=kind, actor=None, public=False, text=text)
            for pk, _a, _r, text in entries
        ],
        batch_size=1_000,
    )


def _notice_text(application: DisclosureRequest, kind: str, today: date) -> str:
    return _notice_text_for(application.effective_due_date, kind)


def _notice_text_for(due: date, kind: str) -> str:
    if kind == "overdue_notice":
        return f"已超过答复期限（{due:%Y年%m月%d日}），请尽快答复（条例第三十三条）。"
    return f"答复期限{due:%Y年%m月%d日}将至，请按期答复（条例第三十三条）。"


def _notice_mail(application: DisclosureRequest, kind: str, today: date) -> EmailMessage | None:
    """The mail to the handler, or to the agency's office without one; no applicant data."""
    handler = application.handler
    recipient = (handler.email if handler is not None else "") or application.agency.office_email
    if not recipient:
        return None
    return _compose_mail(
        recipient,
        str(application.agency),
        application.tracking_code,
        _notice_text(application, kind, today),
        kind,
    )


def _compose_mail(
    recipient: str, agency_name: str, tracking_code: str, text: str, kind: str
) -> EmailMessage:
    what = "已逾期" if kind == "overdue_notice" else "即将到期"
    subject = f"【政府信息公开】申请 {tracking_code} 答复期限{what}"
    body = (
        f"{agency_name}：\n\n"
        f"政府信息公开申请（查询码 {tracking_code}）{text}\n\n"
        "本邮件由政务公开平台自动发送，请登录平台办理。"
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])


def _send(messages: list[EmailMessage]) -> None:
    # One connection per batch.  The markers are committed by now: a failing
    # mail server is logged, not retried, and the timeline still shows the
    # notice (the handler sees it on the list of overdue applications).
    if not messages:
        return
    try:
        get_connection().send_messages(messages)
    except OSError:
        logger.exception("期限提醒邮件发送失败（%d 封）", len(messages))
