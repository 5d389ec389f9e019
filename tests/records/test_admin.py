"""The back office of 主动公开 through the Django test client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.records.conftest import ALL_CLEAR, record_fields
from zwgk.audit.models import AuditEvent
from zwgk.records import actions
from zwgk.records.choices import Status
from zwgk.records.models import IndexNumberTemplate, Record, TopicCategory

CHANGELIST = "admin:records_record_changelist"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def change_url(record) -> str:
    return reverse("admin:records_record_change", args=[record.pk])


def step_url(record, action) -> str:
    return reverse("admin:records_record_step", args=[record.pk, action])


def form_data(topic, agency, **overrides):
    fields = record_fields(topic)
    data = {
        "agency": agency.pk,
        "issuers": [agency.pk],
        "title": fields["title"],
        "doc_number": "示教发（2026）12号",
        "doc_type": fields["doc_type"],
        "topic": topic.pk,
        "keywords": fields["keywords"],
        "summary": fields["summary"],
        "written_on": "2026-03-02",
        "formed_on": "",
        "disclosure": "proactive",
        "withhold_reason": "",
        "next_review_on": "",
        "body": "<p>正文</p><script>x</script>",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "attachments-0-sort_order": "0",
    }
    data.update(overrides)
    return data


@pytest.fixture
def county_record(rworld, topic):
    return actions.do_create_record(
        rworld.county_edu,
        record_fields(topic, title="示范县教育局通知"),
        acting_user=rworld.users.county_editor,
    )


def test_list_is_scoped_to_the_users_agencies(client, draft, county_record, rworld):
    client.force_login(rworld.users.county_editor)
    page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200
    assert "示范县教育局通知" in page.text
    assert draft.title not in page.text
    assert client.get(change_url(draft)).status_code in (302, 404)
    client.force_login(rworld.users.editor)
    page = client.get(reverse(CHANGELIST))
    assert draft.title in page.text
    assert "示范县教育局通知" not in page.text
    client.force_login(rworld.users.supervisor)  # the city's subtree
    page = client.get(reverse(CHANGELIST))
    assert draft.title in page.text
    assert "示范县教育局通知" in page.text


def test_list_query_count_does_not_grow_with_rows(client, rworld, topic):
    client.force_login(rworld.users.editor)
    for n in range(3):
        actions.do_create_record(
            rworld.city_edu, record_fields(topic, title=f"通知{n}"), acting_user=rworld.users.editor
        )
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(CHANGELIST))
    for n in range(10):
        actions.do_create_record(
            rworld.city_edu, record_fields(topic, title=f"更多{n}"), acting_user=rworld.users.editor
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(CHANGELIST))
    assert len(many) == len(few)


def test_search_matches_the_doc_number_however_written(client, draft, rworld):
    client.force_login(rworld.users.editor)
    page = client.get(reverse(CHANGELIST), {"q": "示教发[2026]012号"})
    assert draft.title in page.text
    page = client.get(reverse(CHANGELIST), {"q": "示教发〔2025〕12号"})
    assert draft.title not in page.text


def test_search_by_index_number(client, published, rworld):
    client.force_login(rworld.users.editor)
    page = client.get(reverse(CHANGELIST), {"q": "2026-00001"})
    assert published.title in page.text


def test_editor_creates_a_draft_through_the_form(client, rworld, topic):
    client.force_login(rworld.users.editor)
    add = reverse("admin:records_record_add")
    assert client.get(add).status_code == 200
    data = form_data(topic, rworld.city_edu)
    data["attachments-0-file"] = SimpleUploadedFile("图.png", PNG)
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = Record.objects.get()
    assert record.status == Status.DRAFT
    assert record.created_by == rworld.users.editor
    assert record.doc_number == "示教发（2026）12号"
    assert record.doc_number_normalized == "示教发〔2026〕12号"
    assert "<script" not in record.body
    assert record.attachments.get().original_name == "图.png"
    audited = AuditEvent.objects.filter(action__startswith="records.").order_by("pk")
    assert list(audited.values_list("action", flat=True)) == [
        "records.create",
        "records.attachment_add",
    ]


def test_form_shows_metadata_errors(client, rworld, topic):
    client.force_login(rworld.users.editor)
    data = form_data(topic, rworld.city_edu, summary="字" * 101, disclosure="withheld")
    data["attachments-0-file"] = SimpleUploadedFile("a.exe", b"MZ")
    response = client.post(reverse("admin:records_record_add"), data)
    assert response.status_code == 200
    assert "内容概述不超过100字" in response.text
    assert "不予公开的信息必须写明理由和依据" in response.text
    assert "不支持的附件类型" in response.text
    assert not Record.objects.exists()


def test_county_editor_cannot_create_for_the_city(client, rworld, topic):
    client.force_login(rworld.users.county_editor)
    response = client.post(reverse("admin:records_record_add"), form_data(topic, rworld.city_edu))
    assert response.status_code == 200  # the agency is not among the choices
    assert not Record.objects.exists()


def test_buttons_follow_status_and_role(client, draft, rworld):
    client.force_login(rworld.users.editor)
    page = client.get(change_url(draft))
    assert step_url(draft, "submit") in page.text
    assert step_url(draft, "approve") not in page.text
    response = client.post(step_url(draft, "submit"))
    assert response.status_code == 302
    assert Record.objects.get(pk=draft.pk).status == Status.SECRECY_REVIEW
    page = client.get(change_url(draft))
    assert step_url(draft, "secrecy_review") not in page.text  # an editor does not review
    assert client.get(step_url(draft, "secrecy_review")).status_code == 302

    client.force_login(rworld.users.reviewer)
    page = client.get(change_url(draft))
    assert step_url(draft, "secrecy_review") in page.text
    incomplete = dict.fromkeys(list(ALL_CLEAR)[:3], "on")
    response = client.post(step_url(draft, "secrecy_review"), incomplete)
    assert response.status_code == 200
    assert Record.objects.get(pk=draft.pk).status == Status.SECRECY_REVIEW
    response = client.post(step_url(draft, "secrecy_review"), dict.fromkeys(ALL_CLEAR, "on"))
    assert response.status_code == 302
    response = client.post(step_url(draft, "approve"), {"publish_at": ""})
    assert response.status_code == 302
    record = Record.objects.get(pk=draft.pk)
    assert record.status == Status.PUBLISHED
    assert record.index_number == "000014349/2026-00001"
    page = client.get(change_url(record))
    assert "历史版本" in page.text
    assert step_url(record, "withdraw") in page.text


def test_published_change_is_a_correction_with_a_note(client, published, rworld, topic):
    client.force_login(rworld.users.editor)
    page = client.get(change_url(published))
    assert 'name="title"' not in page.text  # read-only for the editor
    client.force_login(rworld.users.reviewer)
    data = form_data(topic, rworld.city_edu, title="更正后的标题")
    response = client.post(change_url(published), data)
    assert response.status_code == 200
    assert "须写明更正说明" in response.text
    data["correction_note"] = "标题有误"
    response = client.post(change_url(published), data)
    assert response.status_code == 302
    record = Record.objects.get(pk=published.pk)
    assert record.title == "更正后的标题"
    assert record.versions.count() == 2
    assert record.versions.order_by("-number").first().note == "标题有误"


def test_topic_admin_offices_add_second_levels_only(client, rworld):
    client.force_login(rworld.users.editor)
    root = TopicCategory.objects.get(name="科技、教育", parent=None)
    add = reverse("admin:records_topiccategory_add")
    response = client.post(add, {"name": "学前教育", "parent": "", "sort_order": 0})
    assert response.status_code == 200  # a first level needs the platform administrator
    response = client.post(
        add, {"name": "学前教育", "parent": root.pk, "sort_order": 0, "is_active": "on"}
    )
    assert response.status_code == 302
    assert str(TopicCategory.objects.get(name="学前教育")) == "科技、教育\\学前教育"
    assert AuditEvent.objects.filter(action="records.topic_save").count() == 1
    root_change = reverse("admin:records_topiccategory_change", args=[root.pk])
    assert 'name="name"' not in client.get(root_change).text


def test_index_template_admin(client, rworld):
    client.force_login(rworld.users.office_head)
    add = reverse("admin:records_indexnumbertemplate_add")
    response = client.post(add, {"agency": rworld.city_edu.pk, "template": "{org}/{serial}"})
    assert response.status_code == 200
    assert "未知占位符" in response.text
    response = client.post(
        add, {"agency": rworld.city_edu.pk, "template": "{prefix}-{year}-{serial:06d}"}
    )
    assert response.status_code == 302
    row = IndexNumberTemplate.objects.get()
    page = client.get(reverse("admin:records_indexnumbertemplate_change", args=[row.pk]))
    assert "000014349-20" in page.text  # the preview of the next number
    client.force_login(rworld.users.editor)
    assert (
        client.post(add, {"agency": rworld.city_edu.pk, "template": "{year}{serial}"}).status_code
        == 403
    )
