"""Back-office forms of the catalogue: the item form, spreadsheet import in two steps, templates."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zwgk.catalogue.actions import can_edit_catalogue
from zwgk.catalogue.choices import Channel, DisclosureLevel
from zwgk.catalogue.models import CatalogueItem
from zwgk.catalogue.templates_data import TEMPLATES
from zwgk.organizations.models import Agency
from zwgk.utils.table_import import SignedPayloadForm, TableFileField, dump_rows, load_rows
from zwgk.utils.tabular import Row


class CatalogueItemForm(forms.ModelForm):
    """Channels and levels as check boxes; the agency must be one the user edits."""

    channels = forms.MultipleChoiceField(
        label=_("公开渠道和载体"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    levels = forms.MultipleChoiceField(
        label=_("公开层级"),
        choices=DisclosureLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    acting_user = None  # set per request by CatalogueItemAdmin.get_form

    class Meta:
        model = CatalogueItem
        fields = [
            "agency",
            "parent",
            "sort_order",
            "name",
            "is_active",
            "content",
            "basis",
            "subject",
            "legal_category",
            "deadline_kind",
            "deadline_days",
            "deadline_period",
            "deadline_note",
            "channels",
            "audience",
            "mode",
            "levels",
        ]

    def clean_agency(self):
        agency = self.cleaned_data["agency"]
        if self.instance.pk and agency != self.instance.agency:
            raise ValidationError(_("不能修改目录事项所属的机关。"))
        if not can_edit_catalogue(self.acting_user, agency):
            raise ValidationError(
                _("您不能编辑“%(agency)s”的主动公开基本目录。"), params={"agency": agency}
            )
        return agency


class AgencyChoiceForm(forms.Form):
    """Which agency's catalogue an import, export or template is for."""

    agency = forms.ModelChoiceField(label=_("机关"), queryset=Agency.objects.none())

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class CatalogueImportForm(AgencyChoiceForm):
    """Step 1: choose the agency and upload a 标准目录 sheet; it is previewed as a dry run."""

    file = TableFileField(label=_("标准目录表"))


class ImportConfirmForm(SignedPayloadForm):
    """Step 2: the previewed rows and agency come back signed: what is saved is what was shown."""

    salt = "zwgk.catalogue.import"

    @classmethod
    def for_rows(cls, agency: Agency, rows: list[Row]) -> "ImportConfirmForm":
        return cls.signed({"agency": agency.pk, "rows": dump_rows(rows)})

    def clean_payload(self) -> tuple[int, list[Row]]:
        data = super().clean_payload()
        return data["agency"], load_rows(data["rows"])


class ApplyTemplateForm(AgencyChoiceForm):
    template = forms.ChoiceField(
        label=_("目录模板"),
        choices=[(t.key, f"{t.title}（{t.count()}项）") for t in TEMPLATES.values()],
        widget=forms.RadioSelect,
    )


class ExportForm(AgencyChoiceForm):
    format = forms.ChoiceField(
        label=_("格式"), choices=[("xlsx", "XLSX"), ("csv", "CSV")], initial="xlsx"
    )
