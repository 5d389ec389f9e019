"""The audit log: append-only, written with the change, visible to supervisors only."""

import csv
import io

import openpyxl
import pytest
from django.db import DatabaseError, connection, transaction

from tests.factories import Role, UserFactory
from zwgk.accounts.actions import do_grant_role, do_revoke_role
from zwgk.accounts.models import Membership
from zwgk.audit.models import AppendOnlyError, AuditEvent
from zwgk.audit.services import audit_event, record_event, record_system_events


@pytest.mark.django_db(transaction=True)
def test_record_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        record_event("test.outside")


def test_events_cannot_be_changed_or_deleted_by_the_application(world):
    with transaction.atomic():
        event = record_event("test.event", agency=world.city, summary="原文")
    event.summary = "篡改"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="篡改")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_update_even_in_raw_sql(world):
    with transaction.atomic():
        event = record_event("test.event", agency=world.city, summary="原文")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "原文"


def test_a_failed_action_leaves_no_event(world):
    user = UserFactory()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        do_grant_role(user, world.city_edu, Role.EDITOR, acting_user=world.users.admin)
        1 / 0  # noqa: B018 — the rest of the action fails
    assert not Membership.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="accounts.grant_role").exists()


def test_grant_and_revoke_are_audited_with_actor_and_agency(world):
    user = UserFactory(is_staff=False)
    membership = do_grant_role(user, world.city_fin, Role.EDITOR, acting_user=world.users.admin)
    user.refresh_from_db()
    assert user.is_staff
    do_revoke_role(membership, acting_user=world.users.admin)
    events = list(AuditEvent.objects.filter(agency=world.city_fin).order_by("pk"))
    assert [e.action for e in events] == ["accounts.grant_role", "accounts.revoke_role"]
    assert events[0].actor == world.users.admin
    assert events[0].changes["role"] == [None, "editor"]


def test_audit_log_is_scoped_to_the_supervisors_subtree(world, client):
    with transaction.atomic():
        record_event("test.province", agency=world.province_tax, summary="省税务局事件")
        record_event("test.town", agency=world.town, summary="镇政府事件")
    client.force_login(world.users.supervisor)
    page = client.get("/admin/audit/auditevent/").content.decode()
    assert "镇政府事件" in page
    assert "省税务局事件" not in page


def test_working_roles_cannot_open_the_audit_log(world, client):
    client.force_login(world.users.editor)
    assert client.get("/admin/audit/auditevent/").status_code == 403


def test_export_honours_scope_and_filters(world, client):
    with transaction.atomic():
        record_event("test.town", agency=world.town, summary="=cmd|' /C calc'!A0")
        record_event("test.other", agency=world.county_edu, summary="县教育局事件")
        record_event("test.province", agency=world.province_tax, summary="省税务局事件")
    client.force_login(world.users.supervisor)
    response = client.get("/admin/audit/auditevent/export/?format=csv&action__exact=test.town")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][0] == "时间"
    assert len(rows) == 2
    # Formula injection is neutralised (values starting with = become text).
    assert "'=cmd|' /C calc'!A0" in rows[1]
    xlsx = client.get("/admin/audit/auditevent/export/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    summaries = [row[7] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert "县教育局事件" in summaries
    assert "省税务局事件" not in summaries


def login(client, username, password, **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


def test_login_success_and_failure_are_logged(world, client):
    assert login(client, "editor", "correct-horse-battery").status_code == 302
    assert login(client, "editor", "wrong").status_code == 200
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("pk"))
    assert actions == ["accounts.login", "accounts.login_failed"]


def test_repeated_failed_logins_lock_the_account(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "editor", "wrong")
    response = login(client, "editor", "correct-horse-battery")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_client_ip_is_recorded_from_the_request(world, client):
    superuser = UserFactory(is_superuser=True)
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/membership/add/",
        {"user": world.users.editor.pk, "agency": world.city_fin.pk, "role": Role.EDITOR},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accounts.grant_role")
    assert event.ip_address == "203.0.113.9"
    assert event.actor == superuser


def test_a_password_change_is_logged_without_the_password(world):
    from zwgk.accounts.actions import do_save_user

    user = world.users.editor
    user.set_password("another-long-password")
    do_save_user(user, acting_user=world.users.admin)
    event = AuditEvent.objects.get(action="accounts.update_user")
    assert event.changes == {"password": ["（已隐藏）", "（已修改）"]}
    assert "another-long-password" not in str(event.changes)


def test_an_event_outside_the_scope_cannot_be_opened(world, client):
    with transaction.atomic():
        inside = record_event("test.town", agency=world.town, summary="镇政府事件")
        outside = record_event("test.province", agency=world.province_tax, summary="省税务局事件")
    client.force_login(world.users.supervisor)
    page = client.get(f"/admin/audit/auditevent/{inside.pk}/change/")
    assert "镇政府事件" in page.content.decode()
    # The admin answers an id outside the queryset as "does not exist".
    response = client.get(f"/admin/audit/auditevent/{outside.pk}/change/")
    assert response.status_code == 302
    assert "省税务局事件" not in client.get(response.url).content.decode()


def test_system_events_of_a_batch_job_are_the_events_audit_event_builds(world):
    """record_system_events (COPY on PostgreSQL) writes, row for row, what audit_event would."""
    agency = world.city
    with transaction.atomic():
        record_system_events(
            "test.batch", type(agency), [(agency.pk, agency.pk, str(agency), "批量" * 300)]
        )
    written = AuditEvent.objects.get(action="test.batch")
    expected = audit_event("test.batch", agency=agency, obj=agency, summary="批量" * 300)
    columns = [
        "actor_id",
        "actor_name",
        "agency_id",
        "object_type",
        "object_id",
        "object_repr",
        "summary",
        "changes",
        "ip_address",
    ]
    assert [getattr(written, c) for c in columns] == [getattr(expected, c) for c in columns]
    assert written.actor_name == "系统"
    assert len(written.summary) == 500
    assert written.created_at is not None
