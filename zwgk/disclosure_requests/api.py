"""``/api/v1/applications``: online 政府信息公开申请 for other systems (no token needed).

The same checks and rate limits as the web form apply: the submission is
validated by :class:`ApplicationForm` (Chinese messages per field), the
query needs the tracking code and the password in ``X-Query-Password`` and
answers 404 alike for a wrong code or a wrong password.  No applicant data
is returned.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from ninja import Header, Router, Schema, Status

from zwgk.audit.middleware import request_ip
from zwgk.disclosure_requests import actions, views
from zwgk.disclosure_requests.forms import ApplicationForm

router = Router(tags=["依申请公开"])

NOT_FOUND = "查询码或查询密码不正确。"


class ApplicationIn(Schema):
    """条例第二十九条 application content; choice values as in the web form."""

    agency: int | None = None
    applicant_type: str = ""
    applicant_name: str = ""
    id_type: str = ""
    id_number: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    description: str = ""
    purpose: str = ""
    provision_form: str = ""
    delivery: str = ""


class ApplicationCreated(Schema):
    tracking_code: str
    password: str
    status: str
    status_display: str
    agency: str
    receipt_note: str


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class TimelineEntry(Schema):
    time: datetime
    text: str


class ApplicationStatusOut(Schema):
    tracking_code: str
    agency: str
    status: str
    status_display: str
    receipt_date: date | None
    due_date: date | None
    due_display: str
    outcome: str
    outcome_display: str
    closed_on: date | None
    timeline: list[TimelineEntry]


@router.post(
    "/applications",
    response={201: ApplicationCreated, 422: ErrorOut, 429: ErrorOut},
    summary="提交政府信息公开申请",
)
def create_application(request, payload: ApplicationIn):
    ip = request_ip(request)
    if views.limit_reached("submit-ip", ip, views.SUBMIT_PER_IP):
        return Status(429, {"detail": views.TOO_MANY_SUBMISSIONS})
    data = {k: ("" if v is None else v) for k, v in payload.dict().items()}
    form = ApplicationForm(data)
    if form.is_valid():
        identity = views.identity_key(form.cleaned_data["id_number"])
        if views.limit_reached("submit-id", identity, views.SUBMIT_PER_IDENTITY):
            return Status(429, {"detail": views.TOO_MANY_SUBMISSIONS})
        try:
            application, password = actions.do_submit_online(
                form.cleaned_data["agency"], form.application_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            views.count_hits(
                ("submit-ip", ip, views.SUBMIT_PER_IP),
                ("submit-id", identity, views.SUBMIT_PER_IDENTITY),
            )
            return Status(
                201,
                {
                    "tracking_code": application.tracking_code,
                    "password": password,
                    "status": application.status,
                    "status_display": application.get_status_display(),
                    "agency": application.agency.name,
                    "receipt_note": views.RECEIPT_NOTE,
                },
            )
    errors = {
        ("__all__" if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in form.errors.items()
    }
    return Status(422, {"detail": "申请内容有误，请按提示修改。", "errors": errors})


@router.get(
    "/applications/{tracking_code}",
    response={200: ApplicationStatusOut, 404: ErrorOut, 429: ErrorOut},
    summary="查询政府信息公开申请办理进度",
)
def get_application(
    request, tracking_code: str, password: str = Header("", alias="X-Query-Password")
):
    ip = request_ip(request)
    if views.limit_reached("query-ip", ip, views.FAILED_QUERIES_PER_IP):
        return Status(429, {"detail": views.TOO_MANY_QUERIES})
    application = actions.find_for_applicant(tracking_code, password)
    if application is None:
        views.count_hit("query-ip", ip, views.FAILED_QUERIES_PER_IP)
        return Status(404, {"detail": NOT_FOUND})
    return Status(
        200,
        {
            "tracking_code": application.tracking_code,
            "agency": application.agency.name,
            "status": application.status,
            "status_display": application.get_status_display(),
            "receipt_date": application.receipt_date,
            "due_date": application.effective_due_date,
            "due_display": views.due_display(application),
            "outcome": application.outcome,
            "outcome_display": application.get_outcome_display(),
            "closed_on": application.closed_on,
            "timeline": [
                {"time": e.created_at, "text": e.text}
                for e in application.events.filter(public=True)
            ],
        },
    )
