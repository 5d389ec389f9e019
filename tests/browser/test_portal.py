import pytest

from tests.browser.conftest import MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def active(page, expression: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def font_size(page) -> str:
    return page.evaluate("getComputedStyle(document.body).fontSize")


def test_home_page_loads(open_page, screenshot, site_profile):
    page = open_page("/")
    assert page.title() == "示范市人民政府门户网站"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("navigation", name="主导航").is_visible()
    assert page.get_by_role("link", name="政府信息公开指南").is_visible()
    assert page.get_by_role("contentinfo").get_by_text("主办单位：示范市人民政府").is_visible()
    screenshot(page, "home")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    open_page, screenshot, site_profile
):
    page = open_page("/zfxxgk/guide/")
    page.keyboard.press("Tab")
    assert active(page, "el.textContent") == "跳到主要内容"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "the focused skip link is on screen"
    screenshot(page, "skip-link-focused")
    page.keyboard.press("Enter")
    assert active(page, "el.id") == "main"
    page.keyboard.press("Tab")
    assert active(page, "el.closest('main') !== null"), "the next Tab stop is inside main"
    assert active(page, "getComputedStyle(el).outlineWidth") == "3px"


def test_large_text_toggle_enlarges_the_text(open_page, screenshot, site_profile):
    page = open_page("/zfxxgk/")
    assert font_size(page) == "16px"
    with page.expect_navigation():
        page.get_by_role("button", name="大字版").click()
    assert page.url.endswith("/zfxxgk/")
    assert font_size(page) == "20px"
    assert page.get_by_role("button", name="标准版").is_visible()
    screenshot(page, "disclosure-large-text")
    with page.expect_navigation():
        page.get_by_role("button", name="标准版").click()
    assert font_size(page) == "16px"


def test_high_contrast_toggle(open_page, screenshot, site_profile):
    page = open_page("/")
    with page.expect_navigation():
        page.get_by_role("button", name="高对比度").click()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    screenshot(page, "home-high-contrast")


def test_guide_shows_the_disclosure_office_contact(open_page, screenshot, site_profile):
    page = open_page("/zfxxgk/guide/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "示范市人民政府政府信息公开指南"
    contact = page.get_by_role("region", name="政府信息公开工作机构")
    for text in ["示范市人民政府办公室", "示范市人民路1号", "0351-12345678", "zwgk@shifan.gov.cn"]:
        assert contact.get_by_text(text).is_visible()
    screenshot(page, "guide")


def test_mobile_navigation_folds_behind_a_button(open_page, screenshot, site_profile):
    page = open_page("/", viewport=MOBILE)
    toggle = page.get_by_role("button", name="栏目导航")
    menu = page.locator("#main-nav-list")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    screenshot(page, "home-mobile")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="政府信息公开").is_visible()


def test_not_found_page(open_page, screenshot, site_profile):
    page = open_page("/no-such-page/")
    assert page.get_by_role("heading", level=1).inner_text() == "页面未找到"
    screenshot(page, "not-found")


def test_admin_login_is_chinese(open_page, screenshot, db):
    page = open_page("/admin/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "登录" in page.title()
    assert page.get_by_role("button", name="登录").is_visible()
    assert page.get_by_label("用户名").is_visible()
    screenshot(page, "admin-login")
