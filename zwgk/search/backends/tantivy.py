"""tantivy: a Lucene-like index in a directory, for large single-server sites.

The index lives in ``ZWGK_SEARCH_PATH``/``tantivy/``, with a small
``zwgk.json`` that records the analyzer version of the last rebuild (or
clear); tantivy ignores files it did not write.

Fields:

- ``key``: the exact key (raw tokenizer), stored, so that hits name their
  document and a write deletes the old version by term;
- ``title``: the title's analysed tokens, and ``text``: the title's and the
  text's, split by tantivy's built-in ``whitespace`` tokenizer, which
  neither lower-cases nor stems: the tokens come from
  :mod:`zwgk.search.analyzer` and must stay as they are.  A query requires
  each token in ``text`` (one posting list per token to intersect) and adds
  :data:`TITLE_WEIGHT` times the BM25 of the tokens found in ``title`` (an
  optional clause, which matches nothing by itself): a third of the time of
  requiring each token in "title or text" at a million documents;
- ``kind``, ``doc_type``, ``validity`` (raw strings) and ``agency``,
  ``topic`` (both levels: a multi-valued field), ``year`` (integers):
  indexed for term filters and fast for the facet aggregations; ``validity``
  is stored too, for the validity factor (below);
- ``published_at``: a fast date for the date sort.

One writer at a time: each call that writes (``index``/``write``,
``delete``, ``rebuild``, ``clear``) takes the index's writer lock, commits
once and lets go; a second writer (another process draining the outbox)
gets :class:`WriterBusy` at once, and the outbox tries again later.  A
rebuild is one commit, so searches see the old index until the new one is
complete.  Each process keeps one open index for searching and reloads it
when ``meta.json`` (rewritten by every commit) changes, so searches see
another process's writes after its commit.
"""

import json
import os
import shutil
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import tantivy

from zwgk.search import analyzer
from zwgk.search.backends.base import (
    INVALID_FACTOR,
    TITLE_WEIGHT,
    VALID,
    AnalyzedDocument,
    Health,
    Hit,
    SearchBackend,
    SearchDocument,
    SearchQuery,
    SearchResult,
    Sort,
    analyze_many,
    facet_counts,
    no_match,
    terms_aggregations,
)

_STRING_FILTERS = ("kind", "doc_type", "validity")
_INTEGER_FILTERS = ("agency", "topic", "year")
# The writer's memory before it flushes a segment, and one indexing thread:
# analysis in Python, not tantivy, is the bottleneck of a write.
WRITER_HEAP = 64_000_000
META_FILE = "zwgk.json"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    # Term frequencies for BM25; no positions, since no query is a phrase.
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("text", tokenizer_name="whitespace", index_option="freq")
    for name in _STRING_FILTERS:
        builder.add_text_field(
            name,
            stored=name == "validity",
            fast=True,
            tokenizer_name="raw",
            index_option="basic",
        )
    for name in _INTEGER_FILTERS:
        builder.add_integer_field(name, indexed=True, fast=True)
    builder.add_date_field("published_at", fast=True)
    return builder.build()


SCHEMA = _schema()


class WriterBusy(RuntimeError):
    """Another writer holds the index; the caller tries again later."""


class IncompatibleIndex(RuntimeError):
    """The directory holds an index this code cannot open; a rebuild replaces it."""


class TantivyBackend(SearchBackend):
    """Search in a tantivy index directory: BM25 with a boosted title, one writer at a time."""

    name = "tantivy"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._index: tantivy.Index | None = None
        self._stamp: tuple | None = None

    @classmethod
    def from_settings(cls, settings) -> "TantivyBackend":
        return cls(Path(settings.SEARCH_PATH) / "tantivy")

    # Opening and reloading

    def _open(self) -> tantivy.Index:
        with self._lock:
            if self._index is None:
                self.path.mkdir(parents=True, exist_ok=True)
                try:
                    index = tantivy.Index(SCHEMA, str(self.path))
                except ValueError as error:  # another schema or index format
                    raise IncompatibleIndex(
                        f"检索索引（{self.path}）与当前程序不兼容，请重建检索索引。"
                    ) from error
                # Manual reloads: the searcher follows meta.json (below) rather
                # than a watcher thread that notices a commit up to a moment late.
                index.config_reader(reload_policy="manual")
                self._index = index
                self._stamp = None
            return self._index

    def _meta_stamp(self) -> tuple:
        stat = os.stat(self.path / "meta.json")
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def _searcher(self) -> tantivy.Searcher:
        """A searcher over the last commit, whichever process made it."""
        index = self._open()
        with self._lock:
            # Stat before reloading: a commit in between is then seen next time.
            stamp = self._meta_stamp()
            if stamp != self._stamp:
                index.reload()
                self._stamp = stamp
        return index.searcher()

    def close(self) -> None:
        with self._lock:
            self._index = None
            self._stamp = None

    # Writing

    @contextmanager
    def _writer(self) -> Iterator[tantivy.IndexWriter]:
        """The index's one writer for a batch: committed if the batch succeeds, released always."""
        index = self._open()
        try:
            writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
        except ValueError as error:
            # tantivy reports a held lock only in the message of a ValueError.
            if "LockBusy" in str(error):
                raise WriterBusy(
                    f"检索索引（{self.path}）正由另一进程写入，请稍后重试。"
                ) from error
            raise
        try:
            yield writer
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()  # also releases the lock

    def write(self, documents: Iterable[AnalyzedDocument]) -> int:
        with self._writer() as writer:
            return _add(writer, documents)

    def delete(self, keys: Iterable[str]) -> None:
        with self._writer() as writer:
            for key in keys:
                writer.delete_documents_by_term("key", key)

    def rebuild(self, documents: Iterable[SearchDocument], *, processes: int = 1) -> int:
        """Replace the whole index in one commit.

        Searches see the old index until the new one is complete, and a
        rebuild that fails leaves the old one as it was.
        """
        try:
            self._open()
        except IncompatibleIndex:
            # Built by other code: nothing in it can be kept.
            shutil.rmtree(self.path)
        with self._writer() as writer:
            writer.delete_all_documents()  # the documents added after it stay
            written = _add(writer, analyze_many(documents, processes))
        meta = self.path / META_FILE
        partial = meta.with_suffix(".tmp")
        partial.write_text(json.dumps({"analyzer_version": analyzer.ANALYZER_VERSION}))
        partial.replace(meta)
        return written

    def clear(self) -> None:
        self.rebuild(())

    # Reading

    def search(self, query: SearchQuery) -> SearchResult:
        if not query.tokens:
            return no_match(query)
        searcher = self._searcher()
        matched = _matched(query)
        facets = {}
        if query.facets:
            facets = facet_counts(searcher.aggregate(matched, terms_aggregations()))
        want = query.offset + query.limit
        if not want:
            # tantivy's top-k collector needs a limit; the count comes with it.
            return SearchResult(searcher.search(matched, 1).count, [], facets)
        if query.sort == Sort.DATE:
            total, rows = _top(searcher, matched, want, order_by_field="published_at")
            hits = [Hit(key, 0.0) for _, key in rows]
        else:
            total, rows = _top_weighted(searcher, _ranked(query), want)
            hits = [Hit(key, score) for score, key in rows]
        return SearchResult(total, hits[query.offset :], facets)

    def health(self) -> Health:
        try:
            documents = self._searcher().num_docs
        except (IncompatibleIndex, OSError, ValueError) as error:
            return Health(False, 0, "", str(error))
        try:
            version = json.loads((self.path / META_FILE).read_text())["analyzer_version"]
        except FileNotFoundError:
            version = ""  # never cleared: built by no known analyzer
        return Health(True, documents, version)


def _add(writer: tantivy.IndexWriter, documents: Iterable[AnalyzedDocument]) -> int:
    written = 0
    for analyzed in documents:
        # Deletes apply to documents added before them, so a key that comes
        # twice in one batch keeps its last version.
        writer.delete_documents_by_term("key", analyzed.document.key)
        writer.add_document(_document(analyzed))
        written += 1
    return written


def _document(analyzed: AnalyzedDocument) -> tantivy.Document:
    document = analyzed.document
    result = tantivy.Document()
    result.add_text("key", document.key)
    result.add_text("title", analyzed.title_tokens)
    result.add_text("text", f"{analyzed.title_tokens} {analyzed.text_tokens}")
    for name, values in document.facet_values().items():
        for value in values:
            if name in _INTEGER_FILTERS:
                result.add_integer(name, value)
            else:
                result.add_text(name, value)
    if document.published_at:
        result.add_date("published_at", document.published_at)
    return result


def _term(name: str, value) -> tantivy.Query:
    return tantivy.Query.term_query(SCHEMA, name, value)


def _unscored(query: tantivy.Query) -> tantivy.Query:
    """A filter: a term query's own BM25 score would otherwise add to the rank."""
    return tantivy.Query.const_score_query(query, 0.0)


def _bool(*clauses: tuple[tantivy.Occur, tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query(clauses)


def _matched(query: SearchQuery) -> tantivy.Query:
    """Every token (in the title or the text: ``text`` holds both) and every filter.

    Scored by the tokens' BM25 in ``text``; ``topic`` is a multi-valued field
    holding both levels, so one term matches either.
    """
    Occur = tantivy.Occur
    clauses = [(Occur.Must, _term("text", token)) for token in query.tokens]
    clauses.extend(
        (Occur.Must, _unscored(_term(name, value))) for name, value in query.filters.items()
    )
    return _bool(*clauses)


def _ranked(query: SearchQuery) -> tantivy.Query:
    """:func:`_matched` plus TITLE_WEIGHT times the BM25 of the tokens found in the title
    (the whole-title token among them)."""
    Occur = tantivy.Occur
    title_words = [*query.tokens, query.title] if query.title else query.tokens
    return _bool(
        (Occur.Must, _matched(query)),
        *(
            (Occur.Should, tantivy.Query.boost_query(_term("title", token), TITLE_WEIGHT))
            for token in title_words
        ),
    )


def _top_weighted(searcher: tantivy.Searcher, query: tantivy.Query, want: int) -> tuple:
    """The total and the first ``want`` hits by score × the validity factor, then by key.

    tantivy cannot multiply a score by a field, so the hits are fetched by
    their plain score and re-ranked here.  The factor only lowers a score, so
    once the ``want``-th weighted score is above the plain score of the last
    hit fetched, no hit further down can reach the page (nor tie with it):
    the page is exact.  Otherwise twice as many are fetched.
    """
    fetch = max(2 * want, want + 10)
    result = searcher.search(query, fetch, count=True)
    total = result.count
    while True:
        rows = []
        for score, address in result.hits:
            document = searcher.doc(address)
            factor = 1.0 if document.get_first("validity") == VALID else INVALID_FACTOR
            rows.append((score * factor, document.get_first("key")))
        rows.sort(key=lambda row: (-row[0], row[1]))
        exhausted = len(result.hits) < fetch
        if exhausted or rows[want - 1][0] > result.hits[-1][0]:
            return total, rows[:want]
        fetch *= 2
        result = searcher.search(query, fetch, count=False)


def _top(searcher: tantivy.Searcher, query: tantivy.Query, want: int, **order) -> tuple:
    """The total and the first ``want`` hits as (value, key), by value and then by key.

    tantivy orders hits of equal score or date by where they sit in the
    index; the contract orders them by key.  So the hits are fetched until
    the ``want``-th one no longer ties with the last one fetched: then every
    hit that could belong on the page, in a tie at its end, is known.
    """
    fetch = want + 1
    result = searcher.search(query, fetch, count=True, **order)
    total, hits = result.count, result.hits
    while len(hits) == fetch and _value(hits[-1][0]) == _value(hits[want - 1][0]):
        fetch *= 2
        hits = searcher.search(query, fetch, count=False, **order).hits
    if not hits:
        return total, []
    boundary = _value(hits[min(want, len(hits)) - 1][0])
    rows = [
        (_value(value), searcher.doc(address).get_first("key"))
        for value, address in hits
        if _value(value) >= boundary
    ]
    rows.sort(key=lambda row: (-row[0], row[1]))
    return total, rows[:want]


def _value(order_key) -> float:
    """A hit's score or date (nanoseconds); a document without a date sorts last."""
    return float("-inf") if order_key is None else order_key
