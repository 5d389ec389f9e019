"""The staff API: token authentication and the same scoping as the back office."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from zwgk.accounts.models import ApiToken
from zwgk.audit.services import record_event


def issue_token(username: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("api-token", "create", username, "--name", "测试", stdout=out, stderr=err)
    assert "只显示这一次" in err.getvalue()
    return out.getvalue().strip()


@pytest.fixture
def events(world):
    with transaction.atomic():
        town = record_event("test.town", agency=world.town, summary="镇")
        tax = record_event("test.tax", agency=world.province_tax, summary="省税务局")
    return town, tax


def get(client, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers)


def test_without_a_token_the_staff_api_answers_401(client, events):
    assert get(client, "/api/v1/audit-events").status_code == 401
    assert get(client, "/api/v1/audit-events", "zwgk_not-a-token").status_code == 401


def test_supervisor_lists_only_its_subtree(client, world, events):
    town, tax = events
    token = issue_token("supervisor")
    body = get(client, "/api/v1/audit-events", token).json()
    ids = {item["id"] for item in body["items"]}
    assert town.pk in ids
    assert tax.pk not in ids
    assert get(client, f"/api/v1/audit-events/{tax.pk}", token).status_code == 404
    assert get(client, f"/api/v1/audit-events/{town.pk}", token).json()["summary"] == "镇"


def test_filters_and_pagination(client, world, events):
    token = issue_token("admin")
    body = get(client, f"/api/v1/audit-events?agency={world.town.pk}", token).json()
    assert [item["action"] for item in body["items"]] == ["test.town"]
    assert body["count"] == 1
    bad = get(client, "/api/v1/audit-events?since=not-a-date", token)
    assert bad.status_code == 422


def test_working_roles_see_no_audit_events(client, world, events):
    token = issue_token("editor")
    assert get(client, "/api/v1/audit-events", token).json()["count"] == 0


def test_revoked_token_stops_working(client, world, events):
    token = issue_token("admin")
    prefix = ApiToken.objects.get().prefix
    call_command("api-token", "revoke", prefix, stdout=io.StringIO())
    assert get(client, "/api/v1/audit-events", token).status_code == 401


def test_only_a_digest_is_stored(world):
    token = issue_token("admin")
    stored = ApiToken.objects.get()
    assert token not in {stored.digest, stored.prefix}
    assert stored.digest == ApiToken.hash(token)


def test_unknown_user_gets_a_chinese_error(db):
    with pytest.raises(CommandError, match="没有用户名为"):
        call_command("api-token", "create", "nobody")


def test_openapi_schema_lists_the_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/audit-events" in schema["paths"]


def test_malformed_input_gets_a_chinese_422(client, world):
    token = issue_token("admin")
    response = get(client, "/api/v1/audit-events?agency=abc", token)
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数格式不正确，请检查后重试。"
