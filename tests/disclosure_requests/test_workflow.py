"""The 依申请公开 workflow on the real 2026 calendar, through the actions.

The dates below were counted by hand on the 2026 schedule (国务院办公厅关于2026年
部分节假日安排的通知): 9月20日（周日）and 10月10日（周六）are make-up working
days, 9月25日–27日 (中秋) and 10月1日–7日 (国庆) are days off.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import Role, UserFactory
from zwgk.audit.models import AuditEvent
from zwgk.disclosure_requests import actions
from zwgk.disclosure_requests.choices import (
    ApplicantType,
    Channel,
    Delivery,
    IdentityDocument,
    Outcome,
    ProvisionForm,
    ReportRow,
    Status,
)
from zwgk.disclosure_requests.models import ConsultationAnswer, ConsultationKind
from zwgk.disclosure_requests.statistics import table_three
from zwgk.disclosure_requests.validators import resident_id_check_character
from zwgk.utils.statemachine import TransitionError

ID_BODY = "11010519800307123"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def fields(**overrides):
    return {
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": "张三",
        "id_type": IdentityDocument.RESIDENT_ID,
        "id_number": ID_BODY + resident_id_check_character(ID_BODY),
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "description": "示范市教育局2025年义务教育阶段学校布局调整方案",
        "provision_form": ProvisionForm.ELECTRONIC,
        "delivery": Delivery.EMAIL,
        **overrides,
    }


@pytest.fixture
def application(world):
    with time_machine.travel(datetime(2026, 9, 14, 20, 0, tzinfo=SHANGHAI), tick=False):
        application, _ = actions.do_submit_online(world.city_edu, fields())
    return application


def confirm(application, world, day=date(2026, 9, 15)):
    return actions.do_confirm_receipt(
        application, confirmed_on=day, acting_user=world.users.handler
    )


def test_online_submission_waits_for_confirmation(application):
    """条例第三十一条第（三）项: online applications are received on the day both sides confirm."""
    assert application.status == Status.AWAITING_CONFIRMATION
    assert application.receipt_date is None
    assert application.due_date is None


def test_receipt_date_is_the_confirmation_date_and_the_reply_is_due_in_20_working_days(
    application, world
):
    """条例第三十一条, 第三十三条: 20 working days from 2026-09-15 is 2026-10-19."""
    application = confirm(application, world)
    assert application.receipt_date == date(2026, 9, 15)
    assert application.due_date == date(2026, 10, 19)
    days = {n["date"]: n for n in application.due_explanation["explanation"]}
    assert days["2026-09-20"]["counted"]  # 调休上班
    assert not days["2026-10-05"]["counted"]  # 国庆节


def test_in_person_applications_are_received_the_day_handed_in(world):
    """条例第三十一条第（一）项."""
    application, password = actions.do_register_request(
        world.city_edu,
        fields(),
        channel=Channel.IN_PERSON,
        received_on=date(2026, 4, 30),
        acting_user=world.users.handler,
    )
    assert application.status == Status.IN_PROGRESS
    assert application.receipt_date == date(2026, 4, 30)
    # 2026-05-01…05-05 are off, 05-09 (Saturday) is a make-up day.
    assert application.due_date == date(2026, 6, 1)
    assert actions.find_for_applicant(application.tracking_code, password) == application


def test_the_full_journey_ends_partly_disclosed_with_every_date_right(application, world):
    """Confirm, 补正 (条例第三十条), third party (第三十二条), extension (第三十三条), 部分公开."""
    handler, head = world.users.handler, world.users.office_head
    application = confirm(application, world)
    actions.do_request_supplement(
        application,
        items=["请明确所需方案的学段（小学或初中）", "请说明所需方案的年份"],
        deadline=date(2026, 9, 30),
        notice_on=date(2026, 9, 18),
        acting_user=handler,
    )
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SUPPLEMENT
    assert application.due_date is None

    # 条例第三十条: the 20 working days restart on the day the supplement arrives.
    application = actions.do_receive_supplement(
        application, received_on=date(2026, 9, 22), acting_user=handler
    )
    assert application.clock_start == date(2026, 9, 22)
    assert application.due_date == date(2026, 10, 27)

    consultation = actions.do_start_consultation(
        application,
        kind=ConsultationKind.THIRD_PARTY,
        party="示范市某培训学校",
        sent_on=date(2026, 10, 9),
        acting_user=handler,
    )
    assert consultation.due_date == date(2026, 10, 29)  # 15 working days (第三十二条)
    application.refresh_from_db()
    assert application.status == Status.CONSULTING
    assert application.due_date is None  # the clock is stopped

    actions.do_end_consultation(
        consultation,
        answer=ConsultationAnswer.OBJECT,
        closed_on=date(2026, 10, 20),
        reason="涉及学校商业秘密",
        acting_user=handler,
    )
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    # 10月9日–20日 are not counted (条例第三十三条第三款).
    assert application.due_date == date(2026, 11, 9)

    actions.do_extend(
        application,
        days=20,
        reason="涉及多个学段，需调取档案",
        approved_by=head,
        approved_on=date(2026, 11, 2),
        acting_user=handler,
    )
    application.refresh_from_db()
    assert application.due_date == date(2026, 12, 7)

    application = actions.do_reply(
        application,
        outcome=Outcome.PARTLY,
        replied_on=date(2026, 11, 20),
        summary="提供方案正文，涉及第三方商业秘密的附件不予公开。",
        letter={"withheld_outcome": Outcome.THIRD_PARTY, "obtain": "已通过电子邮件发送。"},
        acting_user=handler,
    )
    assert application.status == Status.CLOSED
    assert application.closed_on == date(2026, 11, 20)
    assert application.working_days_used == 29

    letters = {letter.kind: letter for letter in application.letters.all()}
    assert set(letters) == {"supplement", "consultation", "extension", "reply"}
    assert letters["reply"].delivered_online
    assert not letters["consultation"].delivered_online  # addressed to the third party

    table = table_three(world.city_edu, 2026)
    assert table.cell(ReportRow.PARTLY, ApplicantType.NATURAL_PERSON) == 1
    assert table.cell(ReportRow.GRANTED, ApplicantType.NATURAL_PERSON) == 0
    assert table.check() == []

    public = [e.kind for e in application.events.filter(public=True)]
    assert public == [
        "submit",
        "confirm_receipt",
        "request_supplement",
        "receive_supplement",
        "start_consultation",
        "end_consultation",
        "extend",
        "reply",
    ]
    audited = AuditEvent.objects.filter(object_id=str(application.pk))
    assert audited.count() == len(public)
    assert all("张三" not in e.summary for e in audited)  # no applicant data in the log


def test_supplement_is_one_complete_notice(application, world):
    """条例第三十条: 一次性告知."""
    application = confirm(application, world)
    kwargs = {
        "items": ["请说明年份"],
        "deadline": date(2026, 9, 30),
        "notice_on": date(2026, 9, 16),
        "acting_user": world.users.handler,
    }
    actions.do_request_supplement(application, **kwargs)
    actions.do_receive_supplement(
        application, received_on=date(2026, 9, 17), acting_user=world.users.handler
    )
    with pytest.raises(ValidationError, match="一次性告知"):
        actions.do_request_supplement(application, **kwargs)


def test_no_supplement_in_time_ends_the_application(application, world):
    application = confirm(application, world)
    actions.do_request_supplement(
        application,
        items=["请说明年份"],
        deadline=date(2026, 9, 30),
        notice_on=date(2026, 9, 16),
        acting_user=world.users.handler,
    )
    with pytest.raises(ValidationError, match="尚未届满"):
        actions.do_close_no_supplement(
            application, closed_on=date(2026, 9, 30), acting_user=world.users.handler
        )
    application = actions.do_close_no_supplement(
        application, closed_on=date(2026, 10, 8), acting_user=world.users.handler
    )
    assert application.outcome == Outcome.NO_SUPPLEMENT
    assert Outcome(application.outcome).report_row == ReportRow.OTHER_NO_SUPPLEMENT


@pytest.mark.parametrize(
    ("kind", "silence"),
    [
        (ConsultationKind.THIRD_PARTY, ConsultationAnswer.SILENT_OFFICE_DECIDES),
        (ConsultationKind.AGENCY, ConsultationAnswer.SILENT_DEEMED_CONSENT),
    ],
)
def test_silence_means_different_things(application, world, kind, silence):
    """条例第三十二条: the office decides; 第三十四条: silence is consent."""
    application = confirm(application, world)
    consultation = actions.do_start_consultation(
        application, kind=kind, party="某方", sent_on=date(2026, 9, 16), acting_user=None
    )
    with pytest.raises(ValidationError, match="尚未届满"):
        actions.do_end_consultation(
            consultation, answer="", closed_on=consultation.due_date, acting_user=None
        )
    consultation = actions.do_end_consultation(
        consultation, answer="", closed_on=date(2026, 10, 30), acting_user=None
    )
    assert consultation.answer == silence


def test_extension_needs_the_office_head_and_happens_once(application, world):
    """条例第三十三条第二款: once, at most 20 working days, with the head's approval."""
    application = confirm(application, world)
    kwargs = {
        "reason": "需要调取档案",
        "approved_on": date(2026, 10, 9),
        "acting_user": world.users.handler,
    }
    with pytest.raises(PermissionDenied, match="负责人同意"):
        actions.do_extend(application, days=10, approved_by=world.users.handler, **kwargs)
    with pytest.raises(ValidationError, match="1至20个工作日"):
        actions.do_extend(application, days=21, approved_by=world.users.office_head, **kwargs)
    actions.do_extend(application, days=10, approved_by=world.users.office_head, **kwargs)
    with pytest.raises(ValidationError, match="只能延长一次"):
        actions.do_extend(application, days=5, approved_by=world.users.office_head, **kwargs)


def test_fee_notice_stops_the_clock_and_non_payment_ends_it(application, world):
    """条例第四十二条, 国办函〔2020〕109号."""
    application = confirm(application, world)
    fee = actions.do_notify_fee(
        application,
        method="per_page",
        quantity=120,
        notice_on=date(2026, 9, 21),
        acting_user=world.users.handler,
    )
    # 30 free pages, 70 at 10 元, 20 at 20 元.
    assert fee.amount == 1100
    application.refresh_from_db()
    assert application.status == Status.AWAITING_PAYMENT
    assert application.due_date is None
    application = actions.do_close_unpaid(
        application,
        closed_on=fee.pay_by.replace(day=fee.pay_by.day + 1),
        acting_user=world.users.handler,
    )
    assert application.outcome == Outcome.UNPAID


def test_staff_of_another_agency_cannot_act(application, world):
    with pytest.raises(PermissionDenied):
        actions.do_confirm_receipt(
            application, confirmed_on=date(2026, 9, 15), acting_user=world.users.county_editor
        )
    outsider = UserFactory(roles=[(world.county_edu, Role.HANDLER)])
    with pytest.raises(PermissionDenied):
        actions.do_confirm_receipt(
            application, confirmed_on=date(2026, 9, 15), acting_user=outsider
        )


def test_two_handlers_cannot_both_act_on_a_stale_page(application, world):
    """The second click sees the status the first one left (row lock + transition map)."""
    stale = type(application).objects.get(pk=application.pk)
    confirm(application, world)
    with pytest.raises(TransitionError, match="其他人处理"):
        confirm(stale, world)


def test_transfer_closes_here_as_not_held_and_opens_there(application, world):
    """条例第三十六条第（五）项: tell the applicant which agency holds it."""
    application = confirm(application, world)
    successor = actions.do_transfer(
        application, to_agency=world.city_fin, reason="", acting_user=world.users.handler
    )
    application.refresh_from_db()
    assert application.outcome == Outcome.NOT_HELD
    assert application.transferred_to == successor
    assert successor.agency == world.city_fin
    assert successor.status == Status.AWAITING_CONFIRMATION
    assert successor.applicant_name == "张三"


def test_a_partly_disclosed_reply_without_the_withheld_ground_is_refused(application, world):
    """条例第三十七条: the withheld part needs its reason, or no letter (and no reply) goes out."""
    application = confirm(application, world)
    with pytest.raises(ValidationError, match="条例第三十七条"):
        actions.do_reply(
            application,
            outcome=Outcome.PARTLY,
            replied_on=date(2026, 9, 30),
            summary="",
            acting_user=world.users.handler,
        )
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    assert not application.letters.exists()


def test_wrong_password_and_unknown_code_look_the_same(application):
    assert actions.find_for_applicant(application.tracking_code, "wrong") is None
    assert actions.find_for_applicant("NOSUCHCODE", "wrong") is None


def test_identity_numbers_are_checked(world):
    with pytest.raises(ValidationError, match="GB 11643"):
        actions.do_submit_online(world.city_edu, fields(id_number="110105198003071230"))
    with pytest.raises(ValidationError, match="联系人"):
        actions.do_submit_online(world.city_edu, fields(applicant_type=ApplicantType.COMMERCIAL))


def test_a_due_date_in_an_unloaded_year_is_not_guessed(world):
    """Fail closed: 2027 is not loaded, so a December receipt has no due date yet."""
    with time_machine.travel(datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI), tick=False):
        application, _ = actions.do_register_request(
            world.city_edu,
            fields(),
            channel=Channel.IN_PERSON,
            received_on=date(2026, 12, 10),
            acting_user=world.users.handler,
        )
    assert application.due_date is None
    assert "2027" in application.due_explanation["error"]


def test_per_item_fee_follows_the_applicants_rank_in_the_month(world):
    """国办函〔2020〕109号 按件计收: the 11th application in a month costs 100 元."""
    registered = [
        actions.do_register_request(
            world.city_edu,
            fields(),
            channel=Channel.IN_PERSON,
            received_on=date(2026, 9, day),
            acting_user=world.users.handler,
        )[0]
        for day in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15)
    ]
    # Another month and another office do not count.
    actions.do_register_request(
        world.city_edu,
        fields(),
        channel=Channel.IN_PERSON,
        received_on=date(2026, 8, 31),
        acting_user=world.users.handler,
    )
    assert actions.monthly_rank(registered[9]) == 10
    with pytest.raises(ValidationError, match="不应收取"):
        actions.do_notify_fee(
            registered[9],
            method="per_item",
            quantity=1,
            notice_on=date(2026, 9, 16),
            acting_user=world.users.handler,
        )
    fee = actions.do_notify_fee(
        registered[10],
        method="per_item",
        quantity=1,
        notice_on=date(2026, 9, 16),
        acting_user=world.users.handler,
    )
    assert (fee.first_unit, fee.amount) == (11, 100)


def test_disclosing_over_a_third_partys_objection_needs_a_reason_and_tells_it(application, world):
    """条例第三十二条: public interest may override an objection; the third party is told."""
    handler = world.users.handler
    application = confirm(application, world)
    consultation = actions.do_start_consultation(
        application,
        kind=ConsultationKind.THIRD_PARTY,
        party="示范市某培训学校",
        sent_on=date(2026, 9, 16),
        acting_user=handler,
    )
    actions.do_end_consultation(
        consultation,
        answer=ConsultationAnswer.OBJECT,
        closed_on=date(2026, 9, 25),
        acting_user=handler,
    )
    reply = {
        "outcome": Outcome.PROVIDED,
        "replied_on": date(2026, 10, 9),
        "summary": "",
        "acting_user": handler,
    }
    with pytest.raises(ValidationError, match="公共利益"):
        actions.do_reply(application, **reply)
    application = actions.do_reply(
        application, public_interest_reason="涉及学生人身安全，公开有利于公共利益。", **reply
    )
    notice = application.letters.get(kind="disclosure_decision")
    assert not notice.delivered_online  # it goes to the third party, not the applicant


def test_recorded_dates_cannot_lie_in_the_future(world):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        actions.do_register_request(
            world.city_edu,
            fields(),
            channel=Channel.IN_PERSON,
            received_on=date(2099, 1, 4),
            acting_user=world.users.handler,
        )


def test_query_passwords_are_long_random_codes_stored_as_keyed_hashes(world):
    application, password = actions.do_submit_online(world.city_edu, fields())
    assert len(password) == actions.PASSWORD_LENGTH
    assert password not in application.query_password
    assert application.query_password.startswith(actions.QUERY_HASH_SCHEME)
    # Codes are typed from paper: case and surrounding spaces do not matter.
    found = actions.find_for_applicant(application.tracking_code.lower(), f" {password.lower()} ")
    assert found == application
