"""The 依申请公开台账 (ledger): one row per application, for the office and for inspection.

条例第四十五条 asks for records of 登记、审核、办理、答复、归档; the ledger lists
for each application the receipt date, the request, a summary of the handling,
the result and the completion date with the working days used.

Personal data (个人信息保护法): the applicant's name and identity number are
masked (``张**``, ``110101********1234``) unless the reader may see them:

- a superuser (the platform's 系统管理员) sees every row unmasked;
- a 工作机构负责人 (``Role.OFFICE_HEAD``) sees unmasked the rows of the agencies
  where he holds that role — and only those (not their subtrees);
- everybody else, including 主管部门 and the 办理人, gets masked rows;
- the command line masks unless ``--reveal`` is given.

An unmasked export is recorded in the audit log.
"""

from collections.abc import Collection, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from zwgk.accounts.choices import Role
from zwgk.accounts.permissions import restrict
from zwgk.audit.services import record_event
from zwgk.disclosure_requests.choices import ApplicantType, Channel, Outcome
from zwgk.disclosure_requests.models import Consultation, ConsultationKind, RequestEvent
from zwgk.utils.masking import mask_id_number, mask_name
from zwgk.utils.tabular import tabular_response

HEADERS = (
    "查询码",
    "收到申请日期",
    "申请渠道",
    "申请人类型",
    "申请人",
    "证件号码",
    "申请内容",
    "办理情况",
    "办理结果",
    "办结日期",
    "用时（工作日）",
    "暂停计时",
)
# The last timeline entries summarised in 办理情况.
SUMMARY_EVENTS = 3
CHUNK_SIZE = 2_000


def ledger_queryset(queryset: QuerySet, *, agency=None, year: int | None = None) -> QuerySet:
    """Narrow to one agency and one receipt year, with what :func:`ledger_rows` reads."""
    if agency is not None:
        queryset = queryset.filter(agency=agency)
    if year is not None:
        queryset = queryset.filter(receipt_date__year=year)
    return queryset


def revealing_agencies(user) -> bool | frozenset[int]:
    """``True`` for a superuser, else the ids of the agencies where ``user`` is 负责人."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return True
    return frozenset(
        user.memberships.filter(role=Role.OFFICE_HEAD).values_list("agency_id", flat=True)
    )


def ledger_rows(
    queryset: QuerySet, *, reveal_personal_data: bool | Collection[int]
) -> Iterator[list[Any]]:
    """The ledger rows of ``queryset`` in receipt order, three queries per 2,000 rows.

    ``reveal_personal_data`` is ``True``/``False`` for all rows, or the ids
    of the agencies whose rows are shown unmasked.
    """
    rows = (
        queryset.select_related("fee_notice")
        .prefetch_related(
            Prefetch("events", queryset=RequestEvent.objects.order_by("created_at", "pk")),
            Prefetch("consultations", queryset=Consultation.objects.order_by("sent_date", "pk")),
        )
        .order_by("receipt_date", "pk")
    )
    for application in rows.iterator(chunk_size=CHUNK_SIZE):
        if isinstance(reveal_personal_data, bool):
            reveal = reveal_personal_data
        else:
            reveal = application.agency_id in reveal_personal_data
        yield [
            application.tracking_code,
            application.receipt_date,
            _label(Channel, application.channel),
            _label(ApplicantType, application.applicant_type),
            application.applicant_name if reveal else mask_name(application.applicant_name),
            application.id_number if reveal else mask_id_number(application.id_number),
            application.description,
            _handling(application),
            _label(Outcome, application.outcome),
            application.closed_on,
            application.working_days_used,
            _pauses(application),
        ]


def ledger_response(queryset: QuerySet, fmt: str, *, user, filename: str = "依申请公开台账"):
    """Download the ledger of what ``user`` may see, as ``xlsx`` or ``csv``."""
    queryset = restrict(queryset, user)
    reveal = revealing_agencies(user)
    if reveal:
        with transaction.atomic():
            record_event(
                "disclosure_requests.ledger_export",
                actor=user,
                summary="导出依申请公开台账（含申请人个人信息）",
            )
    return tabular_response(
        f"{filename}.{fmt}", HEADERS, ledger_rows(queryset, reveal_personal_data=reveal)
    )


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _handling(application) -> str:
    events = list(application.events.all())  # prefetched
    return "；".join(
        f"{event.created_at:%Y-%m-%d} {event.text}" for event in events[-SUMMARY_EVENTS:]
    )


def _pauses(application) -> str:
    parts = []
    for consultation in application.consultations.all():
        kind = (
            "征求第三方意见"
            if consultation.kind == ConsultationKind.THIRD_PARTY
            else "征求机关意见"
        )
        parts.append(f"{kind} {consultation.sent_date}至{consultation.closed_date or '今'}")
    fee = getattr(application, "fee_notice", None)
    if fee is not None:
        parts.append(f"缴费 {fee.notice_date}至{fee.paid_date or '今'}")
    return "；".join(parts)
