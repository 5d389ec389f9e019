"""OpenSearch: the index on a cluster, for sites that run one.

One index (``zwgk-search`` unless told otherwise) holds a document per key,
with the key as its ``_id``.  ``title`` and ``text`` hold the analysed
tokens and are split by an analyzer built on the ``whitespace`` tokenizer
alone (no lower-casing, stemming or plugin): the tokens come from
:mod:`zwgk.search.analyzer`.  The filter fields are ``keyword`` or ``long``,
``published_at`` a ``date``; the mapping is strict, so a document with a
field it does not name is refused rather than mapped by guess.  The
mapping's ``_meta`` records the analyzer version :meth:`~OpenSearchBackend.clear`
created the index for.

Every token is a ``must`` clause that sums two ``term`` queries, on the title
boosted :data:`~zwgk.search.backends.base.TITLE_WEIGHT` times and on the
text; filters are ``filter`` clauses (unscored); a ``function_score`` weighs
documents that are not 有效 by :data:`~zwgk.search.backends.base.INVALID_FACTOR`.
Facets are ``terms`` aggregations, large enough to return every value.
"""

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import NotFoundError, OpenSearchException, RequestError

from zwgk.search import analyzer
from zwgk.search.backends.base import (
    INVALID_FACTOR,
    TITLE_WEIGHT,
    VALID,
    AnalyzedDocument,
    Health,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResult,
    Sort,
    facet_counts,
    no_match,
    terms_aggregations,
)

DEFAULT_INDEX = "zwgk-search"
TOKENS_ANALYZER = "zwgk_tokens"
BULK_CHUNK = 500

_TOKENS = {"type": "text", "analyzer": TOKENS_ANALYZER, "index_options": "freqs"}
PROPERTIES = {
    "key": {"type": "keyword"},
    "title": _TOKENS,
    "text": _TOKENS,
    "kind": {"type": "keyword"},
    "agency": {"type": "long"},  # primary keys are BigAutoField
    "topic": {"type": "long"},  # both levels: a multi-valued field
    "doc_type": {"type": "keyword"},
    "year": {"type": "integer"},
    "validity": {"type": "keyword"},
    "published_at": {"type": "date"},
}


def index_body(analyzer_version: str = "") -> dict:
    """The settings and mapping of the index; ``_meta`` names the analyzer version if given."""
    mappings: dict = {"dynamic": "strict", "properties": PROPERTIES}
    if analyzer_version:
        mappings["_meta"] = {"analyzer_version": analyzer_version}
    return {
        "settings": {
            "analysis": {
                "analyzer": {TOKENS_ANALYZER: {"type": "custom", "tokenizer": "whitespace"}}
            }
        },
        "mappings": mappings,
    }


def search_body(query: SearchQuery) -> dict:
    """The request body of a search (a query with tokens)."""
    matched = {
        "bool": {
            "must": [
                {
                    "bool": {
                        "should": [
                            {"term": {"title": {"value": token, "boost": TITLE_WEIGHT}}},
                            {"term": {"text": token}},
                        ],
                        "minimum_should_match": 1,
                    }
                }
                for token in query.tokens
            ],
            # ``topic`` is multi-valued: a term matches either level.
            "filter": [{"term": {name: value}} for name, value in query.filters.items()],
        }
    }
    if query.title:  # not required: a match whose whole title it is scores higher
        matched["bool"]["should"] = [
            {"term": {"title": {"value": query.title, "boost": TITLE_WEIGHT}}}
        ]
    body: dict = {
        "from": query.offset,
        "size": query.limit,
        "track_total_hits": True,  # else the total stops at 10,000
        "_source": False,  # the key is the _id
    }
    if query.sort == Sort.DATE:
        body["query"] = matched
        body["sort"] = [{"published_at": {"order": "desc", "missing": "_last"}}, {"key": "asc"}]
    else:
        body["query"] = {
            "function_score": {
                "query": matched,
                "functions": [
                    {
                        "filter": {"bool": {"must_not": [{"term": {"validity": VALID}}]}},
                        "weight": INVALID_FACTOR,
                    }
                ],
                # A document no function applies to keeps its score.
                "score_mode": "multiply",
                "boost_mode": "multiply",
            }
        }
        body["sort"] = ["_score", {"key": "asc"}]
    if query.facets:
        body["aggs"] = terms_aggregations()
    return body


class OpenSearchBackend(SearchBackend):
    """Search in an OpenSearch index through an opensearch-py client (injected for tests)."""

    name = "opensearch"

    def __init__(self, client: OpenSearch, index_name: str = DEFAULT_INDEX) -> None:
        self.client = client
        self.index_name = index_name

    @classmethod
    def from_settings(cls, settings) -> "OpenSearchBackend":
        if not settings.OPENSEARCH_URL:
            raise ImproperlyConfigured("使用 OpenSearch 检索须设置 ZWGK_OPENSEARCH_URL。")
        return cls(OpenSearch(hosts=[settings.OPENSEARCH_URL]))

    def close(self) -> None:
        self.client.close()

    def _ensure_index(self) -> None:
        """Create the index with its mapping before the first write, if it is missing.

        Writing to a missing index would let the cluster create it with a
        guessed mapping, so every write checks (one cheap request; the index
        may have been dropped since the last).  The index made here records
        no analyzer version: like a fresh index of the other backends, it
        waits for a rebuild.
        """
        if not self.client.indices.exists(index=self.index_name):
            try:
                self.client.indices.create(index=self.index_name, body=index_body())
            except RequestError as error:  # another process created it first
                if error.error != "resource_already_exists_exception":
                    raise

    def _bulk(self, actions: Iterable[dict], **options) -> int:
        """Send the actions in bulk and make them visible to searches; the number that succeeded."""
        self._ensure_index()
        written, _ = helpers.bulk(self.client, actions, chunk_size=BULK_CHUNK, **options)
        # One refresh per call rather than per chunk: a rebuild stays fast
        # and a search right after the call sees every write.
        self.client.indices.refresh(index=self.index_name)
        return written

    def write(self, documents: Iterable[AnalyzedDocument]) -> int:
        return self._bulk(self._index_action(analyzed) for analyzed in documents)

    def _index_action(self, analyzed: AnalyzedDocument) -> dict:
        document = analyzed.document
        source = {name: list(values) for name, values in document.facet_values().items()}
        source.update(
            key=document.key,
            title=analyzed.title_tokens,
            text=analyzed.text_tokens,
            published_at=document.published_at.isoformat() if document.published_at else None,
        )
        return {"_index": self.index_name, "_id": document.key, "_source": source}

    def delete(self, keys: Iterable[str]) -> None:
        self._bulk(
            ({"_op_type": "delete", "_index": self.index_name, "_id": key} for key in keys),
            ignore_status=(404,),  # an unknown key is no error
        )

    def search(self, query: SearchQuery) -> SearchResult:
        if not query.tokens:
            return no_match(query)
        response = self.client.search(index=self.index_name, body=search_body(query))
        hits = response["hits"]
        return SearchResult(
            hits["total"]["value"],
            [
                Hit(hit["_id"], hit["_score"] if query.sort == Sort.RELEVANCE else 0.0)
                for hit in hits["hits"]
            ],
            facet_counts(response["aggregations"]) if query.facets else {},
        )

    def clear(self) -> None:
        # Dropping the index also drops a mapping another version left behind.
        self.client.indices.delete(index=self.index_name, ignore_unavailable=True)
        self.client.indices.create(
            index=self.index_name, body=index_body(analyzer.ANALYZER_VERSION)
        )

    def health(self) -> Health:
        try:
            status = self.client.cluster.health()["status"]
            documents = self.client.count(index=self.index_name)["count"]
            # Keyed by the concrete index, which differs if index_name is an alias.
            mapping = next(iter(self.client.indices.get_mapping(index=self.index_name).values()))
        except NotFoundError:
            return Health(False, 0, "", f"检索索引“{self.index_name}”不存在，请重建检索索引。")
        except OpenSearchException as error:
            return Health(False, 0, "", str(error))
        version = mapping["mappings"].get("_meta", {}).get("analyzer_version", "")
        if status == "red":
            return Health(False, documents, version, "OpenSearch 集群状态为 red：有主分片不可用。")
        return Health(True, documents, version)
