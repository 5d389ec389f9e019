"""The outbox keeps the index in step with what is public (issue #5: nothing published is
missing from search, nothing withdrawn stays in it, even across a crash)."""

from datetime import date

import pytest

from tests.records.conftest import publish, record_fields
from zwgk.records import actions
from zwgk.records.models import TopicCategory
from zwgk.search import analyzer, sync
from zwgk.search.backends.base import SearchQuery
from zwgk.search.backends.sqlite import SQLiteBackend
from zwgk.search.documents import record_key
from zwgk.search.models import OutboxEntry


def found(backend, text):
    result = backend.search(SearchQuery(tuple(analyzer.query_tokens(text))))
    return [hit.key for hit in result.hits]


def test_publishing_writes_an_outbox_entry_and_the_drain_indexes_it(index, published):
    assert list(OutboxEntry.objects.values_list("key", flat=True)) == [record_key(published.pk)]
    assert sync.drain() == 1
    assert found(index, "义务教育 招生") == [record_key(published.pk)]
    assert sync.pending() == 0


def test_drafts_and_reviews_write_nothing(index, draft, rworld):
    actions.do_submit_for_review(draft, acting_user=rworld.users.editor)
    assert sync.pending() == 0


def test_the_commit_drains_the_outbox(index, draft, rworld, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = publish(draft, rworld)
    assert found(index, "招生工作") == [record_key(record.pk)]
    assert sync.pending() == 0


def test_withdrawal_takes_the_record_out_of_search(index, published, rworld):
    sync.drain()
    actions.do_withdraw_record(published, reason="内容有误", acting_user=rworld.users.reviewer)
    sync.drain()
    assert found(index, "招生工作") == []


def test_correction_and_abolition_reach_the_index(index, published, rworld):
    actions.do_correct_record(
        published,
        {"title": "示范市教育局关于做好2026年高中阶段学校招生工作的通知"},
        note="标题有误",
        acting_user=rworld.users.reviewer,
    )
    actions.do_mark_abolished(
        published, validity="abolished", on=date(2026, 6, 1), acting_user=rworld.users.reviewer
    )
    sync.drain()
    result = index.search(SearchQuery(tuple(analyzer.query_tokens("高中阶段")), facets=True))
    assert [hit.key for hit in result.hits] == [record_key(published.pk)]
    assert result.facets["validity"] == {"abolished": 1}


def test_a_failed_drain_keeps_every_entry_for_the_next(index, published, tmp_path):
    (tmp_path / "not-a-folder").write_text("")
    broken = SQLiteBackend(tmp_path / "not-a-folder" / "search.sqlite3")
    with pytest.raises(Exception):  # noqa: B017 (whatever the index raises, nothing is lost)
        sync.drain(broken)
    assert sync.pending() == 1
    assert sync.drain() == 1
    assert found(index, "招生工作") == [record_key(published.pk)]


def test_an_entry_for_a_record_no_longer_public_deletes_it(index, rworld, topic):
    record = publish(
        actions.do_create_record(
            rworld.city_edu, record_fields(topic), acting_user=rworld.users.editor
        ),
        rworld,
    )
    sync.drain()
    actions.do_withdraw_record(record, reason="撤回", acting_user=rworld.users.reviewer)
    actions.do_republish(record, acting_user=rworld.users.reviewer)
    actions.do_withdraw_record(record, reason="再次撤回", acting_user=rworld.users.reviewer)
    assert sync.pending() == 3
    sync.drain()
    assert found(index, "招生工作") == []


def test_rebuild_indexes_every_public_record_and_nothing_else(index, published, rworld, topic):
    actions.do_create_record(
        rworld.city_edu, record_fields(topic, title="草稿招生通知"), acting_user=rworld.users.editor
    )
    assert sync.rebuild(index) == 1
    assert sync.pending() == 0
    health = index.health()
    assert (health.documents, health.current) == (1, True)
    assert found(index, "招生") == [record_key(published.pk)]


def test_the_commit_drains_its_own_entries_and_leaves_a_backlog_to_the_worker(
    index, draft, rworld, django_capture_on_commit_callbacks
):
    OutboxEntry.objects.create(key=record_key(999_999))  # left from before (an outage)
    with django_capture_on_commit_callbacks(execute=True):
        record = publish(draft, rworld)
    assert found(index, "招生工作") == [record_key(record.pk)]
    assert list(OutboxEntry.objects.values_list("key", flat=True)) == [record_key(999_999)]


class RefusingIndex(SQLiteBackend):
    """A real SQLite index that refuses one document, as PostgreSQL refuses a tsvector
    over 1 MB."""

    def __init__(self, path, refused: str) -> None:
        super().__init__(path)
        self.refused = refused

    def write(self, documents):
        documents = list(documents)
        if any(analyzed.document.key == self.refused for analyzed in documents):
            raise ValueError("string is too long for tsvector")
        return super().write(documents)


def test_a_document_the_index_refuses_does_not_hold_up_the_others(rworld, topic, tmp_path):
    records = [
        publish(
            actions.do_create_record(
                rworld.city_edu,
                record_fields(topic, title=f"第{n}号招生通知"),
                acting_user=rworld.users.editor,
            ),
            rworld,
        )
        for n in range(3)
    ]
    refused = record_key(records[1].pk)
    backend = RefusingIndex(tmp_path / "search.sqlite3", refused)
    assert sync.drain(backend) == 2
    assert list(OutboxEntry.objects.values_list("key", flat=True)) == [refused]
    assert sorted(found(backend, "招生通知")) == sorted(
        record_key(r.pk) for r in records if record_key(r.pk) != refused
    )
    backend.close()


class RebuildReadingFirst(SQLiteBackend):
    """A real SQLite index whose rebuild reads every document, lets ``meanwhile`` run (a
    change and its drain in another process), then writes what it read."""

    def __init__(self, path, meanwhile) -> None:
        super().__init__(path)
        self.meanwhile = meanwhile

    def rebuild(self, documents, *, processes=1):
        documents = list(documents)
        self.meanwhile()
        return super().rebuild(documents)


def test_a_withdrawal_during_a_rebuild_is_not_undone_by_it(published, rworld, tmp_path):
    def withdraw():
        actions.do_withdraw_record(published, reason="内容有误", acting_user=rworld.users.reviewer)
        sync.drain(backend)
        assert sync.rebuilding()
        assert sync.pending() == 2  # publication and withdrawal: applied, and kept meanwhile

    backend = RebuildReadingFirst(tmp_path / "search.sqlite3", withdraw)
    sync.rebuild(backend)
    assert found(backend, "招生工作") == []
    assert (sync.pending(), sync.rebuilding()) == (0, False)
    backend.close()


def test_moving_a_topic_reindexes_its_public_records(index, published, topic):
    sync.drain()
    other = TopicCategory.objects.get(name="科技、教育", parent=None)
    topic.parent = other
    actions.do_save_topic(topic, acting_user=None)
    assert sync.pending() == 1
    sync.drain()
    tokens = tuple(analyzer.query_tokens("招生工作"))
    assert index.count(SearchQuery(tokens, {"topic": other.pk})) == 1
    assert index.count(SearchQuery(tokens, {"topic": topic.pk})) == 1
    old_parent = TopicCategory.objects.get(name="综合政务", parent=None)
    assert index.count(SearchQuery(tokens, {"topic": old_parent.pk})) == 0
