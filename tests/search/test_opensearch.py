"""The OpenSearch backend beyond the contract, and the fake it runs on here.

Tests through the client's public API run on the fake and, with
``ZWGK_OPENSEARCH_URL``, on a live cluster; tests of what only the fake can
stage (a red cluster, the request shapes it refuses) run on the fake alone.
"""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from opensearchpy import helpers
from opensearchpy.exceptions import ConnectionError, RequestError

from tests.search.conftest import live_opensearch
from tests.search.fake_opensearch import FakeOpenSearch, Unsupported
from zwgk.search import analyzer
from zwgk.search.backends.base import SearchDocument, SearchQuery, Sort
from zwgk.search.backends.opensearch import (
    PROPERTIES,
    OpenSearchBackend,
    index_body,
    search_body,
)


def doc(key, title, **fields):
    return SearchDocument(
        key=key,
        kind="policy",
        title=title,
        text="",
        published_at=datetime(2024, 3, 1, tzinfo=UTC),
        **fields,
    )


def query(text, **options):
    return SearchQuery(tuple(analyzer.query_tokens(text)), **options)


@pytest.fixture(params=["fake", "live"])
def opensearch(request):
    """A backend whose index does not exist yet."""
    backend = OpenSearchBackend(FakeOpenSearch()) if request.param == "fake" else live_opensearch()
    yield backend
    backend.client.indices.delete(index=backend.index_name, ignore_unavailable=True)
    backend.close()


@pytest.fixture
def fake():
    backend = OpenSearchBackend(FakeOpenSearch())
    backend.clear()
    return backend


# Through the client's public API: the fake and a live cluster.


def test_health_names_a_missing_index(opensearch):
    health = opensearch.health()
    assert not health.ok
    assert "不存在" in health.message


def test_the_first_write_creates_the_index_awaiting_a_rebuild(opensearch):
    opensearch.index([doc("a", "关于放假的通知")])
    health = opensearch.health()
    assert (health.ok, health.documents) == (True, 1)
    assert not health.current  # made by a write, not by clear()
    mapping = opensearch.client.indices.get_mapping(index=opensearch.index_name)
    assert mapping[opensearch.index_name]["mappings"]["properties"]["title"]["type"] == "text"


def test_clear_records_the_analyzer_version(opensearch):
    opensearch.index([doc("a", "关于放假的通知")])
    opensearch.clear()
    health = opensearch.health()
    assert (health.ok, health.documents, health.current) == (True, 0, True)


def test_a_document_the_mapping_refuses_is_an_error(opensearch):
    # An index made by an older version, without a field this one writes:
    # the strict mapping refuses rather than guessing, and the writer learns.
    body = index_body(analyzer.ANALYZER_VERSION)
    body["mappings"]["properties"] = {k: v for k, v in PROPERTIES.items() if k != "doc_type"}
    opensearch.client.indices.create(index=opensearch.index_name, body=body)
    with pytest.raises(helpers.BulkIndexError):
        opensearch.index([doc("a", "关于放假的通知", doc_type="notice")])


# What the backend sends.


def test_the_mapping_splits_at_whitespace_and_nothing_else():
    body = index_body("v1")
    assert body["settings"]["analysis"]["analyzer"]["zwgk_tokens"] == {
        "type": "custom",
        "tokenizer": "whitespace",
    }
    assert body["mappings"]["dynamic"] == "strict"
    assert body["mappings"]["_meta"] == {"analyzer_version": "v1"}
    assert "_meta" not in index_body()["mappings"]


def test_a_search_weighs_the_title_and_the_validity():
    body = search_body(query("政府信息公开 工作日", filters={"agency": 2}, facets=True))
    scored = body["query"]["function_score"]
    assert len(scored["query"]["bool"]["must"]) == 2
    assert scored["query"]["bool"]["filter"] == [{"term": {"agency": 2}}]
    assert scored["functions"][0]["weight"] == 0.7
    assert body["sort"] == ["_score", {"key": "asc"}]
    assert set(body["aggs"]) == {"kind", "agency", "topic", "doc_type", "year", "validity"}
    by_date = search_body(query("政府", sort=Sort.DATE))
    assert "function_score" not in by_date["query"]
    assert by_date["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}


def test_from_settings_needs_a_url(settings):
    settings.OPENSEARCH_URL = ""
    with pytest.raises(ImproperlyConfigured):
        OpenSearchBackend.from_settings(settings)
    settings.OPENSEARCH_URL = "https://search.example.gov.cn:9200"
    backend = OpenSearchBackend.from_settings(settings)  # connects on first use
    (connection,) = backend.client.transport.connection_pool.connections
    assert connection.host == "https://search.example.gov.cn:9200"


# What only the fake can stage.


def test_health_reports_a_red_cluster_and_a_lost_connection(fake):
    fake.client.cluster.status = "red"
    health = fake.health()
    assert not health.ok
    assert "red" in health.message

    def unreachable(**_):
        raise ConnectionError("N/A", "connection refused", None)

    fake.client.cluster.health = unreachable
    assert not fake.health().ok


def test_the_fake_hides_writes_until_a_refresh(fake):
    helpers.bulk(
        fake.client,
        [{"_index": fake.index_name, "_id": "a", "_source": {"key": "a", "title": "通知"}}],
    )
    assert fake.search(SearchQuery(("通知",))).total == 0
    fake.client.indices.refresh(index=fake.index_name)
    assert fake.search(SearchQuery(("通知",))).total == 1


@pytest.mark.parametrize(
    "change",
    [
        {"query": {"multi_match": {"query": "通知", "fields": ["title^10", "text"]}}},
        {"query": {"bool": {"must": {"term": {"title": "通知"}}}}},  # an object, not a list
        {
            "query": {
                "function_score": {"query": {"bool": {}}, "functions": [], "score_mode": "sum"}
            }
        },
        {"aggs": {"year": {"date_histogram": {"field": "published_at"}}}},
        {"track_total_hits": 10_000},
        {"highlight": {"fields": {"text": {}}}},
    ],
)
def test_the_fake_refuses_what_it_does_not_know(fake, change):
    body = {**search_body(query("通知")), **change}
    with pytest.raises(Unsupported):
        fake.client.search(index=fake.index_name, body=body)


def test_the_fake_refuses_other_analysis_and_dynamic_mappings():
    client = FakeOpenSearch()
    lowercase = index_body()
    lowercase["settings"]["analysis"]["analyzer"]["zwgk_tokens"]["filter"] = ["lowercase"]
    with pytest.raises(Unsupported):
        client.indices.create(index="a", body=lowercase)
    with pytest.raises(Unsupported):
        client.indices.create(index="b", body={"mappings": {"properties": PROPERTIES}})
    with pytest.raises(Unsupported):  # OpenSearch would create it with a guessed mapping
        helpers.bulk(client, [{"_index": "c", "_id": "x", "_source": {"key": "x"}}])


def test_the_fake_refuses_to_sort_on_text_as_opensearch_does(fake):
    body = {**search_body(query("通知")), "sort": [{"title": "asc"}]}
    with pytest.raises(RequestError):
        fake.client.search(index=fake.index_name, body=body)
