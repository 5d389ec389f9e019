"""State changes of agencies: create, update, import from a spreadsheet.

Each action checks permission, validates, runs in one transaction and writes
its audit event there (style: Zulip's ``do_*`` actions).  Agencies are never
deleted — the audit log and every record refer to them — only deactivated.
``acting_user=None`` is the operator at the command line.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zwgk.accounts.choices import Role
from zwgk.accounts.permissions import has_role, require_role
from zwgk.audit.services import diff, record_event, snapshot
from zwgk.organizations.choices import ImportStatus
from zwgk.organizations.models import Agency
from zwgk.organizations.spreadsheet import (
    NAME_HEADER,
    AgencyNames,
    import_order,
    row_errors,
    row_fields,
)
from zwgk.utils.tabular import Row

EDITABLE_FIELDS = frozenset(
    f.name for f in Agency._meta.concrete_fields if f.editable and not f.primary_key
)
AUDITED_FIELDS = [f.attname for f in Agency._meta.concrete_fields if f.name in EDITABLE_FIELDS]


@dataclass(frozen=True)
class RowOutcome:
    number: int
    name: str
    status: ImportStatus
    changed: tuple[str, ...] = ()  # labels of the changed fields, for the preview


@dataclass(frozen=True)
class ImportResult:
    outcomes: list[RowOutcome]
    dry_run: bool

    def count(self, status: ImportStatus) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def summary(self) -> str:
        text = "，".join(f"{status.label}{self.count(status)}个" for status in ImportStatus)
        return f"{text}（试运行，未保存）。" if self.dry_run else f"{text}。"


def can_administer(user, agency: Agency | None) -> bool:
    """系统管理员 of ``agency``'s subtree; top-level agencies are the superuser's."""
    if agency is None:
        return bool(user and user.is_active and user.is_superuser)
    return has_role(user, agency, [Role.ADMIN])


def do_create_agency(*, acting_user, **fields: Any) -> Agency:
    """Create an agency below ``fields["parent"]``; 系统管理员 of the parent's subtree may."""
    agency = Agency(**fields)
    with transaction.atomic():
        _require_administer(acting_user, agency.parent)
        agency.full_clean()
        agency.save()
        record_event(
            "organizations.create_agency",
            actor=acting_user,
            agency=agency,
            obj=agency,
            summary=f"新建机关“{agency.name}”。",
            changes=diff(snapshot(Agency(), AUDITED_FIELDS), snapshot(agency, AUDITED_FIELDS)),
        )
    return agency


def do_update_agency(agency: Agency, *, acting_user, **changes: Any) -> dict[str, list[Any]]:
    """Change fields of ``agency`` and return what changed (``{}``: nothing did).

    Moving an agency needs 系统管理员 rights over the new parent as well.
    ``agency`` is refreshed from the database afterwards.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable agency fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        _require_administer(acting_user, locked)
        before = snapshot(locked, AUDITED_FIELDS)
        for name, value in changes.items():
            setattr(locked, name, value)
        changed = diff(before, snapshot(locked, AUDITED_FIELDS))
        if not changed:
            return {}
        if "parent_id" in changed:
            _require_administer(acting_user, locked.parent)
        locked.full_clean()
        locked.save(update_fields=[*(_field_name(attname) for attname in changed), "updated_at"])
        record_event(
            "organizations.update_agency",
            actor=acting_user,
            agency=locked,
            obj=locked,
            summary=f"修改机关“{locked.name}”：{'、'.join(_labels(changed))}。",
            changes=changed,
        )
    agency.refresh_from_db()
    return changed


def do_import_agencies(rows: Sequence[Row], *, acting_user, dry_run: bool = False) -> ImportResult:
    """Create or update agencies from spreadsheet rows, all or nothing.

    A row whose 标准全称 exists updates that agency, so re-importing a file is
    harmless.  Parents may be existing agencies or other rows, in any order.
    Raises :class:`ValidationError` listing every row error (“第5行：…”) when
    any row fails; nothing is saved then.  ``dry_run`` checks everything,
    saves nothing and returns what would happen.
    """
    ordered = import_order(rows)
    with transaction.atomic():
        names = AgencyNames(rows)
        outcomes: list[RowOutcome] = []
        errors: list[tuple[int, str]] = []
        for row in ordered:
            try:
                outcomes.append(_import_row(row, names, acting_user))
            except (ValidationError, PermissionDenied) as exc:
                names.failed[row.values[NAME_HEADER]] = row.number
                errors.extend((row.number, message) for message in row_errors(row.number, exc))
        if errors:
            # Raising inside the atomic block rolls back the rows already saved.
            raise ValidationError([message for _, message in sorted(errors, key=itemgetter(0))])
        result = ImportResult(sorted(outcomes, key=lambda o: o.number), dry_run)
        touched = [names.known[o.name] for o in outcomes if o.status != ImportStatus.UNCHANGED]
        if touched:
            record_event(
                "organizations.import_agencies",
                actor=acting_user,
                agency=_common_ancestor(touched),
                summary=f"导入机关表：{result.summary}",
                changes={
                    status.value: [o.name for o in result.outcomes if o.status == status]
                    for status in (ImportStatus.CREATED, ImportStatus.UPDATED)
                },
            )
        if dry_run:
            transaction.set_rollback(True)
    return result


def _import_row(row: Row, names: AgencyNames, acting_user) -> RowOutcome:
    fields = row_fields(row, names)
    name = fields["name"]
    existing = names.known.get(name)
    if existing is None:
        names.known[name] = do_create_agency(acting_user=acting_user, **fields)
        return RowOutcome(row.number, name, ImportStatus.CREATED)
    changed = do_update_agency(existing, acting_user=acting_user, **fields)
    if "parent_id" in changed:
        names.reload_paths()
    status = ImportStatus.UPDATED if changed else ImportStatus.UNCHANGED
    return RowOutcome(row.number, name, status, tuple(_labels(changed)))


def _require_administer(acting_user, agency: Agency | None) -> None:
    if acting_user is None:
        return
    if agency is None:
        if not can_administer(acting_user, None):
            raise PermissionDenied("只有平台系统管理员可以管理没有上级机关的机关。")
        return
    require_role(acting_user, agency, [Role.ADMIN])


def _field_name(attname: str) -> str:
    return Agency._meta.get_field(attname).name


def _labels(changed: dict[str, Any]) -> list[str]:
    return [str(Agency._meta.get_field(attname).verbose_name) for attname in changed]


def _common_ancestor(agencies: list[Agency]) -> Agency | None:
    """The lowest agency at or above all of ``agencies``: whose audit log shows the import."""
    common: list[str] = []
    for segments in zip(*(a.path.strip("/").split("/") for a in agencies), strict=False):
        if len(set(segments)) > 1:
            break
        common.append(segments[0])
    return Agency.objects.get(pk=int(common[-1])) if common else None
