"""Atom feeds of newly published records, per 发布机关 and per 主题分类."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest

from tests.portal.records_data import (  # noqa: F401 - fixtures
    SHANGHAI,
    hidden_records_fixture,
    make_record,
    portal_fixture,
    topics_fixture,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    return root, root.findall(f"{ATOM}entry")


def test_agency_feed_lists_its_public_records(client, world, portal):
    response = client.get(f"/feeds/agency/{world.city_edu.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root, items = entries(response)
    assert root.find(f"{ATOM}title").text == "示范市教育局 - 主动公开政府信息"
    assert [e.find(f"{ATOM}title").text for e in items] == [portal.new.title, portal.old.title]
    link = items[0].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/zfxxgk/records/{portal.new.pk}/"
    assert items[0].find(f"{ATOM}published").text.startswith("2026-03-05T02:00:00+00:00")
    assert items[0].find(f"{ATOM}author/{ATOM}name").text == "示范市教育局"


def test_topic_feed_includes_second_levels(client, topics, portal):
    _, items = entries(client.get(f"/feeds/topic/{topics.education.pk}/"))
    assert len(items) == 2
    _, items = entries(client.get(f"/feeds/topic/{topics.openness.pk}/"))
    assert [e.find(f"{ATOM}title").text for e in items] == [portal.opinion.title]


def test_feed_holds_the_latest_fifty(client, world, topics, portal):
    start = datetime(2020, 1, 1, 9, 0, tzinfo=SHANGHAI)
    for i in range(55):
        make_record(world.city, topics.openness, published_at=start + timedelta(days=i))
    _, items = entries(client.get(f"/feeds/agency/{world.city.pk}/"))
    assert len(items) == 50
    assert items[0].find(f"{ATOM}title").text == portal.opinion.title


def test_unknown_feed_is_404(client, portal):
    assert client.get("/feeds/agency/999999/").status_code == 404
    assert client.get("/feeds/topic/999999/").status_code == 404


@pytest.mark.parametrize("kind", ["agency", "topic"])
def test_feed_query_count(client, world, topics, portal, kind, django_assert_max_num_queries):
    for _ in range(20):
        make_record(world.city_edu, topics.schools)
    pk = world.city_edu.pk if kind == "agency" else topics.education.pk
    # The feed's object, then its records with agency and topic joined.
    with django_assert_max_num_queries(2):
        assert client.get(f"/feeds/{kind}/{pk}/").status_code == 200


def test_statutory_page_advertises_the_feeds(client, world, topics, portal):
    html = client.get(
        "/zfxxgk/statutory/", {"agency": world.city_edu.pk, "topic": topics.education.pk}
    ).content.decode()
    feed = f'href="/feeds/agency/{world.city_edu.pk}/"'
    assert f'type="application/atom+xml" title="本机关最新公开信息" {feed}' in html
    assert f'href="/feeds/topic/{topics.education.pk}/">本主题信息（Atom）</a>' in html
