"""Orders every backend must keep beyond the contract's examples (zwgk/search/backends/base.py).

Ties by key: equal scores and equal dates are common (the same notice
republished, many records of one day), and a top-k collector orders them
by chance or by where they sit in the index, so pages could repeat or skip
a hit.  By date, a document without a 发布日期 comes last.
"""

from datetime import UTC, datetime

import pytest

from zwgk.search import analyzer
from zwgk.search.backends.base import SearchDocument, SearchQuery, Sort

# Written in this order, one call each (for tantivy: one segment each).
WRITTEN = ["t9", "t5", "t1", "t7", "t3"]


def doc(key, published_at=datetime(2024, 5, 6, tzinfo=UTC)):
    return SearchDocument(
        key=key,
        kind="policy",
        title="政府信息公开指南",
        text="依申请公开的办理流程。",
        published_at=published_at,
    )


def search(backend, **options):
    result = backend.search(SearchQuery(tuple(analyzer.query_tokens("公开指南")), **options))
    return [hit.key for hit in result.hits]


@pytest.mark.parametrize("sort", [Sort.RELEVANCE, Sort.DATE])
def test_ties_are_ordered_by_key_on_every_page(backend, sort):
    for key in WRITTEN:
        backend.index([doc(key)])
    assert search(backend, sort=sort) == sorted(WRITTEN)
    pages = [search(backend, sort=sort, offset=offset, limit=2) for offset in (0, 2, 4)]
    assert [key for page in pages for key in page] == sorted(WRITTEN)


def test_documents_without_a_date_come_last_by_date(backend):
    backend.index(
        [
            doc("a", published_at=None),
            doc("b", published_at=datetime(2020, 1, 1, tzinfo=UTC)),
            doc("c", published_at=datetime(2024, 1, 1, tzinfo=UTC)),
        ]
    )
    assert search(backend, sort=Sort.DATE) == ["c", "b", "a"]


def test_a_query_that_is_a_whole_title_ranks_that_document_first(backend):
    """行政复议法 finds 中华人民共和国行政复议法 above the many short documents named after it."""
    articles = [
        SearchDocument(key=f"a{n}", kind="law", title=f"行政复议法 第{n}条", text="申请行政复议。")
        for n in range(1, 6)
    ]
    law = SearchDocument(
        key="z-law",  # sorts after the articles: a tie would not put it first
        kind="law",
        title="中华人民共和国行政复议法",
        text="为了防止和纠正违法的或者不当的行政行为，制定本法。申请行政复议。" * 40,
    )
    backend.index([*articles, law])
    result = backend.search(SearchQuery.of("行政复议法"))
    assert (result.total, result.hits[0].key) == (6, "z-law")
    assert backend.search(SearchQuery.of("中華人民共和國行政復議法")).hits[0].key == "z-law"
    assert backend.search(SearchQuery.of("行政复议法 第3条")).hits[0].key == "a3"
