"""A visitor searches the demo site: a traditional query, highlights, a facet, a 文号 jump.

Live-server tests flush the database, including the 主题分类 seeded by
migration 0002, so the first levels the demo records use are made here; the
index (a file of its own, or the postgres backend's tables, which a flush
leaves alone) is emptied first.
"""

import importlib
import re

import pytest

from tests.browser.conftest import MOBILE
from zwgk.demo.actions import load_demo
from zwgk.records.models import TopicCategory
from zwgk.search import sync
from zwgk.search.backends import get_backend

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_LEVEL = importlib.import_module("zwgk.records.migrations.0002_seed_topics").FIRST_LEVEL


@pytest.fixture
def demo(settings, tmp_path):
    settings.SEARCH_PATH = tmp_path
    get_backend().clear()
    for order, name in enumerate(FIRST_LEVEL, start=1):
        TopicCategory.objects.get_or_create(name=name, parent=None, defaults={"sort_order": order})
    load_demo("demo-password-1")
    sync.drain()  # the commit drained already; this makes the test independent of that


def test_a_visitor_searches_filters_and_jumps_by_docnum(open_page, screenshot, demo):
    page = open_page("/search/")
    page.get_by_role("search", name="搜索政府信息").get_by_label("搜索关键词").fill(
        "政務公開 答覆期限"
    )
    with page.expect_navigation():
        page.get_by_role("search", name="搜索政府信息").get_by_role("button", name="搜索").click()
    summary = page.get_by_role("status")
    assert "共 2 条" in summary.inner_text()
    results = page.locator(".search-results")
    assert results.locator("mark", has_text="政务公开").count() >= 1
    assert results.locator("mark", has_text="答复").count() >= 1
    screenshot(page, "search-results")

    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^政策解读（1\s*条\s*）$")).click()
    assert "共 1 条" in page.get_by_role("status").inner_text()
    assert page.get_by_role("link", name="一图读懂示范市2026年政务公开工作要点").is_visible()

    search_box = page.get_by_role("search", name="搜索政府信息").get_by_label("搜索关键词")
    search_box.fill("示政办发[2026]8号")
    with page.expect_navigation():
        search_box.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "示范市人民政府办公室关于印发示范市2026年政务公开工作要点的通知"
    )


def test_no_results_offers_a_shorter_query_on_a_phone(open_page, screenshot, demo):
    page = open_page("/search/?q=义务教育+火星基地", viewport=MOBILE)
    assert "没有找到" in page.get_by_role("main").inner_text()
    suggestion = page.locator(".search-suggestion").get_by_role("link")
    assert suggestion.inner_text() == "义务教育"
    screenshot(page, "search-suggestion-mobile")
    with page.expect_navigation():
        suggestion.click()
    assert "共 2 条" in page.get_by_role("status").inner_text()
