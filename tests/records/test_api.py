"""``/api/v1/records``: the read-only JSON API over public 主动公开 records."""

from datetime import datetime

import pytest

from tests.portal.records_data import (  # noqa: F401 - fixtures
    SHANGHAI,
    add_attachment,
    hidden_records_fixture,
    make_record,
    portal_fixture,
    topics_fixture,
)
from zwgk.records.choices import DocType, Validity

URL = "/api/v1/records"


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


def test_list_is_public_newest_first_and_paginated(client, portal):
    response = client.get(URL)
    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in ("count", "page", "page_size", "pages")} == {
        "count": 3,
        "page": 1,
        "page_size": 20,
        "pages": 1,
    }
    assert titles(response) == [portal.new.title, portal.opinion.title, portal.old.title]
    item = data["items"][2]
    assert item["validity"] == "abolished"
    assert item["validity_display"] == "废止"
    assert item["abolished_on"] == "2026-03-05"
    assert item["replaced_by"] == portal.new.pk
    assert item["topic"]["path"] == "科技、教育\\基础教育"
    assert item["agency"]["name"] == "示范市教育局"
    assert item["doc_type_display"] == "通知"
    assert (item["kind"], item["kind_display"]) == ("other", "其他")
    assert item["url"] == f"http://testserver/zfxxgk/records/{portal.old.pk}/"
    assert "body" not in item


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"doc_type": DocType.OPINION}, ["示范市人民政府关于全面推进政务公开工作的意见"]),
        ({"year": 2024}, ["示范市教育局关于2024年义务教育招生工作的通知"]),
        ({"validity": Validity.ABOLISHED}, ["示范市教育局关于2024年义务教育招生工作的通知"]),
    ],
)
def test_filters(client, portal, params, expected):
    assert titles(client.get(URL, params)) == expected


def test_filter_by_agency_and_topic(client, world, topics, portal):
    assert len(titles(client.get(URL, {"agency": world.city_edu.pk}))) == 2
    # A first-level 主题分类 takes in its second levels.
    assert len(titles(client.get(URL, {"topic": topics.education.pk}))) == 2
    assert titles(client.get(URL, {"topic": topics.openness.pk})) == [portal.opinion.title]


def test_updated_since(client, portal):
    type(portal.new).objects.filter(pk=portal.new.pk).update(
        updated_at=datetime(2030, 1, 1, tzinfo=SHANGHAI)
    )
    response = client.get(URL, {"updated_since": "2029-12-31T00:00:00+08:00"})
    assert titles(response) == [portal.new.title]


def test_bad_filters_are_422_in_chinese(client, portal):
    response = client.get(URL, {"validity": "nonsense"})
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数格式不正确，请检查后重试。"


def test_pages(client, world, topics, portal):
    for _ in range(22):
        make_record(world.city, topics.openness)
    first = client.get(URL, {"page_size": 10}).json()
    assert (first["count"], first["pages"], len(first["items"])) == (25, 3, 10)
    last = client.get(URL, {"page_size": 10, "page": 3}).json()
    assert len(last["items"]) == 5
    assert client.get(URL, {"page_size": 10, "page": 4}).status_code == 404
    assert client.get(URL, {"page_size": 1000}).status_code == 422


def test_detail(client, world, portal):
    portal.new.issuers.set([world.city_edu, world.city_fin])
    attachment = add_attachment(portal.new, name="细则.pdf")
    response = client.get(f"{URL}/{portal.new.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["index_number"] == portal.new.index_number
    assert [a["name"] for a in data["issuers"]] == ["示范市教育局", "示范市财政局"]
    assert data["body"].startswith("<p>")
    assert data["attachments"] == [
        {
            "name": "细则.pdf",
            "type": "PDF",
            "size": attachment.size,
            "url": f"http://testserver/zfxxgk/records/{portal.new.pk}/attachments/{attachment.pk}/",
        }
    ]


def test_unpublished_and_unknown_records_are_404(client, portal, hidden_records):
    for record in hidden_records.values():
        response = client.get(f"{URL}/{record.pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "没有找到该政府信息，可能尚未公开或已撤回。"}
    assert client.get(f"{URL}/999999").status_code == 404
    listed = client.get(URL, {"page_size": 100}).json()
    assert listed["count"] == 3
    assert not any("内部" in item["title"] for item in listed["items"])


def test_replacement_hidden_from_the_public_is_not_given(client, portal):
    portal.new.status = "withdrawn"
    portal.new.save()
    assert client.get(f"{URL}/{portal.old.pk}").json()["replaced_by"] is None


def test_list_query_count(client, world, topics, portal, django_assert_max_num_queries):
    for i in range(30):
        record = make_record(world.city_edu, topics.schools)
        if i % 2:
            record.replaced_by = portal.new
            record.validity = Validity.AMENDED
            record.save()
    # The count, then one page with agency, topic and replacement joined.
    with django_assert_max_num_queries(2):
        assert client.get(URL, {"page_size": 100}).status_code == 200


def test_detail_query_count(client, world, portal, django_assert_max_num_queries):
    add_attachment(portal.old)
    portal.old.issuers.set([world.city_edu, world.city_fin])
    with django_assert_max_num_queries(3):
        assert client.get(f"{URL}/{portal.old.pk}").status_code == 200


def test_openapi_documents_the_records_api_in_chinese(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["paths"]["/api/v1/records"]["get"]["summary"] == "主动公开政府信息列表"
    assert (
        schema["paths"]["/api/v1/records/{record_id}"]["get"]["summary"] == "主动公开政府信息详情"
    )
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/records"]["get"]["parameters"]}
    assert set(parameters) >= {
        "agency",
        "topic",
        "doc_type",
        "year",
        "validity",
        "updated_since",
        "page",
        "page_size",
    }
    assert parameters["agency"]["description"] == "发布机关 ID"
    detail = schema["components"]["schemas"]["RecordDetail"]["properties"]
    assert detail["index_number"]["description"] == "索引号"
    assert detail["body"]["description"] == "正文（已清理的 HTML）"
