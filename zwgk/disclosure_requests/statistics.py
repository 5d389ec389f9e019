"""Annual-report table 三 (收到和处理政府信息公开申请情况), counted from the applications.

The table is the one of 国办公开办函〔2021〕30号 (rules.md §4): six applicant
columns (:class:`ApplicantType`) and 总计; the rows 一、本年新收, 二、上年结转,
三、本年度办理结果 (the 21 result rows of :class:`ReportRow` and （七）总计) and
四、结转下年度继续办理.

How year N is counted (every date is the local date stored on the application):

- 一 本年新收: ``receipt_date`` in N.  ``receipt_date`` is the receipt date of
  条例第三十一条; an online or fax application awaiting confirmation has none
  yet, is not received and is counted nowhere.
- 二 上年结转: received before N and not closed before N (``closed_on`` empty
  or on/after 1 January N).
- 三 本年度办理结果: closed in N, in the one row of its outcome
  (``Outcome.report_row``).  The mapping is a function, so a partly disclosed
  application counts once, in （二） only (R4).  （七）总计 is the sum of the
  result rows.
- 四 结转下年度继续办理: received by 31 December N and not closed by then.

On consistent data (``closed_on`` ≥ ``receipt_date``, an outcome on every closed
application) the 勾稽 rules hold by construction: every application in 一 or
二 ends in exactly one of 三 and 四 (R1), and 四 of N−1 is the same set as 二
of N (R6).  :meth:`TableThree.check` and :func:`check_carry_over` verify them
anyway, because a table may also be built from a published report.

The whole table is one aggregate query grouped by applicant type and outcome.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zwgk.disclosure_requests.choices import ApplicantType, Outcome, ReportRow
from zwgk.disclosure_requests.models import DisclosureRequest
from zwgk.organizations.models import Agency


class SummaryRow(models.TextChoices):
    """The rows of table 三 that are not a result row of :class:`ReportRow`."""

    NEW = "new", _("一、本年新收政府信息公开申请数量")
    CARRIED_OVER = "carried_over", _("二、上年结转政府信息公开申请数量")
    RESULTS_TOTAL = "results_total", _("（七）总计")
    CARRIED_FORWARD = "carried_forward", _("四、结转下年度继续办理")


# The heading printed above （一）; it carries no figures.
RESULTS_HEADING = _("三、本年度办理结果")
# The key and label of the last column.
TOTAL = "total"
TOTAL_LABEL = _("总计")

RESULT_ROWS: tuple[str, ...] = tuple(row.value for row in ReportRow)
# Every row with figures, in printed order.
ROWS: tuple[str, ...] = (
    SummaryRow.NEW.value,
    SummaryRow.CARRIED_OVER.value,
    *RESULT_ROWS,
    SummaryRow.RESULTS_TOTAL.value,
    SummaryRow.CARRIED_FORWARD.value,
)
APPLICANT_COLUMNS: tuple[str, ...] = tuple(column.value for column in ApplicantType)
COLUMNS: tuple[str, ...] = (*APPLICANT_COLUMNS, TOTAL)

_ROW_LABELS = {row.value: row.label for row in (*SummaryRow, *ReportRow)}
_COLUMN_LABELS = {**{column.value: column.label for column in ApplicantType}, TOTAL: TOTAL_LABEL}


def row_label(row: str) -> str:
    return str(_ROW_LABELS[str(row)])


def column_label(column: str) -> str:
    return str(_COLUMN_LABELS[str(column)])


@dataclass(frozen=True)
class TableLine:
    """One printed row: its key, its label and its figures in :data:`COLUMNS` order."""

    key: str
    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class TableThree:
    """Table 三 of one year: a figure for every (row, column) of :data:`ROWS` × :data:`COLUMNS`.

    ``anomalies`` are data problems found while counting (an application closed
    without an outcome, an unknown applicant type), in Chinese; such an
    application is left out of the cells it cannot be placed in, so R1 fails
    for its column and :meth:`check` says why.
    """

    year: int
    cells: Mapping[tuple[str, str], int]
    anomalies: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        cells = {(str(row), str(column)): value for (row, column), value in self.cells.items()}
        missing = [(r, c) for r in ROWS for c in COLUMNS if (r, c) not in cells]
        unknown = sorted(set(cells) - {(r, c) for r in ROWS for c in COLUMNS})
        if missing or unknown:
            raise ValueError(f"表三的单元格不完整或有多余：缺少{missing}，多余{unknown}。")
        object.__setattr__(self, "cells", MappingProxyType(cells))

    def cell(self, row: str, column: str = TOTAL) -> int:
        """The figure of ``row`` (a :class:`SummaryRow` or :class:`ReportRow`) in ``column``.

        ``column`` is an :class:`ApplicantType` or :data:`TOTAL` (the default).
        """
        return self.cells[str(row), str(column)]

    @property
    def rows(self) -> tuple[TableLine, ...]:
        """The rows with figures, in printed order."""
        return tuple(
            TableLine(row, row_label(row), tuple(self.cells[row, c] for c in COLUMNS))
            for row in ROWS
        )

    def as_rows(self) -> list[list[str | int]]:
        """The table as printed, for export: a header, then one list per printed row.

        The heading 三、本年度办理结果 is a row of its own with empty cells.
        """
        header: list[str | int] = ["", *(column_label(c) for c in COLUMNS)]
        out: list[list[str | int]] = [header]
        for line in self.rows:
            if line.key == RESULT_ROWS[0]:
                out.append([str(RESULTS_HEADING), *([""] * len(COLUMNS))])
            out.append([line.label, *line.values])
        return out

    def check(self) -> list[str]:
        """The 勾稽 violations within the table, in Chinese; empty when consistent.

        R1 (printed in the table): per column, 一 + 二 = 三（七）+ 四.
        R2: （七）总计 = the sum of every result row.
        R3: per row, 总计 = the sum of the six applicant columns.
        R8: every figure is a non-negative integer.
        The counting anomalies come first.
        """
        problems = list(self.anomalies)
        not_integers = False
        for (row, column), value in self.cells.items():
            is_integer = isinstance(value, int) and not isinstance(value, bool)
            not_integers |= not is_integer
            if not is_integer or value < 0:
                problems.append(
                    f"R8：{row_label(row)}（{column_label(column)}）为{value!r}，应为非负整数。"
                )
        if not_integers:
            # The sums below mean nothing until every figure is a number.
            return problems
        new, carried = SummaryRow.NEW, SummaryRow.CARRIED_OVER
        total, forward = SummaryRow.RESULTS_TOTAL, SummaryRow.CARRIED_FORWARD
        for column in COLUMNS:
            name = column_label(column)
            a, b = self.cell(new, column), self.cell(carried, column)
            c, d = self.cell(total, column), self.cell(forward, column)
            if a + b != c + d:
                problems.append(
                    f"R1（{name}）：本年新收{a} + 上年结转{b} = {a + b}，"
                    f"不等于办理结果总计{c} + 结转下年度{d} = {c + d}。"
                )
            parts = sum(self.cell(row, column) for row in RESULT_ROWS)
            if parts != c:
                problems.append(f"R2（{name}）：（七）总计为{c}，各项办理结果之和为{parts}。")
        for row in ROWS:
            parts = sum(self.cell(row, column) for column in APPLICANT_COLUMNS)
            if parts != self.cell(row, TOTAL):
                problems.append(
                    f"R3（{row_label(row)}）：总计为{self.cell(row, TOTAL)}，"
                    f"六类申请人之和为{parts}。"
                )
        return problems


def check_carry_over(previous: TableThree, current: TableThree) -> list[str]:
    """R6 (cross-year): 上年结转 of year N = 结转下年度 of year N−1, per column."""
    if current.year != previous.year + 1:
        raise ValueError(f"R6 比较相邻两年：{previous.year}年之后应为{previous.year + 1}年。")
    problems = []
    for column in COLUMNS:
        before = previous.cell(SummaryRow.CARRIED_FORWARD, column)
        now = current.cell(SummaryRow.CARRIED_OVER, column)
        if before != now:
            problems.append(
                f"R6（{column_label(column)}）：{current.year}年上年结转{now}，"
                f"不等于{previous.year}年结转下年度{before}。"
            )
    return problems


def table_three(agencies: Agency | QuerySet | Iterable[Agency], year: int) -> TableThree:
    """Table 三 of ``year`` for one agency, or summed over several.

    ``agencies`` is an :class:`Agency`, or a queryset of agencies (a supervisor's
    ``Agency.objects.subtree(agency)``), or an iterable of them.  One query.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    new = Q(receipt_date__range=(start, end))
    carried_over = Q(receipt_date__lt=start) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    # Not yet received (条例第三十一条) means not counted, even with a date of closing.
    closed = Q(closed_on__range=(start, end), receipt_date__isnull=False)
    carried_forward = Q(receipt_date__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    scope = Q(agency=agencies) if isinstance(agencies, Agency) else Q(agency__in=agencies)
    groups = (
        DisclosureRequest.objects.filter(scope)
        # 四 needs no term of its own: it is a part of 一 ∪ 二.
        .filter(new | carried_over | closed)
        .order_by()
        .values("applicant_type", "outcome")
        .annotate(
            new=Count("pk", filter=new),
            carried_over=Count("pk", filter=carried_over),
            closed=Count("pk", filter=closed),
            carried_forward=Count("pk", filter=carried_forward),
            counted=Count("pk"),
        )
    )
    cells = dict.fromkeys(((r, c) for r in ROWS for c in COLUMNS), 0)
    anomalies, unknown_applicants = [], Counter()
    for group in groups:
        column = group["applicant_type"]
        if column not in APPLICANT_COLUMNS:
            unknown_applicants[column] += group["counted"]
            continue
        cells[SummaryRow.NEW.value, column] += group["new"]
        cells[SummaryRow.CARRIED_OVER.value, column] += group["carried_over"]
        cells[SummaryRow.CARRIED_FORWARD.value, column] += group["carried_forward"]
        if not group["closed"]:
            continue
        if group["outcome"] in Outcome.values:
            # R4: one outcome, one row; 部分公开 only in （二）.
            cells[Outcome(group["outcome"]).report_row.value, column] += group["closed"]
        else:
            problem = (
                f"办理结果“{group['outcome']}”无法识别" if group["outcome"] else "未记录办理结果"
            )
            anomalies.append(
                f"{column_label(column)}有{group['closed']}件申请在{year}年办结，"
                f"但{problem}，未计入办理结果。"
            )
    anomalies[:0] = [
        f"有{count}件申请的申请人类型“{column}”无法识别，未计入表三。"
        for column, count in sorted(unknown_applicants.items())
    ]
    for column in APPLICANT_COLUMNS:
        cells[SummaryRow.RESULTS_TOTAL.value, column] = sum(cells[r, column] for r in RESULT_ROWS)
    for row in ROWS:
        cells[row, TOTAL] = sum(cells[row, c] for c in APPLICANT_COLUMNS)
    return TableThree(year=year, cells=cells, anomalies=tuple(anomalies))
