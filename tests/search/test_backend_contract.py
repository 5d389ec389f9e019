"""What every search backend must do (zwgk/search/backends/base.py), run on each backend."""

from datetime import UTC, datetime

import pytest

from zwgk.search import analyzer
from zwgk.search.backends.base import SearchDocument, SearchQuery, Sort


def doc(key, title, text="", *, year=2024, **fields):
    fields.setdefault("kind", "policy")
    return SearchDocument(
        key=key,
        title=title,
        text=text,
        published_at=datetime(year, 3, int(key[-1]) + 1, tzinfo=UTC),
        **fields,
    )


def q(text, **options):
    return SearchQuery(tuple(analyzer.query_tokens(text)), **options)


def keys(result):
    return [hit.key for hit in result.hits]


@pytest.fixture
def library(backend):
    backend.index(
        [
            doc(
                "r1",
                "政府信息公开条例",
                "行政机关收到政府信息公开申请，应当在20个工作日内答复。",
                agency=1,
                topics=(12, 10),
                doc_type="order",
                year=2019,
            ),
            doc(
                "r2",
                "关于做好政务公开工作的通知",
                "推进一网通办，公开政府信息。",
                agency=2,
                topics=(10,),
                doc_type="notice",
                year=2023,
            ),
            doc(
                "r3",
                "山東省人民政府辦公廳關於印發通知",
                "鲁政办发〔2017〕39号 12345便民服务热线",
                agency=2,
                topics=(11,),
                doc_type="notice",
                year=2017,
                validity="abolished",
                doc_number="鲁政办发〔2017〕39号",
            ),
            doc(
                "r4",
                "政策解读：政府信息公开条例",
                "解读答复期限。",
                kind="interpretation",
                agency=1,
                topics=(12, 10),
                year=2019,
            ),
        ]
    )
    return backend


def test_a_document_matches_only_when_it_holds_every_token(library):
    assert set(keys(library.search(q("政府信息公开 工作日")))) == {"r1"}
    assert keys(library.search(q("政府信息公开 不存在的词汇组合"))) == []
    assert library.search(SearchQuery(())).total == 0


def test_traditional_and_simplified_find_each_other(library):
    assert keys(library.search(q("山东省人民政府办公厅"))) == ["r3"]
    assert keys(library.search(q("政務公開"))) == ["r2"]


@pytest.mark.parametrize(
    "written", ["鲁政办发〔2017〕39号", "鲁政办发[2017]39号", "鲁政办发(2017)39号"]
)
def test_a_docnum_finds_its_document_however_written(library, written):
    assert keys(library.search(q(written))) == ["r3"]


def test_words_inside_longer_words_are_found(library):
    assert keys(library.search(q("便民服务"))) == ["r3"]
    assert keys(library.search(q("人民政府"))) == ["r3"]


def test_title_matches_rank_above_text_matches(backend):
    backend.index(
        [
            doc("t1", "关于做好有关工作的通知", "财政预算公开，按时公开。"),
            doc("t2", "关于财政预算公开的通知", "按时公开。"),
        ]
    )
    assert keys(backend.search(q("预算公开"))) == ["t2", "t1"]


def test_a_valid_document_ranks_above_an_abolished_twin(backend):
    backend.index(
        [
            doc("v1", "行政复议法", "行政复议 申请 期限", validity="abolished", year=2017),
            doc("v2", "行政复议法", "行政复议 申请 期限", year=2023),
        ]
    )
    assert keys(backend.search(q("行政复议法"))) == ["v2", "v1"]


def test_filters_narrow_and_topic_matches_either_level(library):
    assert set(keys(library.search(q("政府", filters={"agency": 2})))) == {"r2", "r3"}
    assert set(keys(library.search(q("政府", filters={"topic": 10})))) == {"r1", "r2", "r4"}
    assert keys(library.search(q("政府", filters={"topic": 12, "kind": "interpretation"}))) == [
        "r4"
    ]
    assert keys(library.search(q("政府", filters={"year": 2017}))) == ["r3"]
    assert keys(library.search(q("政府", filters={"validity": "abolished"}))) == ["r3"]
    assert set(keys(library.search(q("政府", filters={"doc_type": "notice"})))) == {"r2", "r3"}


def test_date_sort_is_newest_first(library):
    assert keys(library.search(q("政府", sort=Sort.DATE))) == ["r2", "r4", "r1", "r3"]


def test_facets_count_every_match(library):
    result = library.search(q("政府", facets=True, limit=1))
    assert result.total == 4
    assert len(result.hits) == 1
    assert result.facets["kind"] == {"policy": 3, "interpretation": 1}
    assert result.facets["agency"] == {1: 2, 2: 2}
    assert result.facets["topic"] == {10: 3, 11: 1, 12: 2}
    assert result.facets["doc_type"] == {"order": 1, "notice": 2}
    assert result.facets["year"] == {2019: 2, 2023: 1, 2017: 1}
    assert result.facets["validity"] == {"valid": 3, "abolished": 1}


def test_pages_follow_the_order(library):
    ordered = keys(library.search(q("政府", sort=Sort.DATE)))
    assert keys(library.search(q("政府", sort=Sort.DATE, offset=1, limit=2))) == ordered[1:3]
    assert library.count(q("政府")) == 4


def test_index_replaces_and_delete_removes(library):
    library.index([doc("r2", "关于撤销的通知", "内容已更正")])
    assert keys(library.search(q("一网通办"))) == []
    assert keys(library.search(q("撤销"))) == ["r2"]
    library.delete(["r2", "no-such-key"])
    assert keys(library.search(q("撤销"))) == []
    assert library.health().documents == 3


def test_clear_empties_and_records_the_analyzer_version(library):
    library.clear()
    health = library.health()
    assert health.ok
    assert health.documents == 0
    assert health.current
