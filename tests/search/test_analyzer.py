"""The one text pipeline (docs/search.md, 条例第二十四条: information must be searchable)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.search import analyzer


def test_traditional_and_full_width_text_is_folded_before_segmenting():
    assert analyzer.normalize("山東省人民政府辦公廳ＡＢＣ１２３") == "山东省人民政府办公厅abc123"
    assert analyzer.query_tokens("山東省人民政府辦公廳") == ["山东省人民政府", "办公厅"]


def test_government_terms_stay_whole_in_queries():
    assert analyzer.query_tokens("推进一网通办和双随机一公开") == [
        "推进",
        "一网通办",
        "和",
        "双随机一公开",
    ]
    assert "依申请公开" in analyzer.query_tokens("依申请公开的答复期限")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("12345便民服务热线", "便民服务"),
        ("山西省人民政府", "人民政府"),
        ("12345便民服务热线", "12345"),
        ("山西省人民政府", "省"),
    ],
)
def test_words_inside_longer_words_are_indexed(text, word):
    assert word in analyzer.index_tokens(text)


@pytest.mark.parametrize(
    "written",
    ["鲁政办发〔2017〕39号", "鲁政办发[2017]39号", "鲁政办发(2017)39号", "鲁政办发（2017）第039号"],
)
def test_a_docnum_is_one_token_however_it_is_written(written):
    assert analyzer.query_tokens(written) == ["鲁政办发201739号"]
    assert "鲁政办发201739号" in analyzer.index_tokens(f"印发了{written}文件")


def test_a_cited_docnum_is_found_behind_words_without_a_boundary():
    tokens = analyzer.index_tokens("关于转发省政府办公厅印发鲁政办发〔2017〕39号的通知")
    assert "鲁政办发201739号" in tokens


def test_orders_and_announcements_in_running_text():
    tokens = analyzer.index_tokens("根据国务院令第711号和国家税务总局公告2015年第41号")
    assert "国务院令第711号" in tokens
    assert "国家税务总局公告2015年第41号" in tokens


def test_the_analyzer_version_names_the_dictionary():
    version = analyzer.ANALYZER_VERSION
    assert version.startswith(f"{analyzer.PIPELINE_VERSION}-")
    assert len(version.split("-")[1]) == 12


CJK = st.characters(categories=["Lo"], min_codepoint=0x3400, max_codepoint=0x2FFFF)


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(CJK, max_size=8),
    middle=st.text(CJK, min_size=1, max_size=8),
    after=st.text(CJK, max_size=8),
)
def test_every_query_token_of_a_substring_is_an_index_token(before, middle, after):
    """Recall 1.0: a query whose text occurs in a document finds it (issue #5 target)."""
    indexed = set(analyzer.index_tokens(before + middle + after))
    assert set(analyzer.query_tokens(middle)) <= indexed
