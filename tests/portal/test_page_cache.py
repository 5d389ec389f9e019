"""Whole-page caching of public pages (zwgk/portal/cache.py): fast, and never stale.

The issue #3 target (≥ 300 requests/s at a million records) is met by serving
anonymous visitors cached pages; these tests pin down that a cached page never
outlives a change of what it shows.
"""

from datetime import date

import pytest
from django.template import engines
from django.template.response import TemplateResponse

from tests.records.conftest import publish, record_fields
from zwgk.catalogue.actions import do_deactivate_catalogue_item
from zwgk.catalogue.models import CatalogueItem
from zwgk.portal.cache import cache_public_page
from zwgk.portal.display import TEXT_SIZE_COOKIE
from zwgk.records import actions
from zwgk.records.models import TopicCategory

STATUTORY = "/zfxxgk/statutory/"


@pytest.fixture
def topic(db):
    return TopicCategory.objects.get(name="综合政务", parent=None)


@pytest.fixture
def published(rworld, topic):
    record = actions.do_create_record(
        rworld.city_edu, record_fields(topic), acting_user=rworld.users.editor
    )
    return publish(record, rworld)


@pytest.fixture
def rworld(world):
    world.city_edu.index_prefix = "000014349"
    world.city_edu.save()
    return world


def test_a_second_visit_is_served_from_the_cache_in_one_query(
    client, published, django_assert_num_queries
):
    url = f"/zfxxgk/records/{published.pk}/"
    first = client.get(url)
    with django_assert_num_queries(1):  # the content generation only
        second = client.get(url)
    assert second.content == first.content


def test_publishing_shows_at_once_on_a_cached_list(client, rworld, topic, published):
    assert "共 1 条" in client.get(STATUTORY).content.decode()
    record = actions.do_create_record(
        rworld.city_edu, record_fields(topic, title="第二份通知"), acting_user=rworld.users.editor
    )
    assert "共 1 条" in client.get(STATUTORY).content.decode()  # a draft changes nothing
    publish(record, rworld)
    page = client.get(STATUTORY).content.decode()
    assert "共 2 条" in page
    assert "第二份通知" in page


def test_a_withdrawn_record_is_gone_at_once(client, rworld, published):
    url = f"/zfxxgk/records/{published.pk}/"
    assert client.get(url).status_code == 200
    actions.do_withdraw_record(published, reason="有误", acting_user=rworld.users.reviewer)
    assert client.get(url).status_code == 404


def test_abolition_and_renaming_an_agency_show_at_once(client, rworld, published):
    url = f"/zfxxgk/records/{published.pk}/"
    client.get(url)
    actions.do_mark_abolished(
        published, validity="abolished", on=date(2026, 6, 1), acting_user=rworld.users.reviewer
    )
    assert "已废止" in client.get(url).content.decode()
    rworld.city_edu.name = "示范市教育体育局"
    rworld.city_edu.save()
    assert "示范市教育体育局" in client.get(url).content.decode()


def test_display_preferences_have_their_own_cached_page(client, published):
    url = f"/zfxxgk/records/{published.pk}/"
    standard = client.get(url).content
    client.cookies[TEXT_SIZE_COOKIE] = "large"
    large = client.get(url).content
    assert large != standard
    assert b"text-large" in large


def test_signed_in_staff_are_never_served_or_served_from_the_cache(
    client, rworld, published, django_assert_max_num_queries
):
    url = f"/zfxxgk/records/{published.pk}/"
    client.get(url)
    client.force_login(rworld.users.editor)
    with django_assert_max_num_queries(20) as captured:
        client.get(url)
    assert len(captured) > 1  # rendered, not taken from the anonymous cache


def test_every_page_of_a_filter_set_shares_its_facet_counts(
    client, rworld, topic, published, django_assert_max_num_queries
):
    for n in range(25):
        publish(
            actions.do_create_record(
                rworld.city_edu, record_fields(topic, title=f"第{n}号通知"), acting_user=None
            ),
            rworld,
        )
    client.get(STATUTORY)
    # generation, site profile, count, page: the facets were counted for page 1.
    with django_assert_max_num_queries(4):
        page = client.get(STATUTORY, {"page": 2}).content.decode()
    assert "共 26 条" in page


@pytest.mark.parametrize(("source", "cached"), [("{% csrf_token %}", False), ("公开", True)])
def test_a_page_with_a_csrf_token_is_never_cached(rf, db, source, cached):
    """The middleware sets the token's cookie after the page is stored: it must not be shared."""
    view = cache_public_page(
        lambda request: TemplateResponse(request, engines["django"].from_string(source))
    )
    view(rf.get("/form/")).render()
    again = view(rf.get("/form/"))
    assert again.is_rendered is cached  # a cached response comes back rendered


def test_deactivating_a_catalogue_item_leaves_the_cached_guide(client, rworld, site_profile):
    item = CatalogueItem.objects.create(agency=rworld.city, name="机构职能")
    assert "机构职能" in client.get("/zfxxgk/guide/").content.decode()
    do_deactivate_catalogue_item(item, acting_user=None)
    assert "机构职能" not in client.get("/zfxxgk/guide/").content.decode()
