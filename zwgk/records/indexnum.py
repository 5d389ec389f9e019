"""索引号: per-agency templates and the serial counter behind them.

There is no national format for the 索引号 (rules.md §2): gov.cn writes
``000014349/2018-00222`` (组织机构代码 / year - five-digit serial), others use
the 统一社会信用代码 (``113708280043326001/2024-02411``) or their own prefix
(``KZ044-2018-000180``).  So each agency has a template
(:class:`~zwgk.records.models.IndexNumberTemplate`) in Python format syntax
with these placeholders:

- ``{org_code}`` — Agency.org_code (组织机构代码)
- ``{credit_code}`` — Agency.credit_code (统一社会信用代码)
- ``{prefix}`` — Agency.index_prefix (索引号前缀)
- ``{year}`` — the year of publication
- ``{serial}`` — the serial within the agency and year, e.g. ``{serial:05d}``

The serial is unique per agency per year and restarts each year; it is taken
inside the publishing transaction from a locked counter row
(:class:`~zwgk.records.models.IndexSerial`), so two editors publishing at the
same moment never share a number and a rolled-back publication leaves no gap.
"""

import string

from django.core.exceptions import ValidationError
from django.db import transaction

PLACEHOLDERS = {
    "org_code": "组织机构代码",
    "credit_code": "统一社会信用代码",
    "prefix": "索引号前缀",
    "year": "年份",
    "serial": "流水号",
}
# Without both, two records of different years could render the same 索引号.
REQUIRED = ("year", "serial")
DEFAULT_TEMPLATE = "{prefix}/{year}-{serial:05d}"
_SAMPLE = {
    "org_code": "000014349",
    "credit_code": "113708280043326001",
    "prefix": "KZ044",
    "year": 2024,
    "serial": 1,
}


def template_fields(template: str) -> list[str]:
    """The placeholder names of ``template``; raise ValidationError on bad syntax."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValidationError(
            f"索引号模板格式错误（花括号不成对？）：{template}", code="syntax"
        ) from exc


def validate_index_template(template: str) -> None:
    """Refuse unknown placeholders, a missing ``{year}`` or ``{serial}``, bad format specs."""
    names = template_fields(template)
    unknown = sorted({n for n in names if n not in PLACEHOLDERS})
    if unknown:
        known = "、".join(f"{{{k}}}（{v}）" for k, v in PLACEHOLDERS.items())
        raise ValidationError(
            f"索引号模板含有未知占位符：{'、'.join(f'{{{n}}}' for n in unknown)}。"
            f"可用的占位符：{known}。",
            code="unknown_placeholder",
        )
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise ValidationError(
            f"索引号模板必须包含{'和'.join(f'{{{n}}}' for n in missing)}"
            "（流水号按机关按年编排，缺少任何一项都可能产生重复的索引号）。",
            code="missing_placeholder",
        )
    try:
        template.format(**_SAMPLE)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            f"索引号模板的格式说明有误：{template}（流水号可写作 {{serial:05d}}）。",
            code="format_spec",
        ) from exc


def render_index_number(template: str, agency, year: int, serial: int) -> str:
    """The 索引号 for ``serial``; an empty agency code the template needs is an error."""
    validate_index_template(template)
    values = {
        "org_code": agency.org_code,
        "credit_code": agency.credit_code,
        "prefix": agency.index_prefix,
        "year": year,
        "serial": serial,
    }
    for name in template_fields(template):
        if values[name] in ("", None):
            raise ValidationError(
                f"“{agency}”未填写{PLACEHOLDERS[name]}，无法按模板 {template} 生成索引号，"
                "请先在机关信息中补充。",
                code="missing_value",
            )
    return template.format(**values)


def agency_template(agency) -> str:
    from zwgk.records.models import IndexNumberTemplate

    row = IndexNumberTemplate.objects.filter(agency=agency).only("template").first()
    return row.template if row is not None else DEFAULT_TEMPLATE


def next_index_number(agency, year: int) -> str:
    """Take the next serial of ``agency`` in ``year`` and render its 索引号."""
    return next_index_numbers(agency, year, 1)[0]


def next_index_numbers(agency, year: int, count: int) -> list[str]:
    """Take the next ``count`` serials of ``agency`` in ``year`` (one locked counter update).

    Must run inside the publishing transaction: the counter row stays locked
    until it commits, and a rollback returns the serials (no gap).  Nothing is
    taken when the 索引号 cannot be rendered (ValidationError).
    """
    from zwgk.records.models import IndexSerial

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_index_number must run inside the publishing transaction")
    template = agency_template(agency)
    IndexSerial.objects.get_or_create(agency=agency, year=year)
    counter = IndexSerial.objects.select_for_update().get(agency=agency, year=year)
    numbers = [
        render_index_number(template, agency, year, serial)
        for serial in range(counter.last + 1, counter.last + count + 1)
    ]
    counter.last += count
    counter.save(update_fields=["last"])
    return numbers
