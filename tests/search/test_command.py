"""``zwgk search status|sync|rebuild`` (docs/search.md, Operations)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zwgk.search import sync
from zwgk.search.backends.tantivy import META_FILE
from zwgk.search.models import OutboxEntry


def run(*args) -> str:
    out = StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_status_sync_and_rebuild(index, published):
    status = run("status")
    assert "索引文档数：0（应公开 1）" in status
    assert "待同步记录：1" in status
    assert "已同步 1 条待同步记录。" in run("sync")
    assert sync.pending() == 0
    rebuilt = run("rebuild")
    assert "已读取 1/1 条" in rebuilt
    assert "索引：1 条" in rebuilt
    assert "索引文档数：1（应公开 1）" in run("status")


def test_status_warns_when_the_analyzer_changed(index, published):
    index.rebuild([])
    _set_version(index, "0-old")
    assert "请执行 zwgk search rebuild" in run("status")


def test_status_tells_of_an_interrupted_rebuild(index, published):
    assert "索引正在重建" not in run("status")
    OutboxEntry.objects.create(key=sync.REBUILD_MARK)  # a rebuild that died half-way
    status = run("status")
    assert "索引正在重建" in status
    assert "待同步记录：1" in status  # the mark is not an entry
    run("rebuild")
    assert "索引正在重建" not in run("status")


def test_rebuild_of_an_unknown_backend_is_refused(index):
    with pytest.raises(CommandError, match="未知的检索后端"):
        run("rebuild", "--backend", "elasticsearch")


def _set_version(backend, version: str) -> None:
    if backend.name == "tantivy":
        (backend.path / META_FILE).write_text(json.dumps({"analyzer_version": version}))
    elif backend.name == "sqlite":
        backend.connection.execute("UPDATE meta SET value = ? WHERE name = 'analyzer'", [version])
    else:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_index_meta SET value = %s WHERE name = 'analyzer'", [version]
            )
