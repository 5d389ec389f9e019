"""Outcomes and annual-report table 三 rows (国办公开办函〔2021〕30号)."""

from zwgk.disclosure_requests.choices import Outcome, ReportRow
from zwgk.disclosure_requests.workflow import TRANSITIONS, allowed_actions


def test_every_outcome_has_exactly_one_report_row_and_every_row_is_reachable():
    rows = {outcome.report_row for outcome in Outcome}
    assert rows == set(ReportRow)


def test_partly_disclosed_counts_only_as_partly():
    """Table 三 （二）: 区分处理的，只计这一情形，不计其他情形."""
    assert Outcome.PARTLY.report_row is ReportRow.PARTLY
    assert [o for o in Outcome if o.report_row is ReportRow.PARTLY] == [Outcome.PARTLY]


def test_withholding_outcomes_make_reconsideration_come_first():
    """行政复议法第二十三条第一款第（四）项: 不予公开, including the withheld part of 部分公开."""
    assert Outcome.PARTLY.withholds
    assert Outcome.STATE_SECRET.withholds
    assert not Outcome.PROVIDED.withholds
    assert not Outcome.NOT_HELD.withholds


def test_a_closed_application_only_takes_notes_and_the_proactive_flag():
    assert sorted(allowed_actions("closed")) == ["add_note", "mark_proactive"]
    assert set(TRANSITIONS) >= {"confirm_receipt", "reply", "withdraw", "extend"}
