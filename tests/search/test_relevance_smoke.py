"""Headline judgments of benchmarks/search_judgments.toml on a slice of the real corpus.

Six laws with their articles and the State Council's policy titles
(benchmarks/search_corpus.py) in the SQLite backend; the full run is
``benchmarks/search_relevance.py``.  Skipped when the shared data folder is
absent.
"""

import pytest

from benchmarks.search_corpus import (
    default_data_dir,
    law_documents,
    missing_data,
    policy_documents,
)
from zwgk.search.backends.base import SearchQuery
from zwgk.search.backends.sqlite import SQLiteBackend

DATA = default_data_dir()
pytestmark = pytest.mark.skipif(
    missing_data(DATA) is not None,
    reason=f"shared data not found at {DATA}; set ZWGK_SHARED_DATA to run these tests",
)

GOVERNMENT_INFORMATION = "law:行政法规/政府信息公开条例(2019-04-03).md"
REVIEW_2023 = "law:诉讼与非诉讼程序法/行政复议法(2023-09-01).md"
REVIEW_2017 = "law:诉讼与非诉讼程序法/行政复议法(2017-09-01).md"
LAWS = {
    "行政法规/政府信息公开条例(2019-04-03).md",
    "诉讼与非诉讼程序法/行政复议法(2023-09-01).md",
    "诉讼与非诉讼程序法/行政复议法(2017-09-01).md",
    "行政法规/行政复议法实施条例(2007-05-29).md",
    "诉讼与非诉讼程序法/行政诉讼法(2017-06-27).md",
    "司法解释/最高人民法院关于审理政府信息公开行政案件若干问题的规定(2011-07-29).md",
}
JIANGXI_PLAN = "policy:1"  # 国务院关于《江西省国土空间规划（2021—2035年）》的批复, 国函〔2023〕98号


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    backend = SQLiteBackend(tmp_path_factory.mktemp("relevance") / "search.sqlite3")
    backend.clear()
    backend.index(
        [
            *law_documents(DATA, only=LAWS.__contains__),
            *policy_documents(DATA, only=lambda row: row["source"] == "State_Council"),
        ]
    )
    yield backend
    backend.close()


def top(index, text: str, **filters) -> list[str]:
    result = index.search(SearchQuery.of(text, filters=filters, limit=10))
    return [hit.key for hit in result.hits]


@pytest.mark.parametrize("query", ["政府信息公开 答复期限", "政府信息公開 答覆期限"])
def test_the_answer_deadline_is_article_33_in_either_script(index, query):
    """第三十三条 in the top 3, the regulation itself on the first page."""
    keys = top(index, query)
    assert f"{GOVERNMENT_INFORMATION}#第三十三条" in keys[:3]
    assert GOVERNMENT_INFORMATION in keys


@pytest.mark.parametrize("query", ["国函〔2023〕98号", "国函[2023]98号", "国函(2023)98号"])
def test_a_docnum_is_found_in_every_bracket_form(index, query):
    assert top(index, query)[:1] == [JIANGXI_PLAN]


def test_the_review_law_in_force_ranks_above_the_expired_one_among_laws(index):
    keys = top(index, "行政复议法", kind="law")
    assert keys.index(REVIEW_2023) < keys.index(REVIEW_2017)


def test_the_review_law_in_force_comes_first(index):
    """A query that is the law's name finds the law (its whole title), above its articles."""
    keys = top(index, "行政复议法")
    assert keys[:2] == [REVIEW_2023, REVIEW_2017]  # the version in force, then the expired one
