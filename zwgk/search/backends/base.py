"""What every search backend offers, and the plain data that crosses the boundary.

A backend stores :class:`SearchDocument` rows under their ``key`` and answers
a :class:`SearchQuery` with a :class:`SearchResult`.  It never analyses
Chinese: :func:`analyze` turns a document into whitespace-separated tokens
with :mod:`zwgk.search.analyzer`, and :meth:`SearchBackend.search` receives
the query's tokens.  Every backend therefore finds the same documents; they
differ in ranking details, speed and where the index lives.

Semantics shared by all backends (the contract tests in
``tests/search/test_backend_contract.py`` check them on each):

- a document matches when it holds *every* query token (AND), in its title
  or its text; no tokens means no match;
- filters are equalities on the document's fields (``topic`` matches the
  document's 主题分类 or its first level); ``year`` is the year of 发布日期;
- ``relevance`` sorts by a BM25-family score with the title weighted
  :data:`TITLE_WEIGHT` times the text, multiplied by :data:`INVALID_FACTOR`
  for documents that are not 有效, so that a 有效 document ranks above a
  废止/失效 one of equal relevance; ``date`` sorts by 发布日期, newest first,
  undated documents last; ties by key;
- facet counts are over all documents that match the query and the filters;
- ``index`` replaces a document with the same key; ``delete`` of an unknown
  key is no error;
- ``rebuild`` of the SQL and OpenSearch backends empties the index first, so
  searches find only what is written so far until it ends (tantivy commits
  once at the end); a rebuild is an operator's step after an analyzer change.
"""

import abc
import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from zwgk.search import analyzer

TITLE_WEIGHT = 10.0
INVALID_FACTOR = 0.7
VALID = "valid"  # zwgk.records.choices.Validity.VALID
ANALYSIS_CHUNK = 512  # documents read and sent to the analysis processes at a time

# Filterable and countable fields of a document, in the order facets are shown.
FACET_FIELDS = ("kind", "agency", "topic", "doc_type", "year", "validity")
# Buckets asked of a ``terms`` aggregation per facet (and per shard or segment):
# far above the number of agencies, topics or years a site has, so that every
# value comes back and every count is exact.
FACET_SIZE = 10_000


class Sort:
    RELEVANCE = "relevance"
    DATE = "date"
    ALL = (RELEVANCE, DATE)


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One searchable item: a record, an interpretation, later a gazette issue or a draft.

    ``topics`` holds the 主题分类 and its first level (both, so that a filter
    on either finds it); ``year`` is the year of ``published_at``.
    """

    key: str
    kind: str
    title: str
    text: str
    published_at: datetime | None = None
    agency: int | None = None
    topics: tuple[int, ...] = ()
    doc_type: str = ""
    validity: str = VALID
    doc_number: str = ""

    @property
    def year(self) -> int | None:
        return self.published_at.year if self.published_at else None

    def facet_values(self) -> dict[str, tuple]:
        """Each facet's values for this document (``topic`` may have two)."""
        return {
            "kind": (self.kind,),
            "agency": (self.agency,) if self.agency is not None else (),
            "topic": self.topics,
            "doc_type": (self.doc_type,) if self.doc_type else (),
            "year": (self.year,) if self.year is not None else (),
            "validity": (self.validity,) if self.validity else (),
        }


@dataclass(frozen=True, slots=True)
class AnalyzedDocument:
    """A document with its index tokens, ready for any backend."""

    document: SearchDocument
    title_tokens: str  # space-separated
    text_tokens: str


def analyze(document: SearchDocument) -> AnalyzedDocument:
    # The document's own 文号 counts as title words: a query for it is a
    # query for this document.
    title = analyzer.index_text(f"{document.title}\n{document.doc_number}")
    whole = analyzer.title_token(document.title)
    return AnalyzedDocument(document, f"{title} {whole}", analyzer.index_text(document.text))


def batched(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter), read lazily."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def analyze_many(
    documents: Iterable[SearchDocument], processes: int = 1
) -> Iterator[AnalyzedDocument]:
    """The documents analysed, in order; with ``processes`` > 1 in that many worker processes.

    The documents are read here, in the caller's thread (they may come from
    the database), a chunk at a time, and only the analysis is farmed out;
    a chunk is analysed while the caller writes the one before.
    """
    if processes <= 1:
        yield from map(analyze, documents)
        return
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pending = None
        for chunk in batched(documents, ANALYSIS_CHUNK):
            # This chunk is analysed while the caller writes the one before.
            following = pool.map_async(analyze, chunk, max(1, len(chunk) // (4 * processes)))
            if pending is not None:
                yield from pending.get()
            pending = following
        if pending is not None:
            yield from pending.get()


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search: query tokens (:func:`zwgk.search.analyzer.query_tokens`), filters, sort, page.

    ``title``: the query as a whole title (:func:`zwgk.search.analyzer.title_token`);
    not required, but a match whose whole title it is ranks above the others.
    """

    tokens: tuple[str, ...]
    filters: dict[str, object] = field(default_factory=dict)
    sort: str = Sort.RELEVANCE
    offset: int = 0
    limit: int = 10
    facets: bool = False
    title: str = ""

    @classmethod
    def of(cls, text: str, **options) -> "SearchQuery":
        """The query a visitor's ``text`` means: its tokens and its whole-title token."""
        return cls(tuple(analyzer.query_tokens(text)), title=analyzer.title_token(text), **options)

    def __post_init__(self) -> None:
        unknown = set(self.filters) - set(FACET_FIELDS)
        if unknown:
            raise ValueError(f"unknown filters: {sorted(unknown)}")
        if self.sort not in Sort.ALL:
            raise ValueError(f"unknown sort: {self.sort}")


@dataclass(frozen=True, slots=True)
class Hit:
    key: str
    score: float


@dataclass(slots=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[object, int]] = field(default_factory=dict)


def no_match(query: SearchQuery) -> SearchResult:
    """The answer to a query without tokens: nothing, with empty facets if asked."""
    return SearchResult(0, [], {name: {} for name in FACET_FIELDS} if query.facets else {})


def terms_aggregations() -> dict[str, dict]:
    """A ``terms`` aggregation per facet, named after it, in the Elasticsearch form.

    tantivy and OpenSearch both take this form (tantivy reads ``shard_size``
    as its per-segment size).
    """
    return {
        name: {"terms": {"field": name, "size": FACET_SIZE, "shard_size": FACET_SIZE}}
        for name in FACET_FIELDS
    }


def facet_counts(aggregations: dict) -> dict[str, dict[object, int]]:
    """Facet counts from the answer to :func:`terms_aggregations`."""
    return {
        name: {bucket["key"]: bucket["doc_count"] for bucket in aggregations[name]["buckets"]}
        for name in FACET_FIELDS
    }


@dataclass(frozen=True, slots=True)
class Health:
    ok: bool
    documents: int
    analyzer_version: str
    message: str = ""

    @property
    def current(self) -> bool:
        """Built by the analyzer in use: an index of another version must be rebuilt."""
        return self.analyzer_version == analyzer.ANALYZER_VERSION


class SearchBackend(abc.ABC):
    """An index of :class:`SearchDocument` rows. Subclasses are registered by name."""

    name: str = ""

    @classmethod
    @abc.abstractmethod
    def from_settings(cls, settings) -> "SearchBackend":
        """The backend configured by ``SEARCH_PATH`` / ``OPENSEARCH_URL``."""

    def index(self, documents: Iterable[SearchDocument], *, processes: int = 1) -> int:
        """Add or replace these documents; the number written."""
        return self.write(analyze_many(documents, processes))

    @abc.abstractmethod
    def write(self, documents: Iterable[AnalyzedDocument]) -> int:
        """Add or replace these analysed documents (the benchmark analyses once for all)."""

    @abc.abstractmethod
    def delete(self, keys: Iterable[str]) -> None:
        """Remove the documents with these keys, if present."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """The page of hits, the total and (if asked) the facet counts."""

    def count(self, query: SearchQuery) -> int:
        return self.search(SearchQuery(query.tokens, query.filters, limit=0, facets=False)).total

    @abc.abstractmethod
    def clear(self) -> None:
        """Drop every document and record the current analyzer version."""

    def rebuild(self, documents: Iterable[SearchDocument], *, processes: int = 1) -> int:
        """Replace the whole index with these documents."""
        self.clear()
        return self.index(documents, processes=processes)

    @abc.abstractmethod
    def health(self) -> Health:
        """Whether the index answers, how many documents it holds, which analyzer built it."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release files and connections (tests and commands call it)."""
