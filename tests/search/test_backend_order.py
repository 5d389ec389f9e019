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
