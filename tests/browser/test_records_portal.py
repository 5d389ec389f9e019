"""A visitor browses 法定主动公开内容 and opens an abolished record."""

import re

import pytest

from tests.browser.conftest import MOBILE
from tests.portal.records_data import (  # noqa: F401 - fixtures
    add_attachment,
    make_record,
    portal_fixture,
    topics_fixture,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_browses_statutory_content_and_sees_the_abolished_notice(
    open_page, screenshot, world, topics, portal
):
    for _ in range(21):
        make_record(world.city_fin, topics.openness)
    add_attachment(portal.old, name="2024年招生工作实施细则.pdf")

    page = open_page("/zfxxgk/")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name="法定主动公开内容").click()
    assert page.get_by_role("heading", level=1).inner_text() == "法定主动公开内容"
    pager = page.get_by_role("navigation", name="分页")
    assert pager.is_visible()
    assert pager.locator('[aria-current="page"]').text_content() == "第1页"
    screenshot(page, "statutory")

    edu = page.get_by_role("link", name=re.compile(r"^示范市教育局（2\s*条\s*）$"))
    with page.expect_navigation():
        edu.click()
    assert "共 2 条" in page.locator(".results-summary").inner_text()
    assert edu.get_attribute("aria-current") == "true"
    assert not page.get_by_role("navigation", name="分页").count()
    screenshot(page, "statutory-filtered")

    with page.expect_navigation():
        page.get_by_role("link", name=portal.old.title).click()
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert "本文件已废止" in alert.inner_text()
    assert "2026年3月5日" in alert.inner_text()
    table = page.get_by_role("table", name="信息属性")
    assert table.get_by_role("rowheader", name="索引号").is_visible()
    assert table.get_by_role("cell", name="示教发〔2024〕3号").is_visible()
    assert page.get_by_role("link", name="2024年招生工作实施细则.pdf").is_visible()
    screenshot(page, "record-abolished")

    with page.expect_navigation():
        alert.get_by_role("link", name=portal.new.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == portal.new.title
    assert not page.get_by_role("alert").count()


def test_record_page_on_a_phone(open_page, screenshot, portal):
    page = open_page(f"/zfxxgk/records/{portal.old.pk}/", viewport=MOBILE)
    assert page.get_by_role("alert").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], "no horizontal scrolling"
    screenshot(page, "record-abolished-mobile")
