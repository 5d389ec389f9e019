"""What is searchable, as :class:`SearchDocument` rows: the public records.

Only what the portal shows is indexed: published 主动公开 records
(:func:`zwgk.records.public.public_records`), policies, interpretations and
other records alike, with their attachments' extracted text.  A key names a
document across the database and every index: ``record:<pk>``.
"""

from collections.abc import Iterable, Iterator
from html import unescape

from django.db.models import Prefetch
from django.utils.html import strip_tags

from zwgk.records.models import Attachment, Record
from zwgk.records.public import public_records
from zwgk.search.backends.base import SearchDocument

RECORD = "record"
CHUNK = 500


def record_key(pk: int) -> str:
    return f"{RECORD}:{pk}"


def record_pk(key: str) -> int | None:
    kind, _, pk = key.partition(":")
    return int(pk) if kind == RECORD and pk.isdigit() else None


def record_text(record: Record, attachments: Iterable[Attachment] = ()) -> str:
    """The searchable text of a record: its body as plain text, then its attachments' text."""
    parts = [unescape(strip_tags(record.body))]
    parts.extend(a.extracted_text for a in attachments if a.extracted_text)
    return "\n".join(part for part in parts if part)


def records_with_text():
    """Public records with the attachments' text :func:`record_text` reads, one query more."""
    return public_records().prefetch_related(
        Prefetch(
            "attachments",
            queryset=Attachment.objects.order_by("sort_order", "pk").only(
                "pk", "record_id", "extracted_text", "sort_order"
            ),
        )
    )


def _records():
    return records_with_text().select_related("topic")


def document_for(record: Record) -> SearchDocument:
    topic = record.topic
    topics = tuple(pk for pk in (topic.pk, topic.parent_id) if pk) if topic else ()
    return SearchDocument(
        key=record_key(record.pk),
        kind=record.kind,
        title=record.title,
        text=record_text(record, record.attachments.all()),
        published_at=record.published_at,
        agency=record.agency_id,
        topics=topics,
        doc_type=record.doc_type,
        validity=record.validity,
        doc_number=record.doc_number,
    )


def documents_for_keys(keys: Iterable[str]) -> list[SearchDocument]:
    """The documents for these keys that are public now; the others must leave the index."""
    pks = [pk for pk in map(record_pk, keys) if pk is not None]
    return [document_for(record) for record in _records().filter(pk__in=pks)]


def all_documents(progress=None) -> Iterator[SearchDocument]:
    """Every public document, read in chunks of :data:`CHUNK` (for a rebuild)."""
    last = 0
    done = 0
    while True:
        chunk = list(_records().filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        for record in chunk:
            yield document_for(record)
        last = chunk[-1].pk
        done += len(chunk)
        if progress:
            progress(done)


def count_documents() -> int:
    return public_records().count()
