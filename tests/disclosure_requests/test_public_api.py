"""``/api/v1/applications``: online applications and progress queries through the API."""

import pytest
from django.core.cache import cache

from tests.disclosure_requests.test_public import ID_NUMBER
from tests.disclosure_requests.test_workflow import fields
from zwgk.disclosure_requests import actions, views
from zwgk.disclosure_requests.choices import Status
from zwgk.disclosure_requests.models import DisclosureRequest, RequestEvent
from zwgk.disclosure_requests.validators import resident_id_check_character

URL = "/api/v1/applications"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def body(world, **overrides):
    return {"agency": world.city_edu.pk, **{k: str(v) for k, v in fields().items()}, **overrides}


def post(client, data, **extra):
    return client.post(URL, data, content_type="application/json", **extra)


def test_create_returns_the_code_and_password(client, world):
    response = post(client, body(world))
    assert response.status_code == 201
    data = response.json()
    application = DisclosureRequest.objects.get()
    assert data["tracking_code"] == application.tracking_code
    assert data["status"] == Status.AWAITING_CONFIRMATION
    assert data["agency"] == "示范市教育局"
    assert "条例第三十一条" in data["receipt_note"]
    assert actions.find_for_applicant(data["tracking_code"], data["password"]) == application


def test_invalid_identity_is_a_422_in_chinese(client, world):
    wrong_check = "0" if ID_NUMBER[-1] != "0" else "1"
    response = post(client, body(world, id_number=ID_NUMBER[:-1] + wrong_check))
    assert response.status_code == 422
    data = response.json()
    assert data["errors"]["id_number"] == ["居民身份证号码应为18位，且校验位正确（GB 11643）。"]
    assert not DisclosureRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"agency": None}, "agency", "请选择受理机关。"),
        ({"agency": 999999}, "agency", "请选择列表中的受理机关。"),
        ({"applicant_type": "alien"}, "applicant_type", None),
        ({"applicant_name": ""}, "applicant_name", "请填写姓名或名称。"),
        ({"delivery": "post", "address": ""}, "address", "选择邮寄的，请填写通信地址。"),
    ],
)
def test_validation_errors_are_4xx_with_chinese_messages(client, world, overrides, field, message):
    response = post(client, body(world, **overrides))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert all(not m.isascii() for m in errors[field])


def test_a_body_that_is_not_json_is_a_4xx(client, world):
    response = client.post(URL, "not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_create_is_rate_limited_per_ip(client, world):
    for n in range(views.SUBMIT_PER_IP[0]):
        id_body = f"11010519800307{n:03d}"
        id_number = id_body + resident_id_check_character(id_body)
        response = post(client, body(world, id_number=id_number), REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 201
    response = post(client, body(world), REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert response.json()["detail"] == views.TOO_MANY_SUBMISSIONS


def test_create_is_rate_limited_per_identity_number(client, world):
    for n in range(views.SUBMIT_PER_IDENTITY[0]):
        assert post(client, body(world), REMOTE_ADDR=f"10.2.0.{n + 1}").status_code == 201
    response = post(client, body(world), REMOTE_ADDR="10.2.0.99")
    assert response.status_code == 429
    assert DisclosureRequest.objects.count() == views.SUBMIT_PER_IDENTITY[0]


@pytest.fixture
def submitted(world):
    return actions.do_submit_online(world.city_edu, fields())


def test_read_with_the_password_shows_public_progress_only(client, submitted):
    application, password = submitted
    RequestEvent.objects.create(request=application, kind="note", public=False, text="内部备注甲")
    response = client.get(f"{URL}/{application.tracking_code}", HTTP_X_QUERY_PASSWORD=password)
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == Status.AWAITING_CONFIRMATION
    assert data["receipt_date"] is None
    assert data["due_date"] is None
    assert data["due_display"] == "待确认"
    assert [e["text"] for e in data["timeline"]] == [
        "网上提交申请，待政府信息公开工作机构确认收到。"
    ]
    text = response.content.decode()
    for personal in (ID_NUMBER, "13812345678", "zhangsan@example.com", "张三", "内部备注甲"):
        assert personal not in text


def test_read_with_a_wrong_password_or_code_is_404_alike(client, submitted):
    application, _ = submitted
    wrong_password = client.get(
        f"{URL}/{application.tracking_code}", HTTP_X_QUERY_PASSWORD="WRONG123"
    )
    no_password = client.get(f"{URL}/{application.tracking_code}")
    wrong_code = client.get(f"{URL}/26XXXXXXXXXX", HTTP_X_QUERY_PASSWORD="WRONG123")
    for response in (wrong_password, no_password, wrong_code):
        assert response.status_code == 404
        assert response.json() == {"detail": "查询码或查询密码不正确。", "errors": {}}


def test_failed_reads_are_rate_limited(client, submitted):
    application, password = submitted
    for _ in range(views.FAILED_QUERIES_PER_IP[0]):
        client.get(f"{URL}/{application.tracking_code}", HTTP_X_QUERY_PASSWORD="WRONG123")
    response = client.get(f"{URL}/{application.tracking_code}", HTTP_X_QUERY_PASSWORD=password)
    assert response.status_code == 429


def test_openapi_documents_both_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "post" in schema["paths"]["/api/v1/applications"]
    read = schema["paths"]["/api/v1/applications/{tracking_code}"]["get"]
    assert read["tags"] == ["依申请公开"]
    assert {p["name"] for p in read["parameters"]} == {"tracking_code", "X-Query-Password"}
