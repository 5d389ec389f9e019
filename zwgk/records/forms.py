"""Back-office forms: the record's metadata form and one small form per workflow step.

Forms only validate input; :meth:`perform` calls one action of
:mod:`zwgk.records.actions`, which checks role, status and four eyes again
under the row lock.
"""

from datetime import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from zwgk.records import actions, deidentify
from zwgk.records.attachments import validate_upload
from zwgk.records.choices import RecordKind, SecrecyCheck, Status, Validity
from zwgk.records.models import SUMMARY_MAX, Attachment, Record, TopicCategory
from zwgk.records.pii import Disposition


class RecordForm(forms.ModelForm):
    """The metadata header; for a published record the change is a 更正 and needs a note."""

    correction_note = forms.CharField(
        label="更正说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="已发布信息的修改作为更正处理，原内容保存在历史版本中。",
    )

    class Meta:
        model = Record
        fields = [
            "agency",
            "issuers",
            "title",
            "doc_number",
            "doc_type",
            "topic",
            "keywords",
            "summary",
            "written_on",
            "formed_on",
            "disclosure",
            "withhold_reason",
            "next_review_on",
            "body",
            "catalogue_item",
            "kind",
            "needs_interpretation",
            "interprets",
            "interpretation_form",
            "author_unit",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "topic" in self.fields:
            self.fields["topic"].queryset = TopicCategory.objects.filter(
                is_active=True
            ).select_related("parent")
        if "kind" in self.fields:
            self.fields["kind"].required = False  # blank: 其他
        item = self.fields.get("catalogue_item")
        if item is not None:
            # Active items (of the record's own agency once it has one), and the one it has.
            active = Q(is_active=True) | Q(pk=self.instance.catalogue_item_id)
            if self.instance.agency_id is not None:
                active &= Q(agency_id=self.instance.agency_id)
            item.queryset = item.queryset.filter(active)
            item.queryset = item.queryset.select_related("agency")
            item.label_from_instance = _item_label
        if "summary" in self.fields:
            summary = self.fields["summary"]
            summary.widget = forms.Textarea(attrs={"rows": 3, "maxlength": SUMMARY_MAX})
            summary.error_messages["max_length"] = Record._meta.get_field("summary").error_messages[
                "max_length"
            ]

    def clean_kind(self):
        return self.cleaned_data.get("kind") or RecordKind.OTHER

    def clean(self):
        data = super().clean()
        published = self.instance.pk and self.instance.status == Status.PUBLISHED
        if published and not (data.get("correction_note") or "").strip():
            self.add_error("correction_note", "修改已发布的信息须写明更正说明。")
        return data


def _item_label(item) -> str:
    agency = item.agency.short_name or item.agency.name
    indent = "　" * (item.depth - 1)
    return f"{agency}｜{indent}{item.name}（{item.deadline_text}）"


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "sort_order"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_upload(upload)
        return upload


# ---------------------------------------------------------------- workflow steps


class StepForm(forms.Form):
    """One workflow step: ``action`` names the transition in :mod:`zwgk.records.workflow`."""

    action = ""
    title = ""
    intro = ""
    style = ""
    template = "step_form.html"
    stay = False  # after perform: back to this form (True) or to the record

    def __init__(self, *args, record: Record, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.user = user

    def perform(self, *, acting_user) -> str:
        raise NotImplementedError


class SubmitForm(StepForm):
    action = "submit"
    title = "提交保密审查"
    intro = "提交后草稿不能再修改，由审核人进行保密审查（先审查、后公开）。"

    def perform(self, *, acting_user) -> str:
        actions.do_submit_for_review(self.record, acting_user=acting_user)
        return "已提交保密审查。"


class SecrecyReviewForm(StepForm):
    """保密审查 with 去标识化: a decision per personal-information finding, then the checklist.

    “全部遮蔽” (``MASK_ALL`` submitted) masks every undecided finding at once
    (:func:`~zwgk.records.actions.do_mask_personal_info`) and comes back to
    this form; the checklist is then not required.
    """

    action = "secrecy_review"
    title = "保密审查"
    template = "secrecy_review.html"
    MASK_ALL = "_mask_all"
    intro = (
        "依据条例第十四条、第十五条、第十七条逐项确认；不能确认的，请退回修改。"
        "起草人不能审查自己起草的信息。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mask_all = self.is_bound and self.MASK_ALL in self.data
        self.stay = self.mask_all
        self.findings = deidentify.review_findings(self.record)
        stored = deidentify.stored_decisions(self.record, self.findings)
        for number, finding in enumerate(self.findings, 1):
            decision, reason = stored.get(finding.key, ("", ""))
            where = f"第{number}处（{finding.place}，{finding.kind_label}）"
            self.fields[f"decision:{finding.key}"] = forms.ChoiceField(
                label=f"{where}处理",
                choices=[(Disposition.MASK.value, "遮蔽"), (Disposition.KEEP.value, "保留")],
                widget=forms.RadioSelect,
                required=False,
                initial=decision,
            )
            self.fields[f"reason:{finding.key}"] = forms.CharField(
                label=f"{where}保留理由",
                required=False,
                max_length=200,
                initial=reason,
                widget=forms.TextInput(
                    attrs={
                        "placeholder": "如：行政处罚决定依法公示当事人姓名",
                        "aria-label": f"{where}保留理由",
                        "size": 28,
                    }
                ),
            )
        for check in SecrecyCheck:
            self.fields[check.value] = forms.BooleanField(
                label=check.label, required=not self.mask_all
            )
        self.finding_rows = [
            {
                "number": number,
                "finding": finding,
                "decision": self[f"decision:{finding.key}"],
                "reason": self[f"reason:{finding.key}"],
            }
            for number, finding in enumerate(self.findings, 1)
        ]
        self.checklist = [self[check.value] for check in SecrecyCheck]
        self.masked_before = [
            {
                **row,
                "at": timezone.localtime(datetime.fromisoformat(row["at"])),
                "in_attachment": row["location"].startswith("attachment:"),
            }
            for row in self.record.pii_dispositions or []
            if row["decision"] == Disposition.MASK
        ]

    def clean(self):
        data = super().clean()
        for finding in self.findings:
            decision = data.get(f"decision:{finding.key}")
            reason = (data.get(f"reason:{finding.key}") or "").strip()
            if decision == Disposition.KEEP and not reason:
                self.add_error(
                    f"reason:{finding.key}",
                    "保留须说明理由，如：行政处罚决定依法公示当事人姓名。",
                )
        return data

    def dispositions(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            f.key: (data[f"decision:{f.key}"], data.get(f"reason:{f.key}") or "")
            for f in self.findings
            if data.get(f"decision:{f.key}")
        }

    def perform(self, *, acting_user) -> str:
        if self.mask_all:
            rows = actions.do_mask_personal_info(
                self.record, dispositions=self.dispositions(), acting_user=acting_user
            )
            masked = [r for r in rows if r["decision"] == Disposition.MASK]
            text = sum(1 for r in masked if not r["location"].startswith("attachment:"))
            message = f"已遮蔽{text}处个人信息。"
            if files := len(masked) - text:
                message += (
                    f"附件中有{files}处个人信息须遮蔽，附件不能自动遮蔽："
                    "请退回起草人替换附件，或说明理由后保留。"
                )
            return message
        checklist = {c.value: bool(self.cleaned_data.get(c.value)) for c in SecrecyCheck}
        actions.do_secrecy_review(
            self.record,
            checklist=checklist,
            dispositions=self.dispositions(),
            acting_user=acting_user,
        )
        return "保密审查通过，待审签。"


class ReturnForm(StepForm):
    action = "return"
    title = "退回修改"
    style = "danger"
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 3}))

    def perform(self, *, acting_user) -> str:
        actions.do_return_record(
            self.record, reason=self.cleaned_data["reason"], acting_user=acting_user
        )
        return "已退回起草人修改。"


class ApproveForm(StepForm):
    action = "approve"
    title = "审签发布"
    intro = "审签后立即发布并生成索引号；填写发布时间则到时自动发布（定时发布）。"
    publish_at = forms.DateTimeField(
        label="定时发布时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text="留空则立即发布。",
    )

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError("定时发布时间应晚于现在；立即发布请留空。")
        return value

    def perform(self, *, acting_user) -> str:
        record = actions.do_approve(
            self.record, publish_at=self.cleaned_data.get("publish_at"), acting_user=acting_user
        )
        if record.status == Status.SCHEDULED:
            when = timezone.localtime(record.scheduled_for)
            return f"审签通过，定于{when:%Y-%m-%d %H:%M}发布。"
        return f"已发布，索引号 {record.index_number}。"


class WithdrawForm(StepForm):
    action = "withdraw"
    title = "撤回"
    style = "danger"
    reason = forms.CharField(label="撤回原因", widget=forms.Textarea(attrs={"rows": 3}))

    def perform(self, *, acting_user) -> str:
        actions.do_withdraw_record(
            self.record, reason=self.cleaned_data["reason"], acting_user=acting_user
        )
        return "已撤回。"


class RepublishForm(StepForm):
    action = "republish"
    title = "重新发布"
    intro = "重新发布沿用原索引号。"

    def perform(self, *, acting_user) -> str:
        record = actions.do_republish(self.record, acting_user=acting_user)
        return f"已重新发布，索引号 {record.index_number}。"


class MarkAbolishedForm(StepForm):
    action = "mark_abolished"
    title = "标注有效性"
    intro = "文件失效、废止或被修改时，发布变更并在原文页面显著标注（政府网站发展指引）。"
    validity = forms.ChoiceField(
        label="有效性", choices=[(v.value, v.label) for v in Validity if v is not Validity.VALID]
    )
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    replaced_by = forms.ModelChoiceField(
        label="替代文件", queryset=Record.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Record.objects.published().exclude(pk=self.record.pk)
        if self.user is not None:
            queryset = queryset.restrict(self.user)
        self.fields["replaced_by"].queryset = queryset.order_by("-published_at")
        self.fields["replaced_by"].label_from_instance = lambda r: f"{r.index_number} {r.title}"[
            :120
        ]

    def perform(self, *, acting_user) -> str:
        data = self.cleaned_data
        record = actions.do_mark_abolished(
            self.record,
            validity=data["validity"],
            on=data["on"],
            replaced_by=data.get("replaced_by"),
            acting_user=acting_user,
        )
        return f"已标注为{record.get_validity_display()}。"


STEP_FORMS: dict[str, type[StepForm]] = {
    form.action: form
    for form in (
        SubmitForm,
        SecrecyReviewForm,
        ApproveForm,
        ReturnForm,
        WithdrawForm,
        RepublishForm,
        MarkAbolishedForm,
    )
}
