"""Writing audit events.  Domain actions call :func:`record_event` inside their transaction."""

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from zwgk.audit.context import client_ip
from zwgk.audit.models import AuditEvent
from zwgk.utils.copy import copy_rows

SYSTEM = "系统"  # the actor name of events no user caused (scheduled jobs)


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
        agency=agency,
        **_columns(
            action,
            actor_name=str(actor) if authenticated else SYSTEM,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj) if obj is not None else "",
            summary=summary,
            changes=changes,
        ),
    )


def _columns(
    action: str,
    *,
    actor_name: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    summary: str,
    changes: dict[str, Any] | None,
) -> dict[str, Any]:
    """The columns of an event that do not name another row: one format for every writer."""
    return {
        "action": action,
        "actor_name": actor_name,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr[:200],
        "summary": summary[:500],
        "changes": changes or {},
        "ip_address": client_ip.get(),
    }


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


# One event of a batch job about a row it holds as plain values, not as an
# instance: (the row's primary key, its agency's id, its str(), the summary).
SystemEntry = tuple[int, int | None, str, str]


def record_system_events(
    action: str, model: type[models.Model], entries: Iterable[SystemEntry]
) -> None:
    """Append the events of a scheduled job (actor 系统) about rows of ``model``.

    The events are those :func:`audit_event` builds for these rows with no
    actor, without loading them as instances; a million of them are streamed
    with COPY on PostgreSQL, elsewhere inserted with ``bulk_create``.  Only
    inside the job's transaction.
    """
    _require_transaction()
    object_type = model._meta.label_lower
    rows = (
        (
            agency_id,
            _columns(
                action,
                actor_name=SYSTEM,
                object_type=object_type,
                object_id=str(pk),
                object_repr=text,
                summary=summary,
                changes=None,
            ),
        )
        for pk, agency_id, text, summary in entries
    )
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(
            (AuditEvent(agency_id=agency_id, **columns) for agency_id, columns in rows),
            batch_size=1000,
        )
        return
    now = timezone.now()  # as auto_now_add stamps the rows of bulk_create
    names = ("action", "actor_name", "object_type", "object_id", "object_repr", "summary")
    copy_rows(
        AuditEvent,
        ("created_at", "agency", *names, "changes", "ip_address"),
        (
            (
                now,
                agency_id,
                *(columns[n] for n in names),
                json.dumps(columns["changes"]),
                columns["ip_address"],
            )
            for agency_id, columns in rows
        ),
    )


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
