from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from zwgk.backoffice.mixins import AgencyScopedAdmin
from zwgk.catalogue.actions import (
    can_edit_catalogue,
    do_apply_template,
    do_create_catalogue_item,
    do_deactivate_catalogue_item,
    do_import_catalogue,
    do_update_catalogue_item,
    editable_agencies,
)
from zwgk.catalogue.forms import (
    ApplyTemplateForm,
    CatalogueImportForm,
    CatalogueItemForm,
    ExportForm,
    ImportConfirmForm,
)
from zwgk.catalogue.models import CatalogueItem
from zwgk.catalogue.spreadsheet import HEADERS, catalogue_rows
from zwgk.catalogue.templates_data import TEMPLATES
from zwgk.organizations.models import Agency
from zwgk.utils.table_import import TableImportAdminMixin
from zwgk.utils.tabular import tabular_response

TREE_INDENT = "\u3000"  # an ideographic space: HTML does not collapse it


@admin.register(CatalogueItem)
class CatalogueItemAdmin(TableImportAdminMixin, AgencyScopedAdmin):
    """主动公开基本目录: everyone sees the catalogues of their scope, 信息员 edit their agency's.

    The list is each agency's tree, indented.  Nobody deletes an item
    (records refer to it): “停用” deactivates it and the items below it.
    Every save goes through the actions, so it is validated,
    permission-checked and audited like an import.
    """

    form = CatalogueItemForm
    list_display = [
        "tree_name",
        "agency",
        "deadline",
        "channel_list",
        "audience",
        "mode",
        "legal_category",
        "is_active",
    ]
    list_display_links = ["tree_name"]
    list_filter = [
        ("agency", admin.RelatedOnlyFieldListFilter),
        "deadline_kind",
        "mode",
        "audience",
        "legal_category",
        "is_active",
    ]
    list_select_related = ["agency"]
    search_fields = ["name", "content", "basis", "subject"]
    autocomplete_fields = ["agency", "parent"]
    ordering = ["agency__path", "agency_id", "path"]
    list_per_page = 200
    actions = ["deactivate_selected"]
    readonly_fields = ["template_key", "created_at", "updated_at"]
    fieldsets = [
        (_("公开事项"), {"fields": ["agency", "parent", "sort_order", "name", "is_active"]}),
        (_("公开内容"), {"fields": ["content", "basis", "subject", "legal_category"]}),
        (
            _("公开时限"),
            {"fields": ["deadline_kind", "deadline_days", "deadline_period", "deadline_note"]},
        ),
        (_("公开渠道与范围"), {"fields": ["channels", "audience", "mode", "levels"]}),
        (_("记录"), {"fields": ["template_key", "created_at", "updated_at"]}),
    ]
    change_list_template = "catalogue/admin/item_change_list.html"
    import_template = "catalogue/admin/item_import.html"
    import_title = _("导入主动公开基本目录")
    import_headers = HEADERS
    import_confirm_form = ImportConfirmForm

    @admin.display(description=_("公开事项"), ordering="path")
    def tree_name(self, obj: CatalogueItem) -> str:
        return TREE_INDENT * (obj.depth - 1) + obj.name

    @admin.display(description=_("公开时限"))
    def deadline(self, obj: CatalogueItem) -> str:
        return obj.deadline_text

    @admin.display(description=_("公开渠道和载体"))
    def channel_list(self, obj: CatalogueItem) -> str:
        return "、".join(obj.channel_labels())

    def has_add_permission(self, request):
        # Asked many times per page (object tools, actions, each app list): once per request.
        if not hasattr(request, "_catalogue_editor"):
            request._catalogue_editor = editable_agencies(request.user).exists()
        return request._catalogue_editor

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return can_edit_catalogue(request.user, obj.agency)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.acting_user = request.user  # get_form builds a new class per request
        return form

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            changes.pop("agency", None)  # the form refuses a change of agency
            do_update_catalogue_item(obj, acting_user=request.user, **changes)
        else:
            fields = dict(form.cleaned_data)
            agency = fields.pop("agency")
            created = do_create_catalogue_item(agency, acting_user=request.user, **fields)
            obj.pk = created.pk
            obj.refresh_from_db()

    @admin.action(description=_("停用所选事项（含下级事项）"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        count = 0
        for item in queryset.select_related("agency"):
            if not can_edit_catalogue(request.user, item.agency):
                messages.error(request, f"您不能编辑“{item.agency}”的目录，未停用“{item}”。")
                continue
            count += do_deactivate_catalogue_item(item, acting_user=request.user)
        messages.success(request, f"已停用{count}个目录事项。")

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name=f"{name}_import"),
            path("export/", view(self.export_view), name=f"{name}_export"),
            path("template/", view(self.template_view), name=f"{name}_template"),
            path("apply-template/", view(self.apply_template_view), name=f"{name}_apply_template"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """One agency's active catalogue as the 标准目录 sheet; it re-imports unchanged."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        agencies = Agency.objects.restrict(request.user, "view")
        form = ExportForm(request.GET or None, agencies=agencies)
        if not form.is_valid():
            return self._page(
                request, "item_export.html", _("导出主动公开基本目录"), form=form, headers=HEADERS
            )
        agency, fmt = form.cleaned_data["agency"], form.cleaned_data["format"]
        items = CatalogueItem.objects.filter(agency=agency).active().tree()
        return tabular_response(
            f"{agency.name}主动公开基本目录.{fmt}", HEADERS, catalogue_rows(items)
        )

    def template_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return tabular_response("主动公开基本目录导入模板.xlsx", HEADERS, [])

    def apply_template_view(self, request):
        """Copy a shipped template into an agency's catalogue; only missing items are added."""
        agencies = editable_agencies(request.user)
        if not agencies.exists():
            raise PermissionDenied
        form = ApplyTemplateForm(request.POST or None, agencies=agencies)
        if request.method == "POST" and form.is_valid():
            result = do_apply_template(
                form.cleaned_data["agency"], form.cleaned_data["template"], acting_user=request.user
            )
            messages.success(request, f"{form.cleaned_data['agency']}：{result.summary}")
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        title = _("应用目录模板")
        return self._page(
            request, "apply_template.html", title, form=form, templates=TEMPLATES.values()
        )

    def import_form(self, request, *data):
        return CatalogueImportForm(*data, agencies=editable_agencies(request.user))

    def preview_import(self, request, form):
        agency, rows = form.cleaned_data["agency"], form.cleaned_data["file"].rows
        result = do_import_catalogue(agency, rows, acting_user=request.user, dry_run=True)
        return {
            "result": result,
            "confirm": ImportConfirmForm.for_rows(agency, rows),
            "agency": agency,
        }

    def save_import(self, request, payload):
        """The agency signed into the payload must still be one the user edits."""
        agency_id, rows = payload
        agency = editable_agencies(request.user).filter(pk=agency_id).first()
        if agency is None:
            raise PermissionDenied
        result = do_import_catalogue(agency, rows, acting_user=request.user)
        return f"{agency}：导入完成，{result.summary}"

    def _page(self, request, template: str, title, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **context,
        }
        return TemplateResponse(request, f"catalogue/admin/{template}", context)
