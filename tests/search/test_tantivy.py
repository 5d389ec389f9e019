"""The tantivy backend beyond the contract: processes sharing an index, one writer, rebuilds."""

import json
from datetime import UTC, datetime

import pytest
import tantivy

from zwgk.search import analyzer
from zwgk.search.backends.base import SearchDocument, SearchQuery
from zwgk.search.backends.tantivy import META_FILE, IncompatibleIndex, TantivyBackend, WriterBusy


def doc(key, title):
    published_at = datetime(2024, 3, 1, tzinfo=UTC)
    return SearchDocument(key=key, kind="policy", title=title, text="", published_at=published_at)


def keys(backend, text):
    result = backend.search(SearchQuery(tuple(analyzer.query_tokens(text))))
    return [hit.key for hit in result.hits]


@pytest.fixture
def path(tmp_path):
    return tmp_path / "tantivy"


@pytest.fixture
def tv(path):
    backend = TantivyBackend(path)
    backend.clear()
    yield backend
    backend.close()


def test_another_process_sees_each_commit(tv, path):
    other = TantivyBackend(path)  # another process: its own open index
    assert keys(other, "通知") == []
    tv.index([doc("a", "关于放假的通知")])
    assert keys(other, "通知") == ["a"]
    tv.delete(["a"])
    assert keys(other, "通知") == []
    tv.index([doc("b", "关于开学的通知")])
    tv.clear()
    assert other.health().documents == 0
    other.close()


def test_a_second_writer_is_told_to_retry(tv, path):
    held = tantivy.Index.open(str(path)).writer(heap_size=15_000_000, num_threads=1)
    with pytest.raises(WriterBusy, match="正由另一进程写入"):
        tv.index([doc("a", "关于放假的通知")])
    held.wait_merging_threads()  # the other writer finishes
    assert tv.index([doc("a", "关于放假的通知")]) == 1
    assert keys(tv, "通知") == ["a"]


def test_a_failed_batch_writes_nothing_and_frees_the_writer(tv):
    def documents():
        yield doc("a", "关于放假的通知")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        tv.index(documents())
    assert keys(tv, "通知") == []
    assert tv.index([doc("b", "关于开学的通知")]) == 1
    assert keys(tv, "通知") == ["b"]


def test_a_key_twice_in_one_batch_keeps_its_last_version(tv):
    tv.index([doc("a", "关于放假的通知"), doc("a", "关于开学的通知")])
    assert tv.health().documents == 1
    assert keys(tv, "开学") == ["a"]
    assert keys(tv, "放假") == []


def test_a_rebuild_shows_the_old_index_until_it_commits(tv, path):
    tv.index([doc("old", "关于放假的通知")])
    other = TantivyBackend(path)

    def documents():
        yield doc("new", "关于开学的通知")
        assert keys(other, "通知") == ["old"]  # mid-rebuild, another process

    assert tv.rebuild(documents(), processes=2) == 1  # analysed in forked workers
    assert keys(other, "通知") == ["new"]
    other.close()


def test_a_failed_rebuild_keeps_the_old_index(tv):
    tv.index([doc("old", "关于放假的通知")])

    def documents():
        yield doc("new", "关于开学的通知")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        tv.rebuild(documents())
    assert keys(tv, "通知") == ["old"]


def test_the_analyzer_version_is_known_only_after_clear(path):
    backend = TantivyBackend(path)
    health = backend.health()
    assert (health.ok, health.documents, health.analyzer_version) == (True, 0, "")
    assert not health.current
    backend.clear()
    assert backend.health().current
    assert json.loads((path / META_FILE).read_text()) == {
        "analyzer_version": analyzer.ANALYZER_VERSION
    }


def test_clear_replaces_an_index_of_another_schema(path):
    path.mkdir()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=True)
    tantivy.Index(builder.build(), str(path))
    backend = TantivyBackend(path)
    health = backend.health()
    assert not health.ok
    assert "不兼容" in health.message
    with pytest.raises(IncompatibleIndex):
        keys(backend, "通知")
    backend.clear()
    assert backend.health().current
    backend.index([doc("a", "关于放假的通知")])
    assert keys(backend, "通知") == ["a"]
