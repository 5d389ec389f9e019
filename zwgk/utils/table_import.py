"""Spreadsheet imports in the back office: upload → preview (a dry run) → signed confirm → save.

The catalogue (per agency) and the agency tree are imported the same way:
the uploaded sheet is read by a :class:`TableFileField`, the import runs once
as a dry run that lists every row error, and the preview page carries the
rows back signed in a :class:`SignedPayloadForm`, so that what is saved is
exactly what was shown.  :class:`TableImportAdminMixin` is that page.
"""

from typing import Any, ClassVar, Self

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from zwgk.utils.tabular import Row, Table, TabularError, read_table

# A province's agency tree or a county's whole catalogue is well under 1 MB.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PAYLOAD_MAX_AGE = 3600  # seconds between the preview and the confirmation


class TableFileField(forms.FileField):
    """An uploaded XLSX or CSV sheet, cleaned to the :class:`Table` read from it.

    A file that is too large or cannot be read is an error on the field, in Chinese.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("XLSX 或 CSV（UTF-8 或 GB18030），第一行为表头。"))
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Table | None:
        upload = super().clean(data, initial)
        if not upload:  # an optional field left empty
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件太大（上限 5 MB）。"))
        try:
            return read_table(upload, upload.name)
        except TabularError as exc:
            raise ValidationError(str(exc)) from exc


class SignedPayloadForm(forms.Form):
    """The confirmation step: the previewed data comes back signed and unchanged.

    Each import sets its own ``salt``, so one import's payload is refused by
    another; a payload older than :data:`PAYLOAD_MAX_AGE` is refused too.
    """

    salt: ClassVar[str]

    payload = forms.CharField(widget=forms.HiddenInput)

    @classmethod
    def signed(cls, data: Any) -> Self:
        """The unbound form carrying ``data`` (anything JSON can hold), signed."""
        return cls(initial={"payload": signing.dumps(data, salt=cls.salt, compress=True)})

    def clean_payload(self) -> Any:
        try:
            return signing.loads(
                self.cleaned_data["payload"], salt=self.salt, max_age=PAYLOAD_MAX_AGE
            )
        except signing.BadSignature:
            raise ValidationError(_("预览已过期或数据不完整，请重新上传文件。")) from None


def dump_rows(rows: list[Row]) -> list[list[Any]]:
    """Rows as JSON data for a signed payload; :func:`load_rows` reads them back."""
    return [[row.number, row.values] for row in rows]


def load_rows(data: list[list[Any]]) -> list[Row]:
    return [Row(number, values) for number, values in data]


class TableImportAdminMixin:
    """The ``import_view`` of a ModelAdmin, for users it lets add (``has_add_permission``).

    A POST with a file is read by the upload form and previewed:
    :meth:`preview_import` runs the import as a dry run.  A POST with the
    signed ``payload`` of a preview is checked by ``import_confirm_form`` (a
    :class:`SignedPayloadForm`) and saved by :meth:`save_import`.  Either may
    raise ``ValidationError`` (one message per row error, nothing saved): the
    messages are listed above the upload form.

    The ModelAdmin routes ``import/`` to :meth:`import_view`, sets the class
    attributes below (``import_template`` extends
    ``admin/table_import.html``; ``import_headers`` are the
    columns the sheet may have) and implements the three methods that raise
    ``NotImplementedError``.
    """

    import_template: str
    import_title: str
    import_headers: list[str]
    import_confirm_form: type[SignedPayloadForm]

    def import_form(self, request, *data) -> forms.Form:
        """The upload form, with a :class:`TableFileField` ``file``; bound to ``data`` if given."""
        raise NotImplementedError

    def preview_import(self, request, form) -> dict[str, Any]:
        """The dry run of a valid upload as context: ``result``, signed ``confirm``, and more."""
        raise NotImplementedError

    def save_import(self, request, payload) -> str:
        """Save the confirmed ``payload``; the success message."""
        raise NotImplementedError

    def import_view(self, request):
        """Upload → preview (a dry run listing every row error) → confirm → save."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return self._import_page(request, self.import_form(request))
        if "payload" in request.POST:
            blank = self.import_form(request)
            confirm = self.import_confirm_form(request.POST)
            if not confirm.is_valid():
                return self._import_page(request, blank, confirm.errors["payload"])
            try:
                message = self.save_import(request, confirm.cleaned_data["payload"])
            except ValidationError as exc:
                return self._import_page(request, blank, exc.messages)
            messages.success(request, message)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        form = self.import_form(request, request.POST, request.FILES)
        if not form.is_valid():
            return self._import_page(request, form)
        try:
            preview = self.preview_import(request, form)
        except ValidationError as exc:
            return self._import_page(request, form, exc.messages)
        return self._import_page(request, form, **preview)

    def _import_page(self, request, form, errors=(), **extra) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.import_title,
            "headers": self.import_headers,
            "form": form,
            "errors": errors,
            **extra,
        }
        return TemplateResponse(request, self.import_template, context)
