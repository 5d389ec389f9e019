from django.contrib import admin
from django.http import Http404
from django.urls import path
from django.utils import timezone

from zwgk.audit.models import AuditEvent
from zwgk.backoffice.mixins import AgencyScopedAdmin
from zwgk.utils.tabular import FORMATS, tabular_response

EXPORT_HEADERS = [
    "时间",
    "操作人",
    "机关",
    "操作",
    "对象类型",
    "对象编号",
    "对象",
    "摘要",
    "客户端IP",
]


@admin.register(AuditEvent)
class AuditEventAdmin(AgencyScopedAdmin):
    """The audit log: read-only, for 系统管理员 and 主管部门 over their subtree."""

    scope_action = "audit"
    list_display = [
        "created_at",
        "actor_name",
        "agency",
        "action",
        "object_repr",
        "summary",
        "ip_address",
    ]
    list_filter = ["action", "created_at", ("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["actor_name", "object_repr", "summary", "object_id", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["agency"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    change_list_template = "admin/audit/auditevent/change_list.html"

    def get_queryset(self, request):
        return AuditEvent.objects.restrict(request.user).select_related("agency")

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="audit_auditevent_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The changelist as filtered and searched, as an XLSX or CSV download."""
        if not self.has_view_permission(request):
            raise Http404
        params = request.GET.copy()
        fmt = params.pop("format", ["xlsx"])[-1]
        if fmt not in FORMATS:
            raise Http404
        request.GET = params
        events = self.get_changelist_instance(request).get_queryset(request)
        rows = (
            [
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_name,
                e.agency.name if e.agency else "",
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                e.summary,
                e.ip_address or "",
            ]
            for e in events.iterator(chunk_size=2000)
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return tabular_response(f"审计日志-{stamp}.{fmt}", EXPORT_HEADERS, rows)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
