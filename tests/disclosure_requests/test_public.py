"""The applicant's pages: online application (条例第二十九条) and progress query."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from pytest_django.asserts import assertContains, assertNotContains

from tests.disclosure_requests.test_workflow import ID_BODY, fields
from tests.portal.markup import elements
from zwgk.disclosure_requests import actions, views
from zwgk.disclosure_requests.choices import Channel, Outcome, Status
from zwgk.disclosure_requests.models import DisclosureRequest, Letter, LetterKind, RequestEvent
from zwgk.disclosure_requests.validators import resident_id_check_character
from zwgk.utils.masking import mask_name

APPLY = "/yisqgk/apply/"
QUERY = "/yisqgk/query/"
RESULT = "/yisqgk/query/result/"
WITHDRAW = "/yisqgk/query/withdraw/"
ID_NUMBER = ID_BODY + resident_id_check_character(ID_BODY)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def form_data(world, **overrides):
    data = {"agency": str(world.city_edu.pk), **fields(), "homepage": ""}
    data.update(overrides)
    return {k: str(v) for k, v in data.items()}


@pytest.fixture
def submitted(world):
    """An online application and its query password."""
    return actions.do_submit_online(world.city_edu, fields())


def query(client, application, password):
    return client.post(QUERY, {"tracking_code": application.tracking_code, "password": password})


# ---------------------------------------------------------------- application form


def test_form_renders_labels_csrf_and_grouped_agencies(client, world):
    response = client.get(APPLY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html
    for label in ("受理机关", "申请人类型", "姓名或名称", "证件类型", "证件号码", "联系电话"):
        assert label in html
    assertContains(response, '<optgroup label="示范市人民政府">')
    assertContains(response, '<optgroup label="示范县人民政府">')
    assertContains(response, "<legend>法人或其他组织</legend>")
    assertContains(response, "商业企业")
    # The honeypot is hidden from people and from assistive technology.
    assertContains(response, '<div class="hp" aria-hidden="true">')
    assert 'name="homepage"' in html and 'tabindex="-1"' in html
    # Labels point at the fields.
    ids = {a["id"] for a in elements(html, "input") if a.get("id")}
    assert {"id_applicant_name", "id_id_number", "id_phone"} <= ids


def test_valid_submission_awaits_confirmation_and_shows_code_and_password_once(client, world):
    response = client.post(APPLY, form_data(world), follow=True)
    application = DisclosureRequest.objects.get()
    assert application.status == Status.AWAITING_CONFIRMATION
    assert application.channel == Channel.ONLINE
    assert application.agency == world.city_edu
    assertContains(response, application.tracking_code)
    assertContains(response, "网上申请以双方确认之日为收到申请之日（条例第三十一条）")
    assertContains(response, "示范市教育局")
    password = response.context["submitted"]["password"]
    assert actions.find_for_applicant(application.tracking_code, password) == application
    # Shown once: the session forgets it.
    again = client.get("/yisqgk/apply/done/")
    assert again.status_code == 302
    assertNotContains(client.get(QUERY), password)


def test_invalid_id_number_keeps_the_input_and_shows_the_error_next_to_the_field(client, world):
    wrong_check = "0" if ID_NUMBER[-1] != "0" else "1"
    data = form_data(world, id_number=ID_BODY + wrong_check, description="某某文件及其附件")
    response = client.post(APPLY, data)
    assert response.status_code == 200
    assert not DisclosureRequest.objects.exists()
    html = response.content.decode()
    assert "居民身份证号码应为18位，且校验位正确（GB 11643）。" in html
    assert 'id="id_id_number_error"' in html
    (id_input,) = [a for a in elements(html, "input") if a.get("name") == "id_number"]
    assert id_input["aria-invalid"] == "true"
    assert "id_id_number_error" in id_input["aria-describedby"]
    assert id_input["value"] == data["id_number"]
    # Everything typed is still there.
    for name in ("applicant_name", "phone", "email"):
        (field,) = [a for a in elements(html, "input") if a.get("name") == name]
        assert field["value"] == data[name]
    assert "某某文件及其附件" in html
    radios = [a for a in elements(html, "input") if a.get("name") == "applicant_type"]
    assert [a["value"] for a in radios if "checked" in a] == ["natural_person"]
    # The summary at the top links to the field.
    assertContains(response, 'href="#id_id_number"')
    assertContains(response, "提交未成功")


def test_missing_fields_have_chinese_messages(client, world):
    response = client.post(APPLY, {"homepage": ""})
    assertContains(response, "请选择受理机关。")
    assertContains(response, "请选择申请人类型。")
    assertContains(response, "请填写姓名或名称。")
    assertContains(response, 'href="#id_applicant_type_0"')


def test_organisation_needs_a_contact_person(client, world):
    response = client.post(APPLY, form_data(world, applicant_type="commercial"))
    assertContains(response, "法人或者其他组织申请的，请填写联系人。")
    assert not DisclosureRequest.objects.exists()


def test_filled_honeypot_looks_successful_but_saves_nothing(client, world):
    response = client.post(APPLY, form_data(world, homepage="http://spam.example"), follow=True)
    assert response.status_code == 200
    assertContains(response, "申请已提交")
    assert not DisclosureRequest.objects.exists()
    assert not RequestEvent.objects.exists()


def test_submissions_are_rate_limited_per_ip(client, world):
    limit = views.SUBMIT_PER_IP[0]
    for n in range(limit):
        body = f"11010519800307{n:03d}"
        other_id = body + resident_id_check_character(body)
        assert client.post(APPLY, form_data(world, id_number=other_id)).status_code == 302
    response = client.post(APPLY, form_data(world))
    assert response.status_code == 429
    assertContains(response, "提交过于频繁", status_code=429)
    assert DisclosureRequest.objects.count() == limit


def test_submissions_are_rate_limited_per_identity_number(client, world):
    limit = views.SUBMIT_PER_IDENTITY[0]
    for n in range(limit):
        response = client.post(APPLY, form_data(world), REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert response.status_code == 302
    response = client.post(APPLY, form_data(world), REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 429
    assert DisclosureRequest.objects.count() == limit


# ---------------------------------------------------------------- query


def test_query_with_the_right_password_shows_the_progress(client, submitted):
    application, password = submitted
    response = query(client, application, password)
    assert response.status_code == 302
    response = client.get(RESULT)
    assertContains(response, application.tracking_code)
    assertContains(response, "待确认")
    assertContains(response, "示范市教育局")
    assertContains(response, "张**")


def test_query_with_a_wrong_password_or_code_gives_the_same_error(client, submitted):
    application, _ = submitted
    wrong_password = query(client, application, "WRONG123")
    wrong_code = client.post(QUERY, {"tracking_code": "26XXXXXXXXXX", "password": "WRONG123"})
    for response in (wrong_password, wrong_code):
        assert response.status_code == 200
        assertContains(response, views.QUERY_FAILED)
    assert client.get(RESULT).status_code == 302


def test_failed_queries_are_rate_limited_per_ip(client, submitted):
    application, password = submitted
    for _ in range(views.FAILED_QUERIES_PER_IP[0]):
        query(client, application, "WRONG123")
    # Even the right password is refused until the window has passed.
    response = query(client, application, password)
    assert response.status_code == 429


def test_timeline_shows_public_entries_only_and_no_personal_data(client, submitted):
    application, password = submitted
    RequestEvent.objects.create(request=application, kind="note", public=False, text="内部备注甲")
    RequestEvent.objects.create(request=application, kind="note", public=True, text="公开记录乙")
    query(client, application, password)
    response = client.get(RESULT)
    assertContains(response, "公开记录乙")
    assertContains(response, "网上提交申请")
    assertNotContains(response, "内部备注甲")
    for personal in (ID_NUMBER, "13812345678", "zhangsan@example.com", "张三"):
        assertNotContains(response, personal)


def test_applicant_withdraws_after_confirming(client, submitted):
    application, password = submitted
    query(client, application, password)
    assertContains(client.get(RESULT), WITHDRAW)
    response = client.post(WITHDRAW, {})
    assertContains(response, "请勾选确认后再撤回。")
    response = client.post(WITHDRAW, {"confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.CLOSED
    assert application.outcome == Outcome.WITHDRAWN
    result = client.get(RESULT)
    assertContains(result, "申请人撤回申请")
    assertNotContains(result, WITHDRAW)


def test_withdraw_needs_a_successful_query(client, submitted):
    application, _ = submitted
    assert client.post(WITHDRAW, {"confirm": "on"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CONFIRMATION


@pytest.fixture
def letter(submitted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application, _ = submitted
    letter = Letter(request=application, kind=LetterKind.REPLY, delivered_online=True)
    letter.docx.save("reply.docx", ContentFile(b"DOCX"), save=False)
    letter.pdf.save("reply.pdf", ContentFile(b"%PDF-1.4"), save=False)
    letter.save()
    return letter


def test_letter_download_needs_a_successful_query(client, submitted, letter):
    url = f"/yisqgk/query/letters/{letter.pk}.pdf"
    assert client.get(url).status_code == 404
    application, password = submitted
    query(client, application, "WRONG123")
    assert client.get(url).status_code == 404
    query(client, application, password)
    response = client.get(RESULT)
    assertContains(response, url)
    assertNotContains(response, "/media/")
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4"
    assert client.get(f"/yisqgk/query/letters/{letter.pk}.exe").status_code == 404


def test_letters_not_delivered_online_are_not_offered(client, submitted, letter):
    Letter.objects.filter(pk=letter.pk).update(delivered_online=False)
    application, password = submitted
    query(client, application, password)
    assertContains(client.get(RESULT), "暂无可下载的文书")
    assert client.get(f"/yisqgk/query/letters/{letter.pk}.pdf").status_code == 404


def test_another_applications_letter_is_not_served(client, submitted, letter, world):
    other, other_password = actions.do_submit_online(world.city_fin, fields())
    query(client, other, other_password)
    assert client.get(f"/yisqgk/query/letters/{letter.pk}.pdf").status_code == 404


def test_masked_name():
    assert mask_name("张三") == "张**"
    assert views.mask_name("示范科技有限公司") == "示**"
    assert views.mask_name("") == ""


def test_disclosure_apply_page_links_to_the_form_and_the_query(client, world):
    response = client.get("/zfxxgk/apply/")
    assertContains(response, f'href="{APPLY}"')
    assertContains(response, f'href="{QUERY}"')
