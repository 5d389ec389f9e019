"""Annual-report table 三 (国办公开办函〔2021〕30号) counted from the applications.

The 勾稽 rules are those of rules.md §4: R1 一 + 二 = 三（七）+ 四 per column,
R2 （七）= the sum of the result rows, R3 总计 = the sum of the six applicant
columns, R4 a partly disclosed case counts once, in （二） only, R6 上年结转
of N = 结转下年度 of N−1, R8 non-negative integers.
"""

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from tests.disclosure_requests.factories import DisclosureRequestFactory
from zwgk.disclosure_requests.choices import ApplicantType, Outcome, ReportRow
from zwgk.disclosure_requests.models import DisclosureRequest
from zwgk.disclosure_requests.statistics import (
    APPLICANT_COLUMNS,
    COLUMNS,
    RESULT_ROWS,
    ROWS,
    TOTAL,
    SummaryRow,
    TableThree,
    check_carry_over,
    table_three,
)
from zwgk.organizations.models import Agency

D = date.fromisoformat
A = ApplicantType
NEW, CARRIED_OVER = SummaryRow.NEW, SummaryRow.CARRIED_OVER
RESULTS_TOTAL, CARRIED_FORWARD = SummaryRow.RESULTS_TOTAL, SummaryRow.CARRIED_FORWARD


def nonzero(table: TableThree) -> dict[tuple[str, str], int]:
    return {key: value for key, value in table.cells.items() if value}


def with_totals(parts: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """``parts`` (applicant columns only) completed with the 总计 column; R3 by construction."""
    cells = {(str(row), str(column)): value for (row, column), value in parts.items()}
    for row in ROWS:
        total = sum(cells.get((row, column), 0) for column in APPLICANT_COLUMNS)
        if total:
            cells[row, TOTAL] = total
    return cells


def apply(agency, receipt, closed=None, outcome="", applicant=A.NATURAL_PERSON, **kwargs):
    return DisclosureRequestFactory(
        agency=agency,
        receipt_date=D(receipt) if receipt else None,
        closed_on=D(closed) if closed else None,
        outcome=outcome,
        applicant_type=applicant,
        **kwargs,
    )


# --- hand-built cases --------------------------------------------------------


def test_an_agency_without_applications_has_an_empty_consistent_table(world):
    table = table_three(world.city_edu, 2025)
    assert table.year == 2025
    assert nonzero(table) == {}
    assert table.check() == []


def test_every_cell_of_a_small_year(world):
    edu = world.city_edu
    apply(edu, "2024-11-20", "2025-01-10", Outcome.PROVIDED)  # 二, （一）
    apply(edu, "2024-12-01", applicant=A.COMMERCIAL)  # 二, 四
    apply(edu, "2025-03-03", "2025-03-20", Outcome.PARTLY)  # 一, （二）
    apply(edu, "2025-05-05", "2025-06-01", Outcome.STATE_SECRET, applicant=A.RESEARCH)
    apply(edu, "2025-07-01", "2025-07-15", Outcome.REPEATED, applicant=A.LEGAL_SERVICE)
    apply(edu, "2025-09-01", "2025-09-30", Outcome.WITHDRAWN, applicant=A.NONPROFIT)
    apply(edu, "2025-09-02", "2025-09-30", Outcome.ALREADY_PUBLIC, applicant=A.NONPROFIT)
    apply(edu, "2025-11-01", "2026-01-05", Outcome.NOT_HELD, applicant=A.OTHER_ORG)  # 一, 四
    apply(edu, "2024-03-01", "2024-04-01", Outcome.PROVIDED)  # closed before 2025
    apply(edu, "2026-01-02")  # received after 2025

    table = table_three(edu, 2025)

    assert nonzero(table) == with_totals(
        {
            (NEW, A.NATURAL_PERSON): 1,
            (NEW, A.RESEARCH): 1,
            (NEW, A.LEGAL_SERVICE): 1,
            (NEW, A.NONPROFIT): 2,
            (NEW, A.OTHER_ORG): 1,
            (CARRIED_OVER, A.NATURAL_PERSON): 1,
            (CARRIED_OVER, A.COMMERCIAL): 1,
            (ReportRow.GRANTED, A.NATURAL_PERSON): 1,
            (ReportRow.GRANTED, A.NONPROFIT): 1,
            (ReportRow.PARTLY, A.NATURAL_PERSON): 1,
            (ReportRow.WITHHELD_STATE_SECRET, A.RESEARCH): 1,
            (ReportRow.REJECTED_REPEATED, A.LEGAL_SERVICE): 1,
            (ReportRow.OTHER, A.NONPROFIT): 1,
            (RESULTS_TOTAL, A.NATURAL_PERSON): 2,
            (RESULTS_TOTAL, A.RESEARCH): 1,
            (RESULTS_TOTAL, A.LEGAL_SERVICE): 1,
            (RESULTS_TOTAL, A.NONPROFIT): 2,
            (CARRIED_FORWARD, A.COMMERCIAL): 1,
            (CARRIED_FORWARD, A.OTHER_ORG): 1,
        }
    )
    assert table.cell(NEW) == 6
    assert table.cell(RESULTS_TOTAL) == 6
    assert table.check() == []


def test_a_partly_disclosed_case_counts_only_in_row_two(world):
    """R4: 区分处理的，只计这一情形，不计其他情形."""
    apply(world.city_edu, "2025-04-01", "2025-04-20", Outcome.PARTLY, applicant=A.COMMERCIAL)
    table = table_three(world.city_edu, 2025)
    results = {row: table.cell(row, A.COMMERCIAL) for row in RESULT_ROWS if table.cell(row)}
    assert results == {ReportRow.PARTLY: 1}
    assert table.cell(RESULTS_TOTAL, A.COMMERCIAL) == 1
    assert table.cell(ReportRow.PARTLY, A.COMMERCIAL) == table.cell("2", "commercial")


def test_received_in_december_and_closed_in_january_crosses_the_year(world):
    """结转下年度 in 2025; 上年结转 and a result in 2026 (R1 in both, R6 between)."""
    apply(world.city_edu, "2025-12-15", "2026-01-12", Outcome.PROVIDED)
    t2025, t2026 = table_three(world.city_edu, 2025), table_three(world.city_edu, 2026)
    natural = A.NATURAL_PERSON
    assert nonzero(t2025) == with_totals({(NEW, natural): 1, (CARRIED_FORWARD, natural): 1})
    assert nonzero(t2026) == with_totals(
        {
            (CARRIED_OVER, natural): 1,
            (ReportRow.GRANTED, natural): 1,
            (RESULTS_TOTAL, natural): 1,
        }
    )
    assert t2025.check() == t2026.check() == check_carry_over(t2025, t2026) == []


def test_closed_on_the_last_day_is_a_result_not_carried_forward(world):
    apply(world.city_edu, "2025-12-31", "2025-12-31", Outcome.PROVIDED)
    apply(world.city_edu, "2026-01-01", "2026-01-01", Outcome.PROVIDED)
    table = table_three(world.city_edu, 2025)
    assert table.cell(NEW) == table.cell(ReportRow.GRANTED) == 1
    assert table.cell(CARRIED_FORWARD) == 0


def test_applications_awaiting_confirmation_are_not_counted(world):
    """条例第三十一条: an online application is received on the day both sides confirm."""
    DisclosureRequestFactory(agency=world.city_edu, awaiting_confirmation=True)
    # Withdrawn before it was ever confirmed: closed, yet never received.
    apply(world.city_edu, None, "2025-06-01", Outcome.WITHDRAWN)
    assert nonzero(table_three(world.city_edu, 2025)) == {}


def test_a_supervisors_subtree_sums_its_agencies(world):
    inside = [world.city, world.city_edu, world.city_fin, world.county_edu, world.town]
    outside = [world.province, world.province_tax]
    rng = random.Random(3)
    for agency in inside + outside:
        for _ in range(6):
            receipt = D("2024-10-01") + timedelta(days=rng.randrange(400))
            closed = receipt + timedelta(days=rng.randrange(60))
            apply(
                agency,
                receipt.isoformat(),
                closed.isoformat(),
                rng.choice(Outcome.values),
                applicant=rng.choice(A.values),
            )

    subtree = table_three(Agency.objects.subtree(world.city), 2025)

    expected = Counter()
    for agency in inside:
        expected.update(table_three(agency, 2025).cells)
    assert dict(subtree.cells) == {key: expected[key] for key in subtree.cells}
    assert subtree.cell(NEW) > 0
    assert subtree.check() == []
    # A list of agencies works too.
    assert table_three(inside, 2025) == subtree


def test_another_agencys_applications_never_leak_in(world):
    apply(world.city_fin, "2025-03-01", "2025-03-10", Outcome.PROVIDED)
    apply(world.county_edu, "2025-03-01")
    apply(world.province_tax, "2025-03-01")
    assert nonzero(table_three(world.city_edu, 2025)) == {}
    assert table_three(Agency.objects.subtree(world.county), 2025).cell(NEW) == 1
    assert table_three(Agency.objects.subtree(world.city), 2025).cell(NEW) == 3 - 1


def test_the_table_is_one_query(world, django_assert_num_queries):
    apply(world.city_edu, "2025-03-01", "2025-03-10", Outcome.PROVIDED)
    apply(world.county_edu, "2024-03-01")
    with django_assert_num_queries(1):
        table_three(world.city_edu, 2025)
    with django_assert_num_queries(1):
        table_three(Agency.objects.subtree(world.city), 2025)


# --- the table object --------------------------------------------------------


def test_rows_and_export_follow_the_printed_layout(world):
    apply(world.city_edu, "2025-03-01", "2025-03-10", Outcome.PARTLY, applicant=A.RESEARCH)
    table = table_three(world.city_edu, 2025)
    exported = table.as_rows()
    columns = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert exported[0] == ["", *columns]
    labels = [row[0] for row in exported[1:]]
    assert labels[:4] == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果",
        "（一）予以公开",
    ]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert labels[4:-2] == [str(row.label) for row in ReportRow][1:]
    assert len(exported) == 1 + 1 + len(ROWS)
    assert exported[3] == ["三、本年度办理结果", "", "", "", "", "", "", ""]
    assert exported[5] == ["（二）部分公开", 0, 0, 1, 0, 0, 0, 1]
    assert [line.key for line in table.rows] == list(ROWS)
    assert table.rows[0].values == (0, 0, 1, 0, 0, 0, 1)


def test_a_table_needs_every_cell():
    with pytest.raises(ValueError, match="不完整"):
        TableThree(year=2025, cells={(NEW, A.NATURAL_PERSON): 1})


def blank() -> dict[tuple[str, str], int]:
    return dict.fromkeys(((r, c) for r in ROWS for c in COLUMNS), 0)


def test_check_names_every_rule_a_published_table_breaks():
    """Totals printed as 0 against non-zero parts, as real reports do."""
    cells = blank()
    cells[NEW, A.NATURAL_PERSON] = 3
    cells[ReportRow.GRANTED, A.NATURAL_PERSON] = 3
    problems = TableThree(year=2024, cells=cells).check()
    assert problems == [
        "R1（自然人）：本年新收3 + 上年结转0 = 3，不等于办理结果总计0 + 结转下年度0 = 0。",
        "R2（自然人）：（七）总计为0，各项办理结果之和为3。",
        "R3（一、本年新收政府信息公开申请数量）：总计为0，六类申请人之和为3。",
        "R3（（一）予以公开）：总计为0，六类申请人之和为3。",
    ]


def test_check_rejects_negative_and_non_numeric_figures():
    cells = blank()
    cells[CARRIED_OVER, A.COMMERCIAL] = -1
    cells[CARRIED_OVER, TOTAL] = -1
    cells[CARRIED_FORWARD, A.COMMERCIAL] = -1
    cells[CARRIED_FORWARD, TOTAL] = -1
    assert TableThree(year=2024, cells=cells).check() == [
        "R8：二、上年结转政府信息公开申请数量（商业企业）为-1，应为非负整数。",
        "R8：二、上年结转政府信息公开申请数量（总计）为-1，应为非负整数。",
        "R8：四、结转下年度继续办理（商业企业）为-1，应为非负整数。",
        "R8：四、结转下年度继续办理（总计）为-1，应为非负整数。",
    ]
    cells = blank()
    cells[NEW, A.OTHER_ORG] = "/"
    assert TableThree(year=2024, cells=cells).check() == [
        "R8：一、本年新收政府信息公开申请数量（其他）为'/'，应为非负整数。"
    ]


def test_check_reports_applications_it_could_not_place(world):
    apply(world.city_edu, "2025-02-01", "2025-02-10", "")  # closed without an outcome
    apply(world.city_edu, "2025-02-01", applicant="alien")
    apply(world.city_edu, "2024-02-01", "2025-01-03", Outcome.PROVIDED, applicant="alien")
    problems = table_three(world.city_edu, 2025).check()
    assert problems == [
        "有2件申请的申请人类型“alien”无法识别，未计入表三。",
        "自然人有1件申请在2025年办结，但未记录办理结果，未计入办理结果。",
        "R1（自然人）：本年新收1 + 上年结转0 = 1，不等于办理结果总计0 + 结转下年度0 = 0。",
        "R1（总计）：本年新收1 + 上年结转0 = 1，不等于办理结果总计0 + 结转下年度0 = 0。",
    ]


def test_check_carry_over_compares_consecutive_years():
    """R6: 上年结转 of N = 结转下年度 of N−1, per column."""
    before = blank() | {(CARRIED_FORWARD, A.RESEARCH): 2, (CARRIED_FORWARD, TOTAL): 2}
    after = blank() | {(CARRIED_OVER, A.RESEARCH): 1, (CARRIED_OVER, TOTAL): 1}
    t2024, t2025 = TableThree(2024, before), TableThree(2025, after)
    assert check_carry_over(t2024, t2025) == [
        "R6（科研机构）：2025年上年结转1，不等于2024年结转下年度2。",
        "R6（总计）：2025年上年结转1，不等于2024年结转下年度2。",
    ]
    with pytest.raises(ValueError, match="相邻"):
        check_carry_over(t2025, t2024)


# --- property: random years against a brute-force count ----------------------

YEARS = range(2023, 2029)


def brute_force(apps, agency_ids, year) -> dict[tuple[str, str], int]:
    """The definitions of table 三, counted application by application."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    cells = Counter()
    for agency_id, column, receipt, closed, outcome in apps:
        if agency_id not in agency_ids or receipt is None:
            continue
        if start <= receipt <= end:
            cells[NEW.value, column] += 1
        if receipt < start and (closed is None or closed >= start):
            cells[CARRIED_OVER.value, column] += 1
        if closed is not None and start <= closed <= end:
            cells[Outcome(outcome).report_row.value, column] += 1
            cells[RESULTS_TOTAL.value, column] += 1
        if receipt <= end and (closed is None or closed > end):
            cells[CARRIED_FORWARD.value, column] += 1
    return {(r, c): cells[r, c] for r in ROWS for c in APPLICANT_COLUMNS}


def generate(rng: random.Random, agencies, count: int) -> list[DisclosureRequest]:
    """Applications received 2023-10 to 2027-12, closed on or after receipt or still open."""
    first, days = D("2023-10-01"), (D("2027-12-31") - D("2023-10-01")).days + 1
    built = []
    for _ in range(count):
        agency = rng.choice(agencies)
        if rng.random() < 0.03:
            receipt = closed = None
        else:
            receipt = first + timedelta(days=rng.randrange(days))
            open_ = rng.random() < 0.15
            # Mostly within weeks, a few over a year end or over a whole year.
            closed = None if open_ else receipt + timedelta(days=int(rng.expovariate(1 / 40)))
        built.append(
            DisclosureRequestFactory.build(
                agency=agency,
                receipt_date=receipt,
                closed_on=closed,
                outcome=rng.choice(Outcome.values) if closed else "",
                applicant_type=rng.choice(A.values),
            )
        )
    return built


@pytest.mark.parametrize("seed", [20250101, 7])
def test_random_years_keep_the_rules_and_match_a_brute_force_count(
    world, seed, django_assert_num_queries
):
    """R1–R4 in every year, R6 between years, every cell equal to a brute-force count."""
    rng = random.Random(seed)
    agencies = [world.city, world.city_edu, world.county_edu, world.town, world.province_tax]
    DisclosureRequest.objects.bulk_create(generate(rng, agencies, 3600), batch_size=500)
    apps = list(
        DisclosureRequest.objects.values_list(
            "agency_id", "applicant_type", "receipt_date", "closed_on", "outcome"
        )
    )
    assert len(apps) == 3600
    scopes = [([a], [a.pk]) for a in agencies] + [
        (Agency.objects.subtree(world.city), [a.pk for a in agencies[:4]]),
        (Agency.objects.all(), [a.pk for a in agencies]),
    ]
    for scope, agency_ids in scopes:
        previous = None
        for year in YEARS:
            with django_assert_num_queries(1):
                table = table_three(scope, year)
            expected = brute_force(apps, set(agency_ids), year)
            assert {k: v for k, v in table.cells.items() if k[1] != TOTAL} == expected
            assert table.check() == []  # R1, R2, R3 (and R8)
            closed_in_year = [
                (column, outcome)
                for agency_id, column, receipt, closed, outcome in apps
                if agency_id in agency_ids and receipt and closed and closed.year == year
            ]
            # R4: every closed application once, a partly disclosed one in （二） only.
            assert table.cell(RESULTS_TOTAL) == len(closed_in_year)
            partly = Counter(c for c, o in closed_in_year if o == Outcome.PARTLY)
            for column in APPLICANT_COLUMNS:
                assert table.cell(ReportRow.PARTLY, column) == partly[column]
            if previous is not None:
                assert check_carry_over(previous, table) == []  # R6
            previous = table
        assert previous.cell(NEW) + previous.cell(CARRIED_OVER) > 0
