"""The agency spreadsheet: one row per agency, Chinese headers, for import and export.

The headers are the fields' own labels (标准全称, 机关类型, 上级机关, …), choices
are written and read by their Chinese labels, booleans as 是/否 and the two
references (上级机关, 上一级主管部门) by 标准全称, so that a county can fill the
sheet by hand and an export re-imports unchanged.
"""

from collections.abc import Iterable, Sequence
from graphlib import CycleError, TopologicalSorter
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models

from zwgk.organizations.models import OFFICE_CONTACT_FIELDS, Agency
from zwgk.utils.tabular import Row, write_table

COLUMN_FIELDS = [
    "name",
    "short_name",
    "kind",
    "level",
    "parent",
    "credit_code",
    "org_code",
    "division_code",
    "index_prefix",
    "vertically_managed",
    "supervising_authority",
    *OFFICE_CONTACT_FIELDS,
    "sort_order",
    "is_active",
]
FIELDS_BY_HEADER = {
    str(field.verbose_name): field for field in map(Agency._meta.get_field, COLUMN_FIELDS)
}
HEADERS = list(FIELDS_BY_HEADER)
NAME_HEADER = str(Agency._meta.get_field("name").verbose_name)
REFERENCE_HEADERS = [h for h, f in FIELDS_BY_HEADER.items() if isinstance(f, models.ForeignKey)]
YES, NO = "是", "否"


class AgencyNames:
    """Agencies by 标准全称 during one import: existing, saved so far, and rows that failed."""

    def __init__(self, rows: Sequence[Row]) -> None:
        names = {value for row in rows for value in _names_in(row)}
        self.known: dict[str, Agency] = {a.name: a for a in Agency.objects.filter(name__in=names)}
        self.failed: dict[str, int] = {}

    def resolve(self, label: str, name: str) -> Agency:
        if name in self.known:
            return self.known[name]
        if name in self.failed:
            raise ValidationError(f"{label}“{name}”所在的第{self.failed[name]}行有错误。")
        raise ValidationError(f"{label}“{name}”不存在。")

    def reload_paths(self) -> None:
        """After a row moved an agency, the paths of everything below it changed in the database."""
        paths = dict(
            Agency.objects.filter(pk__in=[a.pk for a in self.known.values()]).values_list(
                "pk", "path"
            )
        )
        for agency in self.known.values():
            agency.path = paths[agency.pk]


def import_order(rows: Sequence[Row]) -> list[Row]:
    """The rows in an order that saves every parent before its children.

    Raises :class:`ValidationError` for what makes the file unusable as a whole:
    no rows, unknown columns, missing or repeated 标准全称, circular references.
    """
    if not rows:
        raise ValidationError("文件中没有数据行。")
    _check_headers(rows[0].values)
    by_name: dict[str, Row] = {}
    errors = []
    for row in rows:
        name = row.values[NAME_HEADER]
        if not name:
            errors.append(f"第{row.number}行：{NAME_HEADER}不能为空。")
        elif name in by_name:
            errors.append(
                f"第{row.number}行：{NAME_HEADER}“{name}”与第{by_name[name].number}行重复。"
            )
        else:
            by_name[name] = row
    if errors:
        raise ValidationError(errors)
    graph = {
        name: set(_names_in(row, references_only=True)) & by_name.keys()
        for name, row in by_name.items()
    }
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = exc.args[1]
        numbers = "、".join(str(by_name[name].number) for name in dict.fromkeys(cycle))
        raise ValidationError(
            f"第{numbers}行：上级机关或上一级主管部门循环引用（{' → '.join(cycle)}）。"
        ) from exc
    return [by_name[name] for name in order]


def row_fields(row: Row, names: AgencyNames) -> dict[str, Any]:
    """The model field values of one row; only the columns the file has are included."""
    fields, errors = {}, {}
    for header, text in row.values.items():
        field = FIELDS_BY_HEADER[header]
        try:
            fields[field.name] = _parse(field, text, names)
        except ValidationError as exc:
            errors[field.name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return fields


def row_errors(number: int, error: ValidationError | PermissionDenied) -> list[str]:
    """“第5行：…” messages, each naming its column unless the message already does."""
    if isinstance(error, PermissionDenied):
        messages = [str(error)]
    elif hasattr(error, "error_dict"):
        messages = [
            _labelled(field, message)
            for field, field_messages in error.message_dict.items()
            for message in field_messages
        ]
    else:
        messages = error.messages
    return [f"第{number}行：{message}" for message in messages]


def agency_cells(agency: Agency) -> list[Any]:
    """One export row; use with ``select_related("parent", "supervising_authority")``."""
    return [_format(field, getattr(agency, field.name)) for field in FIELDS_BY_HEADER.values()]


def write_agencies(file: IO[bytes], fmt: str, agencies: Iterable[Agency]) -> None:
    """Write the agency sheet; with no agencies it is the empty import template."""
    write_table(file, fmt, HEADERS, (agency_cells(agency) for agency in agencies))


def _check_headers(values: dict[str, str]) -> None:
    unknown = [header for header in values if header not in FIELDS_BY_HEADER]
    if unknown:
        raise ValidationError(f"未知的列：{'、'.join(unknown)}。可用的列：{'、'.join(HEADERS)}。")
    if NAME_HEADER not in values:
        raise ValidationError(f"缺少“{NAME_HEADER}”列。")


def _names_in(row: Row, *, references_only: bool = False) -> list[str]:
    headers = REFERENCE_HEADERS if references_only else [NAME_HEADER, *REFERENCE_HEADERS]
    return [row.values[h] for h in headers if row.values.get(h)]


def _parse(field: models.Field, text: str, names: AgencyNames) -> Any:
    label = str(field.verbose_name)
    if not text:
        # A blank cell is the field's default ("", 否, 0); full_clean refuses required ones.
        return field.get_default()
    if isinstance(field, models.ForeignKey):
        return names.resolve(label, text)
    if field.choices:
        return _choice(field, label, text)
    if isinstance(field, models.BooleanField):
        if text not in (YES, NO):
            raise ValidationError(f"{label}应填“{YES}”或“{NO}”，不能是“{text}”。")
        return text == YES
    if isinstance(field, models.IntegerField):
        try:
            return int(text)
        except ValueError:
            raise ValidationError(f"{label}应为整数，不能是“{text}”。") from None
    return text


def _choice(field: models.Field, label: str, text: str) -> str:
    """A choice by its Chinese label (人民政府) or its stored value (government)."""
    for value, choice_label in field.flatchoices:
        if text in (value, str(choice_label)):
            return value
    allowed = "、".join(str(choice_label) for _, choice_label in field.flatchoices)
    raise ValidationError(f"{label}“{text}”无效，应为：{allowed}。")


def _format(field: models.Field, value: Any) -> Any:
    if isinstance(field, models.ForeignKey):
        return value.name if value is not None else ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return YES if value else NO
    return value


def _labelled(field: str, message: str) -> str:
    if field == NON_FIELD_ERRORS:
        return message
    label = str(Agency._meta.get_field(field).verbose_name)
    return message if message.startswith(label) else f"{label}：{message}"
