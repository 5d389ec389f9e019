"""``zwgk demo``: the README's run command depends on it."""

import io

import pytest
from django.core.management import CommandError, call_command

from zwgk.accounts.models import User
from zwgk.audit.models import AuditEvent
from zwgk.organizations.models import Agency
from zwgk.organizations.reconsideration import reconsideration_body
from zwgk.portal.services import get_site_profile


def run_demo(**options) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def test_demo_builds_the_world_and_prints_the_logins(db, settings):
    settings.DEBUG = True
    output = run_demo(password="demo-password-1")
    for username in ("admin", "supervisor", "editor", "reviewer", "handler", "office_head"):
        assert username in output
    assert "demo-password-1" in output
    town = Agency.objects.get(name="示范县白石镇人民政府")
    assert reconsideration_body(town).agency.name == "示范县人民政府"
    tax = Agency.objects.get(name="国家税务总局示范市税务局")
    assert reconsideration_body(tax).agency.name == "国家税务总局示范省税务局"
    assert User.objects.get(username="editor").check_password("demo-password-1")
    assert get_site_profile().owner.name == "示范市人民政府"


def test_demo_is_idempotent(db, settings):
    settings.DEBUG = True
    run_demo()
    counts = (Agency.objects.count(), User.objects.count(), AuditEvent.objects.count())
    run_demo()
    assert (Agency.objects.count(), User.objects.count(), AuditEvent.objects.count()) == counts


def test_demo_refuses_a_production_configuration(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="生产环境不应创建"):
        run_demo()
    assert not User.objects.exists()


def test_demo_users_can_log_in_to_the_back_office(db, settings, client):
    settings.DEBUG = True
    run_demo(password="demo-password-1")
    response = client.post("/admin/login/", {"username": "editor", "password": "demo-password-1"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
