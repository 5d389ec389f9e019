"""Public forms of 依申请公开: the online application (条例第二十九条) and the progress query."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zwgk.disclosure_requests.actions import APPLICATION_FIELDS
from zwgk.disclosure_requests.choices import (
    ApplicantType,
    Delivery,
    IdentityDocument,
    ProvisionForm,
)
from zwgk.disclosure_requests.models import DisclosureRequest
from zwgk.organizations.choices import AgencyKind
from zwgk.organizations.models import Agency

# The honeypot: a plausible name that autofilling bots fill in, hidden from people.
HONEYPOT_FIELD = "homepage"

ORGANISATION_TYPES = [t for t in ApplicantType if t.is_organisation]


def agency_choices() -> list:
    """Active agencies grouped under the government they belong to, in tree order.

    Rendered as ``<optgroup>``s, one per 人民政府 (itself first, then its departments).
    """
    agencies = list(Agency.objects.filter(is_active=True).order_by("path"))
    by_pk = {a.pk: a for a in agencies}
    groups: dict[int | None, list] = {}
    labels: dict[int | None, str] = {}
    for agency in agencies:
        government = agency
        while government.kind != AgencyKind.GOVERNMENT and government.parent_id in by_pk:
            government = by_pk[government.parent_id]
        key = government.pk if government.kind == AgencyKind.GOVERNMENT else None
        labels[key] = government.name if key else "其他机关"
        groups.setdefault(key, []).append((str(agency.pk), agency.name))
    return [("", "请选择受理机关"), *((labels[key], options) for key, options in groups.items())]


class ApplicationForm(forms.ModelForm):
    """条例第二十九条: who applies, what information, in which form and how delivered.

    The model's ``clean`` checks the identity document (GB 11643, GB 32100) and
    requires a 联系人 for organisations; its errors land on the fields.
    """

    agency = forms.ModelChoiceField(
        label=_("受理机关"),
        queryset=Agency.objects.filter(is_active=True),
        help_text=_("请选择掌握所需政府信息的行政机关。"),
        error_messages={
            "required": _("请选择受理机关。"),
            "invalid_choice": _("请选择列表中的受理机关。"),
        },
    )
    applicant_type = forms.ChoiceField(
        label=_("申请人类型"),
        choices=ApplicantType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择申请人类型。")},
    )
    provision_form = forms.ChoiceField(
        label=_("提供形式"),
        choices=ProvisionForm.choices,
        widget=forms.RadioSelect,
        initial=ProvisionForm.ELECTRONIC,
        error_messages={"required": _("请选择提供形式。")},
    )
    delivery = forms.ChoiceField(
        label=_("获取方式"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        initial=Delivery.ONLINE,
        error_messages={"required": _("请选择获取方式。")},
    )
    homepage = forms.CharField(label=_("请勿填写此项"), required=False)

    class Meta:
        model = DisclosureRequest
        fields = ("agency", *APPLICATION_FIELDS)
        labels = {
            "applicant_name": _("姓名或名称"),
            "description": _("所需政府信息的名称、文号或者便于查询的其他特征性描述"),
            "purpose": _("用途（选填）"),
        }
        help_texts = {
            "applicant_name": _("自然人填写姓名；法人或者其他组织填写全称。"),
            "id_type": _("法人或者其他组织可选统一社会信用代码证。"),
            "id_number": _("居民身份证号码为18位，末位可以是X。"),
            "contact_person": _("法人或者其他组织申请的必填。"),
            "phone": _("用于工作人员与您确认申请，请填写能接通的号码。"),
            "email": _("选择电子邮件获取的，请填写。"),
            "address": _("选择邮寄的，请填写。"),
            "postcode": _("6位数字。"),
            "description": _("请尽量写明文件名称、文号、制作机关、时间等，便于准确查找。"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))

    def _get_validation_exclusions(self):
        # The agency field has already read the agency (an active one) from the
        # database; the model's validation would ask again whether it exists.
        return {*super()._get_validation_exclusions(), "agency"}

    def application_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in APPLICATION_FIELDS}

    def clean(self):
        cleaned = super().clean()
        delivery = cleaned.get("delivery")
        if delivery == Delivery.EMAIL and not cleaned.get("email"):
            self.add_error("email", "选择电子邮件获取的，请填写电子邮箱。")
        if delivery == Delivery.POST and not cleaned.get("address"):
            self.add_error("address", "选择邮寄的，请填写通信地址。")
        return cleaned

    def applicant_type_groups(self):
        """The radio buttons: 自然人, then 法人或其他组织 with its five sub-types."""
        options = {str(radio.data["value"]): radio for radio in self["applicant_type"]}
        return {
            "person": options[ApplicantType.NATURAL_PERSON.value],
            "organisations": [options[t.value] for t in ORGANISATION_TYPES],
        }


def _postcode(value: str) -> None:
    if value and not (len(value) == 6 and value.isascii() and value.isdigit()):
        raise forms.ValidationError("邮政编码应为6位数字。")


def _customise(fields: dict) -> None:
    """Once, on the class's fields (each form copies them): every submission builds a form."""
    # Read when the select is rendered, not for every submission (the API never renders it).
    fields["agency"].choices = agency_choices
    fields["id_type"].choices = [("", "请选择证件类型"), *IdentityDocument.choices]
    fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
    for field in fields.values():
        verb = "请选择" if isinstance(field, forms.ChoiceField) else "请填写"
        field.error_messages["required"] = format_lazy("{}{}。", verb, field.label)
    fields["email"].error_messages["invalid"] = "请填写有效的电子邮箱地址。"
    fields["postcode"].validators.append(_postcode)


_customise(ApplicationForm.base_fields)


class QueryForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("查询码"),
        max_length=16,
        error_messages={"required": _("请填写查询码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    password = forms.CharField(
        label=_("查询密码"),
        max_length=32,
        error_messages={"required": _("请填写查询密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("我确认撤回本申请，撤回后该申请办结，不再办理。"),
        error_messages={"required": _("请勾选确认后再撤回。")},
    )
    reason = forms.CharField(
        label=_("撤回理由（选填）"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
