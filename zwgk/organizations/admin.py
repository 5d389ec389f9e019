from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import path
from django.utils.translation import gettext_lazy as _

from zwgk.accounts.permissions import user_scope
from zwgk.backoffice.mixins import AgencyScopedAdmin
from zwgk.organizations.actions import (
    can_administer,
    do_create_agency,
    do_import_agencies,
    do_update_agency,
)
from zwgk.organizations.forms import AgencyAdminForm, AgencyImportForm, ImportConfirmForm
from zwgk.organizations.models import OFFICE_CONTACT_FIELDS, Agency
from zwgk.organizations.reconsideration import ReconsiderationError, reconsideration_body
from zwgk.organizations.spreadsheet import HEADERS, agency_cells
from zwgk.utils.table_import import TableImportAdminMixin
from zwgk.utils.tabular import tabular_response

TREE_INDENT = "\u3000"  # an ideographic space: HTML does not collapse it


@admin.register(Agency)
class AgencyAdmin(TableImportAdminMixin, AgencyScopedAdmin):
    """机关: everyone sees the agencies in their scope; 系统管理员 edit their subtree.

    Nobody deletes an agency (records and the audit log refer to it): it is
    deactivated instead.  Every save goes through the actions, so it is
    validated, permission-checked and audited like an import.
    """

    agency_field = None  # the queryset is of agencies themselves
    form = AgencyAdminForm
    list_display = ["tree_name", "level", "kind", "parent", "division_code", "is_active"]
    list_display_links = ["tree_name"]
    list_filter = ["level", "kind", "vertically_managed", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "credit_code", "org_code", "division_code"]
    # The autocomplete lists only what AgencyScopedAdmin.get_queryset lets the user see.
    autocomplete_fields = ["parent", "supervising_authority"]
    readonly_fields = ["reconsideration"]
    fieldsets = [
        (
            _("基本信息"),
            {
                "fields": [
                    "name",
                    "short_name",
                    "kind",
                    "level",
                    "parent",
                    "sort_order",
                    "is_active",
                ]
            },
        ),
        (_("代码"), {"fields": ["credit_code", "org_code", "division_code", "index_prefix"]}),
        (
            _("垂直管理与行政复议"),
            {"fields": ["vertically_managed", "supervising_authority", "reconsideration"]},
        ),
        (
            _("政府信息公开工作机构"),
            {"fields": list(OFFICE_CONTACT_FIELDS)},
        ),
    ]
    change_list_template = "organizations/admin/agency_change_list.html"
    import_template = "organizations/admin/agency_import.html"
    import_title = _("导入机关表")
    import_headers = HEADERS
    import_confirm_form = ImportConfirmForm
    # Offices type “www.example.gov.cn”; government sites are served over HTTPS.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("标准全称"), ordering="path")
    def tree_name(self, obj: Agency) -> str:
        return TREE_INDENT * max(obj.depth - 1, 0) + obj.name

    @admin.display(description=_("行政复议机关"))
    def reconsideration(self, obj: Agency) -> str:
        if obj.pk is None:
            return _("保存后显示")
        try:
            return str(reconsideration_body(obj))
        except ReconsiderationError as exc:
            return str(exc)

    def has_add_permission(self, request):
        return _administers_any(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return _administers_any(request.user)
        return can_administer(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.acting_user = request.user  # get_form builds a new class per request
        return form

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            do_update_agency(obj, acting_user=request.user, **changes)
        else:
            created = do_create_agency(acting_user=request.user, **form.cleaned_data)
            obj.pk = created.pk
            obj.refresh_from_db()

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name=f"{name}_import"),
            path("export/", view(self.export_view), name=f"{name}_export"),
            path("template/", view(self.template_view), name=f"{name}_template"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The agencies the user may see, as a sheet that re-imports unchanged."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        agencies = self.get_queryset(request).select_related("parent", "supervising_authority")
        return tabular_response(f"机关名录.{fmt}", HEADERS, map(agency_cells, agencies))

    def template_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return tabular_response("机关导入模板.xlsx", HEADERS, [])

    def import_form(self, request, *data):
        return AgencyImportForm(*data)

    def preview_import(self, request, form):
        rows = form.cleaned_data["file"].rows
        result = do_import_agencies(rows, acting_user=request.user, dry_run=True)
        return {"result": result, "confirm": ImportConfirmForm.for_rows(rows)}

    def save_import(self, request, payload):
        result = do_import_agencies(payload, acting_user=request.user)
        return f"导入完成：{result.summary}"


def _administers_any(user) -> bool:
    scope = user_scope(user, "administer")
    return scope.everything or bool(scope.subtree_paths)
