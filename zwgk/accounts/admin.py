from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zwgk.accounts.actions import (
    do_grant_role,
    do_revoke_api_token,
    do_revoke_role,
    do_save_user,
)
from zwgk.accounts.models import ApiToken, Membership, User
from zwgk.backoffice.mixins import AgencyScopedAdmin
from zwgk.organizations.models import Agency


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Staff accounts and tokens are the platform administrator's business."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: the audit log refers to them.
        return False


@admin.register(User)
class UserAdmin(SuperuserOnlyAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser", "memberships__role"]
    search_fields = ["username", "full_name", "email", "phone"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["full_name", "email", "phone"]}),
        (_("状态"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("时间"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        do_save_user(obj, acting_user=request.user)


@admin.register(Membership)
class MembershipAdmin(AgencyScopedAdmin):
    """岗位角色: 系统管理员 grant and revoke roles within their subtree."""

    scope_action = "administer"
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role", ("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__full_name", "agency__name"]
    list_select_related = ["user", "agency"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # a role is granted or revoked, never edited

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.restrict(request.user, "administer")
        elif db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(is_active=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        try:
            saved = do_grant_role(obj.user, obj.agency, obj.role, acting_user=request.user)
        except ValidationError as error:
            self.message_user(request, error.messages[0], messages.ERROR)
            return
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        do_revoke_role(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "agency"):
            do_revoke_role(membership, acting_user=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(SuperuserOnlyAdmin):
    """接口令牌 are issued with ``zwgk api-token create``; here they are listed and revoked."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "user__username", "name"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("吊销所选令牌"))
    def revoke_selected(self, request, queryset):
        for token in queryset:
            do_revoke_api_token(token, acting_user=request.user)
        self.message_user(request, f"已吊销 {len(queryset)} 个令牌。")
