"""Importing documents as records: drafts, or published records of a migrated archive.

:func:`import_paths` reads every file, extracts it (:mod:`zwgk.importer.extract`)
and creates the records :data:`CHUNK` documents at a time with
:func:`zwgk.records.actions.do_create_records`; the result is an
:class:`ImportRun` with one :class:`Outcome` per file, from which the command
prints its report.

- A file is known by the SHA-256 of its bytes (:class:`ImportedDocument`);
  importing it again creates nothing (``duplicate``), so a run can be
  repeated or resumed after a crash: each chunk's records and
  ``ImportedDocument`` rows commit together.
- A document that cannot become a record (no 标题, no 成文日期, a field the
  record refuses) fails alone; the rest of its chunk is created.
- Drafts: role 信息员 when a user is given, the ``records.create`` audit event.
- ``publish=True`` (migrating an existing site's archive) also publishes the
  record with its **original** 发布日期 (the page's 发布日期, else the
  成文日期; :class:`~zwgk.records.actions.NewRecord`): 索引号 for the year of
  that date, a ``RecordVersion`` and the ``importer.publish`` audit event, in
  the transaction that creates it.  Documents that could not be extracted
  cleanly (garbled text, no title, no 成文日期 of their own) are created as
  drafts even then, for someone to check by hand.
- Each run writes one ``importer.batch`` audit event with its counts.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zwgk.audit.services import record_event
from zwgk.importer.extract import Extracted, extract, to_simplified
from zwgk.importer.loaders import LoadError, iter_files, load
from zwgk.importer.models import ImportedDocument
from zwgk.organizations.models import Agency
from zwgk.records.actions import NewRecord, do_create_records
from zwgk.records.choices import Status
from zwgk.records.models import Record, TopicCategory

CHUNK = 200  # documents per transaction, created together


@dataclass
class Outcome:
    path: str
    status: str  # created | published | duplicate | failed | dry-run
    title: str = ""
    record_id: int | None = None
    message: str = ""
    notes: list[str] = field(default_factory=list)
    misdecoded: list[str] = field(default_factory=list)
    extracted: Extracted | None = None


@dataclass
class ImportRun:
    batch: str
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def unclean(self) -> list[Outcome]:
        """Files whose text is garbled: listed as “could not extract cleanly”."""
        return [o for o in self.outcomes if o.misdecoded]


def body_html(text: str) -> str:
    """Plain text as paragraphs (the record's 正文 is HTML)."""
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.split("\n") if line.strip())


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_record(
    extracted: Extracted, *, topic: TopicCategory, publish: bool, issuers: list[Agency] | None
) -> NewRecord:
    """The record to create from one extracted document (see the module docstring).

    Raises :class:`ValidationError` when the document lacks what a record
    needs (标题, 成文日期).
    """
    if not extracted.title:
        raise ValidationError("未识别标题，无法建立政府信息。")
    if extracted.written_on is None:
        raise ValidationError("未识别成文日期，无法建立政府信息。")
    doc_number = extracted.doc_number if len(extracted.doc_number) <= 100 else ""
    fields = {
        "title": extracted.title[:300],
        "doc_number": doc_number,
        "written_on": extracted.written_on,
        "topic": topic,
        "doc_type": extracted.doc_type,
        "body": body_html(extracted.body),
    }
    publishable = (
        publish and extracted.clean and "未找到成文日期，使用发布日期" not in extracted.notes
    )
    published_on = extracted.published_on or extracted.written_on
    return NewRecord(fields, issuers=issuers, published_on=published_on if publishable else None)


@dataclass
class _Pending:
    outcome: Outcome
    digest: str
    entry: NewRecord


def _create(pending: list[_Pending], *, agency: Agency, batch: str, acting_user) -> None:
    """Create one chunk's records and ``ImportedDocument`` rows in one transaction.

    When another run imported some of the same bytes meanwhile (the unique
    SHA-256 refuses the rows), those are duplicates and the others are tried
    again.
    """
    while pending:
        try:
            with transaction.atomic():
                results = do_create_records(
                    agency, [p.entry for p in pending], acting_user=acting_user
                )
                ImportedDocument.objects.bulk_create(
                    _imported_row(p, record, batch)
                    for p, record in zip(pending, results, strict=True)
                    if isinstance(record, Record)
                )
        except IntegrityError:
            taken = _known([p.digest for p in pending])
            if not taken:
                raise
            for p in pending:
                if p.digest in taken:
                    p.outcome.status = "duplicate"
            pending = [p for p in pending if p.digest not in taken]
            continue
        for p, result in zip(pending, results, strict=True):
            if isinstance(result, ValidationError):
                p.outcome.status, p.outcome.message = "failed", "；".join(result.messages)
            else:
                p.outcome.status = "published" if result.status == Status.PUBLISHED else "created"
                p.outcome.record_id = result.pk
        return


def _imported_row(pending: _Pending, record: Record, batch: str) -> ImportedDocument:
    extracted = pending.outcome.extracted
    return ImportedDocument(
        sha256=pending.digest,
        source_path=pending.outcome.path[:1000],
        record=record,
        batch=batch,
        issuer_text=extracted.issuer[:300],
        published_on=extracted.published_on,
        traditional=extracted.traditional,
        search_text=extracted.search_text,
        notes=[*extracted.notes, *extracted.misdecoded],
    )


def _known(digests: list[str]) -> set[str]:
    """The SHA-256 among ``digests`` imported before."""
    return set(ImportedDocument.objects.filter(sha256__in=digests).values_list("sha256", flat=True))


def prepare(path: Path) -> tuple[str, Extracted]:
    """SHA-256 and extraction of one file (no database access)."""
    data = path.read_bytes()
    text, hints = load(path, data)
    return sha256_of(data), extract(text, hints=hints)


def _prepare_safely(path: Path) -> tuple[Path, str, Extracted] | tuple[Path, str]:
    try:
        return (path, *prepare(path))
    except (LoadError, OSError) as exc:
        return (path, str(exc))


def _prepared(files: list[Path], jobs: int):
    """``prepare`` over ``files`` in order, in ``jobs`` worker processes when worth it:
    extraction is pure, so it runs beside the database writes of the main process."""
    if jobs <= 1 or len(files) < 2 * CHUNK:
        yield from map(_prepare_safely, files)
        return
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(_prepare_safely, files, chunksize=16)


def import_paths(
    paths,
    *,
    agency: Agency,
    topic: TopicCategory,
    publish: bool = False,
    dry_run: bool = False,
    acting_user=None,
    batch: str | None = None,
    progress: Callable[[int, int, ImportRun], None] | None = None,
    jobs: int | None = None,
) -> ImportRun:
    """Import every file under ``paths``; see the module docstring."""
    files = iter_files(paths)
    run = ImportRun(batch=batch or timezone.localtime().strftime("%Y%m%d-%H%M%S"))
    started = time.perf_counter()
    seen: set[str] = set()
    agencies: dict[str, list[Agency] | None] = {}
    jobs = jobs if jobs is not None else min(4, os.cpu_count() or 1)
    results = _prepared(files, jobs)
    for offset in range(0, len(files), CHUNK):
        prepared = []
        for item in itertools.islice(results, CHUNK):
            if len(item) == 2:
                run.outcomes.append(Outcome(str(item[0]), "failed", message=item[1]))
            else:
                prepared.append(item)
        known = _known([p[1] for p in prepared])
        pending = []
        for path, digest, extracted in prepared:
            outcome = Outcome(
                str(path),
                "dry-run",
                title=extracted.title,
                notes=list(extracted.notes),
                misdecoded=list(extracted.misdecoded),
                extracted=extracted,
            )
            run.outcomes.append(outcome)
            if digest in known or digest in seen:
                outcome.status = "duplicate"
                continue
            seen.add(digest)
            if dry_run:
                continue
            try:
                issuers = _issuers(extracted.issuer, agencies)
                entry = new_record(extracted, topic=topic, publish=publish, issuers=issuers)
            except ValidationError as exc:
                outcome.status, outcome.message = "failed", "；".join(exc.messages)
            else:
                pending.append(_Pending(outcome, digest, entry))
        _create(pending, agency=agency, batch=run.batch, acting_user=acting_user)
        if progress is not None:
            progress(min(offset + CHUNK, len(files)), len(files), run)
    run.seconds = time.perf_counter() - started
    if not dry_run and (run.count("created") or run.count("published")):
        with transaction.atomic():
            record_event(
                "importer.batch",
                actor=acting_user,
                agency=agency,
                summary=(
                    f"导入文件批次 {run.batch}：{len(files)} 个文件，"
                    f"新建草稿 {run.count('created')}，"
                    f"发布 {run.count('published')}，已导入过 {run.count('duplicate')}，"
                    f"失败 {run.count('failed')}"
                ),
                changes={"batch": [None, run.batch]},
            )
    return run


def _issuers(name: str, cache: dict[str, list[Agency] | None]) -> list[Agency] | None:
    """The 发文机关 as agencies when every name is one (联合发文 joined with 、); else ``None``."""
    if not name:
        return None
    if name not in cache:
        names = [n for n in name.split("、") if n]
        wanted = set(names) | {to_simplified(n) for n in names}
        found = list(Agency.objects.filter(name__in=wanted))
        cache[name] = found if found and len(found) == len(names) else None
    return cache[name]
