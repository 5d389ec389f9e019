"""Back-office forms for agencies: the edit form and the two steps of a spreadsheet import."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zwgk.organizations.actions import can_administer
from zwgk.utils.table_import import SignedPayloadForm, TableFileField, dump_rows, load_rows
from zwgk.utils.tabular import Row


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

    file = TableFileField(label=_("机关表"))


class ImportConfirmForm(SignedPayloadForm):
    """Step 2: the previewed rows come back signed, so what is saved is what was shown."""

    salt = "zwgk.organizations.import"

    @classmethod
    def for_rows(cls, rows: list[Row]) -> "ImportConfirmForm":
        return cls.signed(dump_rows(rows))

    def clean_payload(self) -> list[Row]:
        return load_rows(super().clean_payload())
