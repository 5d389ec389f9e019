"""The catalogue back office: scoped tree list, edits through actions, import, export, templates."""

import csv
import io

import pytest

from zwgk.audit.models import AuditEvent
from zwgk.catalogue.actions import do_apply_template, do_create_catalogue_item
from zwgk.catalogue.models import CatalogueItem

CHANGELIST = "/admin/catalogue/catalogueitem/"


@pytest.fixture
def catalogues(world):
    do_apply_template(world.county_edu, "public-welfare", acting_user=None)
    do_create_catalogue_item(world.city_edu, acting_user=None, name="学前教育")


def listed(client, user, query: str = "") -> list[str]:
    client.force_login(user)
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return [item.name for item in response.context["cl"].result_list]


def test_each_user_sees_the_catalogues_of_their_scope(client, world, catalogues):
    assert listed(client, world.users.editor) == ["学前教育"]
    assert "学前教育" not in listed(client, world.users.county_editor)
    assert len(listed(client, world.users.county_editor)) == 8
    assert len(listed(client, world.users.supervisor)) == 9


def test_the_list_is_the_tree_indented(client, world, catalogues, django_assert_max_num_queries):
    client.force_login(world.users.county_editor)
    with django_assert_max_num_queries(12):  # not one per item
        page = client.get(CHANGELIST).content.decode()
    assert page.index(">社会公益事业建设<") < page.index(">\u3000脱贫攻坚<")


def test_the_agency_filter_lists_only_agencies_in_scope(client, world, catalogues):
    client.force_login(world.users.county_editor)
    page = client.get(CHANGELIST).content.decode()
    assert "示范县教育局" in page and "示范市教育局" not in page


def test_search_and_filters(client, world, catalogues):
    assert listed(client, world.users.supervisor, "?q=控辍保学") == ["教育"]
    assert listed(client, world.users.supervisor, "?deadline_kind__exact=real_time") == [
        "灾害事故救援"
    ]


def test_an_editor_adds_an_item_through_the_action(client, world):
    client.force_login(world.users.county_editor)
    response = client.post(
        CHANGELIST + "add/",
        {
            "agency": world.county_edu.pk,
            "sort_order": 1,
            "name": "学生资助",
            "is_active": "on",
            "deadline_kind": "working_days",
            "deadline_days": 5,
            "channels": ["website", "notice_board"],
            "audience": "public",
            "mode": "proactive",
            "levels": ["county"],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = CatalogueItem.objects.get()
    assert (item.agency, item.channels, item.deadline_days) == (
        world.county_edu,
        ["website", "notice_board"],
        5,
    )
    assert AuditEvent.objects.get(action="catalogue.create_item").actor == world.users.county_editor


def test_an_editor_cannot_add_to_another_agency(client, world):
    client.force_login(world.users.county_editor)
    response = client.post(
        CHANGELIST + "add/",
        {"agency": world.city_edu.pk, "name": "x", "deadline_kind": "working_days",
         "deadline_days": 20, "audience": "public", "mode": "proactive", "sort_order": 0},
    )  # fmt: skip
    assert response.status_code == 200
    assert not CatalogueItem.objects.exists()


def test_supervisors_read_only(client, world, catalogues):
    client.force_login(world.users.supervisor)
    item = CatalogueItem.objects.get(name="教育")
    assert client.get(f"{CHANGELIST}{item.pk}/change/").status_code == 200
    assert client.post(f"{CHANGELIST}{item.pk}/change/", {"name": "改"}).status_code == 403
    assert client.get(CHANGELIST + "add/").status_code == 403
    assert client.get(CHANGELIST + "import/").status_code == 403
    assert client.get(CHANGELIST + "apply-template/").status_code == 403


def test_deactivate_action(client, world, catalogues):
    client.force_login(world.users.county_editor)
    top = CatalogueItem.objects.get(name="社会公益事业建设")
    response = client.post(
        CHANGELIST, {"action": "deactivate_selected", "_selected_action": [top.pk]}
    )
    assert response.status_code == 302
    assert not CatalogueItem.objects.filter(agency=world.county_edu, is_active=True).exists()


def test_apply_template_page(client, world):
    client.force_login(world.users.county_editor)
    page = client.get(CHANGELIST + "apply-template/").content.decode()
    assert "条例第二十条法定主动公开内容（15项）" in page
    assert "示范市教育局" not in page  # only agencies the user edits
    response = client.post(
        CHANGELIST + "apply-template/", {"agency": world.county_edu.pk, "template": "article-20"}
    )
    assert response.status_code == 302
    assert CatalogueItem.objects.filter(agency=world.county_edu).count() == 15
    response = client.post(
        CHANGELIST + "apply-template/", {"agency": world.city_edu.pk, "template": "article-20"}
    )
    assert response.status_code == 200  # not a choice for this user
    assert not CatalogueItem.objects.filter(agency=world.city_edu).exists()


def test_export_is_scoped(client, world, catalogues):
    client.force_login(world.users.county_editor)
    response = client.get(f"{CHANGELIST}export/?agency={world.county_edu.pk}&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [row["一级事项"] for row in table] == ["社会公益事业建设"] * 8
    response = client.get(f"{CHANGELIST}export/?agency={world.city_edu.pk}&format=csv")
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_import_preview_then_confirm(client, world):
    client.force_login(world.users.county_editor)
    sheet = io.BytesIO("一级事项,二级事项,公开时限\n就业,招聘,灾情后及时\n".encode())
    sheet.name = "目录.csv"
    preview = client.post(CHANGELIST + "import/", {"agency": world.county_edu.pk, "file": sheet})
    page = preview.content.decode()
    assert "新建2项，更新0项，未变化0项（试运行，未保存）" in page
    assert "无法识别" in page
    assert not CatalogueItem.objects.exists()
    payload = preview.context["confirm"].initial["payload"]
    response = client.post(CHANGELIST + "import/", {"payload": payload})
    assert response.status_code == 302
    assert CatalogueItem.objects.filter(agency=world.county_edu).count() == 2


def test_import_shows_row_errors(client, world):
    client.force_login(world.users.county_editor)
    sheet = io.BytesIO("一级事项,公开对象\n就业,群众\n".encode())
    sheet.name = "目录.csv"
    page = client.post(
        CHANGELIST + "import/", {"agency": world.county_edu.pk, "file": sheet}
    ).content.decode()
    assert "第2行：公开对象“群众”无效" in page
    assert not CatalogueItem.objects.exists()


def test_a_tampered_confirmation_is_refused(client, world):
    client.force_login(world.users.county_editor)
    response = client.post(CHANGELIST + "import/", {"payload": "forged"})
    assert "预览已过期" in response.content.decode()


@pytest.mark.parametrize("page", ["add/", "import/", "export/", "apply-template/", "template/"])
def test_the_pages_render_for_an_editor(client, world, catalogues, page):
    client.force_login(world.users.county_editor)
    assert client.get(CHANGELIST + page).status_code == 200


def test_the_change_form_renders_the_vocabularies(client, world, catalogues):
    client.force_login(world.users.county_editor)
    item = CatalogueItem.objects.get(name="脱贫攻坚")
    page = client.get(f"{CHANGELIST}{item.pk}/change/").content.decode()
    assert "公示栏(电子屏)" in page and "精准推送" in page
    assert 'name="channels" value="notice_board" id="id_channels_10" checked>' in page
    assert 'name="channels" value="gazette" id="id_channels_2">' in page
