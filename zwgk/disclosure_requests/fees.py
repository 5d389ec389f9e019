"""信息处理费 (条例第四十二条; 《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号).

Information is free unless an applicant's requests clearly exceed a reasonable
number or frequency; then an office may charge by item (按件) or by volume
(按量), progressively, one method per application.  Amounts are whole yuan.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeeMethod(models.TextChoices):
    PER_ITEM = "per_item", _("按件计收")
    PER_PAGE = "per_page", _("按量计收")


@dataclass(frozen=True)
class FeeLine:
    """One bracket of a fee: ``count`` units at ``unit_price`` yuan."""

    first: int
    last: int
    unit_price: Decimal

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.count


def per_item_unit_price(ordinal: int) -> Decimal:
    """The price of the ``ordinal``-th application of one applicant in one calendar month.

    按件计收: 1–10 free; 11–30 100 元 each; from 31 on, each further block of 10
    costs 100 元 more per item (31–40: 200 元, 41–50: 300 元, …).
    """
    if ordinal < 1:
        raise ValueError("件数从1开始计算。")
    if ordinal <= 10:
        return Decimal(0)
    if ordinal <= 30:
        return Decimal(100)
    return Decimal(100) * (2 + (ordinal - 31) // 10)


# 按量计收: (up to page, yuan per page); pages beyond the last bracket cost 40 元.
PAGE_BRACKETS: tuple[tuple[int, Decimal], ...] = (
    (30, Decimal(0)),
    (100, Decimal(10)),
    (200, Decimal(20)),
)
PAGE_PRICE_ABOVE = Decimal(40)


def per_page_unit_price(page: int) -> Decimal:
    if page < 1:
        raise ValueError("页数从1开始计算。")
    for last, price in PAGE_BRACKETS:
        if page <= last:
            return price
    return PAGE_PRICE_ABOVE


def fee_lines(method: str, first: int, count: int) -> list[FeeLine]:
    """The brackets of a fee for units ``first`` … ``first + count - 1``.

    For 按件, ``first`` is this application's ordinal among the applicant's
    applications to the office in the calendar month (so the earlier ones in
    the month push it into a dearer bracket); for 按量 it is 1.
    """
    if count < 1:
        raise ValueError("数量必须大于0。")
    price_of = per_item_unit_price if method == FeeMethod.PER_ITEM else per_page_unit_price
    lines: list[FeeLine] = []
    for unit in range(first, first + count):
        price = price_of(unit)
        if lines and lines[-1].unit_price == price:
            lines[-1] = FeeLine(lines[-1].first, unit, price)
        else:
            lines.append(FeeLine(unit, unit, price))
    return lines


def fee_amount(method: str, first: int, count: int) -> Decimal:
    return sum((line.amount for line in fee_lines(method, first, count)), Decimal(0))
