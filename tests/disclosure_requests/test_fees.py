"""信息处理费 brackets (条例第四十二条; 国办函〔2020〕109号)."""

from decimal import Decimal

import pytest

from zwgk.disclosure_requests.fees import (
    FeeMethod,
    fee_amount,
    fee_lines,
    per_item_unit_price,
    per_page_unit_price,
)


@pytest.mark.parametrize(
    ("ordinal", "price"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)],
)
def test_per_item_brackets_by_the_applicants_monthly_count(ordinal, price):
    """按件计收: 1–10 free, 11–30 100 元, then +100 元 for each further block of 10."""
    assert per_item_unit_price(ordinal) == Decimal(price)


@pytest.mark.parametrize(
    ("page", "price"), [(1, 0), (30, 0), (31, 10), (100, 10), (101, 20), (200, 20), (201, 40)]
)
def test_per_page_brackets(page, price):
    """按量计收: 1–30 free, 31–100 10 元, 101–200 20 元, over 200 40 元 per page."""
    assert per_page_unit_price(page) == Decimal(price)


def test_fees_are_progressive():
    # Pages 1–250: 70 × 10 + 100 × 20 + 50 × 40.
    assert fee_amount(FeeMethod.PER_PAGE, 1, 250) == Decimal(700 + 2000 + 2000)
    # The applicant's 9th to 12th applications this month: 2 free, 2 at 100 元.
    assert fee_amount(FeeMethod.PER_ITEM, 9, 4) == Decimal(200)
    lines = fee_lines(FeeMethod.PER_ITEM, 9, 4)
    assert [(line.first, line.last, line.unit_price) for line in lines] == [
        (9, 10, Decimal(0)),
        (11, 12, Decimal(100)),
    ]


def test_nonsense_quantities_are_refused():
    with pytest.raises(ValueError, match="数量"):
        fee_amount(FeeMethod.PER_PAGE, 1, 0)
    with pytest.raises(ValueError, match="页数"):
        per_page_unit_price(0)
