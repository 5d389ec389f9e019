"""Writing audit events.  Domain actions call :func:`record_event` inside their transaction."""

from typing import Any

from django.db import models, transaction

from zwgk.audit.context import client_ip
from zwgk.audit.models import AuditEvent


def audit_event(
    action: str,
    *,
    actor=None,
    agency=None,
    obj: models.Model | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """An unsaved audit event, with the client address of the current request."""
    authenticated = actor is not None and actor.is_authenticated
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_name=str(actor) if authenticated else "系统",
        agency=agency,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        summary=summary,
        changes=changes or {},
        ip_address=client_ip.get(),
    )


def record_event(action: str, **fields: Any) -> AuditEvent:
    """Append one audit event (:func:`audit_event`); only inside the action's transaction."""
    _require_transaction()
    event = audit_event(action, **fields)
    event.save()
    return event


def record_events(events: list[AuditEvent]) -> None:
    """Append many events built with :func:`audit_event` in one insert (batch jobs)."""
    _require_transaction()
    AuditEvent.objects.bulk_create(events, batch_size=1000)


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must be called inside the action's transaction")


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed (as strings, JSON-safe)."""
    return {
        key: [_plain(before.get(key)), _plain(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` (foreign keys by id)."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: getattr(obj, name) for name in names}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
