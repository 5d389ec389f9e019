from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwgk.disclosure_requests.choices import (
    ApplicantType,
    Channel,
    Delivery,
    IdentityDocument,
    Outcome,
    ProvisionForm,
    Status,
)
from zwgk.disclosure_requests.fees import FeeMethod
from zwgk.disclosure_requests.validators import validate_identity


class DisclosureRequestQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> "DisclosureRequestQuerySet":
        from zwgk.accounts.permissions import restrict

        return restrict(self, user, action)

    def open(self) -> "DisclosureRequestQuerySet":
        return self.exclude(status=Status.CLOSED)


class DisclosureRequest(models.Model):
    """A 政府信息公开申请 (条例第二十九条) and where it stands.

    Applicant data is personal information (个人信息保护法): it never appears on
    public pages, feeds or logs, and staff access to it is audited.
    """

    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True, editable=False)
    query_password = models.CharField(_("查询密码"), max_length=128, editable=False)
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
    )
    channel = models.CharField(_("申请渠道"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("办理状态"), max_length=24, choices=Status.choices, default=Status.IN_PROGRESS
    )
    outcome = models.CharField(_("办理结果"), max_length=24, choices=Outcome.choices, blank=True)
    # 申请人 (条例第二十九条第一款第（一）项)
    applicant_type = models.CharField(_("申请人类型"), max_length=16, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdentityDocument.choices)
    id_number = models.CharField(_("证件号码"), max_length=40)
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    # 所需信息 (第（二）项) and 提供方式 (第（三）项)
    description = models.TextField(_("所需政府信息的名称、文号或者便于查询的其他特征性描述"))
    purpose = models.TextField(_("用途"), blank=True)
    provision_form = models.CharField(_("提供形式"), max_length=16, choices=ProvisionForm.choices)
    delivery = models.CharField(_("获取方式"), max_length=16, choices=Delivery.choices)
    # 条例第三十一条: when the application arrived and when it counts as received.
    submitted_at = models.DateTimeField(_("提交时间"))
    receipt_date = models.DateField(_("收到申请日期"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The reply clock (条例第三十条、第三十三条): its inputs and the computed due date.
    clock_start = models.DateField(_("答复期限起算日"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日数"), default=0)
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    due_explanation = models.JSONField(_("期限计算说明"), default=dict, blank=True)
    # 条例第三十五条: a later deadline set for an over-frequent but reasonable request.
    deferred_due_date = models.DateField(_("延迟答复期限"), null=True, blank=True)
    # The day the reply went out or the case otherwise ended: the annual report counts by it.
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    working_days_used = models.PositiveSmallIntegerField(
        _("办理用时（工作日）"), null=True, blank=True
    )
    transferred_to = models.ForeignKey(
        "self",
        verbose_name=_("转至"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_from",
    )
    # 条例第四十四条: released information that should become proactive disclosure.
    proactive_candidate = models.BooleanField(_("拟转为主动公开"), default=False)
    proactive_text = models.TextField(_("拟主动公开内容"), blank=True)
    # Persisted markers of the daily job: each notice goes out once.
    due_soon_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = DisclosureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "receipt_date"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["agency", "closed_on"]),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def clean(self) -> None:
        if self.applicant_type and self.id_type and self.id_number:
            validate_identity(self.applicant_type, self.id_type, self.id_number)
        organisation = self.applicant_type and ApplicantType(self.applicant_type).is_organisation
        if organisation and not self.contact_person:
            raise ValidationError({"contact_person": _("法人或者其他组织申请的，请填写联系人。")})

    @property
    def effective_due_date(self):
        return self.deferred_due_date or self.due_date


class RequestEvent(models.Model):
    """One entry of an application's timeline (条例第四十五条: 登记、审核、办理、答复、归档).

    Append-only.  ``public`` entries are shown to the applicant.
    """

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    kind = models.CharField(_("事项"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    public = models.BooleanField(_("申请人可见"), default=False)
    text = models.TextField(_("内容"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.kind}"


class SupplementRequest(models.Model):
    """补正 (条例第三十条): one complete notice listing everything to supplement."""

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="supplements"
    )
    notice_date = models.DateField(_("告知日期"))
    items = models.JSONField(_("补正事项"))
    deadline = models.DateField(_("补正期限"))
    received_date = models.DateField(_("收到补正日期"), null=True, blank=True)
    expired = models.BooleanField(_("逾期未补正"), default=False)

    class Meta:
        verbose_name = _("补正告知")
        verbose_name_plural = _("补正告知")

    def __str__(self) -> str:
        return f"{self.request} 补正 {self.notice_date}"


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("征求第三方意见（条例第三十二条）")
    AGENCY = "agency", _("征求其他机关意见（条例第三十四条）")


class ConsultationAnswer(models.TextChoices):
    CONSENT = "consent", _("同意公开")
    OBJECT = "object", _("不同意公开")
    # Silence means different things (条例第三十二条 vs 第三十四条).
    SILENT_OFFICE_DECIDES = "silent_office_decides", _("逾期未提出意见，由行政机关决定")
    SILENT_DEEMED_CONSENT = "silent_deemed_consent", _("逾期未提出意见，视为同意公开")


class Consultation(models.Model):
    """A consultation letter; the reply clock stops from sending to answer or expiry."""

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ConsultationKind.choices)
    party = models.CharField(_("被征求意见方"), max_length=120)
    sent_date = models.DateField(_("发出日期"))
    due_date = models.DateField(_("答复期限"))
    closed_date = models.DateField(_("答复或届满日期"), null=True, blank=True)
    answer = models.CharField(
        _("意见"), max_length=24, choices=ConsultationAnswer.choices, blank=True
    )
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __str__(self) -> str:
        return f"{self.request} 征求{self.party}意见"


class Extension(models.Model):
    """延长答复期限 (条例第三十三条第二款): once, ≤ 20 working days, approved by the office head."""

    request = models.OneToOneField(
        DisclosureRequest, on_delete=models.CASCADE, related_name="extension"
    )
    days = models.PositiveSmallIntegerField(_("延长工作日数"))
    reason = models.TextField(_("延长理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField(_("批准日期"))

    class Meta:
        verbose_name = _("延长答复期限")
        verbose_name_plural = _("延长答复期限")

    def __str__(self) -> str:
        return f"{self.request} 延长{self.days}个工作日"


class FeeNotice(models.Model):
    """信息处理费 notice (条例第四十二条, 国办函〔2020〕109号)."""

    request = models.OneToOneField(
        DisclosureRequest, on_delete=models.CASCADE, related_name="fee_notice"
    )
    method = models.CharField(_("计收方式"), max_length=16, choices=FeeMethod.choices)
    first_unit = models.PositiveIntegerField(_("起始件次/页"))
    quantity = models.PositiveIntegerField(_("数量"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    notice_date = models.DateField(_("通知日期"))
    pay_by = models.DateField(_("缴费期限"))
    paid_date = models.DateField(_("缴费日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("收费通知")
        verbose_name_plural = _("收费通知")

    def __str__(self) -> str:
        return f"{self.request} {self.amount}元"


class LetterKind(models.TextChoices):
    REPLY = "reply", _("政府信息公开申请答复书")
    SUPPLEMENT = "supplement", _("补正申请告知书")
    EXTENSION = "extension", _("延长答复期限告知书")
    CONSULTATION = "consultation", _("征求意见函")
    FEE = "fee", _("收费通知书")
    REASONS = "reasons", _("说明理由告知书")
    # 条例第三十二条: the third party is told in writing when its objection is overridden.
    DISCLOSURE_DECISION = "disclosure_decision", _("决定公开告知书（第三方）")


class Letter(models.Model):
    """A generated letter (DOCX and PDF), stored with the application."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("文书类型"), max_length=24, choices=LetterKind.choices)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    docx = models.FileField(_("DOCX"), upload_to="letters/%Y/%m/")
    pdf = models.FileField(_("PDF"), upload_to="letters/%Y/%m/", blank=True)
    delivered_online = models.BooleanField(_("已推送至申请人查询页"), default=False)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.get_kind_display()}"


class LetterTemplate(models.Model):
    """The wording of one kind of letter, per agency; the platform default has no agency.

    ``body`` is a Django template rendered with the application, the decision
    and the relief sentence; an office edits it without a developer.
    """

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("机关"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_templates",
        help_text=_("留空为全平台默认模板。"),
    )
    kind = models.CharField(_("文书类型"), max_length=24, choices=LetterKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文模板"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="letter_template_unique_kind"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(agency__isnull=True),
                name="letter_template_unique_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency or '默认'} · {self.get_kind_display()}"
