"""The staff API of 依申请公开 (``/api/v1/staff/applications``), on the real 2026 calendar.

The dates are those of ``test_workflow.py`` (counted by hand on the 2026
schedule): receipt 2026-09-15 → due 2026-10-19; supplement received
2026-09-22 → 2026-10-27; consultation 2026-10-09…10-20 → 2026-11-09;
extension by 20 working days → 2026-12-07.
"""

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.test_staff_api import issue_token
from tests.disclosure_requests.factories import DisclosureRequestFactory
from tests.disclosure_requests.test_workflow import SHANGHAI, fields
from tests.factories import Role, UserFactory
from zwgk.audit.models import AuditEvent
from zwgk.disclosure_requests import actions
from zwgk.disclosure_requests.choices import Channel, Outcome, Status
from zwgk.disclosure_requests.models import DisclosureRequest

BASE = "/api/v1/staff/applications"


def get(client, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers)


def post(client, path, token, data=None):
    return client.post(
        path,
        data=data or {},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def api_fields(**overrides):
    return {k: str(v) for k, v in fields(**overrides).items()}


@pytest.fixture
def application(world):
    """An online application submitted on 2026-09-14, awaiting confirmation."""
    with time_machine.travel(datetime(2026, 9, 14, 20, 0, tzinfo=SHANGHAI), tick=False):
        application, _ = actions.do_submit_online(world.city_edu, fields())
    return application


@pytest.fixture
def handler_token(world):
    return issue_token("handler")


# ---------------------------------------------------------------- authentication and scope


def test_without_a_token_every_endpoint_answers_401(client, application):
    assert get(client, BASE).status_code == 401
    assert get(client, f"{BASE}/{application.pk}").status_code == 401
    assert get(client, BASE, "zwgk_not-a-token").status_code == 401
    response = client.post(
        f"{BASE}/{application.pk}/confirm-receipt",
        data={"confirmed_on": "2026-09-15"},
        content_type="application/json",
    )
    assert response.status_code == 401
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CONFIRMATION


def test_a_handler_of_another_agency_gets_404_everywhere(client, world, application):
    UserFactory(username="county_handler", roles=[(world.county_edu, Role.HANDLER)])
    token = issue_token("county_handler")
    assert get(client, BASE, token).json()["count"] == 0
    assert get(client, f"{BASE}/{application.pk}", token).status_code == 404
    response = post(
        client, f"{BASE}/{application.pk}/confirm-receipt", token, {"confirmed_on": "2026-09-15"}
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "申请不存在，或不在您的权限范围内。"
    registered = dict(
        api_fields(), agency=world.city_edu.pk, channel="in_person", received_on="2026-09-15"
    )
    assert post(client, BASE, token, registered).status_code == 404
    assert not AuditEvent.objects.filter(action="disclosure_requests.view").exists()
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CONFIRMATION


def test_a_supervisor_reads_its_subtree_but_may_not_act(client, world, application):
    token = issue_token("supervisor")
    body = get(client, BASE, token).json()
    assert [item["id"] for item in body["items"]] == [application.pk]
    assert get(client, f"{BASE}/{application.pk}", token).status_code == 200
    response = post(
        client, f"{BASE}/{application.pk}/confirm-receipt", token, {"confirmed_on": "2026-09-15"}
    )
    assert response.status_code == 403
    assert "没有" in response.json()["detail"]
    registered = dict(
        api_fields(), agency=world.city_edu.pk, channel="in_person", received_on="2026-09-15"
    )
    assert post(client, BASE, token, registered).status_code == 403
    assert DisclosureRequest.objects.count() == 1


def test_the_detail_carries_applicant_data_and_is_audited(client, world, application):
    token = issue_token("handler")
    listed = get(client, BASE, token).json()["items"][0]
    assert "applicant_name" not in listed and "id_number" not in str(listed)
    assert "张三" not in str(listed)
    response = get(client, f"{BASE}/{application.pk}", token)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    detail = response.json()
    assert detail["applicant"]["applicant_name"] == "张三"
    assert detail["applicant"]["id_number"] == application.id_number
    assert detail["allowed_actions"] == [
        "confirm-receipt",
        "assign",
        "notes",
        "withdraw",
        "transfer",
    ]
    event = AuditEvent.objects.get(action="disclosure_requests.view")
    assert event.actor == world.users.handler
    assert event.object_id == str(application.pk)
    assert "张三" not in event.summary


# ---------------------------------------------------------------- the journey


def test_the_full_journey_through_the_api(client, world, application, handler_token):
    """Confirm, 补正, third party, extension by the office head, 部分公开 — every date right."""
    token, url = handler_token, f"{BASE}/{application.pk}"

    response = post(client, f"{url}/confirm-receipt", token, {"confirmed_on": "2026-09-15"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.IN_PROGRESS
    assert response.json()["receipt_date"] == "2026-09-15"
    assert response.json()["due_date"] == "2026-10-19"
    # A second identical request (a retry, or a second handler) is a conflict.
    again = post(client, f"{url}/confirm-receipt", token, {"confirmed_on": "2026-09-15"})
    assert again.status_code == 409
    assert "其他人处理" in again.json()["detail"]

    response = post(
        client,
        f"{url}/request-supplement",
        token,
        {
            "items": ["请明确所需方案的学段（小学或初中）", "请说明所需方案的年份"],
            "deadline": "2026-09-30",
            "notice_on": "2026-09-18",
        },
    )
    assert response.json()["status"] == Status.AWAITING_SUPPLEMENT
    assert response.json()["due_date"] is None

    response = post(client, f"{url}/receive-supplement", token, {"received_on": "2026-09-22"})
    assert response.json()["due_date"] == "2026-10-27"

    response = post(
        client,
        f"{url}/consultations",
        token,
        {"kind": "third_party", "party": "示范市某培训学校", "sent_on": "2026-10-09"},
    )
    assert response.status_code == 201
    consultation = response.json()
    assert consultation["due_date"] == "2026-10-29"  # 15 working days (第三十二条)
    assert consultation["application"]["status"] == Status.CONSULTING
    assert consultation["application"]["due_date"] is None  # the clock is stopped

    response = post(
        client,
        f"{url}/consultations/{consultation['id']}/end",
        token,
        {"answer": "object", "closed_on": "2026-10-20", "reason": "涉及学校商业秘密"},
    )
    assert response.json()["status"] == Status.IN_PROGRESS
    assert response.json()["due_date"] == "2026-11-09"

    extension = {
        "days": 20,
        "reason": "涉及多个学段，需调取档案",
        "approved_by": world.users.handler.pk,
        "approved_on": "2026-11-02",
    }
    refused = post(client, f"{url}/extend", token, extension)
    assert refused.status_code == 403
    assert "负责人同意" in refused.json()["detail"]
    extension["approved_by"] = world.users.office_head.pk
    response = post(client, f"{url}/extend", token, extension)
    assert response.json()["due_date"] == "2026-12-07"

    response = post(
        client,
        f"{url}/reply",
        token,
        {
            "outcome": "partly",
            "replied_on": "2026-11-20",
            "summary": "提供方案正文，涉及第三方商业秘密的附件不予公开。",
            "letter": {"withheld_outcome": "third_party", "obtain": "已通过电子邮件发送。"},
        },
    )
    assert response.status_code == 200, response.json()
    summary = response.json()
    assert summary["status"] == Status.CLOSED
    assert summary["outcome"] == Outcome.PARTLY
    assert summary["closed_on"] == "2026-11-20"

    detail = get(client, url, token).json()
    assert detail["extension"]["approved_by_id"] == world.users.office_head.pk
    assert detail["reply_due_date"] == "2026-12-07"
    assert detail["consultations"][0]["answer"] == "object"
    assert detail["supplements"][0]["received_date"] == "2026-09-22"
    assert detail["working_days_used"] == 29
    assert [e["kind"] for e in detail["timeline"] if e["public"]] == [
        "submit",
        "confirm_receipt",
        "request_supplement",
        "receive_supplement",
        "start_consultation",
        "end_consultation",
        "extend",
        "reply",
    ]
    letters = {letter["kind"]: letter for letter in detail["letters"]}
    assert set(letters) == {"supplement", "consultation", "extension", "reply"}
    assert detail["allowed_actions"] == ["notes", "mark-proactive"]

    reply_letter = letters["reply"]
    assert reply_letter["pdf_url"] == f"{url}/letters/{reply_letter['id']}.pdf"
    download = get(client, reply_letter["docx_url"], token)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:2] == b"PK"
    pdf = get(client, reply_letter["pdf_url"], token)
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    assert AuditEvent.objects.filter(action="disclosure_requests.letter_download").count() == 2
    assert get(client, f"{url}/letters/{reply_letter['id']}.exe", token).status_code == 422

    # Letters are scope-checked like the application, and bound to it.
    outsider = UserFactory(username="county_handler", roles=[(world.county_edu, Role.HANDLER)])
    assert outsider
    assert get(client, reply_letter["pdf_url"], issue_token("county_handler")).status_code == 404
    other = DisclosureRequestFactory(agency=world.city_edu)
    wrong_parent = f"{BASE}/{other.pk}/letters/{reply_letter['id']}.pdf"
    assert get(client, wrong_parent, token).status_code == 404

    # Closed: only notes and 主动公开 remain.
    response = post(client, f"{url}/withdraw", token, {"withdrawn_on": "2026-11-21"})
    assert response.status_code == 409
    response = post(client, f"{url}/mark-proactive", token, {"text": "方案正文"})
    assert response.status_code == 200


def test_registering_an_in_person_application(client, world, handler_token):
    """条例第三十一条第（一）项: received the day handed in; the password is returned once."""
    payload = dict(
        api_fields(), agency=world.city_edu.pk, channel="in_person", received_on="2026-04-30"
    )
    response = post(client, BASE, handler_token, payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Cache-Control"] == "no-store"
    assert body["status"] == Status.IN_PROGRESS
    assert body["receipt_date"] == "2026-04-30"
    assert body["due_date"] == "2026-06-01"
    assert body["channel"] == Channel.IN_PERSON
    application = actions.find_for_applicant(body["tracking_code"], body["password"])
    assert application is not None and application.pk == body["id"]


def test_registering_a_fax_waits_for_confirmation(client, world, handler_token):
    payload = dict(api_fields(), agency=world.city_edu.pk, channel="fax")
    response = post(client, BASE, handler_token, payload)
    assert response.status_code == 201
    assert response.json()["status"] == Status.AWAITING_CONFIRMATION
    assert response.json()["receipt_date"] is None


def test_registration_refusals_are_chinese_and_never_500(client, world, handler_token):
    base = dict(api_fields(), agency=world.city_edu.pk, received_on="2026-09-15")
    missing_date = post(
        client, BASE, handler_token, dict(base, channel="in_person", received_on=None)
    )
    assert missing_date.status_code == 422
    assert "收到申请日期" in str(missing_date.json()["errors"])
    online = post(client, BASE, handler_token, dict(base, channel="online"))
    assert online.status_code == 422
    assert "不是有效的登记渠道" in str(online.json()["errors"])
    bad_email = post(client, BASE, handler_token, dict(base, channel="in_person", email="x@"))
    assert bad_email.status_code == 400
    assert "email" in bad_email.json()["errors"]
    bad_id = post(client, BASE, handler_token, dict(base, channel="in_person", id_number="1"))
    assert bad_id.status_code == 400
    unknown_agency = post(client, BASE, handler_token, dict(base, channel="in_person", agency=0))
    assert unknown_agency.status_code == 404
    assert DisclosureRequest.objects.count() == 0


# ---------------------------------------------------------------- bad input


def test_bad_enums_and_dates_get_a_chinese_4xx(client, world, application, handler_token):
    url = f"{BASE}/{application.pk}"
    bad_date = post(client, f"{url}/confirm-receipt", handler_token, {"confirmed_on": "15.9.2026"})
    assert bad_date.status_code == 422
    assert bad_date.json()["detail"] == "请求参数格式不正确，请检查后重试。"
    assert "日期格式" in bad_date.json()["errors"][0]["msg"]
    impossible = post(
        client, f"{url}/confirm-receipt", handler_token, {"confirmed_on": "2026-02-30"}
    )
    assert impossible.status_code == 422
    too_early = post(
        client, f"{url}/confirm-receipt", handler_token, {"confirmed_on": "2026-09-01"}
    )
    assert too_early.status_code == 400
    assert too_early.json()["detail"] == "确认日期不能早于申请提交日期。"
    assert get(client, f"{BASE}?status=bogus", handler_token).status_code == 422
    listing = get(client, f"{BASE}?deadline=soon", handler_token).json()
    assert "不是有效的期限筛选" in listing["errors"][0]["msg"]
    assert get(client, f"{BASE}?received_since=yesterday", handler_token).status_code == 422
    assert get(client, f"{BASE}/abc", handler_token).status_code == 422
    assert get(client, f"{BASE}/999999", handler_token).status_code == 404

    post(client, f"{url}/confirm-receipt", handler_token, {"confirmed_on": "2026-09-15"})
    reply = {"outcome": "maybe", "replied_on": "2026-09-30"}
    response = post(client, f"{url}/reply", handler_token, reply)
    assert response.status_code == 422
    assert "不是有效的办理结果" in response.json()["errors"][0]["msg"]
    response = post(client, f"{url}/reply", handler_token, dict(reply, outcome="withdrawn"))
    assert response.status_code == 400
    assert "不是答复决定" in response.json()["detail"]
    response = post(
        client,
        f"{url}/reply",
        handler_token,
        dict(reply, outcome="provided", letter={"outcome": 1}),
    )
    assert response.status_code == 422
    response = post(
        client,
        f"{url}/reply",
        handler_token,
        dict(reply, outcome="other", letter={"reason": {"nested": "no"}}),
    )
    assert response.status_code == 422
    assert "只能是文字" in str(response.json()["errors"])
    # 条例第三十七条: the withheld part needs its ground, or nothing goes out.
    response = post(client, f"{url}/reply", handler_token, dict(reply, outcome="partly"))
    assert response.status_code == 400
    assert "条例第三十七条" in response.json()["detail"]

    consultation = {"kind": "somebody", "party": "某方", "sent_on": "2026-09-16"}
    assert post(client, f"{url}/consultations", handler_token, consultation).status_code == 422
    response = post(
        client,
        f"{url}/consultations/999999/end",
        handler_token,
        {"answer": "consent", "closed_on": "2026-09-20"},
    )
    assert response.status_code == 409  # not consulting
    response = post(
        client, f"{url}/extend", handler_token, {"days": 21, "reason": "x", "approved_by": 0}
    )
    assert response.status_code == 422  # approved_on missing
    response = post(
        client,
        f"{url}/extend",
        handler_token,
        {"days": 5, "reason": "需要调取档案", "approved_by": 0, "approved_on": "2026-09-20"},
    )
    assert response.status_code == 400
    assert "不存在" in response.json()["detail"]
    response = post(client, f"{url}/assign", handler_token, {"handler": world.users.editor.pk})
    assert response.status_code == 400
    assert "办理人" in response.json()["detail"]
    response = post(
        client, f"{url}/fee-notice", handler_token, {"method": "per_page", "quantity": 0}
    )
    assert response.status_code == 422
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS


def test_an_unknown_consultation_is_404(client, world, application, handler_token):
    url = f"{BASE}/{application.pk}"
    post(client, f"{url}/confirm-receipt", handler_token, {"confirmed_on": "2026-09-15"})
    post(
        client,
        f"{url}/consultations",
        handler_token,
        {"kind": "agency", "party": "示范市财政局", "sent_on": "2026-09-16"},
    )
    response = post(
        client,
        f"{url}/consultations/999999/end",
        handler_token,
        {"answer": "consent", "closed_on": "2026-09-20"},
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "征求意见记录不存在。"


def test_steps_before_receipt_are_conflicts_not_crashes(client, application, handler_token):
    """A fee notice needs a receipt date (按件 counts by month): refused before the action runs."""
    url = f"{BASE}/{application.pk}"
    fee = {"method": "per_item", "quantity": 1, "notice_on": "2026-09-16"}
    assert post(client, f"{url}/fee-notice", handler_token, fee).status_code == 409
    supplement = {"items": ["年份"], "deadline": "2026-09-30", "notice_on": "2026-09-16"}
    assert post(client, f"{url}/request-supplement", handler_token, supplement).status_code == 409
    reply = {"outcome": "provided", "replied_on": "2026-09-16"}
    assert post(client, f"{url}/reply", handler_token, reply).status_code == 409


def test_assign_transfer_and_fee(client, world, application, handler_token):
    url = f"{BASE}/{application.pk}"
    post(client, f"{url}/confirm-receipt", handler_token, {"confirmed_on": "2026-09-15"})
    response = post(client, f"{url}/assign", handler_token, {"handler": world.users.handler.pk})
    assert response.json()["handler_id"] == world.users.handler.pk
    assert post(client, f"{url}/notes", handler_token, {"text": "  "}).status_code == 400
    assert post(client, f"{url}/notes", handler_token, {"text": "已电话联系"}).status_code == 200

    fee = {"method": "per_page", "quantity": 120, "notice_on": "2026-09-21"}
    response = post(client, f"{url}/fee-notice", handler_token, fee)
    assert response.json()["status"] == Status.AWAITING_PAYMENT
    detail = get(client, url, handler_token).json()
    assert detail["fee_notice"]["amount"] == "1100.00"
    response = post(client, f"{url}/payment", handler_token, {"paid_on": "2026-09-25"})
    assert response.json()["status"] == Status.IN_PROGRESS

    response = post(client, f"{url}/transfer", handler_token, {"to_agency": 0})
    assert response.status_code == 400
    response = post(
        client, f"{url}/transfer", handler_token, {"to_agency": world.city_fin.pk, "reason": ""}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["outcome"] == Outcome.NOT_HELD
    successor = DisclosureRequest.objects.get(pk=body["successor_id"])
    assert successor.tracking_code == body["successor_tracking_code"]
    assert successor.agency == world.city_fin
    # The successor is at another agency: the city 教育局's handler does not see it.
    assert get(client, f"{BASE}/{successor.pk}", handler_token).status_code == 404


# ---------------------------------------------------------------- list


@pytest.fixture
def spread(world):
    """Applications at the city 教育局 with due dates around 2026-10-12 (a Monday)."""
    make = DisclosureRequestFactory
    return {
        "overdue": make(
            agency=world.city_edu, receipt_date=date(2026, 9, 1), due_date=date(2026, 10, 9)
        ),
        "due_soon": make(
            agency=world.city_edu,
            receipt_date=date(2026, 9, 10),
            due_date=date(2026, 10, 14),
            handler=world.users.handler,
        ),
        "later": make(
            agency=world.city_edu,
            receipt_date=date(2026, 9, 20),
            due_date=date(2026, 11, 30),
            channel=Channel.SIGNED_POST,
        ),
        "deferred": make(
            agency=world.city_edu,
            receipt_date=date(2026, 9, 2),
            due_date=date(2026, 10, 1),
            deferred_due_date=date(2026, 12, 1),
        ),
        "paused": make(
            agency=world.city_edu, receipt_date=date(2026, 9, 5), status=Status.CONSULTING
        ),
        "closed": make(
            agency=world.city_edu,
            receipt_date=date(2026, 8, 3),
            due_date=date(2026, 9, 1),
            closed_on=date(2026, 8, 20),
            outcome=Outcome.PROVIDED,
        ),
        "elsewhere": make(
            agency=world.city_fin, receipt_date=date(2026, 9, 1), due_date=date(2026, 10, 9)
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("deadline=overdue", {"overdue"}),
        ("deadline=due_soon", {"due_soon"}),
        ("deadline=paused", {"paused"}),
        ("status=closed", {"closed"}),
        ("channel=signed_post", {"later"}),
        ("handler=me", {"due_soon"}),
        ("received_since=2026-09-05&received_until=2026-09-20", {"due_soon", "later", "paused"}),
        ("applicant_type=commercial", set()),
        ("", {"overdue", "due_soon", "later", "deferred", "paused", "closed"}),
    ],
)
def test_list_filters(client, world, spread, handler_token, query, expected):
    with time_machine.travel(datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI), tick=False):
        response = get(client, f"{BASE}?{query}", handler_token)
    assert response.status_code == 200
    names = {pk: name for name, pk in ((n, a.pk) for n, a in spread.items())}
    assert {names[item["id"]] for item in response.json()["items"]} == expected


def test_the_list_shows_the_effective_due_date(client, world, spread, handler_token):
    items = get(client, f"{BASE}?agency={world.city_edu.pk}", handler_token).json()["items"]
    deferred = next(item for item in items if item["id"] == spread["deferred"].pk)
    assert deferred["due_date"] == "2026-12-01"
    assert deferred["agency_name"] == "示范市教育局"


def test_the_list_runs_a_constant_number_of_queries(client, world, handler_token):
    get(client, BASE, handler_token)  # the token's last-used time is written once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert get(client, BASE, handler_token).status_code == 200
        return len(captured)

    DisclosureRequestFactory(agency=world.city_edu, handler=world.users.handler)
    one = queries()
    for _ in range(5):
        DisclosureRequestFactory(agency=world.city_edu, handler=world.users.handler)
    assert queries() == one


# ---------------------------------------------------------------- documentation


def test_the_openapi_schema_documents_the_staff_api(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in [
        BASE,
        f"{BASE}/{{application_id}}",
        f"{BASE}/{{application_id}}/confirm-receipt",
        f"{BASE}/{{application_id}}/consultations/{{consultation_id}}/end",
        f"{BASE}/{{application_id}}/reply",
        f"{BASE}/{{application_id}}/letters/{{letter_id}}.{{fmt}}",
    ]:
        assert path in paths, path
    assert paths[BASE]["get"]["tags"] == ["依申请公开（工作人员）"]
    assert {"get", "post"} <= set(paths[BASE])
    reply = paths[f"{BASE}/{{application_id}}/reply"]["post"]
    assert {"200", "400", "403", "404", "409", "422"} <= set(reply["responses"])
    assert "/api/v1/applications" in paths  # the public API is still there
