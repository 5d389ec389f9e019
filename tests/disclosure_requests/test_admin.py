"""The clerk's back office of 依申请公开, through the Django test client.

Dates are on the real 2026 calendar (see ``test_workflow.py`` for the hand
count): 10月1日–7日 are days off, 9月20日 and 10月10日 are make-up days.
"""

import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.disclosure_requests.factories import DisclosureRequestFactory
from tests.disclosure_requests.test_workflow import fields
from zwgk.audit.models import AuditEvent
from zwgk.disclosure_requests import actions
from zwgk.disclosure_requests.choices import Channel, Outcome, Status
from zwgk.disclosure_requests.models import (
    ConsultationKind,
    DisclosureRequest,
    LetterKind,
    LetterTemplate,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHANGELIST = "admin:disclosure_requests_disclosurerequest_changelist"


@pytest.fixture
def at():
    """``at(2026, 9, 15)``: freeze the clock at 10:00 Shanghai time on that day."""
    travellers = []

    def travel(*ymd):
        traveller = time_machine.travel(datetime(*ymd, 10, 0, tzinfo=SHANGHAI), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture
def online(world, at):
    """An online application to 示范市教育局, submitted 2026-09-14, awaiting confirmation."""
    at(2026, 9, 14)
    application, _ = actions.do_submit_online(world.city_edu, fields())
    return application


def detail_url(application) -> str:
    return reverse("admin:disclosure_requests_disclosurerequest_change", args=[application.pk])


def action_url(application, action: str) -> str:
    return reverse(
        "admin:disclosure_requests_disclosurerequest_action", args=[application.pk, action]
    )


def act(client, application, action: str, **data):
    """POST one step's form and follow the redirect back to the case page."""
    response = client.post(action_url(application, action), data, follow=True)
    assert response.status_code == 200
    return response


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------- scope


def test_a_handler_sees_only_his_agencys_applications(client, world, at):
    at(2026, 9, 15)
    own = DisclosureRequestFactory(agency=world.city_edu)
    other = DisclosureRequestFactory(agency=world.city_fin)
    login(client, world.users.handler)

    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert own.tracking_code in response.text
    assert other.tracking_code not in response.text
    # The list shows the applicant's type, never the name (个人信息保护法).
    assert own.applicant_name not in response.text

    assert client.get(detail_url(other)).status_code == 404
    assert client.get(action_url(other, "add_note")).status_code == 404
    assert client.post(action_url(other, "add_note"), {"text": "x"}).status_code == 404


def test_a_supervisor_reads_the_subtree_but_gets_no_buttons(client, world, at):
    at(2026, 9, 15)
    city = DisclosureRequestFactory(agency=world.city_edu)
    county = DisclosureRequestFactory(agency=world.county_edu)
    outside = DisclosureRequestFactory(agency=world.province_tax)
    login(client, world.users.supervisor)

    listing = client.get(reverse(CHANGELIST)).text
    assert city.tracking_code in listing and county.tracking_code in listing
    assert outside.tracking_code not in listing

    response = client.get(detail_url(county))
    assert response.status_code == 200
    assert response.context["buttons"] == []
    assert 'class="action-button' not in response.text
    assert "不能办理" in response.text
    assert client.get(action_url(county, "add_note")).status_code == 403
    assert client.post(action_url(county, "add_note"), {"text": "x"}).status_code == 403
    assert county.events.count() == 0


def test_opening_the_case_page_is_audited(client, world, at):
    at(2026, 9, 15)
    application = DisclosureRequestFactory(agency=world.city_edu, applicant_name="李四")
    login(client, world.users.handler)

    response = client.get(detail_url(application))

    assert "李四" in response.text  # personal data stays on the detail page
    event = AuditEvent.objects.get(action="disclosure_requests.view")
    assert event.actor == world.users.handler
    assert event.object_id == str(application.pk)
    assert "李四" not in event.summary


def test_the_case_page_explains_the_due_date(client, world, online, at):
    at(2026, 9, 15)
    actions.do_confirm_receipt(
        online, confirmed_on=date(2026, 9, 15), acting_user=world.users.handler
    )
    login(client, world.users.handler)

    response = client.get(detail_url(online))

    clock = response.context["clock"]
    assert clock["due"] == date(2026, 10, 19)
    assert clock["state"] == "running"
    assert "2026年10月19日" in response.text
    skipped = [note["date"] for note in clock["skipped"]]
    assert "2026-10-01" in skipped and "2026-09-19" in skipped  # 国庆, a weekend
    assert "2026-09-20" not in skipped  # 调休上班
    assert "国庆节放假 2026-10-01至2026-10-07（7天）" in clock["holidays"]
    assert [note["date"] for note in clock["makeup_days"]] == ["2026-09-20", "2026-10-10"]
    assert "国庆节放假 2026-10-01至2026-10-07（7天）" in response.text
    titles = [button["title"] for button in response.context["buttons"]]
    assert "作出答复" in titles and "确认收到申请" not in titles


# ---------------------------------------------------------------- the steps


def test_the_steps_through_the_back_office(client, world, online, at, settings):
    """Confirm, 补正, third party, extension with the head's approval, 部分公开."""
    at(2026, 11, 20)
    login(client, world.users.handler)

    response = act(client, online, "confirm_receipt", confirmed_on="2026-09-15")
    assert "已确认收到申请，答复期限为2026年10月19日。" in page_messages(response)

    response = act(
        client,
        online,
        "request_supplement",
        items="请明确所需方案的学段\n\n请说明所需方案的年份",
        deadline="2026-09-30",
        notice_on="2026-09-18",
    )
    assert any("补正告知书（2项）" in m for m in page_messages(response))
    online.refresh_from_db()
    assert online.status == Status.AWAITING_SUPPLEMENT

    act(client, online, "receive_supplement", received_on="2026-09-22")
    online.refresh_from_db()
    assert online.clock_start == date(2026, 9, 22)
    assert online.due_date == date(2026, 10, 27)

    act(
        client,
        online,
        "start_consultation",
        kind=ConsultationKind.THIRD_PARTY,
        party="示范市某培训学校",
        sent_on="2026-10-09",
    )
    online.refresh_from_db()
    assert online.status == Status.CONSULTING
    consultation = online.consultations.get()

    act(
        client,
        online,
        "end_consultation",
        consultation=consultation.pk,
        answer="object",
        closed_on="2026-10-20",
        reason="涉及学校商业秘密",
    )
    online.refresh_from_db()
    assert online.status == Status.IN_PROGRESS
    assert online.due_date == date(2026, 11, 9)

    form = client.get(action_url(online, "extend")).context["form"]
    assert list(form.fields["approved_by"].queryset) == [world.users.office_head]
    response = act(
        client,
        online,
        "extend",
        days="20",
        reason="涉及多个学段，需调取档案",
        approved_by=world.users.office_head.pk,
        approved_on="2026-11-02",
    )
    assert any("延长后2026年12月07日" in m for m in page_messages(response))
    online.refresh_from_db()
    assert online.due_date == date(2026, 12, 7)

    response = act(
        client,
        online,
        "reply",
        outcome=Outcome.PARTLY,
        replied_on="2026-11-20",
        summary="提供方案正文，涉及第三方商业秘密的附件不予公开。",
        obtain="已通过电子邮件发送",
        withheld_outcome=Outcome.THIRD_PARTY,
    )
    online.refresh_from_db()
    assert online.status == Status.CLOSED
    assert online.outcome == Outcome.PARTLY
    reply = online.letters.get(kind=LetterKind.REPLY)
    assert reply.delivered_online
    # The case page links the letter through the admin, never through MEDIA_URL.
    assert settings.MEDIA_URL not in response.text
    link = reverse(
        "admin:disclosure_requests_disclosurerequest_letter", args=[online.pk, reply.pk, "pdf"]
    )
    assert link in response.text
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_stale_double_submit_says_someone_else_handled_it(client, world, online, at):
    at(2026, 9, 15)
    login(client, world.users.handler)
    act(client, online, "confirm_receipt", confirmed_on="2026-09-15")

    # The same form, posted again from a stale page.
    response = act(client, online, "confirm_receipt", confirmed_on="2026-09-15")

    assert any("已被其他人处理" in m for m in page_messages(response))
    assert online.events.filter(kind="confirm_receipt").count() == 1
    # Opening the form of a step that no longer applies explains the same.
    response = client.get(action_url(online, "confirm_receipt"), follow=True)
    assert any("已被其他人处理" in m for m in page_messages(response))


def test_action_errors_are_shown_on_the_form(client, world, online, at):
    at(2026, 9, 15)
    login(client, world.users.handler)
    # 条例第三十一条: the confirmation cannot precede the submission.
    response = client.post(action_url(online, "confirm_receipt"), {"confirmed_on": "2026-09-01"})
    assert response.status_code == 200
    assert "确认日期不能早于申请提交日期。" in response.text
    act(client, online, "confirm_receipt", confirmed_on="2026-09-15")
    # 条例第三十七条: a 部分公开 reply must give the reason of the withheld part.
    response = client.post(
        action_url(online, "reply"),
        {"outcome": Outcome.PARTLY, "replied_on": "2026-09-15", "summary": "部分公开"},
    )
    assert response.status_code == 200
    assert "条例第三十七条" in response.text
    online.refresh_from_db()
    assert online.status == Status.IN_PROGRESS


def test_the_action_forms_default_to_today(client, world, online, at):
    at(2026, 9, 16)
    login(client, world.users.handler)
    response = client.get(action_url(online, "confirm_receipt"))
    assert 'value="2026-09-16"' in response.text
    assert "条例第三十一条" in response.text


# ---------------------------------------------------------------- intake


def test_intake_registers_an_in_person_application_and_shows_the_password(client, world, at):
    at(2026, 9, 15)
    login(client, world.users.handler)
    add = reverse("admin:disclosure_requests_disclosurerequest_add")
    form = client.get(add).context["form"]
    assert list(form.fields["agency"].queryset) == [world.city_edu]

    data = {**fields(), "agency": world.city_edu.pk, "channel": Channel.IN_PERSON}
    data.update(received_on="2026-09-14", purpose="", contact_person="", address="", postcode="")
    response = client.post(add, data, follow=True)

    application = DisclosureRequest.objects.get()
    assert application.channel == Channel.IN_PERSON
    assert application.status == Status.IN_PROGRESS
    assert application.receipt_date == date(2026, 9, 14)  # 条例第三十一条第（一）项
    assert application.tracking_code in response.text
    password = re.search(r"查询密码</dt><dd>(\w+)</dd>", response.text).group(1)
    assert actions.find_for_applicant(application.tracking_code, password) == application
    # Shown once: the page does not show it again.
    again = client.get(
        reverse("admin:disclosure_requests_disclosurerequest_registered", args=[application.pk])
    )
    assert again.status_code == 302
    assert password not in client.get(again.url).text


def test_intake_is_for_handlers_only(client, world, at):
    at(2026, 9, 15)
    add = reverse("admin:disclosure_requests_disclosurerequest_add")
    login(client, world.users.supervisor)
    assert client.get(add).status_code == 403
    login(client, world.users.editor)
    assert client.get(add).status_code == 403


def test_intake_refuses_another_agency(client, world, at):
    at(2026, 9, 15)
    login(client, world.users.handler)
    add = reverse("admin:disclosure_requests_disclosurerequest_add")
    data = {**fields(), "agency": world.city_fin.pk, "channel": Channel.IN_PERSON}
    response = client.post(add, {**data, "received_on": "2026-09-15"})
    assert response.status_code == 200
    assert response.context["form"].errors["agency"]
    assert not DisclosureRequest.objects.exists()


# ---------------------------------------------------------------- list


def test_the_deadline_filter(client, world, at):
    at(2026, 9, 15)
    late = DisclosureRequestFactory(agency=world.city_edu, due_date=date(2026, 9, 10))
    soon = DisclosureRequestFactory(agency=world.city_edu, due_date=date(2026, 9, 17))
    later = DisclosureRequestFactory(agency=world.city_edu, due_date=date(2026, 10, 30))
    paused = DisclosureRequestFactory(agency=world.city_edu, status=Status.CONSULTING)
    login(client, world.users.handler)

    def listed(**params):
        response = client.get(reverse(CHANGELIST), params)
        assert response.status_code == 200
        return {a.tracking_code for a in response.context["cl"].result_list}

    assert listed(deadline="overdue") == {late.tracking_code}
    assert listed(deadline="due_soon") == {soon.tracking_code}
    assert listed(deadline="paused") == {paused.tracking_code}
    assert len(listed()) == 4
    page = client.get(reverse(CHANGELIST)).text
    assert "2026-09-10 已逾期" in page
    assert later.tracking_code in page


def test_the_mine_filter_and_search(client, world, at):
    at(2026, 9, 15)
    mine = DisclosureRequestFactory(agency=world.city_edu, handler=world.users.handler)
    other = DisclosureRequestFactory(agency=world.city_edu, description="城市绿化规划")
    login(client, world.users.handler)
    response = client.get(reverse(CHANGELIST), {"mine": "1"})
    assert [a.pk for a in response.context["cl"].result_list] == [mine.pk]
    response = client.get(reverse(CHANGELIST), {"q": "绿化"})
    assert [a.pk for a in response.context["cl"].result_list] == [other.pk]


def test_the_changelist_query_count_does_not_grow_with_rows(client, world, at):
    at(2026, 9, 15)
    login(client, world.users.handler)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(CHANGELIST)).status_code == 200
        return len(queries)

    DisclosureRequestFactory.create_batch(2, agency=world.city_edu, handler=world.users.handler)
    few = count()
    DisclosureRequestFactory.create_batch(8, agency=world.city_edu, handler=world.users.handler)
    assert count() == few


def test_the_ledger_export_is_masked_for_a_handler(client, world, at):
    at(2026, 9, 15)
    DisclosureRequestFactory(
        agency=world.city_edu, applicant_name="张三", id_number="110101199003071234"
    )
    DisclosureRequestFactory(agency=world.city_fin, applicant_name="王五")
    login(client, world.users.handler)

    response = client.get(
        reverse("admin:disclosure_requests_disclosurerequest_export"),
        {"format": "csv", "status": Status.IN_PROGRESS},
    )

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2  # the header and the handler's own agency
    assert rows[1][4] == "张**"
    assert rows[1][5] == "110101********1234"
    assert not AuditEvent.objects.filter(action="disclosure_requests.ledger_export").exists()


def test_the_changelist_offers_intake_and_export(client, world, at):
    at(2026, 9, 15)
    login(client, world.users.handler)
    page = client.get(reverse(CHANGELIST)).text
    assert "登记申请" in page and "导出台账 XLSX" in page
    login(client, world.users.supervisor)
    page = client.get(reverse(CHANGELIST)).text
    assert "登记申请" not in page and "导出台账 XLSX" in page


# ---------------------------------------------------------------- letter templates


def template_data(agency, body="{{ applicant_name }}：\n{{ description }}\n{{ relief_sentence }}"):
    return {
        "agency": agency.pk if agency else "",
        "kind": LetterKind.REPLY,
        "title": "政府信息公开申请答复书",
        "body": body,
    }


def test_the_template_list_shows_own_and_default_templates(client, world):
    LetterTemplate.objects.create(
        agency=world.city_fin, kind=LetterKind.REPLY, title="答复书", body="{{ relief_sentence }}"
    )
    login(client, world.users.handler)
    response = client.get(reverse("admin:disclosure_requests_lettertemplate_changelist"))
    assert response.status_code == 200
    owners = {t.agency_id for t in response.context["cl"].result_list}
    assert owners == {None}  # the defaults; not 示范市财政局's own
    login(client, world.users.supervisor)
    response = client.get(reverse("admin:disclosure_requests_lettertemplate_changelist"))
    assert response.status_code == 403


def test_a_template_with_load_is_refused(client, world):
    login(client, world.users.handler)
    add = reverse("admin:disclosure_requests_lettertemplate_add")
    response = client.post(add, template_data(world.city_edu, body="{% load static %}\n正文"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "模板语法错误" in " ".join(errors["body"])
    assert "relief_sentence" in " ".join(errors["body"])
    assert not LetterTemplate.objects.filter(agency=world.city_edu).exists()


def test_an_office_saves_its_own_template_with_an_audit_event(client, world):
    login(client, world.users.handler)
    add = reverse("admin:disclosure_requests_lettertemplate_add")
    response = client.post(add, template_data(world.city_edu))
    assert response.status_code == 302
    template = LetterTemplate.objects.get(agency=world.city_edu)
    event = AuditEvent.objects.get(action="disclosure_requests.letter_template_save")
    assert event.object_id == str(template.pk)
    assert event.agency == world.city_edu
    assert event.changes["body"][1] == template.body

    # Another agency is not offered, and the platform default is read-only.
    response = client.post(add, template_data(world.city_fin))
    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    default = LetterTemplate.objects.get(agency__isnull=True, kind=LetterKind.REPLY)
    change = reverse("admin:disclosure_requests_lettertemplate_change", args=[default.pk])
    before = default.body
    client.post(change, template_data(None, body="{{ relief_sentence }}"))
    default.refresh_from_db()
    assert default.body == before


def test_a_superuser_edits_the_platform_default(client, world):
    login(client, world.users.admin)
    default = LetterTemplate.objects.get(agency__isnull=True, kind=LetterKind.REPLY)
    change = reverse("admin:disclosure_requests_lettertemplate_change", args=[default.pk])
    body = default.body + "\n（示范）"
    response = client.post(change, {**template_data(None), "body": body})
    assert response.status_code == 302
    default.refresh_from_db()
    assert default.body == body
    assert AuditEvent.objects.filter(
        action="disclosure_requests.letter_template_save", object_id=str(default.pk)
    ).exists()


def test_due_soon_marking_uses_today(client, world, at):
    at(2026, 9, 15)
    DisclosureRequestFactory(agency=world.city_edu, due_date=date(2026, 9, 15))
    DisclosureRequestFactory(agency=world.city_edu, due_date=date(2026, 9, 15) - timedelta(days=1))
    login(client, world.users.handler)
    page = client.get(reverse(CHANGELIST)).text
    assert "2026-09-15 今日到期" in page
    assert "2026-09-14 已逾期" in page
