import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.portal.factories import SiteProfileFactory
from zwgk.audit.models import AuditEvent
from zwgk.portal.actions import do_update_site_profile
from zwgk.portal.contact import ContactItem, office_contact
from zwgk.portal.models import DEFAULT_SITE_NAME, SINGLETON_PK, SiteProfile
from zwgk.portal.services import get_site_profile


def test_site_profile_is_a_singleton(db):
    SiteProfileFactory(name="第一次")
    SiteProfile(name="第二次").save()
    assert list(SiteProfile.objects.values_list("pk", "name")) == [(SINGLETON_PK, "第二次")]


def test_public_security_record_code_is_its_digits():
    profile = SiteProfile(public_security_record="示公网安备 12010102000001号")
    assert profile.public_security_record_code == "12010102000001"


def test_unconfigured_site_gets_a_default_profile(db):
    profile = get_site_profile()
    assert profile.pk is None
    assert profile.name == DEFAULT_SITE_NAME
    assert profile.owner is None
    assert profile.owner_contact == []


def test_site_profile_is_read_once_per_request(site_profile, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        first = get_site_profile(request)
        second = get_site_profile(request)
        assert first.owner.name == "示范市人民政府"
    assert first is second


def test_office_contact_lists_filled_fields_with_links(site_profile):
    items = office_contact(site_profile.owner)
    assert items[0] == ContactItem("政府信息公开工作机构名称", "示范市人民政府办公室")
    by_label = {item.label: item for item in items}
    assert by_label["联系电话"].href == "tel:035112345678"
    assert by_label["传真"].href == ""
    assert by_label["电子邮箱"].href == "mailto:zwgk@shifan.gov.cn"
    assert by_label["网上联系方式"].href == "https://www.shifan.gov.cn/zwgk/"
    assert len(items) == 8


def test_office_contact_skips_blank_fields_and_links_single_numbers_only(world):
    world.city_edu.office_phone = "0351-1234567，0351-7654321"
    assert office_contact(world.city_edu) == [ContactItem("联系电话", "0351-1234567，0351-7654321")]
    assert office_contact(None) == []


def test_update_records_an_audit_event(site_profile, world):
    site_profile.site_code = "1200000099"
    site_profile.owner = world.county
    changes = do_update_site_profile(site_profile, acting_user=world.users.admin)
    event = AuditEvent.objects.get(action="portal.update_site_profile")
    assert event.actor == world.users.admin
    assert event.agency == world.county
    assert event.summary == "修改网站基本信息。"
    assert (
        event.changes
        == changes
        == {
            "site_code": ["1200000001", "1200000099"],
            "owner_id": [world.city.pk, world.county.pk],
        }
    )


def test_saving_without_changes_writes_no_event(site_profile):
    assert do_update_site_profile(site_profile, acting_user=None) == {}
    assert not AuditEvent.objects.exists()


def test_only_a_superuser_may_update(site_profile, world):
    site_profile.name = "别的网站"
    with pytest.raises(PermissionDenied):
        do_update_site_profile(site_profile, acting_user=world.users.supervisor)
    assert SiteProfile.objects.get().name == "示范市人民政府门户网站"


def test_update_validates(site_profile):
    site_profile.site_code = "12-45"
    with pytest.raises(ValidationError) as excinfo:
        do_update_site_profile(site_profile, acting_user=None)
    assert "site_code" in excinfo.value.message_dict


def test_admin_pages_do_not_read_the_site_profile(client, site_profile):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/login/")
    assert response.status_code == 200
    assert not [q for q in queries if "portal_siteprofile" in q["sql"]]


class TestAdmin:
    def test_superuser_list_opens_the_single_row(self, client, site_profile, world):
        client.force_login(world.users.admin)
        response = client.get("/admin/portal/siteprofile/")
        assert response.status_code == 302
        assert response["Location"] == f"/admin/portal/siteprofile/{SINGLETON_PK}/change/"

    def test_superuser_adds_the_first_row(self, client, world):
        client.force_login(world.users.admin)
        assert client.get("/admin/portal/siteprofile/")["Location"].endswith("/add/")
        response = client.post(
            "/admin/portal/siteprofile/add/",
            {"name": "示范市人民政府门户网站", "owner": world.city.pk, "site_code": "1200000001"},
        )
        assert response.status_code == 302
        profile = SiteProfile.objects.get()
        assert profile.owner == world.city
        assert AuditEvent.objects.filter(action="portal.update_site_profile").count() == 1
        assert client.get("/admin/portal/siteprofile/add/").status_code == 403

    def test_superuser_edits_and_no_one_deletes(self, client, site_profile, world):
        client.force_login(world.users.admin)
        url = f"/admin/portal/siteprofile/{SINGLETON_PK}/change/"
        response = client.get(url)
        assert response.status_code == 200
        assert "政府网站标识码" in response.content.decode()
        response = client.post(url, {"name": "示范市政府网", "site_code": "12ab"})
        assert "政府网站标识码由10位数字或字母组成" in response.content.decode()
        assert client.get(f"/admin/portal/siteprofile/{SINGLETON_PK}/delete/").status_code == 403

    def test_other_staff_may_not_see_it(self, client, site_profile, world):
        client.force_login(world.users.supervisor)
        assert client.get("/admin/portal/siteprofile/").status_code == 403
        assert client.get(f"/admin/portal/siteprofile/{SINGLETON_PK}/change/").status_code == 403
        assert "网站基本信息" not in client.get("/admin/").content.decode()
