"""The search page and GET /api/v1/search (条例第二十四条; issue #5 part 3)."""

import pytest
from django.urls import reverse

from tests.records.conftest import publish, record_fields
from zwgk.records import actions
from zwgk.search import services, sync
from zwgk.search.backends import get_backend

SEARCH = reverse("portal:search")
API = "/api/v1/search"


@pytest.fixture
def site(index, rworld, topic):
    """Three public records (one in traditional characters, one abolished) and a draft."""

    def make(**fields):
        record = actions.do_create_record(
            rworld.city_edu, record_fields(topic, **fields), acting_user=rworld.users.editor
        )
        return publish(record, rworld)

    records = {
        "notice": make(),
        "traditional": make(
            title="示範市教育局關於做好政務公開工作的通知",
            doc_number="示教发〔2025〕3号",
            body="<p>推進政務公開標準化規範化，12345便民服務熱線。</p>",
        ),
        "old": make(
            title="示范市教育局关于做好2025年义务教育招生工作的通知",
            doc_number="示教发〔2025〕9号",
        ),
    }
    actions.do_mark_abolished(
        records["old"],
        validity="abolished",
        on=records["old"].written_on,
        acting_user=rworld.users.reviewer,
    )
    actions.do_create_record(
        rworld.city_edu,
        record_fields(topic, title="未发布的招生草稿"),
        acting_user=rworld.users.editor,
    )
    sync.drain()
    return records


def test_the_page_shows_hits_with_marks_in_the_original_script(client, site):
    response = client.get(SEARCH, {"q": "政务公开"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "共 1 条" in page
    assert "<mark>政務公開</mark>" in page  # the document's own script, not the query's
    assert reverse("portal:record", args=[site["traditional"].pk]) in page


def test_a_traditional_query_finds_a_simplified_document(client, site):
    page = client.get(SEARCH, {"q": "義務教育 招生"}).content.decode()
    assert "共 2 条" in page
    assert "未发布的招生草稿" not in page


def test_the_valid_document_comes_first_and_the_abolished_one_is_marked(client, site):
    page = client.get(SEARCH, {"q": "义务教育招生工作"}).content.decode()
    assert page.index(f"/zfxxgk/records/{site['notice'].pk}/") < page.index(
        f"/zfxxgk/records/{site['old'].pk}/"
    )
    assert "badge--abolished" in page


def test_facets_filter_and_date_sort(client, site):
    page = client.get(SEARCH, {"q": "通知", "validity": "abolished"}).content.decode()
    assert "共 1 条" in page
    assert "清除筛选条件" in page
    assert "有效性" in page
    dated = client.get(SEARCH, {"q": "通知", "sort": "date"}).content.decode()
    assert '<strong aria-current="true">按发布日期</strong>' in dated


def test_a_docnum_or_index_number_goes_straight_to_its_document(client, site):
    target = reverse("portal:record", args=[site["traditional"].pk])
    for query in ["示教发[2025]3号", "示教发（2025）3号", site["traditional"].index_number]:
        response = client.get(SEARCH, {"q": query})
        assert response.status_code == 302, query
        assert response["Location"] == target


def test_no_hits_suggests_a_shorter_query(client, site):
    page = client.get(SEARCH, {"q": "义务教育 火星基地"}).content.decode()
    assert "没有找到" in page
    assert "您是不是要找" in page
    assert "义务教育" in page


def test_a_long_query_of_unknown_words_costs_a_bounded_number_of_counts(client, site, monkeypatch):
    backend = get_backend()
    counted = []
    count = backend.count
    monkeypatch.setattr(backend, "count", lambda query: counted.append(query) or count(query))
    words = " ".join(f"火星{chr(0x4E00 + i)}" for i in range(30))
    assert "没有找到" in client.get(SEARCH, {"q": words}).content.decode()
    assert 0 < len(counted) <= services.SUGGESTION_COUNTS + 1  # not 2³⁰


@pytest.mark.parametrize("param", ["page", "agency", "topic", "year"])
def test_digits_that_are_not_ascii_are_ignored_or_404_never_500(client, site, param):
    for value in ["²", "①", "٣"]:
        assert client.get(SEARCH, {"q": "通知", param: value}).status_code in (200, 404)


def test_the_api_refuses_ids_out_of_range_in_chinese(client, site):
    for params in [{"agency": 2**70}, {"topic": 3_000_000_000}, {"agency": 0}]:
        response = client.get(API, {"q": "通知", **params})
        assert response.status_code == 422, params
        assert response.json()["detail"] == "请求参数格式不正确，请检查后重试。"


def test_pages_beyond_the_last_are_404(client, site):
    for page in ["9", "0", "-1", "abc", "101", "99999999999999999999"]:
        assert client.get(SEARCH, {"q": "通知", "page": page}).status_code == 404, page


def test_the_api_answers_with_items_facets_and_the_direct_target(client, site):
    data = client.get(API, {"q": "義務教育 招生", "page_size": 1}).json()
    assert data["count"] == 2
    assert data["pages"] == 2
    assert data["items"][0]["id"] == site["notice"].pk
    assert "<mark>" in data["items"][0]["title_highlighted"]
    assert {f["value"] for f in data["facets"]["validity"]} == {"valid", "abolished"}
    direct = client.get(API, {"q": "示教发(2025)3号"}).json()
    assert direct["direct"].endswith(reverse("portal:record", args=[site["traditional"].pk]))


def test_the_api_filters_and_rejects_bad_input_in_chinese(client, site):
    data = client.get(API, {"q": "招生", "validity": "abolished"}).json()
    assert [item["id"] for item in data["items"]] == [site["old"].pk]
    response = client.get(API, {"q": "招生", "sort": "random"})
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数格式不正确，请检查后重试。"
    assert "/search" in client.get("/api/v1/openapi.json").json()["paths"].__repr__()


def test_the_search_page_with_no_query_asks_for_one(client, db):
    assert "请输入关键词" in client.get(SEARCH).content.decode()


def test_a_query_of_punctuation_only_says_so(client, index):
    page = client.get(SEARCH, {"q": "，。！？"}).content.decode()
    assert "检索词中没有可检索的文字" in page


def test_the_demo_is_searchable(client, index):
    from zwgk.demo.actions import load_demo
    from zwgk.records.models import Record

    load_demo("demo-password-1")
    sync.drain()
    page = client.get(SEARCH, {"q": "答复期限"}).content.decode()
    assert "示范市2026年政务公开工作要点" in page
    assert "共 2 条" in page  # the policy and its 图解 interpretation
    notice = Record.objects.get(doc_number="示環公告2026年第1號")
    response = client.get(SEARCH, {"q": "示环公告2026年第1号"})
    assert response["Location"] == reverse("portal:record", args=[notice.pk])


def test_the_snippet_shows_the_passage_with_most_query_words():
    from zwgk.search.services import highlight

    text = "政务公开" + "。其他内容" * 40 + "。本条规定政务公开的答复期限为二十个工作日。"
    snippet = str(highlight(text, ["政务公开", "答复", "期限"]))
    assert snippet.startswith("…")
    assert "<mark>答复</mark><mark>期限</mark>" in snippet
    assert "<mark>政务公开</mark>的" in snippet


def test_where_two_query_words_start_together_the_longer_is_marked():
    from zwgk.search.services import highlight

    assert str(highlight("人民政府信息公开", ["政", "政府"], whole=True)) == (
        "人民<mark>政府</mark>信息公开"
    )


def test_the_snippet_of_a_very_long_text_comes_from_around_its_match():
    from zwgk.search.services import SNIPPET_SOURCE, highlight

    text = (
        "其他内容。" * (SNIPPET_SOURCE // 2) + "本条规定政務公開的答复期限。" + "其他内容。" * 5000
    )
    snippet = str(highlight(text, ["政务公开", "答复"]))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>政務公開</mark>的<mark>答复</mark>" in snippet
