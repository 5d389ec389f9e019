"""``/api/v1/audit-events``: the audit log for supervisors' and administrators' systems."""

from datetime import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from zwgk.api.auth import ApiTokenAuth
from zwgk.audit.models import AuditEvent

router = Router(tags=["审计日志"], auth=ApiTokenAuth())


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    actor_name: str
    agency_id: int | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    summary: str
    changes: dict
    ip_address: str | None


class AuditEventFilter(FilterSchema):
    agency: int | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def filter_agency(self, value: int | None) -> Q:
        return Q(agency_id=value) if value else Q()

    def filter_since(self, value: datetime | None) -> Q:
        return Q(created_at__gte=value) if value else Q()

    def filter_until(self, value: datetime | None) -> Q:
        return Q(created_at__lt=value) if value else Q()


@router.get("/audit-events", response=list[AuditEventOut], summary="审计事件列表")
@paginate
def list_audit_events(request, filters: Query[AuditEventFilter]):
    return filters.filter(AuditEvent.objects.restrict(request.user))


@router.get("/audit-events/{event_id}", response=AuditEventOut, summary="审计事件详情")
def get_audit_event(request, event_id: int):
    return get_object_or_404(AuditEvent.objects.restrict(request.user), pk=event_id)
