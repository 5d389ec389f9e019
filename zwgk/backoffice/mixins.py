"""What every back-office ModelAdmin of agency-owned content shares."""

from django.contrib import admin

from zwgk.accounts.permissions import restrict, user_scope


class AgencyScopedAdmin(admin.ModelAdmin):
    """Lists and detail pages narrowed by the permission layer, not by Django model permissions.

    ``scope_action`` names the permission-layer action that decides what a user
    sees (``view``; ``audit`` for the audit log); ``agency_field`` the path to
    the owning agency.  Subclasses decide who may add and change.
    """

    scope_action = "view"
    agency_field = "agency"

    def get_queryset(self, request):
        return restrict(
            super().get_queryset(request),
            request.user,
            self.scope_action,
            agency_field=self.agency_field,
        )

    def has_module_permission(self, request):
        return not user_scope(request.user, self.scope_action).is_empty

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)
