"""Every state change of a 政府信息公开申请.

Each action locks the application row, checks the acting user's role in the
application's agency and the transition (:mod:`workflow`), changes the
application, appends to its timeline and writes the audit event — all in one
transaction.  ``acting_user=None`` is the applicant (through the public form
and the query page, which check the tracking code and password) or the daily
job.
"""

import secrets
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zwgk.accounts.choices import Role
from zwgk.accounts.permissions import has_role, require_role
from zwgk.audit.services import record_event
from zwgk.disclosure_requests import clocks
from zwgk.disclosure_requests.choices import Channel, Outcome, Status
from zwgk.disclosure_requests.fees import FeeMethod, fee_amount
from zwgk.disclosure_requests.letters import LetterError, render_letter, store_letter
from zwgk.disclosure_requests.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationKind,
    DisclosureRequest,
    Extension,
    FeeNotice,
    Letter,
    LetterKind,
    RequestEvent,
    SupplementRequest,
)
from zwgk.disclosure_requests.workflow import check_transition
from zwgk.organizations.reconsideration import ReconsiderationError
from zwgk.workdays.arithmetic import Pause, ScheduleUnknown, WorkCalendar
from zwgk.workdays.services import get_calendar

# Unambiguous characters for codes an applicant types from a letter or phone.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
HANDLING_ROLES = (Role.HANDLER, Role.OFFICE_HEAD)
# Outcomes with their own actions (they are not decided by a reply).
PROCEDURAL_OUTCOMES = frozenset({Outcome.NO_SUPPLEMENT, Outcome.UNPAID, Outcome.WITHDRAWN})
DISCLOSING_OUTCOMES = frozenset({Outcome.ALREADY_PUBLIC, Outcome.PROVIDED, Outcome.PARTLY})
# The fields an application is created with (the rest belong to the workflow).
APPLICATION_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "description",
    "purpose",
    "provision_form",
    "delivery",
)


def new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- intake


def do_submit_online(
    agency, fields: dict[str, Any], *, channel: str = Channel.ONLINE
) -> tuple[DisclosureRequest, str]:
    """An applicant's online submission; it waits for 双方确认 (条例第三十一条第（三）项).

    Returns the application and the query password, which is shown once and
    stored only as a hash.
    """
    password = new_code(8)
    application = _new_application(agency, fields, channel=channel, password=password)
    application.status = Status.AWAITING_CONFIRMATION
    with transaction.atomic():
        application.save()
        _log(
            application,
            "submit",
            "网上提交申请，待政府信息公开工作机构确认收到。",
            actor=None,
            public=True,
        )
    return application, password


def do_register_request(
    agency, fields: dict[str, Any], *, channel: str, received_on: date | None, acting_user
) -> tuple[DisclosureRequest, str]:
    """Staff register an application received 当面, by post, fax or orally (条例第三十一条).

    当面 and 口头 count as received the day handed in, 邮寄 the day signed for;
    平常信函 and 传真 still need the confirmation with the applicant.
    """
    require_role(acting_user, agency, HANDLING_ROLES)
    channel = Channel(channel)
    if channel is Channel.ONLINE:
        raise ValidationError("网上申请由申请人在网站提交，不能由工作人员登记。")
    if not channel.needs_confirmation:
        if received_on is None:
            raise ValidationError(f"{channel.label}申请须填写收到申请日期（条例第三十一条）。")
        _not_future(received_on, "收到申请日期")
    password = new_code(8)
    application = _new_application(agency, fields, channel=channel, password=password)
    with transaction.atomic():
        if channel.needs_confirmation:
            application.status = Status.AWAITING_CONFIRMATION
            application.save()
            text = f"登记{channel.label}申请，待与申请人确认。"
        else:
            application.status = Status.IN_PROGRESS
            _start_clock(application, received_on)
            application.save()
            text = f"登记{channel.label}申请，收到申请日期为{received_on:%Y年%m月%d日}。"
        _log(application, "register", text, actor=acting_user, public=True)
    return application, password


def do_confirm_receipt(
    application: DisclosureRequest, *, confirmed_on: date, acting_user
) -> DisclosureRequest:
    """双方确认: the receipt date is the confirmation date, not the submission time."""
    with transaction.atomic():
        application = _lock(application, "confirm_receipt", acting_user)
        _not_future(confirmed_on, "确认日期")
        if confirmed_on < timezone.localdate(application.submitted_at):
            raise ValidationError("确认日期不能早于申请提交日期。")
        application.status = Status.IN_PROGRESS
        _start_clock(application, confirmed_on)
        application.save()
        _log(
            application,
            "confirm_receipt",
            f"已与申请人确认收到申请，收到申请日期为{confirmed_on:%Y年%m月%d日}"
            f"（条例第三十一条），答复期限{_due_text(application)}。",
            actor=acting_user,
            public=True,
        )
    return application


# ---------------------------------------------------------------- handling


def do_assign(application: DisclosureRequest, handler, *, acting_user) -> DisclosureRequest:
    with transaction.atomic():
        application = _lock(application, "assign", acting_user)
        if not has_role(handler, application.agency, [Role.HANDLER]):
            raise ValidationError(f"{handler}不是{application.agency}的依申请公开办理人。")
        application.handler = handler
        application.save(update_fields=["handler", "updated_at"])
        _log(application, "assign", f"交由{handler}承办。", actor=acting_user)
    return application


def do_add_note(application: DisclosureRequest, text: str, *, acting_user) -> RequestEvent:
    if not text.strip():
        raise ValidationError("备注内容不能为空。")
    with transaction.atomic():
        application = _lock(application, "add_note", acting_user)
        return _log(application, "note", text.strip(), actor=acting_user)


def do_request_supplement(
    application: DisclosureRequest,
    *,
    items: Sequence[str],
    deadline: date,
    notice_on: date,
    acting_user,
) -> SupplementRequest:
    """条例第三十条: one complete 补正 notice, within 7 working days of receipt."""
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise ValidationError("请逐项列明需要补正的事项（条例第三十条：一次性告知）。")
    with transaction.atomic():
        application = _lock(application, "request_supplement", acting_user)
        if application.supplements.exists():
            raise ValidationError("补正只能一次性告知，本申请已发出过补正告知（条例第三十条）。")
        if deadline <= notice_on:
            raise ValidationError("补正期限应晚于告知日期。")
        notice_due = _period_end(clocks.supplement_notice_due, application.receipt_date)
        supplement = SupplementRequest.objects.create(
            request=application, notice_date=notice_on, items=items, deadline=deadline
        )
        application.status = Status.AWAITING_SUPPLEMENT
        # The reply clock restarts when the supplement arrives (条例第三十条).
        application.due_date = None
        application.due_explanation = {}
        application.save()
        _issue_letter(application, LetterKind.SUPPLEMENT, subject=supplement, on=notice_on)
        late = f"（已超过{notice_due:%Y年%m月%d日}的告知期限）" if notice_on > notice_due else ""
        _log(
            application,
            "request_supplement",
            f"告知申请人补正{len(items)}项内容{late}，补正期限至{deadline:%Y年%m月%d日}。",
            actor=acting_user,
            public=True,
            data={"items": items, "notice_due": notice_due.isoformat()},
        )
    return supplement


def do_receive_supplement(
    application: DisclosureRequest, *, received_on: date, acting_user
) -> DisclosureRequest:
    """条例第三十条: the 20-working-day clock restarts on the day the supplement arrives."""
    with transaction.atomic():
        application = _lock(application, "receive_supplement", acting_user)
        _not_future(received_on, "收到补正日期")
        supplement = application.supplements.get()
        if received_on < supplement.notice_date:
            raise ValidationError("收到补正日期不能早于补正告知日期。")
        supplement.received_date = received_on
        supplement.save(update_fields=["received_date"])
        application.status = Status.IN_PROGRESS
        _start_clock(application, received_on)
        application.save()
        _log(
            application,
            "receive_supplement",
            f"收到补正材料（{received_on:%Y年%m月%d日}），答复期限重新计算为"
            f"{_due_text(application)}（条例第三十条）。",
            actor=acting_user,
            public=True,
        )
    return application


def do_close_no_supplement(
    application: DisclosureRequest, *, closed_on: date, acting_user
) -> DisclosureRequest:
    """条例第三十条: no supplement in time without good reason — treated as abandoned."""
    with transaction.atomic():
        application = _lock(application, "close_no_supplement", acting_user)
        supplement = application.supplements.get()
        if closed_on <= supplement.deadline:
            raise ValidationError(f"补正期限{supplement.deadline:%Y年%m月%d日}尚未届满。")
        supplement.expired = True
        supplement.save(update_fields=["expired"])
        _close(application, Outcome.NO_SUPPLEMENT, closed_on)
        _log(
            application,
            "close_no_supplement",
            "申请人逾期未补正，视为放弃申请，不再处理（条例第三十条）。",
            actor=acting_user,
            public=True,
        )
    return application


def do_start_consultation(
    application: DisclosureRequest, *, kind: str, party: str, sent_on: date, acting_user
) -> Consultation:
    """条例第三十二条、第三十四条: consult; the reply clock stops from the day the letter goes out.

    Several parties may be consulted at once; the clock runs again when the last one is closed.
    """
    if not party.strip():
        raise ValidationError("请填写被征求意见的第三方或机关名称。")
    with transaction.atomic():
        application = _lock(application, "start_consultation", acting_user)
        if sent_on < application.clock_start:
            raise ValidationError("征求意见日期不能早于答复期限起算日。")
        consultation = Consultation.objects.create(
            request=application,
            kind=kind,
            party=party.strip(),
            sent_date=sent_on,
            due_date=_period_end(clocks.consultation_due, sent_on),
        )
        application.status = Status.CONSULTING
        _recompute_due(application)
        application.save()
        _issue_letter(application, LetterKind.CONSULTATION, subject=consultation, on=sent_on)
        _log(
            application,
            "start_consultation",
            f"{ConsultationKind(kind).label}：向{consultation.party}发出征求意见书，"
            f"对方应于{consultation.due_date:%Y年%m月%d日}前提出意见；征求意见期间不计入答复期限。",
            actor=acting_user,
            public=True,
        )
    return consultation


def do_end_consultation(
    consultation: Consultation,
    *,
    answer: str,
    closed_on: date,
    reason: str = "",
    acting_user,
) -> Consultation:
    """The consulted party answered, or its 15 working days ran out (silence).

    Silence means different things: a third party's lets the office decide
    (条例第三十二条), another agency's is consent (条例第三十四条).
    """
    with transaction.atomic():
        application = _lock(consultation.request, "end_consultation", acting_user)
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.closed_date is not None:
            raise ValidationError("该征求意见已经办结。")
        answer = _consultation_answer(consultation, answer, closed_on)
        consultation.answer, consultation.closed_date = answer, closed_on
        consultation.reason = reason
        consultation.save(update_fields=["answer", "closed_date", "reason"])
        if not application.consultations.filter(closed_date__isnull=True).exists():
            application.status = Status.IN_PROGRESS
        _recompute_due(application)
        application.save()
        _log(
            application,
            "end_consultation",
            f"{consultation.party}意见：{ConsultationAnswer(answer).label}"
            f"（{closed_on:%Y年%m月%d日}）。答复期限{_due_text(application)}。",
            actor=acting_user,
            public=True,
        )
    return consultation


def do_extend(
    application: DisclosureRequest,
    *,
    days: int,
    reason: str,
    approved_by,
    approved_on: date,
    acting_user,
) -> Extension:
    """条例第三十三条第二款: once, at most 20 working days, approved by the office head."""
    if not 1 <= days <= clocks.MAX_EXTENSION_DAYS:
        raise ValidationError(
            f"延长期限应为1至{clocks.MAX_EXTENSION_DAYS}个工作日（条例第三十三条）。"
        )
    if not reason.strip():
        raise ValidationError("请填写延长答复期限的理由。")
    with transaction.atomic():
        application = _lock(application, "extend", acting_user)
        if not has_role(approved_by, application.agency, [Role.OFFICE_HEAD]):
            raise PermissionDenied(
                "延长答复期限须经政府信息公开工作机构负责人同意（条例第三十三条）。"
            )
        if Extension.objects.filter(request=application).exists():
            raise ValidationError("答复期限只能延长一次（条例第三十三条）。")
        extension = Extension.objects.create(
            request=application,
            days=days,
            reason=reason.strip(),
            requested_by=acting_user,
            approved_by=approved_by,
            approved_on=approved_on,
        )
        application.extension_days = days
        _recompute_due(application)
        application.save()
        _issue_letter(application, LetterKind.EXTENSION, subject=extension, on=approved_on)
        _log(
            application,
            "extend",
            f"经工作机构负责人{approved_by}同意，答复期限延长{days}个工作日，"
            f"延长后{_due_text(application)}（条例第三十三条第二款）。",
            actor=acting_user,
            public=True,
        )
    return extension


def do_request_reasons(
    application: DisclosureRequest, *, text: str, acting_user
) -> DisclosureRequest:
    """条例第三十五条: applications clearly beyond a reasonable number or frequency."""
    with transaction.atomic():
        application = _lock(application, "request_reasons", acting_user)
        application.status = Status.AWAITING_REASONS
        application.save(update_fields=["status", "updated_at"])
        _issue_letter(application, LetterKind.REASONS, letter={"reason": text}, on=today())
        _log(
            application,
            "request_reasons",
            f"要求申请人说明理由（条例第三十五条）：{text.strip()}",
            actor=acting_user,
            public=True,
        )
    return application


def do_defer_deadline(
    application: DisclosureRequest, *, new_due: date, reason: str, acting_user
) -> DisclosureRequest:
    """条例第三十五条: reasons accepted, but no reply possible in time — a reasonable later date."""
    with transaction.atomic():
        application = _lock(application, "defer_deadline", acting_user)
        if application.due_date and new_due <= application.due_date:
            raise ValidationError("延迟答复的期限应晚于原答复期限。")
        application.status = Status.IN_PROGRESS
        application.deferred_due_date = new_due
        application.due_soon_notified_at = application.overdue_notified_at = None
        application.save()
        _issue_letter(
            application,
            LetterKind.EXTENSION,
            letter={"deferred": True, "reason": reason},
            on=today(),
        )
        _log(
            application,
            "defer_deadline",
            f"申请理由合理，确定延迟答复期限至{new_due:%Y年%m月%d日}（条例第三十五条）：{reason}",
            actor=acting_user,
            public=True,
        )
    return application


def do_notify_fee(
    application: DisclosureRequest,
    *,
    method: str,
    quantity: int,
    notice_on: date,
    acting_user,
) -> FeeNotice:
    """条例第四十二条, 国办函〔2020〕109号: a fee notice; the clock stops until payment.

    按件: ``quantity`` is 1 (this application) and its price follows its rank
    among the applicant's applications to the office in the calendar month of
    receipt; 按量: ``quantity`` is the number of pages.
    """
    with transaction.atomic():
        application = _lock(application, "notify_fee", acting_user)
        first_unit = monthly_rank(application) if method == FeeMethod.PER_ITEM else 1
        amount = fee_amount(method, first_unit, quantity)
        if amount <= 0:
            raise ValidationError("按所填件数或页数不应收取信息处理费。")
        if FeeNotice.objects.filter(request=application).exists():
            raise ValidationError("本申请已发出过收费通知。")
        fee = FeeNotice.objects.create(
            request=application,
            method=method,
            first_unit=first_unit,
            quantity=quantity,
            amount=amount,
            notice_date=notice_on,
            pay_by=_period_end(clocks.fee_payment_due, notice_on),
        )
        application.status = Status.AWAITING_PAYMENT
        _recompute_due(application)
        application.save()
        _issue_letter(application, LetterKind.FEE, subject=fee, on=notice_on)
        _log(
            application,
            "notify_fee",
            f"发出收费通知：信息处理费{amount}元，请于{fee.pay_by:%Y年%m月%d日}前缴纳，"
            "逾期未缴纳的不再处理该申请。",
            actor=acting_user,
            public=True,
        )
    return fee


def do_record_payment(
    application: DisclosureRequest, *, paid_on: date, acting_user
) -> DisclosureRequest:
    with transaction.atomic():
        application = _lock(application, "record_payment", acting_user)
        _not_future(paid_on, "缴费日期")
        fee = application.fee_notice
        if not fee.notice_date <= paid_on <= fee.pay_by:
            raise ValidationError("缴费日期应在收费通知日期与缴费期限之间。")
        fee.paid_date = paid_on
        fee.save(update_fields=["paid_date"])
        application.status = Status.IN_PROGRESS
        _recompute_due(application)
        application.save()
        _log(
            application,
            "record_payment",
            f"申请人已于{paid_on:%Y年%m月%d日}缴纳信息处理费，答复期限{_due_text(application)}。",
            actor=acting_user,
            public=True,
        )
    return application


def do_close_unpaid(
    application: DisclosureRequest, *, closed_on: date, acting_user
) -> DisclosureRequest:
    with transaction.atomic():
        application = _lock(application, "close_unpaid", acting_user)
        if closed_on <= application.fee_notice.pay_by:
            raise ValidationError(f"缴费期限{application.fee_notice.pay_by:%Y年%m月%d日}尚未届满。")
        _close(application, Outcome.UNPAID, closed_on)
        _log(
            application,
            "close_unpaid",
            "申请人逾期未缴纳信息处理费，不再处理该申请（国办函〔2020〕109号）。",
            actor=acting_user,
            public=True,
        )
    return application


def do_reply(
    application: DisclosureRequest,
    *,
    outcome: str,
    replied_on: date,
    summary: str,
    letter: dict[str, Any] | None = None,
    public_interest_reason: str = "",
    acting_user,
) -> DisclosureRequest:
    """答复 (条例第三十六条至第三十九条): the decision, which closes the application.

    ``letter`` carries what the 答复书 needs from the handler: the reason,
    how to obtain the information, the ground of a withheld part
    (``withheld_outcome``; see ``docs/letters.md``).

    条例第三十二条: a third party that objected with good reason keeps its
    information undisclosed unless the office finds that withholding it would
    gravely harm the public interest.  Disclosing over an objection therefore
    needs ``public_interest_reason``, and each objecting third party is told in
    writing (决定公开告知书) what is disclosed and why.
    """
    outcome = Outcome(outcome)
    if outcome in PROCEDURAL_OUTCOMES:
        raise ValidationError(f"“{outcome.label}”不是答复决定，请使用相应的办理操作。")
    with transaction.atomic():
        application = _lock(application, "reply", acting_user)
        _not_future(replied_on, "答复日期")
        if replied_on < application.clock_start:
            raise ValidationError("答复日期不能早于答复期限起算日。")
        objections = list(
            application.consultations.filter(
                kind=ConsultationKind.THIRD_PARTY, answer=ConsultationAnswer.OBJECT
            )
        )
        fully_disclosed = outcome in {Outcome.PROVIDED, Outcome.ALREADY_PUBLIC}
        if objections and fully_disclosed and not public_interest_reason.strip():
            raise ValidationError(
                "第三方不同意公开，决定公开的须说明不公开可能对公共利益造成重大影响的理由"
                "（条例第三十二条）；否则应不予公开或部分公开。"
            )
        _close(application, outcome, replied_on)
        _issue_letter(application, LetterKind.REPLY, letter=letter, on=replied_on)
        if public_interest_reason.strip():
            for consultation in objections:
                _issue_letter(
                    application,
                    LetterKind.DISCLOSURE_DECISION,
                    subject=consultation,
                    letter={"reason": public_interest_reason.strip()},
                    on=replied_on,
                )
        _log(
            application,
            "reply",
            f"作出答复：{outcome.label}（{outcome.legal_basis}）。{summary.strip()}",
            actor=acting_user,
            public=True,
        )
    return application


def do_withdraw(
    application: DisclosureRequest, *, withdrawn_on: date, reason: str = "", acting_user=None
) -> DisclosureRequest:
    """The applicant withdraws (through the query page, or in writing recorded by staff)."""
    with transaction.atomic():
        application = _lock(application, "withdraw", acting_user)
        _close(application, Outcome.WITHDRAWN, withdrawn_on)
        _log(
            application,
            "withdraw",
            f"申请人撤回申请。{reason.strip()}",
            actor=acting_user,
            public=True,
        )
    return application


def do_transfer(
    application: DisclosureRequest, *, to_agency, reason: str, acting_user
) -> DisclosureRequest:
    """条例第三十六条第（五）项: the information is another agency's; hand it over.

    This office answers 本机关不掌握 (table 三 (四)1) and names the other agency;
    a new application awaiting that agency's confirmation carries the
    applicant's data and query password.
    """
    with transaction.atomic():
        application = _lock(application, "transfer", acting_user)
        if to_agency.pk == application.agency_id:
            raise ValidationError("不能转给本机关。")
        successor = DisclosureRequest(
            tracking_code=_unique_tracking_code(),
            query_password=application.query_password,
            agency=to_agency,
            channel=application.channel,
            status=Status.AWAITING_CONFIRMATION,
            submitted_at=timezone.now(),
            **{name: getattr(application, name) for name in APPLICATION_FIELDS},
        )
        successor.save()
        application.transferred_to = successor
        _close(application, Outcome.NOT_HELD, application.receipt_date or today())
        _log(
            application,
            "transfer",
            f"所申请信息不属于本机关负责公开，已转至{to_agency}办理（查询码{successor.tracking_code}）。"
            f"{reason.strip()}",
            actor=acting_user,
            public=True,
        )
        _log(
            successor,
            "transferred_in",
            f"由{application.agency}转来（原查询码{application.tracking_code}），待确认收到。",
            actor=acting_user,
            public=True,
        )
    return successor


def do_mark_proactive(
    application: DisclosureRequest, *, text: str, acting_user
) -> DisclosureRequest:
    """条例第四十四条: released information several applicants ask for may become proactive."""
    with transaction.atomic():
        application = _lock(application, "mark_proactive", acting_user)
        if application.outcome not in DISCLOSING_OUTCOMES:
            raise ValidationError("只有予以公开或部分公开的信息可以转为主动公开。")
        if not text.strip():
            raise ValidationError("请填写拟主动公开的内容。")
        application.proactive_candidate = True
        application.proactive_text = text.strip()
        application.save(update_fields=["proactive_candidate", "proactive_text", "updated_at"])
        _log(
            application,
            "mark_proactive",
            "拟将所公开的信息纳入主动公开范围（条例第四十四条）。",
            actor=acting_user,
        )
    return application


# ---------------------------------------------------------------- queries


def monthly_rank(application: DisclosureRequest) -> int:
    """The rank of ``application`` among the same applicant's applications to the same
    office received in the same calendar month (按件计收, 国办函〔2020〕109号)."""
    receipt = application.receipt_date
    same_month = DisclosureRequest.objects.filter(
        agency_id=application.agency_id,
        id_type=application.id_type,
        id_number=application.id_number,
        receipt_date__year=receipt.year,
        receipt_date__month=receipt.month,
    )
    earlier = same_month.filter(receipt_date__lt=receipt) | same_month.filter(
        receipt_date=receipt, pk__lt=application.pk
    )
    return earlier.count() + 1


def find_for_applicant(tracking_code: str, password: str) -> DisclosureRequest | None:
    """The application for a tracking code and query password, or None (same answer for both)."""
    application = DisclosureRequest.objects.filter(
        tracking_code=tracking_code.strip().upper()
    ).first()
    stored = application.query_password if application else make_password(None)
    if check_password(password, stored) and application is not None:
        return application
    return None


def record_staff_access(application: DisclosureRequest, user) -> None:
    """Applicant data is personal information: who opened it is itself audited."""
    with transaction.atomic():
        record_event(
            "disclosure_requests.view",
            actor=user,
            agency=application.agency,
            obj=application,
            summary="查看申请详情（含申请人个人信息）",
        )


def reply_clock(application: DisclosureRequest) -> clocks.ReplyClock | None:
    """The inputs of the reply deadline, or None while it is stopped or not started."""
    if application.clock_start is None:
        return None
    pauses = _pauses(application)
    if any(end is None for _, end in pauses):
        return None
    return clocks.ReplyClock(application.clock_start, application.extension_days, tuple(pauses))


def recompute_due_date(application: DisclosureRequest, calendar: WorkCalendar) -> None:
    """Set ``due_date`` and its explanation from the stored clock inputs.

    An unloaded year is refused, not guessed: the due date stays empty and the
    explanation carries the reason, so the daily job retries once the next
    year's schedule is imported.
    """
    previous = application.due_date
    application.due_date, application.due_explanation = _due(application, calendar)
    if application.due_date != previous:
        # A new due date earns its own reminder and overdue notice.
        application.due_soon_notified_at = application.overdue_notified_at = None


def _due(application: DisclosureRequest, calendar: WorkCalendar) -> tuple[date | None, dict]:
    clock = reply_clock(application)
    if clock is None:
        return None, {}
    try:
        result = clock.due(calendar, count_start_day=settings.ZWGK_COUNT_START_DAY)
    except ScheduleUnknown as exc:
        return None, {"error": str(exc)}
    return result.due_date, {
        "rule": "条例第三十条、第三十三条：自收到申请（或补正）之日起20个工作日，"
        "经批准可延长一次、最长20个工作日，征求意见和缴费期间不计算在内。",
        **result.as_dict(),
    }


# ---------------------------------------------------------------- internals


def _new_application(agency, fields: dict[str, Any], *, channel, password) -> DisclosureRequest:
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"not application fields: {sorted(unknown)}")
    application = DisclosureRequest(
        tracking_code=_unique_tracking_code(),
        query_password=make_password(password),
        agency=agency,
        channel=channel,
        submitted_at=timezone.now(),
        **fields,
    )
    application.full_clean(exclude=["tracking_code", "query_password"])
    return application


def _unique_tracking_code() -> str:
    while True:
        code = f"{today():%y}{new_code(10)}"
        if not DisclosureRequest.objects.filter(tracking_code=code).exists():
            return code


def _lock(application: DisclosureRequest, action: str, acting_user) -> DisclosureRequest:
    """The row, locked for this transaction, after the permission and transition checks.

    ``acting_user=None`` is a caller that has already established its right:
    the applicant's query page (tracking code and password) or the daily job.
    """
    locked = (
        DisclosureRequest.objects.select_for_update()
        .select_related("agency")
        .get(pk=application.pk)
    )
    if acting_user is not None:
        require_role(acting_user, locked.agency, HANDLING_ROLES)
    locked.status = check_transition(action, locked.status)
    return locked


def _start_clock(application: DisclosureRequest, start: date) -> None:
    if application.receipt_date is None:
        application.receipt_date = start
    application.clock_start = start
    _recompute_due(application)


def _recompute_due(application: DisclosureRequest) -> None:
    recompute_due_date(application, get_calendar())


def _pauses(application: DisclosureRequest) -> list[tuple[date, date | None]]:
    """The clock stops, an open one ending in None.

    Consultations (条例第三十三条第三款) and the fee period (国办函〔2020〕109号).
    """
    if application.pk is None:
        return []
    pauses: list[tuple[date, date | None]] = list(
        application.consultations.values_list("sent_date", "closed_date")
    )
    fee = FeeNotice.objects.filter(request=application).first()
    if fee is not None:
        pauses.append((fee.notice_date, fee.paid_date))
    return pauses


def _close(application: DisclosureRequest, outcome: Outcome, closed_on: date) -> None:
    application.outcome = outcome
    application.closed_on = closed_on
    application.status = Status.CLOSED
    if application.clock_start is not None:
        pauses: list[Pause] = [(a, b) for a, b in _pauses(application) if b is not None]
        try:
            application.working_days_used = get_calendar().working_days_between(
                application.clock_start, closed_on, pauses=pauses
            )
        except ScheduleUnknown:
            application.working_days_used = None
    application.save()


def _consultation_answer(consultation: Consultation, answer: str, closed_on: date) -> str:
    silent = {
        ConsultationKind.THIRD_PARTY: ConsultationAnswer.SILENT_OFFICE_DECIDES,
        ConsultationKind.AGENCY: ConsultationAnswer.SILENT_DEEMED_CONSENT,
    }[ConsultationKind(consultation.kind)]
    if answer in {ConsultationAnswer.CONSENT, ConsultationAnswer.OBJECT}:
        if closed_on < consultation.sent_date:
            raise ValidationError("意见日期不能早于征求意见书发出日期。")
        return answer
    if closed_on <= consultation.due_date:
        raise ValidationError(
            f"征求意见期限{consultation.due_date:%Y年%m月%d日}尚未届满，不能按逾期未提出意见处理。"
        )
    return silent


def _issue_letter(
    application: DisclosureRequest,
    kind: LetterKind,
    *,
    subject=None,
    letter: dict[str, Any] | None = None,
    on: date,
) -> Letter:
    """Render and store the letter of this step, or fail the whole action.

    A reply that cannot name its 复议机关 or lacks a reason the law requires
    (条例第三十七条) must not go out, so the error rolls the step back.
    """
    try:
        rendered = render_letter(
            application, kind, subject=subject, context_extra=letter, letter_date=on
        )
    except (LetterError, ReconsiderationError) as exc:
        raise ValidationError(f"无法生成{kind.label}：{exc}") from exc
    return store_letter(application, kind, rendered)


def _not_future(day: date, what: str) -> None:
    """Dates the clerk records are facts that already happened."""
    if day > today():
        raise ValidationError(f"{what}不能晚于今天（{today():%Y年%m月%d日}）。")


def _period_end(clock, start: date) -> date:
    """The end of a statutory period; an unloaded holiday schedule refuses the step."""
    try:
        return clock(start, get_calendar()).due_date
    except ScheduleUnknown as exc:
        raise ValidationError(str(exc)) from exc


def _due_text(application: DisclosureRequest) -> str:
    if application.due_date is not None:
        return f"至{application.due_date:%Y年%m月%d日}"
    if application.due_explanation.get("error"):
        return "暂无法计算（节假日安排尚未导入）"
    return "暂停计算"


def _log(
    application: DisclosureRequest,
    kind: str,
    text: str,
    *,
    actor,
    public: bool = False,
    data: dict | None = None,
) -> RequestEvent:
    """Append to the timeline and the audit log (no applicant data in either summary)."""
    event = RequestEvent.objects.create(
        request=application, kind=kind, actor=actor, public=public, text=text, data=data or {}
    )
    record_event(
        f"disclosure_requests.{kind}",
        actor=actor,
        agency=application.agency,
        obj=application,
        summary=text[:500],
    )
    return event
