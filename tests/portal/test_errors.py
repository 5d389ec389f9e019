from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views.defaults import permission_denied, server_error


def test_404_is_chinese_with_the_site_layout(client, site_profile):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>页面未找到 - 示范市人民政府门户网站</title>" in html
    assert "您访问的页面不存在" in html
    assert '<a class="skip-link" href="#main">跳到主要内容</a>' in html
    assert "主办单位：示范市人民政府" in html


def test_403_shows_the_reason(site_profile):
    request = RequestFactory().get("/")
    response = permission_denied(
        request, PermissionDenied("您没有在“示范市教育局”办理此事项的权限。")
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>无权访问</h1>" in html
    assert "您没有在“示范市教育局”办理此事项的权限。" in html


def test_403_without_a_reason(client, site_profile, world):
    client.force_login(world.users.editor)
    response = client.get("/admin/portal/siteprofile/")
    assert response.status_code == 403
    assert "您没有访问此页面的权限。" in response.content.decode()


def test_400_for_a_foreign_host_is_chinese(client, site_profile):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "<h1>请求有误</h1>" in response.content.decode()


def test_csrf_failure_is_chinese(site_profile):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>请求已过期</h1>" in html
    assert '<html lang="zh-Hans">' in html


def test_500_needs_no_database_and_no_context():
    # No db fixture: any database access here would fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>服务器内部错误</h1>" in html
    assert '<html lang="zh-Hans">' in html
    assert '<a class="skip-link" href="#main">跳到主要内容</a>' in html
