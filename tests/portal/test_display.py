import pytest

from zwgk.portal.display import CONTRAST_COOKIE, TEXT_SIZE_COOKIE


def test_large_text_sets_a_cookie_and_returns_to_the_page(client, site_profile):
    response = client.post("/display/", {"text_size": "large", "next": "/zfxxgk/guide/?a=1"})
    assert response.status_code == 302
    assert response["Location"] == "/zfxxgk/guide/?a=1"
    cookie = response.cookies[TEXT_SIZE_COOKIE]
    assert cookie.value == "large"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"

    html = client.get("/zfxxgk/guide/").content.decode()
    assert '<html lang="zh-Hans" class="text-large">' in html
    assert '<button type="submit" name="text_size" value="standard">标准版</button>' in html


def test_standard_text_forgets_the_cookie(client, site_profile):
    client.cookies[TEXT_SIZE_COOKIE] = "large"
    response = client.post("/display/", {"text_size": "standard", "next": "/"})
    assert response.cookies[TEXT_SIZE_COOKIE]["max-age"] == 0
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert '<button type="submit" name="text_size" value="large">大字版</button>' in html


def test_high_contrast(client, site_profile):
    client.post("/display/", {"contrast": "high", "next": "/"})
    client.post("/display/", {"text_size": "large", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans" class="text-large contrast-high">' in html
    assert '<button type="submit" name="contrast" value="standard">常规配色</button>' in html


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)", "", "http:///x"],
)
def test_off_site_next_goes_home(client, site_profile, target):
    response = client.post("/display/", {"text_size": "large", "next": target})
    assert response["Location"] == "/"
    assert response.cookies[TEXT_SIZE_COOKIE].value == "large"


def test_unknown_values_are_ignored(client, site_profile):
    response = client.post("/display/", {"text_size": "huge", "contrast": "neon", "next": "/"})
    assert TEXT_SIZE_COOKIE not in response.cookies
    assert CONTRAST_COOKIE not in response.cookies
    client.cookies[TEXT_SIZE_COOKIE] = "huge"
    assert '<html lang="zh-Hans">' in client.get("/").content.decode()


def test_display_only_accepts_post(client, site_profile):
    assert client.get("/display/", {"text_size": "large"}).status_code == 405


def test_toggle_works_without_a_csrf_cookie(site_profile):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/display/", {"text_size": "large"})
    assert response.status_code == 302
