"""The agency back office: scoped lists and exports, edits through the actions, import preview."""

import csv
import io

import pytest

from tests.factories import Role, UserFactory
from zwgk.audit.models import AuditEvent
from zwgk.organizations.models import Agency

CHANGELIST = "/admin/organizations/agency/"


@pytest.fixture
def county_admin(world):
    return UserFactory(username="county_admin", roles=[(world.county, Role.ADMIN)])


def listed(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    return {agency.name for agency in response.context["cl"].result_list}


def exported(client, user, fmt: str = "csv") -> list[dict[str, str]]:
    client.force_login(user)
    response = client.get(f"{CHANGELIST}export/?format={fmt}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def change_data(agency: Agency, **changes) -> dict[str, str]:
    fields = [f.name for f in Agency._meta.concrete_fields if f.editable and not f.is_relation]
    data = {name: getattr(agency, name) for name in fields if name not in ("id", "is_active")}
    data |= {"parent": agency.parent_id or "", "supervising_authority": "", "is_active": "on"}
    return data | changes


def test_a_staff_member_of_one_agency_sees_only_that_agency(client, world):
    assert listed(client, world.users.editor) == {"示范市教育局"}
    assert listed(client, world.users.county_editor) == {"示范县教育局"}


def test_the_supervisor_sees_its_subtree(client, world):
    assert listed(client, world.users.supervisor) == {
        "示范市人民政府", "示范市教育局", "示范市财政局", "国家税务总局示范市税务局",
        "示范县人民政府", "示范县教育局", "示范镇人民政府",
    }  # fmt: skip


def test_the_list_is_the_tree_indented_by_depth(client, world, django_assert_max_num_queries):
    client.force_login(world.users.supervisor)
    with django_assert_max_num_queries(11):  # not one per agency or per parent
        page = client.get(CHANGELIST).content.decode()
    assert page.index("\u3000示范市人民政府") < page.index("\u3000\u3000\u3000示范镇人民政府")


def test_the_export_holds_nobody_elses_agencies(client, world):
    assert [row["标准全称"] for row in exported(client, world.users.county_editor)] == [
        "示范县教育局"
    ]
    names = [row["标准全称"] for row in exported(client, world.users.supervisor)]
    assert "示范省人民政府" not in names and "国家税务总局示范省税务局" not in names
    assert len(names) == 7


def test_the_xlsx_export_is_a_download(client, world):
    client.force_login(world.users.editor)
    response = client.get(f"{CHANGELIST}export/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]


def test_supervisors_read_but_do_not_change(client, world):
    client.force_login(world.users.supervisor)
    url = f"{CHANGELIST}{world.city_edu.pk}/change/"
    page = client.get(url).content.decode()
    assert "示范市人民政府（《中华人民共和国行政复议法》第二十四条第一款第（一）项）" in page
    assert 'name="_save"' not in page
    assert client.post(url, change_data(world.city_edu, office_phone="1")).status_code == 403
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.get(f"{CHANGELIST}import/").status_code == 403


def test_agencies_outside_the_scope_cannot_be_opened(client, world):
    client.force_login(world.users.county_editor)
    response = client.get(f"{CHANGELIST}{world.city_fin.pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist" redirect


def test_nobody_deletes_an_agency(client, world):
    client.force_login(world.users.admin)
    assert client.get(f"{CHANGELIST}{world.town.pk}/delete/").status_code == 403


def test_an_admin_edit_goes_through_the_action_and_is_audited(client, world, county_admin):
    client.force_login(county_admin)
    url = f"{CHANGELIST}{world.county_edu.pk}/change/"
    response = client.post(url, change_data(world.county_edu, office_phone="0531-2"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="organizations.update_agency")
    assert (event.actor, event.changes) == (county_admin, {"office_phone": ["", "0531-2"]})


def test_an_admin_adds_below_its_subtree_only(client, world, county_admin):
    client.force_login(county_admin)
    blank = Agency(name="示范县水利局", kind="department", level="county")
    outside = client.post(f"{CHANGELIST}add/", change_data(blank, parent=world.city.pk))
    assert "您不是“示范市人民政府”的系统管理员" in outside.content.decode()
    inside = client.post(f"{CHANGELIST}add/", change_data(blank, parent=world.county.pk))
    assert inside.status_code == 302
    created = Agency.objects.get(name="示范县水利局")
    assert AuditEvent.objects.get(action="organizations.create_agency").object_id == str(created.pk)


def test_the_parent_autocomplete_is_restricted(client, world):
    client.force_login(world.users.county_editor)
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "organizations",
            "model_name": "agency",
            "field_name": "parent",
            "term": "示范",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["示范县教育局"]


def upload(client, content: str, name: str = "机关.csv"):
    file = io.BytesIO(content.encode("utf-8-sig"))
    file.name = name
    return client.post(f"{CHANGELIST}import/", {"file": file})


def test_an_upload_with_errors_saves_nothing_and_lists_the_rows(client, world, county_admin):
    client.force_login(county_admin)
    response = upload(
        client,
        "标准全称,机关类型,层级,上级机关,统一社会信用代码\n"
        "示范县水利局,工作部门,县级,示范县人民政府,\n"
        "示范县林业局,工作部门,县级,某某局,\n"
        "示范县统计局,工作部门,县级,示范县人民政府,123\n",
    )
    page = response.content.decode()
    assert "导入失败，未保存任何数据" in page
    assert "第3行：上级机关“某某局”不存在。" in page
    assert "第4行：统一社会信用代码格式或校验位不正确（GB 32100）。" in page
    assert not Agency.objects.filter(name="示范县水利局").exists()


def test_an_upload_is_previewed_then_confirmed(client, world, county_admin):
    client.force_login(county_admin)
    response = upload(
        client, "标准全称,机关类型,层级,上级机关\n示范县水利局,工作部门,县级,示范县人民政府\n"
    )
    assert "新建1个，更新0个，未变化0个（试运行，未保存）。" in response.content.decode()
    assert not Agency.objects.filter(name="示范县水利局").exists()
    payload = response.context["confirm"].initial["payload"]
    confirmed = client.post(f"{CHANGELIST}import/", {"payload": payload}, follow=True)
    assert "导入完成：新建1个，更新0个，未变化0个。" in confirmed.content.decode()
    assert Agency.objects.get(name="示范县水利局").parent == world.county


def test_a_tampered_confirmation_is_refused(client, world, county_admin):
    client.force_login(county_admin)
    response = client.post(f"{CHANGELIST}import/", {"payload": "forged"})
    assert "预览已过期或数据不完整，请重新上传文件。" in response.content.decode()


def test_an_unreadable_upload_is_a_form_error(client, world, county_admin):
    client.force_login(county_admin)
    response = upload(client, "x", name="机关.xls")
    assert "只支持 .xlsx 和 .csv 文件" in response.content.decode()
