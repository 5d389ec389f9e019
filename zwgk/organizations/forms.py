"""Back-office forms for agencies: the edit form and the two steps of a spreadsheet import."""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zwgk.organizations.actions import can_administer
from zwgk.utils.tabular import Row, TabularError, read_table

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a province's whole tree is well under 1 MB
PAYLOAD_SALT = "zwgk.organizations.import"
PAYLOAD_MAX_AGE = 3600  # seconds between the preview and the confirmation


class AgencyAdminForm(forms.ModelForm):
    """Placing an agency below a parent needs 系统管理员 rights over that parent.

    The action checks it too; here it becomes a message on the field instead
    of a refusal page.
    """

    acting_user = None  # set per request by AgencyAdmin.get_form

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        placing = self.instance.pk is None or "parent" in self.changed_data
        if placing and not can_administer(self.acting_user, parent):
            if parent is None:
                raise ValidationError(_("只有平台系统管理员可以管理没有上级机关的机关。"))
            raise ValidationError(
                _("您不是“%(parent)s”的系统管理员，不能把机关设在它下面。"),
                params={"parent": parent},
            )
        return parent


class AgencyImportForm(forms.Form):
    """Step 1: upload a sheet; it is read here and previewed as a dry run."""

    file = forms.FileField(
        label=_("机关表"),
        help_text=_("XLSX 或 CSV（UTF-8 或 GB18030），第一行为表头。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件太大（上限 5 MB）。"))
        try:
            self.table = read_table(upload, upload.name)
        except TabularError as exc:
            raise ValidationError(str(exc)) from exc
        return upload


class ImportConfirmForm(forms.Form):
    """Step 2: the previewed rows come back signed, so what is saved is what was shown."""

    payload = forms.CharField(widget=forms.HiddenInput)

    @classmethod
    def for_rows(cls, rows: list[Row]) -> "ImportConfirmForm":
        data = [[row.number, row.values] for row in rows]
        return cls(initial={"payload": signing.dumps(data, salt=PAYLOAD_SALT, compress=True)})

    def clean_payload(self) -> list[Row]:
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE
            )
        except signing.BadSignature:
            raise ValidationError(_("预览已过期或数据不完整，请重新上传文件。")) from None
        return [Row(number, values) for number, values in data]
