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

from django.db import connection, transaction

from zwgk.search.backends import get_backend
from zwgk.search.backends.base import SearchBackend
from zwgk.search.documents import all_documents, documents_for_keys
from zwgk.search.models import OutboxEntry

logger = logging.getLogger(__name__)

BATCH = 500
DRAIN_LOCK = 0x7A77676B  # "zwgk": the advisory lock id that serialises drains


def enqueue(keys: Iterable[str]) -> None:
    """Record that these documents changed; call inside the changing transaction."""
    OutboxEntry.objects.bulk_create([OutboxEntry(key=key) for key in keys])
    transaction.on_commit(_drain_after_commit)


def _drain_after_commit() -> None:
    try:
        drain()
    except Exception:
        logger.exception("检索索引同步失败；待同步记录保留，下次同步时补上。")


def drain(backend: SearchBackend | None = None, *, batch: int = BATCH) -> int:
    """Apply every outbox entry to the index; the number of entries applied."""
    backend = backend or get_backend()
    applied = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DRAIN_LOCK])
            entries = list(OutboxEntry.objects.order_by("id").values_list("id", "key")[:batch])
            if not entries:
                return applied
            keys = {key for _, key in entries}
            documents = documents_for_keys(keys)
            backend.index(documents)
            backend.delete(keys - {document.key for document in documents})
            OutboxEntry.objects.filter(id__in=[pk for pk, _ in entries]).delete()
            applied += len(entries)


def pending() -> int:
    return OutboxEntry.objects.count()


def rebuild(
    backend: SearchBackend | None = None, *, progress: Callable[[int], None] | None = None
) -> int:
    """Index every public document afresh (after a change of analyzer, or into a new backend).

    Entries written while the rebuild runs stay in the outbox and are
    drained afterwards, so a change during the rebuild is not lost.
    """
    backend = backend or get_backend()
    first_pending = OutboxEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    count = backend.rebuild(all_documents(progress), processes=os.cpu_count() or 1)
    # What changed before the rebuild started is in the rebuilt index already.
    OutboxEntry.objects.filter(id__lte=first_pending).delete()
    drain(backend)
    return count
