"""The search benchmark builds a document's tokens by joining its lines' tokens
(benchmarks/search.py); that must equal what the pipeline makes of the whole text."""

import os
from pathlib import Path

import pytest

from zwgk.search import analyzer

DATA = Path(os.environ.get("ZWGK_SHARED_DATA", Path(__file__).parents[3] / "shared" / "data"))


def test_a_text_is_analysed_line_by_line():
    lines = ["山東省人民政府辦公廳關於印發", "鲁政办发〔2017〕39号的通知。", "12345便民服务热线"]
    joined = [token for line in lines for token in analyzer.index_tokens(line)]
    assert analyzer.index_tokens("\n".join(lines)) == joined


def test_the_benchmark_documents_equal_the_pipeline():
    law = DATA / "lawrefbook" / "行政法规" / "政府信息公开条例(2019-04-03).md"
    if not law.exists():
        pytest.skip(f"shared data not found at {DATA} (set ZWGK_SHARED_DATA)")
    lines = [line for line in law.read_text("utf-8").splitlines() if line.strip()][:80]
    joined = " ".join(" ".join(analyzer.index_tokens(line)) for line in lines)
    assert " ".join(analyzer.index_tokens("\n".join(lines))) == joined
