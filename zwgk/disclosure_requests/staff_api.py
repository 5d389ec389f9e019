"""``/api/v1/staff/applications``: 依申请公开 for the office's other systems (OA, 12345 hotline).

Authenticated with an API token (``Authorization: Bearer zwgk_…``) and scoped
like the back office: every lookup goes through
``DisclosureRequest.objects.restrict(user)``, so an application outside the
user's scope answers 404 exactly like one that does not exist.  A 主管部门
reads its subtree; acting needs the 依申请公开办理人 or 工作机构负责人 role in
the application's agency (403 otherwise).

Every workflow step is one ``POST /staff/applications/{id}/{step}`` that calls
the matching ``actions.do_*`` with ``acting_user=request.user`` — the same
checks, timeline entries, letters and audit events as the back office — and
answers with the updated application summary.  Errors, always with a Chinese
``detail``:

- 400: the action refused the input (``messages``; ``errors`` per field);
- 403: the user may see but not act on the application;
- 404: unknown id, or outside the user's scope;
- 409: the step is not allowed in the current status (e.g. already done);
- 422: malformed input (wrong type, unknown enum value, bad date).

The list carries no applicant data; the detail does, and opening it is
audited (``disclosure_requests.view``), as is each letter download.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import (
    AfterValidator,
    BeforeValidator,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from zwgk.accounts.permissions import require_role, restrict
from zwgk.api.auth import ApiTokenAuth
from zwgk.audit.services import record_event
from zwgk.disclosure_requests import actions, deadlines
from zwgk.disclosure_requests.choices import (
    ApplicantType,
    Channel,
    Delivery,
    IdentityDocument,
    Outcome,
    ProvisionForm,
)
from zwgk.disclosure_requests.choices import Status as RequestStatus
from zwgk.disclosure_requests.fees import FeeMethod
from zwgk.disclosure_requests.letters.render import PROTECTED_KEYS
from zwgk.disclosure_requests.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationKind,
    DisclosureRequest,
    Letter,
    RequestEvent,
)
from zwgk.disclosure_requests.workflow import allowed_actions, check_transition
from zwgk.organizations.models import Agency
from zwgk.utils.statemachine import TransitionError
from zwgk.workdays.arithmetic import ScheduleUnknown

router = Router(tags=["依申请公开（工作人员）"], auth=ApiTokenAuth())

NOT_FOUND = "申请不存在，或不在您的权限范围内。"
LETTER_URL_NAME = "staff_application_letter"
# workflow action → the path segment of its endpoint (``allowed_actions`` in the detail).
ENDPOINTS = {
    "confirm_receipt": "confirm-receipt",
    "assign": "assign",
    "add_note": "notes",
    "request_supplement": "request-supplement",
    "receive_supplement": "receive-supplement",
    "close_no_supplement": "close-no-supplement",
    "start_consultation": "consultations",
    "end_consultation": "consultations/{consultation_id}/end",
    "extend": "extend",
    "request_reasons": "request-reasons",
    "defer_deadline": "defer-deadline",
    "notify_fee": "fee-notice",
    "record_payment": "payment",
    "close_unpaid": "close-unpaid",
    "reply": "reply",
    "withdraw": "withdraw",
    "transfer": "transfer",
    "mark_proactive": "mark-proactive",
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# ---------------------------------------------------------------- input types


def _choice(label: str, choices: type[models.TextChoices] | None = None, values=None):
    """A string restricted to the values of ``choices``, refused with a Chinese message."""
    allowed = list(values if values is not None else choices.values)
    names = dict(choices.choices) if choices is not None else {}
    listing = "、".join(f"{v}（{names[v]}）" if v in names else v for v in allowed)

    def check(value: str) -> str:
        if value not in allowed:
            raise PydanticCustomError(
                "choice",
                "“{value}”不是有效的{label}，可选值：{listing}。",
                {"value": value, "label": label, "listing": listing},
            )
        return value

    return Annotated[
        str,
        AfterValidator(check),
        WithJsonSchema({"type": "string", "enum": allowed, "description": f"{label}：{listing}"}),
    ]


def _parse_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date", "日期格式应为“年-月-日”，例如2026-09-15。")


def _positive(value: int) -> int:
    if value < 1:
        raise PydanticCustomError("positive", "应为正整数。")
    return value


Day = Annotated[date, BeforeValidator(_parse_date)]
PositiveInt = Annotated[int, AfterValidator(_positive)]
ChannelValue = _choice("申请渠道", Channel)
OfflineChannel = _choice(
    "登记渠道（网上申请由申请人自行提交）",
    Channel,
    [c for c in Channel.values if c != Channel.ONLINE],
)
StatusValue = _choice("办理状态", RequestStatus)
ApplicantTypeValue = _choice("申请人类型", ApplicantType)
IdTypeValue = _choice("证件类型", IdentityDocument)
ProvisionFormValue = _choice("提供形式", ProvisionForm)
DeliveryValue = _choice("获取方式", Delivery)
OutcomeValue = _choice("办理结果", Outcome)
ConsultationKindValue = _choice("征求意见类型", ConsultationKind)
AnswerValue = _choice("意见", ConsultationAnswer)
FeeMethodValue = _choice("计收方式", FeeMethod)
DeadlineValue = _choice("期限筛选", values=["due_soon", "overdue", "paused"])
HandlerValue = _choice("承办人筛选", values=["me"])
LetterFormat = _choice("文件格式", values=["pdf", "docx"])


# ---------------------------------------------------------------- output schemas


class ErrorOut(Schema):
    detail: str
    messages: list[str] = []
    errors: dict[str, list[str]] = {}


class InvalidOut(Schema):
    """Malformed input (the API-wide 422 handler)."""

    detail: str
    errors: list[dict[str, Any]]


class ApplicationSummary(Schema):
    """An application without applicant data (个人信息保护法)."""

    id: int
    tracking_code: str
    agency_id: int
    agency_name: str
    channel: str
    applicant_type: str
    status: str
    status_display: str
    receipt_date: date | None
    due_date: date | None = Field(
        None, description="答复期限（条例第三十五条确定延迟答复期限的，为延迟后的期限）"
    )
    outcome: str
    outcome_display: str
    closed_on: date | None
    handler_id: int | None

    @staticmethod
    def resolve_agency_name(obj) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_status_display(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_outcome_display(obj) -> str:
        return obj.get_outcome_display()

    @staticmethod
    def resolve_due_date(obj) -> date | None:
        return obj.effective_due_date


class RegisteredOut(ApplicationSummary):
    password: str = Field(description="查询密码，只返回这一次，请交给申请人")


class TransferredOut(ApplicationSummary):
    successor_id: int = Field(alias="successor.pk")
    successor_tracking_code: str = Field(alias="successor.tracking_code")
    successor_agency_name: str = Field(alias="successor.agency.name")


class ApplicantOut(Schema):
    applicant_type: str
    applicant_name: str
    id_type: str
    id_number: str
    contact_person: str
    phone: str
    email: str
    address: str
    postcode: str


class SupplementOut(Schema):
    id: int
    notice_date: date
    items: list[str]
    deadline: date
    received_date: date | None
    expired: bool


class ConsultationOut(Schema):
    id: int
    kind: str
    party: str
    sent_date: date
    due_date: date
    closed_date: date | None
    answer: str
    reason: str


class ConsultationStartedOut(ConsultationOut):
    application: ApplicationSummary


class ExtensionOut(Schema):
    days: int
    reason: str
    requested_by_id: int
    approved_by_id: int
    approved_by_name: str
    approved_on: date

    @staticmethod
    def resolve_approved_by_name(obj) -> str:
        return str(obj.approved_by)


class FeeNoticeOut(Schema):
    method: str
    first_unit: int
    quantity: int
    amount: Decimal
    notice_date: date
    pay_by: date
    paid_date: date | None


class EventOut(Schema):
    id: int
    time: datetime = Field(alias="created_at")
    kind: str
    text: str
    public: bool
    actor_name: str
    data: dict

    @staticmethod
    def resolve_actor_name(obj) -> str:
        return str(obj.actor) if obj.actor_id else "申请人或系统"


class LetterOut(Schema):
    id: int
    kind: str
    kind_display: str
    created_at: datetime
    delivered_online: bool
    pdf_url: str | None
    docx_url: str | None

    @staticmethod
    def resolve_kind_display(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_pdf_url(obj) -> str | None:
        return _letter_url(obj, "pdf") if obj.pdf else None

    @staticmethod
    def resolve_docx_url(obj) -> str | None:
        return _letter_url(obj, "docx") if obj.docx else None


class ApplicationDetail(ApplicationSummary):
    applicant: ApplicantOut
    description: str
    purpose: str
    provision_form: str
    delivery: str
    submitted_at: datetime
    handler_name: str | None
    clock_start: date | None
    extension_days: int
    reply_due_date: date | None = Field(description="条例第三十三条的答复期限（不含延迟答复）")
    deferred_due_date: date | None
    due_explanation: dict = Field(description="期限计算说明（逐日），或无法计算的原因（error）")
    working_days_used: int | None
    transferred_to_id: int | None
    proactive_candidate: bool
    proactive_text: str
    supplements: list[SupplementOut]
    consultations: list[ConsultationOut]
    extension: ExtensionOut | None
    fee_notice: FeeNoticeOut | None
    timeline: list[EventOut]
    letters: list[LetterOut]
    allowed_actions: list[str] = Field(description="当前状态允许的操作（接口路径的最后一段）")

    @staticmethod
    def resolve_applicant(obj):
        return obj

    @staticmethod
    def resolve_handler_name(obj) -> str | None:
        return str(obj.handler) if obj.handler_id else None

    @staticmethod
    def resolve_reply_due_date(obj) -> date | None:
        return obj.due_date

    @staticmethod
    def resolve_supplements(obj):
        return obj.supplements.all()

    @staticmethod
    def resolve_consultations(obj):
        return obj.consultations.all()

    @staticmethod
    def resolve_extension(obj):
        return _one_to_one(obj, "extension")

    @staticmethod
    def resolve_fee_notice(obj):
        return _one_to_one(obj, "fee_notice")

    @staticmethod
    def resolve_timeline(obj):
        return obj.events.all()

    @staticmethod
    def resolve_letters(obj):
        return obj.letters.all()

    @staticmethod
    def resolve_allowed_actions(obj) -> list[str]:
        return [ENDPOINTS[action] for action in allowed_actions(obj.status)]


def _one_to_one(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _letter_url(letter: Letter, fmt: str) -> str:
    return reverse(
        f"api:{LETTER_URL_NAME}",
        kwargs={"application_id": letter.request_id, "letter_id": letter.pk, "fmt": fmt},
    )


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: InvalidOut}
ACTION_RESPONSES = {200: ApplicationSummary, **ERRORS}


# ---------------------------------------------------------------- helpers


def _scoped(request) -> QuerySet:
    return DisclosureRequest.objects.restrict(request.user).select_related("agency")


def _not_found(message: str = NOT_FOUND) -> Status:
    return Status(404, {"detail": message})


def _failure(exc: Exception) -> Status:
    """The status and Chinese body of a refused action (see the module docstring)."""
    if isinstance(exc, PermissionDenied):
        message = str(exc) or "您没有执行此操作的权限。"
        return Status(403, {"detail": message, "messages": [message]})
    if isinstance(exc, ScheduleUnknown):
        return Status(400, {"detail": str(exc), "messages": [str(exc)]})
    messages = [str(m) for m in exc.messages]
    body: dict[str, Any] = {"detail": "；".join(messages), "messages": messages}
    if hasattr(exc, "error_dict"):
        body["errors"] = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    return Status(409 if isinstance(exc, TransitionError) else 400, body)


REFUSALS = (PermissionDenied, ValidationError, ScheduleUnknown)


class NotFound(Exception):
    """Something the path names (a consultation of the application) does not exist."""


def _act(request, application_id: int, action: str, run) -> Status:
    """Look the application up in scope, check role and status, run the action.

    The role and transition are checked here too (the action checks them again
    under its row lock) so that every refusal is answered in the same order —
    404, 403, 409, 400 — before any of the action's own input checks.
    ``run(application)`` returns a response body, or None for the summary.
    """
    application = _scoped(request).filter(pk=application_id).first()
    if application is None:
        return _not_found()
    try:
        require_role(request.user, application.agency, actions.HANDLING_ROLES)
        check_transition(action, application.status)
        body = run(application)
    except NotFound as exc:
        return _not_found(str(exc))
    except REFUSALS as exc:
        return _failure(exc)
    if body is None:
        body = _scoped(request).get(pk=application.pk)
    return Status(200, body)


def _staff_member(user_id: int, agency, what: str):
    """A user working at ``agency`` (or a superuser), or a 400 naming ``what``."""
    user = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True)
        .filter(Q(memberships__agency_id=agency.pk) | Q(is_superuser=True))
        .distinct()
        .first()
    )
    if user is None:
        raise ValidationError(f"{what}（用户{user_id}）不存在，或不是{agency}的工作人员。")
    return user


def _letter_value(key: str, value: Any, *, nested: bool = False) -> Any:
    if value is None or isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip()
        if ISO_DATE.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        return value
    if isinstance(value, list) and not nested:
        return [_letter_value(key, item, nested=True) for item in value]
    raise PydanticCustomError(
        "letter", f"文书内容“{key}”只能是文字、数字、日期（年-月-日）或它们的列表。"
    )


# ---------------------------------------------------------------- list and detail


class ApplicationFilter(FilterSchema):
    agency: int | None = Field(None, description="受理机关 id")
    status: StatusValue | None = None
    channel: ChannelValue | None = None
    applicant_type: ApplicantTypeValue | None = None
    received_since: Day | None = Field(None, description="收到申请日期不早于（含）")
    received_until: Day | None = Field(None, description="收到申请日期不晚于（含）")
    deadline: DeadlineValue | None = Field(
        None,
        description="due_soon：3个工作日内到期；overdue：已逾期；paused：期限暂停"
        "（待补正、征求意见中、待缴费）",
    )
    handler: HandlerValue | None = Field(None, description="me：由我承办")

    def filter_agency(self, value: int | None) -> Q:
        return Q(agency_id=value) if value else Q()

    def filter_received_since(self, value: date | None) -> Q:
        return Q(receipt_date__gte=value) if value else Q()

    def filter_received_until(self, value: date | None) -> Q:
        return Q(receipt_date__lte=value) if value else Q()

    def filter_deadline(self, value: str | None) -> Q:
        return Q()  # applied in the view (it needs the calendar)

    def filter_handler(self, value: str | None) -> Q:
        return Q()  # applied in the view (it needs the user)


PAUSED = (
    RequestStatus.AWAITING_SUPPLEMENT,
    RequestStatus.CONSULTING,
    RequestStatus.AWAITING_PAYMENT,
)


@router.get(
    "/staff/applications",
    response={200: list[ApplicationSummary]},
    summary="申请列表（不含申请人信息）",
)
@paginate
def list_applications(request, filters: Query[ApplicationFilter]):
    queryset = filters.filter(_scoped(request))
    if filters.handler == "me":
        queryset = queryset.filter(handler=request.user)
    today = timezone.localdate()
    if filters.deadline == "due_soon":
        queryset = deadlines.due_soon(queryset, today)
    elif filters.deadline == "overdue":
        queryset = deadlines.overdue(queryset, today)
    elif filters.deadline == "paused":
        queryset = queryset.filter(status__in=PAUSED)
    return queryset


@router.get(
    "/staff/applications/{application_id}",
    response={200: ApplicationDetail, 404: ErrorOut, 422: InvalidOut},
    summary="申请详情（含申请人个人信息，查看留痕）",
)
def get_application(request, application_id: int, response: HttpResponse):
    application = (
        _scoped(request)
        .select_related("handler", "extension__approved_by", "fee_notice")
        .prefetch_related(
            "supplements",
            "consultations",
            "letters",
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return _not_found()
    actions.record_staff_access(application, request.user)
    response["Cache-Control"] = "no-store"
    return Status(200, application)


@router.get(
    "/staff/applications/{application_id}/letters/{int:letter_id}.{fmt}",
    response={404: ErrorOut, 422: InvalidOut},
    url_name=LETTER_URL_NAME,
    summary="下载文书（PDF 或 DOCX）",
    openapi_extra={
        "responses": {
            "200": {
                "description": "文书文件",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        }
    },
)
def download_letter(
    request,
    application_id: int,
    letter_id: int,
    fmt: LetterFormat,
):
    letter = (
        Letter.objects.filter(pk=letter_id, request__in=_scoped(request).filter(pk=application_id))
        .select_related("request__agency")
        .first()
    )
    file = getattr(letter, fmt) if letter is not None else None
    if not file:
        return _not_found("文书不存在，或不在您的权限范围内。")
    application = letter.request
    with transaction.atomic():
        record_event(
            "disclosure_requests.letter_download",
            actor=request.user,
            agency=application.agency,
            obj=application,
            summary=f"下载文书：{letter.get_kind_display()}（{fmt.upper()}）",
        )
    filename = f"{application.tracking_code}-{letter.get_kind_display()}.{fmt}"
    download = FileResponse(file.open("rb"), as_attachment=True, filename=filename)
    download["Cache-Control"] = "no-store"
    return download


# ---------------------------------------------------------------- registration


class RegisterIn(Schema):
    """条例第二十九条、第三十一条: an application received 当面, by post, fax or orally."""

    agency: int = Field(description="受理机关 id")
    channel: OfflineChannel
    received_on: Day | None = Field(
        None,
        description="收到申请日期（当面、口头：提交当日；邮寄：签收当日）；传真、平常信函待确认",
    )
    applicant_type: ApplicantTypeValue
    applicant_name: str
    id_type: IdTypeValue
    id_number: str
    contact_person: str = ""
    phone: str
    email: str = ""
    address: str = ""
    postcode: str = ""
    description: str
    purpose: str = ""
    provision_form: ProvisionFormValue
    delivery: DeliveryValue

    @model_validator(mode="after")
    def received_on_when_counted(self):
        if self.received_on is None and not Channel(self.channel).needs_confirmation:
            raise PydanticCustomError(
                "received_on", "当面、邮寄或口头提交的申请须填写收到申请日期（条例第三十一条）。"
            )
        return self


@router.post(
    "/staff/applications",
    response={201: RegisteredOut, **ERRORS},
    summary="登记当面、邮寄、传真或口头申请",
)
def register_application(request, payload: RegisterIn, response: HttpResponse):
    agencies = restrict(Agency.objects.all(), request.user, "view", agency_field=None)
    agency = agencies.filter(pk=payload.agency).first()
    if agency is None:
        return _not_found("受理机关不存在，或不在您的权限范围内。")
    fields = payload.dict(exclude={"agency", "channel", "received_on"})
    try:
        require_role(request.user, agency, actions.HANDLING_ROLES)
        application, password = actions.do_register_request(
            agency,
            fields,
            channel=payload.channel,
            received_on=payload.received_on,
            acting_user=request.user,
        )
    except REFUSALS as exc:
        return _failure(exc)
    response["Cache-Control"] = "no-store"
    registered = _scoped(request).get(pk=application.pk)
    registered.password = password
    return Status(201, registered)


# ---------------------------------------------------------------- workflow steps


class ConfirmIn(Schema):
    confirmed_on: Day = Field(description="双方确认日期，即收到申请日期（条例第三十一条）")


class AssignIn(Schema):
    handler: int = Field(description="承办人（依申请公开办理人）的用户 id")


class NoteIn(Schema):
    text: str


class SupplementIn(Schema):
    items: list[str] = Field(description="需要补正的全部事项（一次性告知）")
    deadline: Day
    notice_on: Day


class ReceiveSupplementIn(Schema):
    received_on: Day


class CloseIn(Schema):
    closed_on: Day


class ConsultationIn(Schema):
    kind: ConsultationKindValue
    party: str
    sent_on: Day


class EndConsultationIn(Schema):
    answer: AnswerValue = Field(
        description="consent、object；逾期未提出意见的填 silent_office_decides 或 "
        "silent_deemed_consent（按征求意见类型自动确定）"
    )
    closed_on: Day
    reason: str = ""


class ExtendIn(Schema):
    days: int = Field(description="延长的工作日数（1至20）")
    reason: str
    approved_by: int = Field(description="批准的工作机构负责人的用户 id")
    approved_on: Day


class ReasonsIn(Schema):
    text: str


class DeferIn(Schema):
    new_due: Day
    reason: str


class FeeIn(Schema):
    method: FeeMethodValue
    quantity: PositiveInt = Field(description="按件：1；按量：页数")
    notice_on: Day


class PaymentIn(Schema):
    paid_on: Day


class ReplyIn(Schema):
    outcome: OutcomeValue
    replied_on: Day
    summary: str = ""
    letter: dict[str, Any] = Field(
        {},
        description="答复书需要的内容，如 reason、obtain、withheld_outcome（见 docs/letters.md）；"
        "日期写作“年-月-日”",
    )
    public_interest_reason: str = ""

    @field_validator("letter")
    @classmethod
    def plain_letter(cls, value: dict[str, Any]) -> dict[str, Any]:
        protected = sorted(set(value) & PROTECTED_KEYS)
        if protected:
            raise PydanticCustomError(
                "letter", f"文书内容不能指定{'、'.join(protected)}（由办理结果决定）。"
            )
        return {key: _letter_value(key, item) for key, item in value.items()}


class WithdrawIn(Schema):
    withdrawn_on: Day
    reason: str = ""


class TransferIn(Schema):
    to_agency: int = Field(description="接收机关 id")
    reason: str = ""


class ProactiveIn(Schema):
    text: str


def _post(path: str, summary: str, **kwargs):
    return router.post(
        f"/staff/applications/{{application_id}}/{path}",
        response=kwargs.pop("response", ACTION_RESPONSES),
        summary=summary,
        **kwargs,
    )


@_post("confirm-receipt", "确认收到申请（条例第三十一条）")
def confirm_receipt(request, application_id: int, payload: ConfirmIn):
    def run(application):
        actions.do_confirm_receipt(
            application, confirmed_on=payload.confirmed_on, acting_user=request.user
        )

    return _act(request, application_id, "confirm_receipt", run)


@_post("assign", "指定承办人")
def assign(request, application_id: int, payload: AssignIn):
    def run(application):
        handler = _staff_member(payload.handler, application.agency, "承办人")
        actions.do_assign(application, handler, acting_user=request.user)

    return _act(request, application_id, "assign", run)


@_post("notes", "添加办理备注")
def add_note(request, application_id: int, payload: NoteIn):
    def run(application):
        actions.do_add_note(application, payload.text, acting_user=request.user)

    return _act(request, application_id, "add_note", run)


@_post("request-supplement", "告知补正（条例第三十条）")
def request_supplement(request, application_id: int, payload: SupplementIn):
    def run(application):
        actions.do_request_supplement(
            application,
            items=payload.items,
            deadline=payload.deadline,
            notice_on=payload.notice_on,
            acting_user=request.user,
        )

    return _act(request, application_id, "request_supplement", run)


@_post("receive-supplement", "收到补正材料（答复期限重新计算）")
def receive_supplement(request, application_id: int, payload: ReceiveSupplementIn):
    def run(application):
        actions.do_receive_supplement(
            application, received_on=payload.received_on, acting_user=request.user
        )

    return _act(request, application_id, "receive_supplement", run)


@_post("close-no-supplement", "逾期未补正，不再处理（条例第三十条）")
def close_no_supplement(request, application_id: int, payload: CloseIn):
    def run(application):
        actions.do_close_no_supplement(
            application, closed_on=payload.closed_on, acting_user=request.user
        )

    return _act(request, application_id, "close_no_supplement", run)


@_post(
    "consultations",
    "征求第三方或其他机关意见（条例第三十二条、第三十四条）",
    response={201: ConsultationStartedOut, **ERRORS},
)
def start_consultation(request, application_id: int, payload: ConsultationIn):
    def run(application):
        consultation = actions.do_start_consultation(
            application,
            kind=payload.kind,
            party=payload.party,
            sent_on=payload.sent_on,
            acting_user=request.user,
        )
        consultation.application = _scoped(request).get(pk=application.pk)
        return consultation

    result = _act(request, application_id, "start_consultation", run)
    if result.status_code == 200:
        return Status(201, result.value)
    return result


@_post("consultations/{consultation_id}/end", "征求意见办结（收到意见或逾期未提出意见）")
def end_consultation(
    request, application_id: int, consultation_id: int, payload: EndConsultationIn
):
    def run(application):
        consultation = Consultation.objects.filter(pk=consultation_id, request=application).first()
        if consultation is None:
            raise NotFound("征求意见记录不存在。")
        actions.do_end_consultation(
            consultation,
            answer=payload.answer,
            closed_on=payload.closed_on,
            reason=payload.reason,
            acting_user=request.user,
        )

    return _act(request, application_id, "end_consultation", run)


@_post("extend", "延长答复期限（条例第三十三条第二款，经工作机构负责人同意）")
def extend(request, application_id: int, payload: ExtendIn):
    def run(application):
        approver = _staff_member(payload.approved_by, application.agency, "批准人")
        actions.do_extend(
            application,
            days=payload.days,
            reason=payload.reason,
            approved_by=approver,
            approved_on=payload.approved_on,
            acting_user=request.user,
        )

    return _act(request, application_id, "extend", run)


@_post("request-reasons", "要求申请人说明理由（条例第三十五条）")
def request_reasons(request, application_id: int, payload: ReasonsIn):
    def run(application):
        actions.do_request_reasons(application, text=payload.text, acting_user=request.user)

    return _act(request, application_id, "request_reasons", run)


@_post("defer-deadline", "确定延迟答复期限（条例第三十五条）")
def defer_deadline(request, application_id: int, payload: DeferIn):
    def run(application):
        actions.do_defer_deadline(
            application, new_due=payload.new_due, reason=payload.reason, acting_user=request.user
        )

    return _act(request, application_id, "defer_deadline", run)


@_post("fee-notice", "发出收费通知（条例第四十二条）")
def notify_fee(request, application_id: int, payload: FeeIn):
    def run(application):
        actions.do_notify_fee(
            application,
            method=payload.method,
            quantity=payload.quantity,
            notice_on=payload.notice_on,
            acting_user=request.user,
        )

    return _act(request, application_id, "notify_fee", run)


@_post("payment", "登记缴费")
def record_payment(request, application_id: int, payload: PaymentIn):
    def run(application):
        actions.do_record_payment(application, paid_on=payload.paid_on, acting_user=request.user)

    return _act(request, application_id, "record_payment", run)


@_post("close-unpaid", "逾期未缴费，不再处理")
def close_unpaid(request, application_id: int, payload: CloseIn):
    def run(application):
        actions.do_close_unpaid(application, closed_on=payload.closed_on, acting_user=request.user)

    return _act(request, application_id, "close_unpaid", run)


@_post("reply", "作出答复（条例第三十六条至第三十九条）")
def reply(request, application_id: int, payload: ReplyIn):
    def run(application):
        actions.do_reply(
            application,
            outcome=payload.outcome,
            replied_on=payload.replied_on,
            summary=payload.summary,
            letter=payload.letter,
            public_interest_reason=payload.public_interest_reason,
            acting_user=request.user,
        )

    return _act(request, application_id, "reply", run)


@_post("withdraw", "登记申请人撤回申请")
def withdraw(request, application_id: int, payload: WithdrawIn):
    def run(application):
        actions.do_withdraw(
            application,
            withdrawn_on=payload.withdrawn_on,
            reason=payload.reason,
            acting_user=request.user,
        )

    return _act(request, application_id, "withdraw", run)


@_post(
    "transfer",
    "转其他机关办理（条例第三十六条第（五）项）",
    response={200: TransferredOut, **ERRORS},
)
def transfer(request, application_id: int, payload: TransferIn):
    def run(application):
        to_agency = Agency.objects.filter(pk=payload.to_agency).first()
        if to_agency is None:
            raise ValidationError(f"接收机关（id {payload.to_agency}）不存在。")
        successor = actions.do_transfer(
            application, to_agency=to_agency, reason=payload.reason, acting_user=request.user
        )
        closed = _scoped(request).get(pk=application.pk)
        closed.successor = successor
        return closed

    return _act(request, application_id, "transfer", run)


@_post("mark-proactive", "拟转为主动公开（条例第四十四条）")
def mark_proactive(request, application_id: int, payload: ProactiveIn):
    def run(application):
        actions.do_mark_proactive(application, text=payload.text, acting_user=request.user)

    return _act(request, application_id, "mark_proactive", run)
