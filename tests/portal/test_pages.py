import pytest
from pytest_django.asserts import assertContains

from tests.portal.markup import elements, focusable
from zwgk.portal.navigation import current_state

PAGES = [
    "/",
    "/zfxxgk/",
    "/zfxxgk/guide/",
    "/zfxxgk/rules/",
    "/zfxxgk/statutory/",
    "/zfxxgk/annual-reports/",
    "/zfxxgk/apply/",
    "/interpretations/",
    "/search/",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_has_the_accessible_layout(client, site_profile, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    tag, attrs = focusable(html)[0]
    assert (tag, attrs["href"]) == ("a", "#main")
    assert '<a class="skip-link" href="#main">跳到主要内容</a>' in html
    assert [a["id"] for a in elements(html, "main")] == ["main"]
    assert len(elements(html, "header")) == len(elements(html, "footer")) == 1
    assert {"主导航"} <= {a.get("aria-label") for a in elements(html, "nav")}
    assert "主办单位：示范市人民政府" in html
    assert "示范市人民政府门户网站" in html


def test_footer_shows_contact_records_and_site_code(client, site_profile):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert "办公地址：示范市人民路1号" in footer
    assert '<a href="tel:035112345678">0351-12345678</a>' in footer
    assert "网站标识码：1200000001" in footer
    assert '<a href="https://beian.miit.gov.cn/">示ICP备12345678号</a>' in footer
    assert "webSearch?code=12010102000001" in footer
    assert "建议使用1280×800以上分辨率浏览" in footer


def test_fresh_install_renders_without_a_profile(client, db):
    response = client.get("/zfxxgk/guide/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>政府信息公开指南 - 政务公开</title>" in html
    assert "尚未登记政府信息公开工作机构的联系方式" in html
    assert "主办单位" not in html


def test_home_links_the_disclosure_column_and_shows_the_contact(client, site_profile):
    response = client.get("/")
    html = response.content.decode()
    for part, url in [
        ("政府信息公开指南", "/zfxxgk/guide/"),
        ("政府信息公开制度", "/zfxxgk/rules/"),
        ("法定主动公开内容", "/zfxxgk/statutory/"),
        ("政府信息公开年报", "/zfxxgk/annual-reports/"),
        ("依申请公开", "/zfxxgk/apply/"),
    ]:
        assert f'<a href="{url}">{part}</a>' in html
    assert "<title>示范市人民政府门户网站</title>" in html
    assertContains(response, "<dd>示范市人民政府办公室</dd>", html=True)


def test_home_page_query_count(client, site_profile, django_assert_max_num_queries):
    # The content generation (page cache key) and the site profile joined to its owner.
    with django_assert_max_num_queries(2):
        assert client.get("/").status_code == 200


def test_guide_shows_the_disclosure_office_contact(client, site_profile):
    response = client.get("/zfxxgk/guide/")
    assertContains(response, "<h1>示范市人民政府政府信息公开指南</h1>", html=True)
    for label, value in [
        ("政府信息公开工作机构名称", "示范市人民政府办公室"),
        ("办公地址", "示范市人民路1号"),
        ("邮政编码", "100001"),
        ("办公时间", "工作日上午9:00—12:00，下午13:30—17:30"),
        ("传真", "0351-12345679"),
    ]:
        assertContains(response, f"<dt>{label}</dt><dd>{value}</dd>", html=True)
    assertContains(
        response, '<a href="mailto:zwgk@shifan.gov.cn">zwgk@shifan.gov.cn</a>', html=True
    )


def test_placeholders_say_under_construction(client, site_profile):
    for url in ["/zfxxgk/annual-reports/"]:
        assert "本栏目建设中" in client.get(url).content.decode()


def test_navigation_marks_the_current_page_and_section(client, site_profile):
    html = client.get("/zfxxgk/guide/").content.decode()
    assert '<a href="/zfxxgk/" aria-current="true">政府信息公开</a>' in html
    assert '<a href="/zfxxgk/guide/" aria-current="page">政府信息公开指南</a>' in html
    assert '<a href="/">首页</a>' in html
    assert '<span aria-current="page">政府信息公开指南</span>' in html


@pytest.mark.parametrize(
    ("url", "path", "state"),
    [
        ("/", "/", "page"),
        ("/", "/zfxxgk/", ""),
        ("/zfxxgk/", "/zfxxgk/", "page"),
        ("/zfxxgk/", "/zfxxgk/guide/", "true"),
        ("/zfxxgk/guide/", "/zfxxgk/rules/", ""),
    ],
)
def test_current_state(url, path, state):
    assert current_state(url, path) == state


def test_search_page_echoes_the_query_escaped(client, site_profile):
    html = client.get("/search/", {"q": " 山东<script> "}).content.decode()
    assert 'value="山东&lt;script&gt;"' in html
    assert "“山东&lt;script&gt;”" in html
    assert "<script>" not in html.replace('<script src="/static/portal/js/portal.js"', "")
    assert 'action="/search/"' in html


def test_search_query_is_capped(client, site_profile):
    response = client.get("/search/", {"q": "政" * 500})
    assert response.context["query"] == "政" * 100
