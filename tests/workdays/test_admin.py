"""The back office: read-only browsing, and the notice import with preview and confirm."""

from datetime import date

import pytest
from django.urls import reverse

from tests.workdays.helpers import notice_text
from zwgk.audit.models import AuditEvent
from zwgk.workdays.models import DeclaredDay, ScheduleYear

D = date.fromisoformat
IMPORT_URL = reverse("admin:workdays_scheduleyear_import_notice")
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
　　经国务院批准，现将2027年元旦、春节放假调休日期的具体安排通知如下。
　　一、元旦：1月1日（周五）至3日（周日）放假，共3天。
　　二、春节：2月6日（农历除夕、周六）至13日（农历正月初七、周六）放假调休，共8天。2月14日（周日）上班。
"""


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_changelist_lists_years_and_links_the_import(admin_client):
    response = admin_client.get(reverse("admin:workdays_scheduleyear_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "导入节假日通知" in page
    assert IMPORT_URL in page
    assert "chinesecalendar" in page


def test_days_are_browsable_and_filterable(admin_client):
    url = reverse("admin:workdays_declaredday_changelist")
    response = admin_client.get(url, {"schedule__year": "2026", "is_off_day__exact": "0"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 6


def test_calendar_is_read_only(admin_client):
    assert admin_client.get(reverse("admin:workdays_scheduleyear_add")).status_code == 403
    day = DeclaredDay.objects.get(date=D("2026-02-14"))
    change = admin_client.get(reverse("admin:workdays_declaredday_change", args=[day.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()


def test_preview_saves_nothing(admin_client):
    response = admin_client.post(IMPORT_URL, {"year": 2027, "text": NOTICE_2027, "preview": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027年1月" in page and "2027年12月" in page
    assert "确认导入2027年节假日安排" in page
    assert "共放假 11 天，调休上班 1 天。" in page
    assert 'class="off"' in page and 'class="makeup"' in page
    assert not ScheduleYear.objects.filter(year=2027).exists()


def test_confirm_saves_the_previewed_text(admin_client):
    preview = admin_client.post(IMPORT_URL, {"year": 2027, "text": NOTICE_2027, "preview": "1"})
    digest = preview.context["digest"]
    response = admin_client.post(
        IMPORT_URL, {"year": 2027, "text": NOTICE_2027, "previewed": digest, "confirm": "1"}
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:workdays_scheduleyear_changelist")
    schedule = ScheduleYear.objects.get(year=2027)
    assert schedule.days.filter(is_off_day=True).count() == 11
    assert schedule.loaded_by.username == "admin"
    assert AuditEvent.objects.filter(action="workdays.import_schedule").count() == 1


def test_confirm_of_text_changed_after_preview_is_previewed_again(admin_client):
    preview = admin_client.post(IMPORT_URL, {"year": 2027, "text": NOTICE_2027, "preview": "1"})
    changed = NOTICE_2027.replace("2月14日（周日）上班。", "")
    response = admin_client.post(
        IMPORT_URL,
        {"year": 2027, "text": changed, "previewed": preview.context["digest"], "confirm": "1"},
    )
    assert response.status_code == 200
    assert "通知内容在预览后有改动" in response.content.decode()
    assert not ScheduleYear.objects.filter(year=2027).exists()


def test_errors_block_the_confirmation(admin_client):
    response = admin_client.post(
        IMPORT_URL, {"year": 2028, "text": NOTICE_2027.replace("关于2027年", ""), "preview": "1"}
    )
    page = response.content.decode()
    assert "修正后才能导入" in page
    assert "通知写明的是2027年的安排，与指定的2028年不一致。" in page
    assert 'name="confirm"' not in page


def test_preview_shows_previous_december_and_warnings(admin_client):
    response = admin_client.post(
        IMPORT_URL, {"year": 2019, "text": notice_text(2019), "preview": "1"}
    )
    assert "2018年12月" in response.content.decode()
    response = admin_client.post(
        IMPORT_URL, {"year": 2024, "text": notice_text(2024), "preview": "1"}
    )
    assert "安排职工在除夕(2月9日)休息" in response.content.decode()


def test_staff_who_are_not_superusers_get_403(client, staff_user):
    client.force_login(staff_user)
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"year": 2027, "text": NOTICE_2027, "confirm": "1"})
    assert response.status_code == 403
    assert not ScheduleYear.objects.filter(year=2027).exists()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response.url
