from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from zwgk.organizations.models import Agency
from zwgk.portal.actions import do_update_site_profile
from zwgk.portal.models import SINGLETON_PK, SiteProfile


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    """One row, edited by superusers (系统管理员) only; the list page opens that row."""

    fieldsets = [
        (None, {"fields": ["name", "owner"]}),
        (_("备案与标识"), {"fields": ["site_code", "icp_record", "public_security_record"]}),
        (_("页脚"), {"fields": ["footer_note"]}),
    ]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request) and not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if SiteProfile.objects.exists():
            return redirect("admin:portal_siteprofile_change", SINGLETON_PK)
        return redirect("admin:portal_siteprofile_add")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = Agency.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        do_update_site_profile(obj, acting_user=request.user)
