"""The back office's forms of 依申请公开: offline intake and one small form per workflow action.

Each :class:`ActionForm` names its transition (``workflow.TRANSITIONS``), says
in Chinese what the step is and which article it follows, and calls exactly
one action in :meth:`ActionForm.perform`.  Nothing here changes state itself.
"""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zwgk.accounts.choices import Role
from zwgk.accounts.models import User
from zwgk.accounts.permissions import has_role
from zwgk.disclosure_requests import actions, clocks
from zwgk.disclosure_requests.actions import (
    APPLICATION_FIELDS,
    DISCLOSING_OUTCOMES,
    HANDLING_ROLES,
    PROCEDURAL_OUTCOMES,
)
from zwgk.disclosure_requests.choices import Channel, Outcome, ReportRow
from zwgk.disclosure_requests.fees import FeeMethod
from zwgk.disclosure_requests.letters import validate_template
from zwgk.disclosure_requests.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationKind,
    DisclosureRequest,
    Extension,
    FeeNotice,
    LetterTemplate,
)
from zwgk.disclosure_requests.workflow import allowed_actions
from zwgk.organizations.models import Agency
from zwgk.workdays.arithmetic import ScheduleUnknown
from zwgk.workdays.services import get_calendar


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as 2026-09-15."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label, *, today: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        initial=timezone.localdate if today else None,
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": "请按 2026-09-15 的格式填写日期。",
        },
    )


def text_field(label, *, required: bool = True, rows: int = 3, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "cols": 60}),
        error_messages={"required": f"请填写{label}。"},
    )


def members(agency, role: str):
    """Active users holding ``role`` in ``agency`` itself."""
    return (
        User.objects.filter(is_active=True, memberships__agency=agency, memberships__role=role)
        .distinct()
        .order_by("full_name", "username")
    )


# ---------------------------------------------------------------- intake


class RegisterForm(forms.ModelForm):
    """登记申请: an application received 当面, by post, fax or orally (条例第三十一条)."""

    agency = forms.ModelChoiceField(label=_("受理机关"), queryset=Agency.objects.none())
    channel = forms.ChoiceField(
        label=_("申请渠道"),
        choices=[(c.value, c.label) for c in Channel if c is not Channel.ONLINE],
        initial=Channel.IN_PERSON,
    )
    received_on = date_field(
        _("收到申请日期"),
        help_text=_(
            "当面、口头申请为递交当日；邮寄（需签收）为签收当日。"
            "平常信函和传真须与申请人确认，确认当日方为收到申请日期（条例第三十一条）。"
        ),
    )

    class Meta:
        model = DisclosureRequest
        fields = ("agency", "channel", *APPLICATION_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4, "cols": 60}),
            "purpose": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk

    def clean_received_on(self) -> date:
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError("收到申请日期不能晚于今天。")
        return received_on

    def register(self, *, acting_user) -> tuple[DisclosureRequest, str]:
        data = self.cleaned_data
        return actions.do_register_request(
            data["agency"],
            {name: data[name] for name in APPLICATION_FIELDS},
            channel=data["channel"],
            received_on=data["received_on"],
            acting_user=acting_user,
        )


# ---------------------------------------------------------------- workflow actions


class ActionForm(forms.Form):
    """One workflow step: ``action`` is its key in ``workflow.TRANSITIONS``."""

    action = ""
    title = ""
    intro = ""
    # "primary" for the step that moves the case on, "danger" for steps that end it.
    style = ""

    def __init__(self, *args, application: DisclosureRequest, **kwargs):
        self.application = application
        # Labels sit above their fields: no colon after them.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @classmethod
    def available(cls, application: DisclosureRequest) -> bool:
        """Beyond the status check: whether the step still makes sense for this application."""
        return True

    def perform(self, *, acting_user) -> str:
        """Call the action; return the success message."""
        raise NotImplementedError


class ConfirmReceiptForm(ActionForm):
    action = "confirm_receipt"
    title = "确认收到申请"
    intro = (
        "网上、传真和平常信函申请以双方确认之日为收到申请之日（条例第三十一条），答复期限自此起算。"
    )
    style = "primary"
    confirmed_on = date_field("确认日期")

    def perform(self, *, acting_user) -> str:
        application = actions.do_confirm_receipt(
            self.application,
            confirmed_on=self.cleaned_data["confirmed_on"],
            acting_user=acting_user,
        )
        return f"已确认收到申请，答复期限为{_due(application)}。"


class AssignForm(ActionForm):
    action = "assign"
    title = "分办承办人"
    handler = forms.ModelChoiceField(label="承办人", queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = members(self.application.agency, Role.HANDLER)
        self.fields["handler"].initial = self.application.handler_id

    def perform(self, *, acting_user) -> str:
        handler = self.cleaned_data["handler"]
        actions.do_assign(self.application, handler, acting_user=acting_user)
        return f"已交由{handler}承办。"


class NoteForm(ActionForm):
    action = "add_note"
    title = "添加内部备注"
    intro = "备注仅工作人员可见，不向申请人公开。"
    text = text_field("备注内容")

    def perform(self, *, acting_user) -> str:
        actions.do_add_note(self.application, self.cleaned_data["text"], acting_user=acting_user)
        return "备注已添加。"


class SupplementRequestForm(ActionForm):
    action = "request_supplement"
    title = "告知补正"
    intro = (
        "条例第三十条：申请内容不明确的，应自收到申请之日起7个工作日内一次性告知申请人补正，"
        "说明需要补正的事项和合理的补正期限。答复期限自收到补正之日起重新计算。"
    )
    items = text_field("补正事项", rows=5, help_text="每行一项，须一次列全。")
    deadline = date_field("补正期限", today=False)
    notice_on = date_field("告知日期")

    @classmethod
    def available(cls, application) -> bool:
        return not application.supplements.exists()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        receipt = self.application.receipt_date
        if receipt is not None:
            try:
                due = clocks.supplement_notice_due(receipt, get_calendar()).due_date
            except ScheduleUnknown:
                return
            self.fields["notice_on"].help_text = f"应于{due:%Y年%m月%d日}前告知。"

    def perform(self, *, acting_user) -> str:
        data = self.cleaned_data
        supplement = actions.do_request_supplement(
            self.application,
            items=data["items"].splitlines(),
            deadline=data["deadline"],
            notice_on=data["notice_on"],
            acting_user=acting_user,
        )
        return (
            f"已生成补正告知书（{len(supplement.items)}项），"
            f"补正期限至{supplement.deadline:%Y年%m月%d日}。"
        )


class ReceiveSupplementForm(ActionForm):
    action = "receive_supplement"
    title = "收到补正"
    intro = "条例第三十条：答复期限自收到补正之日起重新计算20个工作日。"
    style = "primary"
    received_on = date_field("收到补正日期")

    def perform(self, *, acting_user) -> str:
        application = actions.do_receive_supplement(
            self.application, received_on=self.cleaned_data["received_on"], acting_user=acting_user
        )
        return f"已登记收到补正，答复期限重新计算为{_due(application)}。"


class CloseNoSupplementForm(ActionForm):
    action = "close_no_supplement"
    title = "逾期不补正，不再处理"
    intro = "条例第三十条：申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理。"
    style = "danger"
    closed_on = date_field("办结日期")

    def perform(self, *, acting_user) -> str:
        actions.do_close_no_supplement(
            self.application, closed_on=self.cleaned_data["closed_on"], acting_user=acting_user
        )
        return "申请人逾期未补正，申请已办结。"


class StartConsultationForm(ActionForm):
    action = "start_consultation"
    title = "征求意见"
    intro = (
        "征求第三方（条例第三十二条）或其他机关（第三十四条）意见，对方应自收到之日起15个工作日内"
        "提出意见；征求意见期间不计入答复期限（第三十三条第三款）。"
    )
    kind = forms.ChoiceField(label="类型", choices=ConsultationKind.choices)
    party = forms.CharField(label="被征求意见方", max_length=120)
    sent_on = date_field("发出日期")

    def perform(self, *, acting_user) -> str:
        data = self.cleaned_data
        consultation = actions.do_start_consultation(
            self.application,
            kind=data["kind"],
            party=data["party"],
            sent_on=data["sent_on"],
            acting_user=acting_user,
        )
        return (
            f"已生成征求意见函，{consultation.party}应于{consultation.due_date:%Y年%m月%d日}前"
            "提出意见；答复期限暂停计算。"
        )


SILENCE = ""


class EndConsultationForm(ActionForm):
    action = "end_consultation"
    title = "登记征求意见结果"
    intro = (
        "逾期未提出意见的：第三方由行政机关依法决定（条例第三十二条），"
        "其他机关视为同意（第三十四条）。"
    )
    style = "primary"
    consultation = forms.ModelChoiceField(label="征求意见", queryset=Consultation.objects.none())
    answer = forms.ChoiceField(
        label="意见",
        choices=[
            (ConsultationAnswer.CONSENT.value, ConsultationAnswer.CONSENT.label),
            (ConsultationAnswer.OBJECT.value, ConsultationAnswer.OBJECT.label),
            (SILENCE, "逾期未提出意见"),
        ],
        required=False,
    )
    closed_on = date_field("意见日期（逾期的为期限届满次日）")
    reason = text_field("理由", required=False, help_text="不同意公开的，记录对方的理由。")

    @classmethod
    def available(cls, application) -> bool:
        return application.consultations.filter(closed_date__isnull=True).exists()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every consultation of the application: one closed meanwhile is refused by the action.
        field = self.fields["consultation"]
        field.queryset = self.application.consultations.order_by("sent_date", "pk")
        field.label_from_instance = lambda c: (
            f"{c.party}（{c.sent_date:%Y年%m月%d日}发出，{c.due_date:%Y年%m月%d日}届满）"
        )
        open_ = [c for c in field.queryset if c.closed_date is None]
        if len(open_) == 1:
            field.initial = open_[0].pk

    def perform(self, *, acting_user) -> str:
        data = self.cleaned_data
        consultation = actions.do_end_consultation(
            data["consultation"],
            answer=data["answer"],
            closed_on=data["closed_on"],
            reason=data["reason"],
            acting_user=acting_user,
        )
        application = DisclosureRequest.objects.get(pk=self.application.pk)
        return (
            f"已登记{consultation.party}的意见：{consultation.get_answer_display()}；"
            f"答复期限{_due(application)}。"
        )


class ExtendForm(ActionForm):
    action = "extend"
    title = "延长答复期限"
    intro = (
        "条例第三十三条第二款：需要延长答复期限的，应经政府信息公开工作机构负责人同意并告知申请人，"
        "只能延长一次，最长不超过20个工作日。"
    )
    days = forms.IntegerField(
        label="延长工作日数", min_value=1, max_value=clocks.MAX_EXTENSION_DAYS, initial=20
    )
    reason = text_field("延长理由")
    approved_by = forms.ModelChoiceField(
        label="批准人（工作机构负责人）", queryset=User.objects.none()
    )
    approved_on = date_field("批准日期")

    @classmethod
    def available(cls, application) -> bool:
        return not Extension.objects.filter(request=application).exists()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        heads = members(self.application.agency, Role.OFFICE_HEAD)
        self.fields["approved_by"].queryset = heads
        if len(heads) == 1:
            self.fields["approved_by"].initial = heads[0].pk

    def perform(self, *, acting_user) -> str:
        data = self.cleaned_data
        actions.do_extend(
            self.application,
            days=data["days"],
            reason=data["reason"],
            approved_by=data["approved_by"],
            approved_on=data["approved_on"],
            acting_user=acting_user,
        )
        application = DisclosureRequest.objects.get(pk=self.application.pk)
        return f"答复期限已延长{data['days']}个工作日，延长后{_due(application)}；已生成告知书。"


class RequestReasonsForm(ActionForm):
    action = "request_reasons"
    title = "要求说明理由"
    intro = "条例第三十五条：申请数量、频次明显超过合理范围的，可以要求申请人说明理由。"
    text = text_field("说明理由的要求")

    def perform(self, *, acting_user) -> str:
        actions.do_request_reasons(
            self.application, text=self.cleaned_data["text"], acting_user=acting_user
        )
        return "已生成说明理由告知书。"


class DeferDeadlineForm(ActionForm):
    action = "defer_deadline"
    title = "确定延迟答复期限"
    intro = (
        "条例第三十五条：申请理由合理，但无法在规定期限内答复的，"
        "可以确定延迟答复的合理期限并告知申请人。"
    )
    new_due = date_field("延迟答复期限", today=False)
    reason = text_field("理由")

    def perform(self, *, acting_user) -> str:
        data = self.cleaned_data
        actions.do_defer_deadline(
            self.application,
            new_due=data["new_due"],
            reason=data["reason"],
            acting_user=acting_user,
        )
        return f"延迟答复期限已确定为{data['new_due']:%Y年%m月%d日}；已生成延迟答复告知书。"


class FeeNoticeForm(ActionForm):
    action = "notify_fee"
    title = "发出收费通知"
    intro = (
        "条例第四十二条、国办函〔2020〕109号：申请数量、频次明显超过合理范围的，可以收取信息处理费。"
        "按件计收的，起始件次按同一申请人本月向本机关提出申请的次序自动计算；按量计收的填写页数。"
        "缴费期间不计入答复期限。"
    )
    method = forms.ChoiceField(label="计收方式", choices=FeeMethod.choices)
    quantity = forms.IntegerField(label="数量（按件填1，按量填页数）", min_value=1, initial=1)
    notice_on = date_field("通知日期")

    @classmethod
    def available(cls, application) -> bool:
        return not FeeNotice.objects.filter(request=application).exists()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.application.receipt_date is not None:
            rank = actions.monthly_rank(self.application)
            self.fields[
                "method"
            ].help_text = f"按件计收时，本申请为该申请人本月第{rank}件（起始件次）。"

    def perform(self, *, acting_user) -> str:
        data = self.cleaned_data
        fee = actions.do_notify_fee(
            self.application,
            method=data["method"],
            quantity=data["quantity"],
            notice_on=data["notice_on"],
            acting_user=acting_user,
        )
        return f"已生成收费通知书：{fee.amount}元，缴费期限{fee.pay_by:%Y年%m月%d日}。"


class RecordPaymentForm(ActionForm):
    action = "record_payment"
    title = "登记缴费"
    style = "primary"
    paid_on = date_field("缴费日期")

    def perform(self, *, acting_user) -> str:
        application = actions.do_record_payment(
            self.application, paid_on=self.cleaned_data["paid_on"], acting_user=acting_user
        )
        return f"已登记缴费，答复期限{_due(application)}。"


class CloseUnpaidForm(ActionForm):
    action = "close_unpaid"
    title = "逾期未缴费，不再处理"
    intro = "国办函〔2020〕109号：申请人逾期未缴纳信息处理费的，行政机关不再处理该申请。"
    style = "danger"
    closed_on = date_field("办结日期")

    def perform(self, *, acting_user) -> str:
        actions.do_close_unpaid(
            self.application, closed_on=self.cleaned_data["closed_on"], acting_user=acting_user
        )
        return "申请人逾期未缴费，申请已办结。"


def outcome_choices() -> list:
    """The reply outcomes grouped by the annual-report row they are counted in."""
    groups: dict[str, list] = {}
    for outcome in Outcome:
        if outcome in PROCEDURAL_OUTCOMES:
            continue
        row = ReportRow(outcome.report_row)
        groups.setdefault(str(row.label), []).append((outcome.value, outcome.label))
    return [("", "请选择答复类型"), *groups.items()]


WITHHELD_CHOICES = [
    ("", "（不适用）"),
    *((o.value, o.label) for o in Outcome if o.withholds and o is not Outcome.PARTLY),
]


class ReplyForm(ActionForm):
    action = "reply"
    title = "作出答复"
    intro = (
        "答复书按所选答复类型生成，自动载明救济途径；"
        "部分公开的，须写明不予公开部分的理由（条例第三十七条）。"
    )
    style = "primary"
    outcome = forms.ChoiceField(label="答复类型", choices=outcome_choices)
    replied_on = date_field("答复日期")
    summary = text_field("办理情况摘要", help_text="记入办理记录和台账。")
    obtain = text_field(
        "获取方式",
        required=False,
        help_text="予以公开、部分公开的，写明获取信息的方式、途径和时间（条例第三十六条第（一）（二）项）。",
    )
    withheld_outcome = forms.ChoiceField(
        label="不予公开部分的理由",
        choices=WITHHELD_CHOICES,
        required=False,
        help_text="部分公开的选择；也可以在下面“理由”中写明。",
    )
    provided_part = text_field("公开的部分", required=False, rows=2)
    withheld_part = text_field("不予公开的部分", required=False, rows=2)
    reason = text_field(
        "理由",
        required=False,
        help_text="部分公开未选择理由、告知不属于本机关负责公开、“其他处理”时必填。",
    )
    public_interest_reason = text_field(
        "决定公开的公共利益理由",
        required=False,
        help_text="第三方不同意公开而决定公开的填写，并向第三方发出决定公开告知书（条例第三十二条）。",
    )

    LETTER_KEYS = ("obtain", "withheld_outcome", "provided_part", "withheld_part", "reason")

    def clean(self):
        cleaned = super().clean()
        partly = cleaned.get("outcome") == Outcome.PARTLY
        if cleaned.get("withheld_outcome") and not partly:
            self.add_error("withheld_outcome", "只有部分公开的答复需要选择不予公开部分的理由。")
        if partly and not (cleaned.get("withheld_outcome") or cleaned.get("reason")):
            self.add_error(
                "withheld_outcome", "部分公开的，请选择或写明不予公开部分的理由（条例第三十七条）。"
            )
        return cleaned

    def perform(self, *, acting_user) -> str:
        data = self.cleaned_data
        letter = {key: data[key].strip() for key in self.LETTER_KEYS if data[key].strip()}
        application = actions.do_reply(
            self.application,
            outcome=data["outcome"],
            replied_on=data["replied_on"],
            summary=data["summary"],
            letter=letter,
            public_interest_reason=data["public_interest_reason"],
            acting_user=acting_user,
        )
        return (
            f"已作出答复（{application.get_outcome_display()}），答复书已生成并推送至申请人查询页。"
        )


class WithdrawForm(ActionForm):
    action = "withdraw"
    title = "登记撤回申请"
    intro = "申请人书面撤回申请的，登记撤回后申请办结。"
    style = "danger"
    in_writing = forms.BooleanField(
        label="申请人已书面提出撤回（撤回书已归档）",
        error_messages={"required": "请确认申请人已书面提出撤回。"},
    )
    withdrawn_on = date_field("撤回日期")
    reason = text_field("撤回理由", required=False, rows=2)

    def perform(self, *, acting_user) -> str:
        data = self.cleaned_data
        actions.do_withdraw(
            self.application,
            withdrawn_on=data["withdrawn_on"],
            reason=data["reason"],
            acting_user=acting_user,
        )
        return "已登记申请人撤回申请，申请已办结。"


class TransferForm(ActionForm):
    action = "transfer"
    title = "转其他机关办理"
    intro = (
        "条例第三十六条第（五）项：所申请信息不属于本机关负责公开的，告知申请人并说明理由；"
        "本申请按“本机关不掌握”办结，并在受理机关生成一件待确认的新申请。"
    )
    style = "danger"
    to_agency = forms.ModelChoiceField(label="转至机关", queryset=Agency.objects.none())
    reason = text_field("理由")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = (
            Agency.objects.filter(is_active=True)
            .exclude(pk=self.application.agency_id)
            .order_by("path")
        )

    def perform(self, *, acting_user) -> str:
        data = self.cleaned_data
        successor = actions.do_transfer(
            self.application,
            to_agency=data["to_agency"],
            reason=data["reason"],
            acting_user=acting_user,
        )
        return f"已转至{data['to_agency']}办理，新查询码{successor.tracking_code}。"


class MarkProactiveForm(ActionForm):
    action = "mark_proactive"
    title = "拟转为主动公开"
    intro = (
        "条例第四十四条：多个申请人就相同政府信息申请公开，且可以公开的，可以纳入主动公开的范围。"
    )
    text = text_field("拟主动公开的内容")

    @classmethod
    def available(cls, application) -> bool:
        return application.outcome in DISCLOSING_OUTCOMES and not application.proactive_candidate

    def perform(self, *, acting_user) -> str:
        actions.do_mark_proactive(
            self.application, text=self.cleaned_data["text"], acting_user=acting_user
        )
        return "已标记为拟转为主动公开。"


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        ConfirmReceiptForm,
        ReplyForm,
        SupplementRequestForm,
        ReceiveSupplementForm,
        StartConsultationForm,
        EndConsultationForm,
        ExtendForm,
        FeeNoticeForm,
        RecordPaymentForm,
        RequestReasonsForm,
        DeferDeadlineForm,
        AssignForm,
        NoteForm,
        MarkProactiveForm,
        TransferForm,
        WithdrawForm,
        CloseNoSupplementForm,
        CloseUnpaidForm,
    )
}


def available_forms(application: DisclosureRequest, user) -> list[type[ActionForm]]:
    """The steps ``user`` may take on ``application`` now, in the order the panel shows them."""
    if not has_role(user, application.agency, HANDLING_ROLES):
        return []
    allowed = set(allowed_actions(application.status))
    return [
        form
        for action, form in ACTION_FORMS.items()
        if action in allowed and form.available(application)
    ]


def _due(application: DisclosureRequest) -> str:
    due = application.effective_due_date
    if due is not None:
        return f"{due:%Y年%m月%d日}"
    if application.due_explanation.get("error"):
        return "暂无法计算（节假日安排尚未导入）"
    return "暂停计算"


# ---------------------------------------------------------------- letter templates


class LetterTemplateForm(forms.ModelForm):
    """An office's wording of one kind of letter, checked before it is saved (docs/letters.md)."""

    class Meta:
        model = LetterTemplate
        fields = ("agency", "kind", "title", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "cols": 100})}
        help_texts = {
            "body": _(
                "每行为一段。可使用 {{ agency_name }}、{{ applicant_name }}、"
                "{{ description }} 等占位符"
                "和 {% if %}、{% for %} 等标签；答复书和收费通知书必须包含 {{ relief_sentence }}。"
            ),
        }

    def clean(self):
        cleaned = super().clean()
        kind, title, body = (cleaned.get(name) for name in ("kind", "title", "body"))
        if kind and title is not None and body is not None:
            validate_template(kind, title, body)
        return cleaned
