"""The daily deadline job on the real 2026 calendar.

2026-10-19 (周一) is 20 working days after 2026-09-15 (see test_workflow); three
working days before it is 2026-10-14 (周三): 15日、16日、19日.
"""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from tests.disclosure_requests.factories import DisclosureRequestFactory
from zwgk.audit.models import AuditEvent
from zwgk.disclosure_requests import actions, deadlines
from zwgk.disclosure_requests.choices import Status
from zwgk.disclosure_requests.deadlines import check_deadlines, due_soon, overdue
from zwgk.disclosure_requests.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationKind,
    DisclosureRequest,
)
from zwgk.workdays.actions import do_import_schedule
from zwgk.workdays.schedule import ScheduleDay
from zwgk.workdays.services import get_calendar

DUE = date(2026, 10, 19)


@pytest.fixture
def handler(world):
    user = world.users.handler
    user.email = "handler@example.gov.cn"
    user.save(update_fields=["email"])
    return user


def application(world, handler=None, *, due=DUE, **kwargs):
    fields = {"receipt_date": date(2026, 9, 15), "clock_start": date(2026, 9, 15), **kwargs}
    return DisclosureRequestFactory(agency=world.city_edu, due_date=due, handler=handler, **fields)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            return check_deadlines(today)

    return run


def test_due_soon_and_overdue_select_by_effective_due_date(world):
    soon = application(world)
    later = application(world, due=date(2026, 10, 20))
    deferred = application(world, due=date(2026, 10, 9), deferred_due_date=DUE)
    late = application(world, due=date(2026, 10, 13))
    application(world, due=date(2026, 10, 13), closed_on=date(2026, 10, 12), outcome="provided")
    application(world, due=None)  # clock stopped
    everything = DisclosureRequest.objects.all()
    today = date(2026, 10, 14)
    assert set(due_soon(everything, today)) == {soon, deferred}
    assert set(overdue(everything, today)) == {late}
    assert later not in due_soon(everything, today)


def test_due_soon_is_restricted_like_any_list(world):
    application(world)
    other = DisclosureRequestFactory(
        agency=world.county_edu, clock_start=date(2026, 9, 15), due_date=DUE
    )
    today = date(2026, 10, 14)
    assert list(due_soon(DisclosureRequest.objects.restrict(world.users.county_editor), today)) == [
        other
    ]
    assert due_soon(DisclosureRequest.objects.restrict(world.users.supervisor), today).count() == 2


def test_reminder_is_sent_once_across_two_runs(world, handler, run):
    app = application(world, handler)
    assert run(date(2026, 10, 13)).did_nothing  # four working days ahead: not yet
    result = run(date(2026, 10, 14))
    assert result.due_soon_notices == 1
    assert [m.to for m in mail.outbox] == [["handler@example.gov.cn"]]
    assert app.tracking_code in mail.outbox[0].subject
    assert "申请人" not in mail.outbox[0].body and app.applicant_name not in mail.outbox[0].body
    app.refresh_from_db()
    assert app.due_soon_notified_at is not None
    event = app.events.get(kind="due_soon_notice")
    assert not event.public
    assert AuditEvent.objects.filter(
        action="disclosure_requests.due_soon_notice", object_id=str(app.pk)
    ).exists()
    assert run(date(2026, 10, 14)).did_nothing
    assert run(date(2026, 10, 15)).did_nothing
    assert len(mail.outbox) == 1


def test_overdue_notice_is_sent_once_and_a_missed_day_is_caught_up(world, handler, run):
    """The job did not run from 14 to 21 October: the next run sends the overdue notice only."""
    app = application(world, handler)
    result = run(date(2026, 10, 22))
    assert (result.overdue_notices, result.due_soon_notices) == (1, 0)
    assert "已超过答复期限" in mail.outbox[0].body
    assert run(date(2026, 10, 23)).did_nothing
    assert len(mail.outbox) == 1
    app.refresh_from_db()
    assert app.overdue_notified_at is not None and app.due_soon_notified_at is None


def test_missed_reminder_days_are_caught_up_on_the_due_date(world, handler, run):
    application(world, handler)
    assert run(date(2026, 10, 19)).due_soon_notices == 1


def test_reminder_then_overdue_notice(world, handler, run):
    application(world, handler)
    run(date(2026, 10, 14))
    assert run(date(2026, 10, 20)).overdue_notices == 1
    assert len(mail.outbox) == 2


def test_a_later_due_date_after_the_reminder_gets_its_own_reminder(world, handler, run):
    """An extension (条例第三十三条) moves the due date; the new date is reminded of again."""
    app = application(world, handler)
    run(date(2026, 10, 14))
    actions.do_extend(
        app,
        days=20,
        reason="需要调取档案",
        approved_by=world.users.office_head,
        approved_on=date(2026, 10, 15),
        acting_user=handler,
    )
    app.refresh_from_db()
    new_due = app.due_date
    assert new_due > DUE
    assert app.due_soon_notified_at is None
    assert run(new_due).due_soon_notices == 1
    assert run(new_due).did_nothing
    assert run(date(2026, 11, 30)).overdue_notices == 1
    assert len(mail.outbox) == 3


def test_notice_without_handler_goes_to_the_office(world, run):
    world.city_edu.office_email = "gongkai@example.gov.cn"
    world.city_edu.save()
    application(world)
    DisclosureRequestFactory(agency=world.city_fin, clock_start=date(2026, 9, 15), due_date=DUE)
    result = run(date(2026, 10, 14))
    assert result.due_soon_notices == 2
    assert result.notices_without_recipient == 1  # 财政局 has no office e-mail
    assert [m.to for m in mail.outbox] == [["gongkai@example.gov.cn"]]
    # The marker is set anyway: the timeline shows the notice, and no run resends it.
    assert not DisclosureRequest.objects.filter(due_soon_notified_at__isnull=True).exists()


def test_batches_cover_every_application(world, handler, run, monkeypatch):
    monkeypatch.setattr(deadlines, "BATCH_SIZE", 2)
    for _ in range(5):
        application(world, handler)
    messages = []
    result = check_deadlines(date(2026, 10, 14), progress=messages.append)
    assert result.due_soon_notices == 5
    assert sum("本批" in m for m in messages) == 3
    assert check_deadlines(date(2026, 10, 14)).did_nothing


def test_a_rolled_back_batch_is_resent_by_the_next_run(world, handler, run, monkeypatch):
    """A crash inside a batch rolls back its markers with its notices: nothing is lost."""
    application(world, handler)

    def crash(*args, **kwargs):
        raise RuntimeError("crash")

    monkeypatch.setattr(deadlines, "_log_many", crash)
    with pytest.raises(RuntimeError):
        run(date(2026, 10, 14))
    assert mail.outbox == []
    assert DisclosureRequest.objects.get().due_soon_notified_at is None
    monkeypatch.undo()
    assert run(date(2026, 10, 14)).due_soon_notices == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        (ConsultationKind.THIRD_PARTY, ConsultationAnswer.SILENT_OFFICE_DECIDES),
        (ConsultationKind.AGENCY, ConsultationAnswer.SILENT_DEEMED_CONSENT),
    ],
)
def test_silent_consultation_is_closed_the_day_after_its_due_date(world, run, kind, answer):
    """条例第三十二条 silence lets the office decide; 第三十四条 silence is consent."""
    app = application(world, due=None, status=Status.CONSULTING)
    consultation = Consultation.objects.create(
        request=app,
        kind=kind,
        party="示范市财政局",
        sent_date=date(2026, 9, 21),
        due_date=date(2026, 10, 19),
    )
    assert run(date(2026, 10, 19)).consultations_closed == 0  # its last day
    result = run(date(2026, 10, 20))
    assert result.consultations_closed == 1
    consultation.refresh_from_db()
    assert consultation.answer == answer
    assert consultation.closed_date == date(2026, 10, 20)
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS
    assert app.due_date is not None  # the clock runs again
    assert run(date(2026, 10, 20)).consultations_closed == 0


def test_due_date_is_recomputed_once_the_next_years_schedule_is_imported(world, run):
    """A clock crossing 25 December needs the next year's notice (fail closed until then)."""
    app = application(world, due=None, clock_start=date(2026, 12, 10))
    actions.recompute_due_date(app, get_calendar())
    app.save()
    assert "error" in app.due_explanation
    result = run(date(2026, 12, 11))
    assert (result.due_dates_recomputed, result.due_dates_still_unknown) == (0, 1)
    app.refresh_from_db()
    assert app.due_date is None

    do_import_schedule(
        2027,
        [
            ScheduleDay(date(2027, 1, 1), True, "元旦"),
            ScheduleDay(date(2027, 1, 4), True, "元旦"),
            ScheduleDay(date(2027, 1, 9), False, "元旦"),
        ],
        source="测试",
        acting_user=None,
    )
    result = run(date(2026, 12, 11))
    assert result.due_dates_recomputed == 1
    app.refresh_from_db()
    assert app.due_date is not None and "error" not in app.due_explanation
    assert app.events.filter(kind="recompute_due").exists()
    assert run(date(2026, 12, 11)).due_dates_recomputed == 0


def test_command_check_deadlines_prints_progress_and_summary(world, handler, capsys):
    application(world, handler)
    call_command("applications", "check-deadlines", "--today", "2026-10-14")
    out = capsys.readouterr().out
    assert "检查日期：2026年10月14日" in out
    assert "即将到期提醒：本批 1 件" in out
    assert "发送即将到期提醒1件" in out
    call_command("applications", "check-deadlines", "--today", "2026-10-14")
    assert "没有需要处理的申请" in capsys.readouterr().out


def test_command_overdue_lists_without_personal_data(world, capsys):
    app = application(world)
    DisclosureRequestFactory(agency=world.city_fin, clock_start=date(2026, 9, 15), due_date=DUE)
    call_command("applications", "overdue", "--agency", "示范市教育局", "--today", "2026-10-22")
    out = capsys.readouterr().out
    assert f"{app.tracking_code}\t示范市教育局\t2026-10-19\t3" in out
    assert app.applicant_name not in out and app.id_number not in out
    assert "共 1 件逾期未办结" in out


def test_windows_and_gaps_in_the_ids_cover_every_application(world, handler, monkeypatch):
    """Batches are collected window by window over the primary keys, across gaps."""
    monkeypatch.setattr(deadlines, "BATCH_SIZE", 2)
    monkeypatch.setattr(deadlines, "SCAN_WINDOW", 3)
    apps = [application(world, handler) for _ in range(12)]
    for app in apps[3:9]:  # a gap of six ids
        app.delete()
    application(world, handler, due=date(2026, 12, 31))  # not due: ends the table
    messages = []
    result = check_deadlines(date(2026, 10, 14), progress=messages.append)
    assert result.due_soon_notices == 6
    assert sum("本批" in m for m in messages) == 3
    assert DisclosureRequest.objects.filter(due_soon_notified_at__isnull=False).count() == 6
    assert check_deadlines(date(2026, 10, 14)).did_nothing
