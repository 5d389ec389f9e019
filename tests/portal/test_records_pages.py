"""法定主动公开内容, the record page, attachments, the 指南 and 制度 pages."""

from datetime import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.portal.markup import elements
from tests.portal.records_data import (  # noqa: F401 - fixtures
    SHANGHAI,
    add_attachment,
    hidden_records_fixture,
    make_record,
    portal_fixture,
    topics_fixture,
)
from zwgk.catalogue.models import CatalogueItem
from zwgk.records.choices import DocType, InterpretationForm, RecordKind, Validity

STATUTORY = "/zfxxgk/statutory/"


def record_url(record) -> str:
    return f"/zfxxgk/records/{record.pk}/"


@pytest.fixture
def thirty(world, topics, portal):
    """30 more public records (33 in all) over two agencies, topics, years and 文种."""
    records = []
    for i in range(30):
        records.append(
            make_record(
                world.city_edu if i % 3 else world.city_fin,
                topics.schools if i % 2 else topics.openness,
                published_at=datetime(2023 + i % 3, 1 + i % 12, 1 + i, 9, 0, tzinfo=SHANGHAI),
                doc_type=DocType.NOTICE if i % 4 else DocType.DECISION,
            )
        )
    return records


# ---------------------------------------------------------------- browsing


def test_statutory_lists_public_records_newest_first(client, portal):
    response = client.get(STATUTORY)
    html = response.content.decode()
    titles = [portal.new.title, portal.opinion.title, portal.old.title]
    assert [html.index(t) for t in titles] == sorted(html.index(t) for t in titles)
    assertContains(response, f'<a class="record-list__title" href="{record_url(portal.new)}">')
    assertContains(response, '<span class="badge badge--abolished">废止</span>', html=True)
    assertContains(response, "共 3 条")


def test_facets_count_every_value(client, portal):
    html = client.get(STATUTORY).content.decode()
    for label, count in [
        ("示范市人民政府", 1),
        ("示范市教育局", 2),
        ("综合政务", 1),
        ("科技、教育", 2),
        ("通知", 2),
        ("意见", 1),
        ("2026年", 1),
        ("2025年", 1),
        ("2024年", 1),
        ("有效", 2),
        ("废止", 1),
    ]:
        assert f'{label}<span class="facet__count">（{count}<span' in html, label


def test_a_facet_filters_and_keeps_its_alternatives(client, world, portal):
    response = client.get(STATUTORY, {"agency": world.city_edu.pk})
    html = response.content.decode()
    assert portal.new.title in html and portal.old.title in html
    assert portal.opinion.title not in html
    assertContains(response, "共 2 条")
    assertContains(response, "当前条件：发布机关“示范市教育局”")
    # The agency facet still offers the other agency, with its own count.
    assert f'href="{STATUTORY}?agency={world.city.pk}">示范市人民政府' in html
    assert f'href="{STATUTORY}?agency={world.city_edu.pk}" aria-current="true">' in html
    # Other facets count within the chosen agency.
    assert '通知<span class="facet__count">（2<span' in html
    assert "意见<span" not in html


def test_topic_facet_includes_second_levels(client, topics, portal):
    html = client.get(STATUTORY).content.decode()
    assert "基础教育<span" not in html  # second levels wait until their first level is chosen
    response = client.get(STATUTORY, {"topic": topics.education.pk})
    assertContains(response, "共 2 条")
    assertContains(response, '基础教育<span class="facet__count">（2<span')
    assertNotContains(response, "政务公开<span")
    response = client.get(STATUTORY, {"topic": topics.schools.pk})
    assertContains(response, f'href="{STATUTORY}?topic={topics.schools.pk}" aria-current="true"')
    response = client.get(STATUTORY, {"topic": topics.openness.pk})
    assertContains(response, "共 1 条")
    assertContains(response, portal.opinion.title)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2024"}, 1),
        ({"validity": Validity.ABOLISHED}, 1),
        ({"doc_type": DocType.OPINION}, 1),
        ({"validity": "nonsense", "year": "abc", "agency": "-3"}, 3),  # ignored
    ],
)
def test_filters(client, portal, params, expected):
    assertContains(client.get(STATUTORY, params), f"共 {expected} 条")


def test_catalogue_facet_shows_the_agency_tree_when_records_are_filed(client, world, portal):
    top = CatalogueItem.objects.create(agency=world.city_edu, name="法规文件")
    child = CatalogueItem.objects.create(agency=world.city_edu, name="规范性文件", parent=top)
    html = client.get(STATUTORY).content.decode()
    assert "目录分类" not in html  # a catalogue belongs to one agency: choose it first
    portal.new.catalogue_item = child
    portal.new.save()
    html = client.get(STATUTORY, {"agency": world.city_edu.pk}).content.decode()
    assert '法规文件<span class="facet__count">（1<span' in html
    assert '规范性文件<span class="facet__count">（1<span' in html
    assert html.index("法规文件") < html.index("规范性文件")
    assert "facet__value--depth-2" in html
    response = client.get(STATUTORY, {"agency": world.city_edu.pk, "item": top.pk})
    assertContains(response, "共 1 条")
    assertContains(response, portal.new.title)
    assertNotContains(response, portal.old.title)


def test_pagination_twenty_a_page_with_a_chinese_pager(client, thirty):
    response = client.get(STATUTORY)
    html = response.content.decode()
    assert html.count('class="record-list__item"') == 20
    assert '<nav class="pager" aria-label="分页">' in html
    assert "第 1 页，共 2 页" in html
    assert 'aria-current="page"><span class="visually-hidden">第</span>1<' in html
    assert f'<a href="{STATUTORY}?page=2" rel="next">下一页</a>' in html
    assert '<span class="pager__disabled">上一页</span>' in html
    page2 = client.get(STATUTORY, {"page": 2}).content.decode()
    assert page2.count('class="record-list__item"') == 13
    assert f'<a href="{STATUTORY}" rel="prev">上一页</a>' in page2


def test_pager_keeps_the_filters(client, world, thirty):
    html = client.get(STATUTORY, {"agency": world.city_edu.pk}).content.decode()
    assert f'href="{STATUTORY}?agency={world.city_edu.pk}&amp;page=2" rel="next"' in html


@pytest.mark.parametrize("page", ["3", "0", "x"])
def test_a_page_out_of_range_is_404(client, thirty, page):
    assert client.get(STATUTORY, {"page": page}).status_code == 404


def test_browse_page_query_count(client, thirty, django_assert_max_num_queries):
    # generation (page cache key), profile, count, page, and one aggregate per facet
    # (agency, topic, 文种, year, 有效性).
    with django_assert_max_num_queries(9):
        assert client.get(STATUTORY).status_code == 200


def test_filtered_browse_page_query_count(client, world, thirty, django_assert_max_num_queries):
    # … plus the catalogue tree (facet rows and items) once an agency is chosen.
    with django_assert_max_num_queries(11):
        params = {"agency": world.city_edu.pk, "year": 2024, "page": 2}
        assert client.get(STATUTORY, params).status_code in (200, 404)


# ---------------------------------------------------------------- the record page


def test_record_page_has_the_metadata_header(client, world, portal):
    portal.new.issuers.set([world.city_edu, world.city_fin])
    response = client.get(record_url(portal.new))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{portal.new.title} - 示范市人民政府门户网站</title>" in html
    headers = [a.get("id") for a in elements(html, "th")]
    assert headers == [
        "meta-index",
        "meta-topic",
        "meta-issuers",
        "meta-written",
        "meta-title",
        "meta-docnum",
        "meta-published",
        "meta-validity",
    ]
    assert all(a.get("scope") == "row" for a in elements(html, "th"))
    for header_id, value in [
        ("meta-index", portal.new.index_number),
        ("meta-topic", "科技、教育\\基础教育"),
        ("meta-issuers", "示范市教育局、示范市财政局"),
        ("meta-written", "2026年03月02日"),
        ("meta-docnum", "示教发〔2026〕12号"),
        ("meta-published", "2026年03月05日"),
        ("meta-validity", "有效"),
    ]:
        assert f'<td headers="{header_id}"' in html
        assert value in html.split(f'<td headers="{header_id}"')[1].split("</td>")[0], header_id
    assert "<p>第" in html and "项工作的正文。</p>" in html  # the body, as HTML
    assert 'role="alert"' not in html


def test_record_body_is_rendered_as_cleaned_html(client, world, topics, portal):
    record = make_record(
        world.city_edu, topics.schools, body='<p onclick="x()">甲</p><script>alert(1)</script>'
    )
    html = client.get(record_url(record)).content.decode()
    assert "<p>甲</p>" in html
    assert "alert(1)" not in html and "onclick" not in html


def test_abolished_record_shows_a_prominent_notice_linking_its_replacement(client, portal):
    response = client.get(record_url(portal.old))
    html = response.content.decode()
    notice = html.split('role="alert"')[1].split("</div>")[0]
    assert "本文件已废止" in notice
    assert "自2026年3月5日起废止" in notice
    assert f'<a href="{record_url(portal.new)}">{portal.new.title}</a>' in notice
    assert '<th scope="row" id="meta-abolished">废止日期</th>' in html
    # The new document lists what it replaced.
    new = client.get(record_url(portal.new)).content.decode()
    assert f'本文件替代：<a href="{record_url(portal.old)}">' in new


@pytest.mark.parametrize(
    ("validity", "words"), [(Validity.EXPIRED, "已失效"), (Validity.AMENDED, "已修改")]
)
def test_expired_and_amended_records_are_marked(client, portal, validity, words):
    portal.old.validity = validity
    portal.old.save()
    assertContains(client.get(record_url(portal.old)), f"<strong>本文件{words}</strong>", html=True)


def test_a_replacement_the_public_cannot_see_is_not_linked(client, portal):
    portal.new.status = "withdrawn"
    portal.new.save()
    response = client.get(record_url(portal.old))
    assertContains(response, "本文件已废止")
    assertNotContains(response, record_url(portal.new))


def test_record_page_query_count(client, world, portal, django_assert_max_num_queries):
    add_attachment(portal.old)
    portal.old.issuers.set([world.city_edu, world.city_fin])
    # generation (page cache key), profile, record (+agency, topic, replacement), issuers,
    # attachments, records it replaced.
    with django_assert_max_num_queries(6):
        assert client.get(record_url(portal.old)).status_code == 200


def test_attachments_are_listed_and_downloaded_safely(client, portal):
    attachment = add_attachment(portal.new, name="招生工作实施细则.pdf", content=b"%PDF-1.4 abc")
    html = client.get(record_url(portal.new)).content.decode()
    url = f"/zfxxgk/records/{portal.new.pk}/attachments/{attachment.pk}/"
    assert f'<a href="{url}" download>招生工作实施细则.pdf</a>' in html
    assert "（PDF，12\xa0字节）" in html
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 abc"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_attachment_of_another_record_is_404(client, portal):
    attachment = add_attachment(portal.new)
    assert (
        client.get(f"/zfxxgk/records/{portal.old.pk}/attachments/{attachment.pk}/").status_code
        == 404
    )


# ---------------------------------------------------------------- 政策解读


@pytest.fixture
def interpretation(world, topics, portal):
    """A public 图解 of the new 招生 notice (a policy), and a draft one that must stay hidden."""
    portal.new.kind = RecordKind.POLICY
    portal.new.save()
    explainer = make_record(
        world.city_edu,
        topics.schools,
        title="图解：2026年义务教育招生工作通知",
        kind=RecordKind.INTERPRETATION,
        interpretation_form=InterpretationForm.GRAPHIC,
        author_unit="示范市教育局基础教育科",
        doc_number="",
    )
    explainer.interprets.set([portal.new])
    draft = make_record(
        world.city_edu,
        topics.schools,
        title="内部解读草稿",
        kind=RecordKind.INTERPRETATION,
        status="draft",
    )
    draft.interprets.set([portal.new])
    return explainer


def test_interpretations_page_lists_public_interpretations(client, portal, interpretation):
    response = client.get("/interpretations/")
    html = response.content.decode()
    assert f'href="{record_url(interpretation)}">{interpretation.title}</a>' in html
    assert "图解" in html and "示范市教育局基础教育科" in html
    assert f'解读的文件：<a href="{record_url(portal.new)}">{portal.new.title}</a>' in html
    assert "内部" not in html
    assert portal.opinion.title not in html  # not an interpretation


def test_policy_and_interpretation_link_each_other(client, portal, interpretation):
    policy = client.get(record_url(portal.new)).content.decode()
    assert f'政策解读：<a href="{record_url(interpretation)}">' in policy
    assert "内部解读草稿" not in policy
    explainer = client.get(record_url(interpretation)).content.decode()
    assert f'解读的文件：<a href="{record_url(portal.new)}">' in explainer


def test_interpretations_page_query_count(
    client, world, topics, portal, interpretation, django_assert_max_num_queries
):
    for _ in range(10):
        make_record(world.city_edu, topics.schools, kind=RecordKind.INTERPRETATION).interprets.set(
            [portal.new]
        )
    # generation (page cache key), profile, count, page, the policies of the page.
    with django_assert_max_num_queries(5):
        assert client.get("/interpretations/").status_code == 200


# ---------------------------------------------------------------- never public


def test_hidden_records_appear_nowhere(client, world, topics, portal, hidden_records):
    pages = [
        STATUTORY,
        f"{STATUTORY}?agency={world.city_edu.pk}",
        f"{STATUTORY}?topic={topics.education.pk}",
        f"/feeds/agency/{world.city_edu.pk}/",
        f"/feeds/topic/{topics.education.pk}/",
        "/api/v1/records",
        "/interpretations/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "内部" not in response.content.decode(), url
    # Counts too: only the two public 教育局 records.
    assertContains(client.get(STATUTORY), '示范市教育局<span class="facet__count">（2<span')
    for record in hidden_records.values():
        assert client.get(record_url(record)).status_code == 404
        assert client.get(f"/api/v1/records/{record.pk}").status_code == 404
        attachment = record.attachments.get()
        url = f"/zfxxgk/records/{record.pk}/attachments/{attachment.pk}/"
        assert client.get(url).status_code == 404


def test_missing_record_is_a_chinese_404(client, portal):
    response = client.get("/zfxxgk/records/999999/")
    assert response.status_code == 404
    assertContains(response, '<html lang="zh-Hans">', status_code=404)


# ---------------------------------------------------------------- 指南 and 制度


def test_guide_is_generated_from_the_agency_and_catalogue(client, world, portal):
    top = CatalogueItem.objects.create(
        agency=world.city, name="机构职能", channels=["website", "gazette", "reading_point"]
    )
    CatalogueItem.objects.create(agency=world.city, name="机构设置", parent=top)
    CatalogueItem.objects.create(agency=world.city_edu, name="别的机关的事项")
    response = client.get("/zfxxgk/guide/")
    html = response.content.decode()
    assert "<h1>示范市人民政府政府信息公开指南</h1>" in html
    assert "机构职能" in html
    assert "机构设置" not in html  # only the top levels
    assert "别的机关的事项" not in html
    assert "科技、教育" in html  # 主题分类 first levels
    assert "<li>政府公报</li>" in html and "<li>公开查阅点</li>" in html
    for article in ["第二十九条", "第三十条", "第三十一条", "第三十二条", "第三十三条"]:
        assert article in html
    assert 'href="/zfxxgk/apply/"' in html
    for value in ["示范市人民路1号", "0351-12345679", "zwgk@shifan.gov.cn", "工作日上午9:00"]:
        assert value in html


def test_guide_query_count(client, world, portal, django_assert_max_num_queries):
    CatalogueItem.objects.create(agency=world.city, name="机构职能")
    # The content generation (page cache key), then the guide's own four queries.
    with django_assert_max_num_queries(5):
        assert client.get("/zfxxgk/guide/").status_code == 200


def test_rules_page_lists_the_system_documents(client, portal):
    response = client.get("/zfxxgk/rules/")
    assertContains(response, "<h1>政府信息公开制度</h1>", html=True)
    assertContains(response, "政府信息公开审查制度")
    assertContains(response, "年度报告制度")
    assertNotContains(response, "本栏目建设中")


def test_annual_reports_stay_a_placeholder(client, portal):
    assertContains(client.get("/zfxxgk/annual-reports/"), "本栏目建设中")
