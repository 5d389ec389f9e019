"""Scores on every backend: the title weight and the validity factor (backends/base.py)."""

from datetime import UTC, datetime

import pytest

from zwgk.search import analyzer
from zwgk.search.backends.base import INVALID_FACTOR, SearchDocument, SearchQuery


def doc(key, title, text, validity="valid"):
    return SearchDocument(
        key=key,
        kind="policy",
        title=title,
        text=text,
        published_at=datetime(2024, 1, 1, tzinfo=UTC),
        validity=validity,
    )


def search(backend, text):
    return backend.search(SearchQuery(tuple(analyzer.query_tokens(text)))).hits


def test_a_title_match_outranks_a_word_repeated_in_the_text(backend):
    # Unweighted, three occurrences in a short text beat one in the title.
    backend.index(
        [
            doc("a", "关于财政预算工作的通知", "按时公开。"),
            doc("b", "关于做好有关工作的通知", "预算，预算，预算。"),
        ]
    )
    assert [hit.key for hit in search(backend, "预算")] == ["a", "b"]


def test_a_document_not_in_force_scores_the_invalid_factor_of_its_twin(backend):
    backend.index(
        [
            doc(key, "行政复议法", "行政复议 申请 期限", validity)
            for key, validity in [("v1", "valid"), ("v2", "expired"), ("v3", "")]
        ]
    )
    scores = {hit.key: hit.score for hit in search(backend, "行政复议")}
    assert scores["v1"] > 0
    assert scores["v2"] == pytest.approx(scores["v1"] * INVALID_FACTOR, rel=1e-5)
    assert scores["v3"] == pytest.approx(scores["v1"] * INVALID_FACTOR, rel=1e-5)
