"""State changes of the 主动公开基本目录: items, templates, spreadsheet imports.

Each action checks permission, validates (``full_clean``, Chinese messages),
runs in one transaction and writes its audit event there.  信息员 of an agency
and 系统管理员 over it edit its catalogue; 主管部门 only read.  Items are
never deleted — records refer to them — only deactivated.
``acting_user=None`` is the operator at the command line.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet

from zwgk.accounts.choices import Role
from zwgk.accounts.permissions import has_role, require_role
from zwgk.audit.services import diff, record_event, snapshot
from zwgk.catalogue.choices import ImportStatus
from zwgk.catalogue.models import CatalogueItem
from zwgk.catalogue.spreadsheet import PATH_SEPARATOR, ParsedRow, parse_rows
from zwgk.catalogue.templates_data import TEMPLATES, CatalogueTemplate, TemplateItem
from zwgk.organizations.models import Agency
from zwgk.portal import cache as portal_cache
from zwgk.utils.tabular import Row

EDIT_ROLES = (Role.EDITOR, Role.ADMIN)
EDITABLE_FIELDS = frozenset(
    f.name
    for f in CatalogueItem._meta.concrete_fields
    if f.editable and not f.primary_key and f.name != "agency"
)
AUDITED_FIELDS = [
    f.attname for f in CatalogueItem._meta.concrete_fields if f.name in EDITABLE_FIELDS
]


@dataclass(frozen=True)
class RowOutcome:
    number: int
    name: str  # the name path, “一级事项 > 二级事项”
    status: ImportStatus
    changed: tuple[str, ...] = ()  # labels of the changed fields, for the preview
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    outcomes: list[RowOutcome]
    dry_run: bool

    def count(self, status: ImportStatus) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def warnings(self) -> list[str]:
        return [f"第{o.number}行：{w}" for o in self.outcomes for w in o.warnings]

    @property
    def summary(self) -> str:
        text = "，".join(f"{status.label}{self.count(status)}项" for status in ImportStatus)
        return f"{text}（试运行，未保存）。" if self.dry_run else f"{text}。"


@dataclass(frozen=True)
class TemplateResult:
    template: CatalogueTemplate
    created: int
    existing: int

    @property
    def summary(self) -> str:
        return f"应用目录模板“{self.template.title}”：新建{self.created}项，已有{self.existing}项。"


def can_edit_catalogue(user, agency: Agency) -> bool:
    """信息员 of ``agency``, or 系统管理员 of it or an agency above it."""
    return has_role(user, agency, EDIT_ROLES)


def editable_agencies(user) -> QuerySet[Agency]:
    """The active agencies whose catalogue ``user`` may edit (one query to build)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    agencies = Agency.objects.filter(is_active=True)
    if user.is_superuser:
        return agencies
    condition = Q(pk__in=[])
    for role, agency_id, path in user.memberships.filter(role__in=EDIT_ROLES).values_list(
        "role", "agency_id", "agency__path"
    ):
        condition |= Q(path__startswith=path) if role == Role.ADMIN else Q(pk=agency_id)
    return agencies.filter(condition)


def do_create_catalogue_item(agency: Agency, *, acting_user, **fields: Any) -> CatalogueItem:
    """Add an item to ``agency``'s catalogue (below ``fields["parent"]`` for a 二级事项)."""
    _check_fields(fields)
    with transaction.atomic():
        _require_edit(acting_user, agency)
        item = _create(agency, fields)
        record_event(
            "catalogue.create_item",
            actor=acting_user,
            agency=agency,
            obj=item,
            summary=f"新建目录事项“{item.name}”。",
            changes=_creation_diff(item),
        )
    return item


def do_update_catalogue_item(
    item: CatalogueItem, *, acting_user, **changes: Any
) -> dict[str, list[Any]]:
    """Change fields of ``item`` and return what changed (``{}``: nothing did).

    ``item`` is refreshed from the database afterwards.  Setting
    ``is_active=False`` here deactivates the item alone; use
    :func:`do_deactivate_catalogue_item` to take its subtree with it.
    """
    _check_fields(changes)
    with transaction.atomic():
        locked = CatalogueItem.objects.select_for_update().get(pk=item.pk)
        _require_edit(acting_user, locked.agency)
        changed = _update(locked, changes)
        if changed:
            record_event(
                "catalogue.update_item",
                actor=acting_user,
                agency=locked.agency,
                obj=locked,
                summary=f"修改目录事项“{locked.name}”：{'、'.join(_labels(changed))}。",
                changes=changed,
            )
    item.refresh_from_db()
    return changed


def do_deactivate_catalogue_item(item: CatalogueItem, *, acting_user) -> int:
    """停用 ``item`` and every item below it (soft delete); returns how many were active."""
    with transaction.atomic():
        locked = CatalogueItem.objects.select_for_update().get(pk=item.pk)
        _require_edit(acting_user, locked.agency)
        subtree = CatalogueItem.objects.filter(
            agency_id=locked.agency_id, path__startswith=locked.path, is_active=True
        )
        names = list(subtree.order_by("path").values_list("name", flat=True))
        count = subtree.update(is_active=False)
        if count:
            portal_cache.bump()  # an update() sends no post_save: the guide lists these items
            record_event(
                "catalogue.deactivate_item",
                actor=acting_user,
                agency=locked.agency,
                obj=locked,
                summary=f"停用目录事项“{locked.name}”及其下级事项，共{count}项。",
                changes={"is_active": [True, False], "items": names},
            )
    item.refresh_from_db()
    return count


def do_apply_template(agency: Agency, template_key: str, *, acting_user) -> TemplateResult:
    """Copy a shipped template into ``agency``'s catalogue; re-applying creates nothing twice.

    An item is matched on its name below the same parent, inactive items
    included: what the office already has — edited, or deliberately
    deactivated — is left as it is, and only the missing items are added,
    after the existing ones (序号).
    """
    template = TEMPLATES.get(template_key)
    if template is None:
        raise ValidationError(f"没有目录模板“{template_key}”。可用的模板：{'、'.join(TEMPLATES)}。")
    with transaction.atomic():
        _require_edit(acting_user, agency)
        created: list[str] = []
        existing = _copy_items(agency, None, template.items, template.key, created)
        result = TemplateResult(template, len(created), existing)
        if created:
            record_event(
                "catalogue.apply_template",
                actor=acting_user,
                agency=agency,
                summary=result.summary,
                changes={"template": template.key, "created": created},
            )
    return result


def do_import_catalogue(
    agency: Agency, rows: Sequence[Row], *, acting_user, dry_run: bool = False
) -> ImportResult:
    """Create or update ``agency``'s items from 标准目录 rows, all or nothing.

    A row matches the item with the same 一级事项 and 二级事项 names (inactive
    items too, which the row reactivates), so re-importing a file changes
    nothing.  A 二级事项 whose 一级事项 has no row of its own gets the
    一级事项 created as a bare heading.  Items missing from the file are left
    alone: an import never deactivates.  Raises :class:`ValidationError`
    listing every row error (“第5行：…”); nothing is saved then.  ``dry_run``
    checks everything, saves nothing and returns what would happen.
    """
    with transaction.atomic():
        _require_edit(acting_user, agency)
        parsed, errors = parse_rows(rows)
        known = _items_by_names(agency)
        outcomes: list[RowOutcome] = []
        # Parents before children, whatever the order of the file.
        for row in sorted(parsed, key=lambda r: len(r.names)):
            try:
                outcomes.extend(_import_row(agency, row, known))
            except ValidationError as exc:
                errors.extend((row.number, message) for message in _row_errors(row.number, exc))
        if errors:
            # Raising inside the atomic block rolls back the rows already saved.
            raise ValidationError([message for _, message in sorted(errors, key=itemgetter(0))])
        result = ImportResult(sorted(outcomes, key=lambda o: o.number), dry_run)
        if result.count(ImportStatus.CREATED) or result.count(ImportStatus.UPDATED):
            record_event(
                "catalogue.import",
                actor=acting_user,
                agency=agency,
                summary=f"导入主动公开基本目录：{result.summary}",
                changes={
                    status.value: [o.name for o in result.outcomes if o.status == status]
                    for status in (ImportStatus.CREATED, ImportStatus.UPDATED)
                },
            )
        if dry_run:
            transaction.set_rollback(True)
    return result


def _import_row(
    agency: Agency, row: ParsedRow, known: dict[tuple[str, ...], CatalogueItem]
) -> list[RowOutcome]:
    outcomes = []
    parent = None
    for depth in range(1, len(row.names)):
        prefix = row.names[:depth]
        if prefix not in known:
            # A merged 一级事项 cell without a row of its own: create the heading.
            fields = {"parent": parent, "name": prefix[-1], "sort_order": row.number - 1}
            known[prefix] = _create(agency, fields)
            heading = PATH_SEPARATOR.join(prefix)
            outcomes.append(RowOutcome(row.number, heading, ImportStatus.CREATED))
        parent = known[prefix]
    name = PATH_SEPARATOR.join(row.names)
    existing = known.get(row.names)
    if existing is None:
        fields = {**row.fields, "parent": parent, "name": row.names[-1]}
        known[row.names] = _create(agency, fields)
        outcomes.append(RowOutcome(row.number, name, ImportStatus.CREATED, (), tuple(row.warnings)))
        return outcomes
    changed = _update(existing, {**row.fields, "is_active": True})
    status = ImportStatus.UPDATED if changed else ImportStatus.UNCHANGED
    changed_labels = tuple(_labels(changed))
    outcomes.append(RowOutcome(row.number, name, status, changed_labels, tuple(row.warnings)))
    return outcomes


def _items_by_names(agency: Agency) -> dict[tuple[str, ...], CatalogueItem]:
    """Every item of ``agency`` (inactive too) by its name path, in two queries at most."""
    items = list(CatalogueItem.objects.filter(agency=agency).order_by("path"))
    by_pk = {item.pk: item for item in items}
    names: dict[int, tuple[str, ...]] = {}
    result = {}
    for item in items:  # path order: a parent comes before its children
        parent_names = names.get(item.parent_id, ()) if item.parent_id else ()
        names[item.pk] = (*parent_names, item.name)
        if item.parent_id:
            item.parent = by_pk[item.parent_id]
        result[names[item.pk]] = item
    return result


def _copy_items(
    agency: Agency,
    parent: CatalogueItem | None,
    items: Sequence[TemplateItem],
    template_key: str,
    created: list[str],
) -> int:
    """Create the missing ``items`` below ``parent``; returns how many existed already."""
    siblings = CatalogueItem.objects.filter(agency=agency, parent=parent)
    by_name = {item.name: item for item in siblings}
    next_order = (siblings.aggregate(Max("sort_order"))["sort_order__max"] or 0) + 1
    existing = 0
    for template_item in items:
        item = by_name.get(template_item.name)
        if item is None:
            fields = {**template_item.fields(), "parent": parent, "sort_order": next_order}
            item = _create(agency, fields, template_key=template_key)
            next_order += 1
            created.append(template_item.name)
        else:
            existing += 1
        existing += _copy_items(agency, item, template_item.children, template_key, created)
    return existing


def _create(agency: Agency, fields: dict[str, Any], *, template_key: str = "") -> CatalogueItem:
    item = CatalogueItem(agency=agency, template_key=template_key, **fields)
    item.full_clean()
    item.save()
    return item


def _update(item: CatalogueItem, changes: dict[str, Any]) -> dict[str, list[Any]]:
    before = snapshot(item, AUDITED_FIELDS)
    for name, value in changes.items():
        setattr(item, name, value)
    changed = diff(before, snapshot(item, AUDITED_FIELDS))
    if changed:
        item.full_clean()
        item.save(update_fields=[*(_field_name(attname) for attname in changed), "updated_at"])
    return changed


def _creation_diff(item: CatalogueItem) -> dict[str, list[Any]]:
    return diff(snapshot(CatalogueItem(), AUDITED_FIELDS), snapshot(item, AUDITED_FIELDS))


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable catalogue item fields: {sorted(unknown)}")


def _require_edit(acting_user, agency: Agency) -> None:
    if acting_user is None:
        return
    require_role(acting_user, agency, EDIT_ROLES)


def _field_name(attname: str) -> str:
    return CatalogueItem._meta.get_field(attname).name


def _labels(changed: dict[str, Any]) -> list[str]:
    return [str(CatalogueItem._meta.get_field(attname).verbose_name) for attname in changed]


def _row_errors(number: int, error: ValidationError) -> list[str]:
    """“第5行：…” messages, each naming its column unless the message already does."""
    if not hasattr(error, "error_dict"):
        return [f"第{number}行：{message}" for message in error.messages]
    messages = []
    for field, field_messages in error.message_dict.items():
        label = ""
        if field != NON_FIELD_ERRORS:
            label = str(CatalogueItem._meta.get_field(field).verbose_name)
        for message in field_messages:
            labelled = message if not label or message.startswith(label) else f"{label}：{message}"
            messages.append(f"第{number}行：{labelled}")
    return messages
