"""Keeping the index in step with the database: the outbox and its drain, and rebuilds.

An action that changes what the public sees calls :func:`enqueue` inside its
own transaction.  After the commit the same process drains the outbox; if
that fails (the index is down, the process dies), the entries stay and the
next drain — after the next change, from ``zwgk search worker`` or ``zwgk
search sync`` — catches up.  So nothing published is missing from search
and nothing withdrawn stays in it, even across a crash.

A drain reads each document's state *now*: published and public means
index it, anything else means delete it.  Drains are serialised (a
PostgreSQL advisory lock; SQLite writes one transaction at a time anyway),
so an older state can never overwrite a newer one.
"""

import logging
import os
from collections.abc import Callable, Iterable
from functools import partial

from django.db import connection, transaction

from zwgk.search.backends import get_backend
from zwgk.search.backends.base import SearchBackend
from zwgk.search.documents import all_documents, documents_for_keys
from zwgk.search.models import OutboxEntry

logger = logging.getLogger(__name__)

BATCH = 500
DRAIN_LOCK = 0x7A77676B  # "zwgk": the advisory lock id that serialises drains


REBUILD_MARK = "rebuild:running"  # an outbox row present while a rebuild runs
REFUSALS_BEFORE_GIVING_UP = 2  # documents refused one by one before the index counts as down


def enqueue(keys: Iterable[str]) -> None:
    """Record that these documents changed; call inside the changing transaction."""
    keys = list(keys)
    OutboxEntry.objects.bulk_create([OutboxEntry(key=key) for key in keys])
    transaction.on_commit(partial(_drain_after_commit, keys))


def _drain_after_commit(keys: list[str]) -> None:
    try:
        drain(keys=keys)
    except Exception:
        logger.exception("检索索引同步失败；待同步记录保留，下次同步时补上。")


def drain(
    backend: SearchBackend | None = None,
    *,
    keys: Iterable[str] | None = None,
    batch: int = BATCH,
) -> int:
    """Apply the outbox entries to the index; the number of entries applied.

    ``keys``: only the entries of these documents — what the transaction just
    committed changed.  A web request drains that much and no more; a backlog
    (after an outage, an upgrade or a large import) is the worker's.

    A batch the index refuses is applied document by document, so that one
    document it cannot take does not hold up the others: that document's
    entries stay (and are logged) for the next drain.  While a rebuild runs
    (:func:`rebuild`), entries are applied but kept: the rebuild may write an
    older state of the same documents, so they are applied again after it.
    """
    backend = backend or get_backend()
    keys = None if keys is None else list(keys)
    applied, after = 0, 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DRAIN_LOCK])
            entries = OutboxEntry.objects.filter(id__gt=after).exclude(key=REBUILD_MARK)
            if keys is not None:
                entries = entries.filter(key__in=keys)
            entries = list(entries.order_by("id").values_list("id", "key")[:batch])
            if not entries:
                return applied
            after = entries[-1][0]
            done = _apply(backend, {key for _, key in entries})
            if not OutboxEntry.objects.filter(key=REBUILD_MARK).exists():
                OutboxEntry.objects.filter(
                    id__in=[pk for pk, key in entries if key in done]
                ).delete()
            applied += sum(key in done for _, key in entries)


def _apply(backend: SearchBackend, keys: set[str]) -> set[str]:
    """Index (or take out) the documents of ``keys`` as they are now; the keys applied.

    Raises when the index takes none of them: it is down, or busy (a tantivy
    rebuild holds its writer), and the next drain will do.
    """
    try:
        _apply_keys(backend, keys)
        return keys
    except Exception:
        if len(keys) == 1:
            raise
    done: set[str] = set()
    refused = 0
    for key in sorted(keys):
        try:
            _apply_keys(backend, {key})
        except Exception:
            if not done and refused == REFUSALS_BEFORE_GIVING_UP:
                raise
            refused += 1
            logger.exception("检索索引拒绝了 %s；该记录留在待同步中。", key)
        else:
            done.add(key)
    return done


def _apply_keys(backend: SearchBackend, keys: set[str]) -> None:
    documents = documents_for_keys(keys)
    backend.index(documents)
    backend.delete(keys - {document.key for document in documents})


def pending() -> int:
    return OutboxEntry.objects.exclude(key=REBUILD_MARK).count()


def rebuilding() -> bool:
    """Whether a rebuild is running (or one was interrupted: run it again)."""
    return OutboxEntry.objects.filter(key=REBUILD_MARK).exists()


def rebuild(
    backend: SearchBackend | None = None, *, progress: Callable[[int], None] | None = None
) -> int:
    """Index every public document afresh (after a change of analyzer, or into a new backend).

    The entries committed before the rebuild starts are done with once it
    has read every document.  Those written while it runs are applied by the
    drains meanwhile but kept (:data:`REBUILD_MARK`), and applied again at
    the end: a change made during the rebuild is neither lost nor overwritten
    by the older state the rebuild may have read.
    """
    backend = backend or get_backend()
    with transaction.atomic():
        OutboxEntry.objects.filter(key=REBUILD_MARK).delete()
        mark = OutboxEntry.objects.create(key=REBUILD_MARK)
    before = list(OutboxEntry.objects.filter(id__lt=mark.id).values_list("id", flat=True))
    count = backend.rebuild(all_documents(progress), processes=os.cpu_count() or 1)
    for start in range(0, len(before), BATCH):
        OutboxEntry.objects.filter(id__in=before[start : start + BATCH]).delete()
    OutboxEntry.objects.filter(key=REBUILD_MARK).delete()
    drain(backend)
    return count
