"""Every state change of a 主动公开 record.

Each action locks the record row, checks the acting user's role in the
record's agency (:data:`~zwgk.records.workflow.ROLES`) and the transition
(:mod:`zwgk.records.workflow`), changes the record and writes the audit event
— all in one transaction.  Whenever the public version changes (发布、更正、
撤回、重新发布、有效性变更) an append-only :class:`RecordVersion` is written in
the same transaction.  ``acting_user=None`` is the operator at the command
line or the scheduled-publication job.

Four eyes: the drafter of a record may not do its 保密审查 or sign it off
(审签), even when they also hold the 审核人 role — 先审查、后公开 only means
something if someone else looks.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q, Value
from django.utils import timezone

from zwgk.accounts.choices import Role
from zwgk.accounts.permissions import require_role
from zwgk.audit.models import AuditEvent
from zwgk.audit.services import audit_event, diff, record_event, record_events, snapshot
from zwgk.portal import cache as portal_cache
from zwgk.records import attachments as files
from zwgk.records import deidentify
from zwgk.records.choices import (
    Disclosure,
    RecordKind,
    SecrecyCheck,
    Status,
    Validity,
    VersionReason,
)
from zwgk.records.indexnum import next_index_number, next_index_numbers, validate_index_template
from zwgk.records.models import (
    Attachment,
    IndexNumberTemplate,
    Record,
    RecordVersion,
    TopicCategory,
)
from zwgk.records.pii import Disposition
from zwgk.records.public import public_records
from zwgk.records.workflow import NOT_BY_DRAFTER, ROLES, check_transition
from zwgk.search import sync as search_sync
from zwgk.search.documents import record_key

# The metadata an editor fills in; the rest belongs to the workflow.
EDITABLE_FIELDS = (
    "title",
    "summary",
    "doc_number",
    "written_on",
    "formed_on",
    "topic",
    "doc_type",
    "keywords",
    "disclosure",
    "withhold_reason",
    "next_review_on",
    "body",
    "catalogue_item",
    "kind",
    "needs_interpretation",
    "interpretation_form",
    "author_unit",
)
# What the audit diff and the version compare (foreign keys by id).
AUDITED_FIELDS = [
    "title",
    "summary",
    "doc_number",
    "written_on",
    "formed_on",
    "topic_id",
    "doc_type",
    "keywords",
    "disclosure",
    "withhold_reason",
    "next_review_on",
    "validity",
    "abolished_on",
    "replaced_by_id",
    "body",
    "catalogue_item_id",
    "kind",
    "needs_interpretation",
    "interpretation_form",
    "author_unit",
]


# ---------------------------------------------------------------- drafting


def do_create_record(
    agency,
    fields: dict[str, Any],
    *,
    issuers: Iterable | None = None,
    interprets: Iterable | None = None,
    acting_user,
) -> Record:
    """A new draft of ``agency``; its 发文机关 default to ``agency`` itself.

    ``interprets`` are the policies a 政策解读 explains (:func:`_set_interprets`).
    """
    if acting_user is not None:
        require_role(acting_user, agency, ROLES["update"])
    record = _draft(agency, fields, acting_user)
    record.full_clean()
    issuers = list(issuers or [agency])
    with transaction.atomic():
        record.save()
        record.issuers.set(issuers)
        _set_interprets(record, interprets)
        record_events([_created(record, acting_user)])
    return record


@dataclass
class NewRecord:
    """One record for :func:`do_create_records`: its fields and 发文机关 (default: the agency).

    ``published_on``: the day the document was published on the agency's old
    site (migrating an archive).  The record is then published at once with
    that 发布日期 (00:00 Asia/Shanghai) and a 索引号 of its year; no 保密审查
    is recorded, the document was public already.
    """

    fields: dict[str, Any]
    issuers: list | None = None
    published_on: date | None = None


def do_create_records(
    agency, entries: Sequence[NewRecord], *, acting_user
) -> list[Record | ValidationError]:
    """Create many records of ``agency`` at once (the importer); one result per entry, in order.

    A result is the record created, or the ValidationError that kept the entry
    out: each record is validated as :func:`do_create_record` validates it, and
    an invalid one does not stop the others.  The valid ones are written as
    :func:`do_create_record` writes them one by one — record, 发文机关,
    ``records.create`` event — but in a few queries.  The entries with
    ``published_on`` are published in the same transaction: the 索引号 of each
    year come from one block of serials (in entry order: no gap), then
    :func:`_published_many` writes version 1 (note ``导入发布，原发布日期 …``)
    and the ``importer.publish`` event.  Roles: 信息员; with a publication also
    审核人 or 工作机构负责人.
    """
    if acting_user is not None:
        require_role(acting_user, agency, ROLES["update"])
        if any(entry.published_on is not None for entry in entries):
            require_role(acting_user, agency, ROLES["approve"])
    results = _validated_drafts(agency, entries, acting_user)
    with transaction.atomic():
        _publish_archived(agency, entries, results)
        created = [(r, e) for r, e in zip(results, entries, strict=True) if isinstance(r, Record)]
        for record, _ in created:
            record.derive_fields()
        Record.objects.bulk_create([record for record, _ in created])
        links = Record.issuers.through
        links.objects.bulk_create(
            links(record_id=record.pk, agency_id=pk)
            for record, entry in created
            for pk in dict.fromkeys(a.pk for a in entry.issuers or [agency])
        )
        record_events([_created(record, acting_user) for record, _ in created])
        published = [(r, e.published_on) for r, e in created if e.published_on is not None]
        if published:
            _published_many(
                [record for record, _ in published],
                notes=[f"导入发布，原发布日期 {day:%Y-%m-%d}" for _, day in published],
                action="importer.publish",
                reason=VersionReason.PUBLISH,
                acting_user=acting_user,
            )
    return results


def _validated_drafts(
    agency, entries: Sequence[NewRecord], acting_user
) -> list[Record | ValidationError]:
    """Each entry's unsaved record after the checks of :func:`do_create_record`, or their error.

    Two checks that cost a query per record are made once per batch: a foreign
    key already found for an earlier record is not looked up again, and the
    unique 索引号 is not checked (empty until :func:`_publish_archived` takes
    fresh serials from the counter; the database constraint stays).  Records
    to publish must be publishable (:func:`_require_publishable`).
    """
    keys = [f for f in Record._meta.concrete_fields if f.is_relation]
    found: set[tuple[str, Any]] = set()
    results: list[Record | ValidationError] = []
    for entry in entries:
        record = _draft(agency, entry.fields, acting_user)
        known = [f.name for f in keys if (f.name, getattr(record, f.attname)) in found]
        try:
            record.full_clean(exclude=["index_number", *known])
            if entry.published_on is not None:
                _require_publishable(record)
        except ValidationError as exc:
            results.append(exc)
            continue
        found.update((f.name, getattr(record, f.attname)) for f in keys)
        results.append(record)
    return results


def _publish_archived(
    agency, entries: Sequence[NewRecord], results: list[Record | ValidationError]
) -> None:
    """Make the valid records with ``published_on`` published, with 索引号 taken per year.

    When the agency's 索引号 cannot be rendered (no 前缀), those records'
    results become the ValidationError and nothing is taken.
    """
    by_year: dict[int, list[int]] = defaultdict(list)
    for i, (result, entry) in enumerate(zip(results, entries, strict=True)):
        if isinstance(result, Record) and entry.published_on is not None:
            by_year[entry.published_on.year].append(i)
    for year in sorted(by_year):  # counters locked in one order: two imports cannot deadlock
        indexes = by_year[year]
        try:
            numbers = next_index_numbers(agency, year, len(indexes))
        except ValidationError as exc:
            for i in indexes:
                results[i] = exc
            continue
        for i, number in zip(indexes, numbers, strict=True):
            record = results[i]
            record.status = Status.PUBLISHED
            record.index_number = number
            record.published_at = timezone.make_aware(
                datetime.combine(entries[i].published_on, time(0, 0))
            )


def do_update_record(
    record: Record,
    fields: dict[str, Any],
    *,
    issuers: Iterable | None = None,
    interprets: Iterable | None = None,
    acting_user,
) -> Record:
    """Change a draft (a published record changes through :func:`do_correct_record`)."""
    with transaction.atomic():
        record = _lock(record, "update", acting_user)
        before = snapshot(record, AUDITED_FIELDS)
        _apply(record, fields)
        record.full_clean()
        record.save()
        changes = diff(before, snapshot(record, AUDITED_FIELDS))
        if issuers is not None:
            changes.update(_set_issuers(record, issuers))
        changes.update(_set_interprets(record, interprets))
        _log(record, "update", f"修改草稿：{record.title}", actor=acting_user, changes=changes)
    return record


def do_add_attachment(record: Record, upload, *, acting_user, sort_order: int = 0) -> Attachment:
    """Attach a file: checked by type and size, fingerprinted, its text extracted.

    A draft takes attachments from its editor; adding one to a published record
    is a correction (signing roles, a new version).
    """
    ext = files.validate_upload(upload)
    digest = files.sha256(upload)
    text = files.extract_text(upload, ext)
    name = upload.name.rsplit("/", 1)[-1]
    with transaction.atomic():
        action = "correct" if record.status == Status.PUBLISHED else "update"
        record = _lock(record, action, acting_user)
        attachment = Attachment(
            record=record,
            original_name=name[:255],
            size=upload.size,
            sha256=digest,
            extracted_text=text,
            sort_order=sort_order,
            uploaded_by=_user(acting_user),
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        summary = f"添加附件“{name}”（SHA-256 {digest[:12]}…）"
        if action == "correct":
            _versions([record], VersionReason.CORRECT, [summary], acting_user)
        _log(record, "attachment_add", summary, actor=acting_user)
    return attachment


def do_remove_attachment(attachment: Attachment, *, acting_user) -> None:
    with transaction.atomic():
        record = attachment.record
        action = "correct" if record.status == Status.PUBLISHED else "update"
        record = _lock(record, action, acting_user)
        name = attachment.original_name
        attachment.delete()
        summary = f"删除附件“{name}”"
        if action == "correct":
            _versions([record], VersionReason.CORRECT, [summary], acting_user)
        _log(record, "attachment_remove", summary, actor=acting_user)
    # The stored file goes only once the deletion has committed.
    transaction.on_commit(lambda: attachment.file.delete(save=False))


# ---------------------------------------------------------------- review and publication


def do_submit_for_review(record: Record, *, acting_user) -> Record:
    """Send a complete draft to 保密审查 (先审查、后公开)."""
    with transaction.atomic():
        record = _lock(record, "submit", acting_user)
        _require_publishable(record)
        record.pii_dispositions = []  # a new review decides afresh
        record.save(update_fields=["status", "pii_dispositions", "updated_at"])
        found = len(deidentify.review_findings(record))
        note = f"（发现可能的个人信息{found}处，待审核人逐项处理）" if found else ""
        _log(record, "submit", f"提交保密审查：{record.title}{note}", actor=acting_user)
    return record


def do_secrecy_review(
    record: Record,
    *,
    checklist: dict[str, bool],
    dispositions: dict[str, tuple[str, str]] | None = None,
    acting_user,
) -> Record:
    """保密审查: the reviewer confirms every point of :class:`SecrecyCheck`.

    条例第十四条 (国家秘密, 三安全一稳定), 第十五条 (商业秘密, 个人隐私),
    第十七条 (审查机制).  A point left unconfirmed means the record is not
    ready: return it to the drafter instead (:func:`do_return_record`).

    去标识化 (rules.md §2): every piece of personal information the scanner
    finds in the current title, 内容概述, body and attachments
    (:func:`~zwgk.records.deidentify.review_findings`) needs a decision —
    ``dispositions`` maps a finding's key to ``(Disposition, reason)``, on top
    of those already stored by :func:`do_mask_personal_info`.  Masks are
    applied to the fields in this transaction; a finding in an attachment
    decided MASK means the attachment must be replaced first, so the review is
    refused.  The decisions go to ``pii_dispositions`` and the audit event,
    never with a masked value.
    """
    unknown = set(checklist) - {c.value for c in SecrecyCheck}
    if unknown:
        raise ValidationError(f"未知的审查项：{'、'.join(sorted(unknown))}。")
    missing = [c.label for c in SecrecyCheck if checklist.get(c.value) is not True]
    if missing:
        raise ValidationError(
            f"保密审查须逐项确认：{'；'.join(str(m) for m in missing)}。不能确认的，请退回修改。"
        )
    with transaction.atomic():
        record = _lock(record, "secrecy_review", acting_user)
        findings = deidentify.review_findings(record)
        given = _given_decisions(dispositions, findings)
        decisions = {**deidentify.stored_decisions(record, findings), **given}
        problems = deidentify.check_decisions(findings, decisions)
        if problems:
            raise ValidationError(problems)
        left = deidentify.undecided(findings, decisions)
        if left:
            raise ValidationError(
                f"还有{len(left)}处个人信息未处理：请逐项选择遮蔽或保留（保留须说明理由），"
                "或点击“全部遮蔽”。"
            )
        blocking = deidentify.blocking_attachments(findings, decisions)
        if blocking:
            raise ValidationError(
                [
                    f"{place}中有{n}处个人信息须遮蔽，附件不能自动遮蔽："
                    "请退回起草人替换为去标识化的附件，或说明理由后保留。"
                    for place, n in blocking.items()
                ]
            )
        now = timezone.now()
        changed = deidentify.apply_masks(record, findings, given)
        _check_masked_fields(record, changed)
        rows = deidentify.entries(findings, given, reviewer=_user(acting_user), at=now.isoformat())
        record.pii_dispositions = deidentify.merge(record.pii_dispositions or [], rows)
        record.secrecy_checklist = {c.value: True for c in SecrecyCheck}
        record.secrecy_reviewed_by = _user(acting_user)
        record.secrecy_reviewed_at = now
        record.save(
            update_fields=[
                *changed,
                "status",
                "pii_dispositions",
                "secrecy_checklist",
                "secrecy_reviewed_by",
                "secrecy_reviewed_at",
                "updated_at",
            ]
        )
        masked = sum(1 for r in rows if r["decision"] == Disposition.MASK)
        note = f"，遮蔽个人信息{masked}处" if masked else ""
        _log(
            record,
            "secrecy_review",
            f"通过保密审查：{record.title}{note}",
            actor=acting_user,
            changes=_pii_changes(record.pii_dispositions),
        )
    return record


def do_mask_personal_info(
    record: Record,
    *,
    dispositions: dict[str, tuple[str, str]] | None = None,
    acting_user,
) -> list[dict[str, Any]]:
    """全部遮蔽: mask every undecided finding now, store the decisions; the record stays in review.

    ``dispositions`` are the decisions already taken on the page (a keep with
    its reason is stored, so it need not be given again).  Undecided findings
    in attachments are marked for replacement.  Returns the new entries.
    """
    with transaction.atomic():
        record = _lock(record, "mask_pii", acting_user)
        findings = deidentify.review_findings(record)
        stored = deidentify.stored_decisions(record, findings)
        given = {
            key: decision
            for key, decision in _given_decisions(dispositions, findings).items()
            if stored.get(key) != decision  # the page shows the stored ones again
        }
        problems = deidentify.check_decisions(findings, given)
        if problems:
            raise ValidationError(problems)
        fresh = {
            **given,
            **{
                f.key: (Disposition.MASK, "")
                for f in deidentify.undecided(findings, {**stored, **given})
            },
        }
        if not fresh:
            raise ValidationError("没有未处理的个人信息。")
        changed = deidentify.apply_masks(record, findings, fresh)
        _check_masked_fields(record, changed)
        rows = deidentify.entries(
            findings, fresh, reviewer=_user(acting_user), at=timezone.now().isoformat()
        )
        record.pii_dispositions = deidentify.merge(record.pii_dispositions or [], rows)
        record.save(update_fields=[*changed, "pii_dispositions", "updated_at"])
        masked = sum(1 for r in rows if r["decision"] == Disposition.MASK)
        _log(
            record,
            "pii_mask",
            f"去标识化：遮蔽个人信息{masked}处",
            actor=acting_user,
            changes=_pii_changes(rows),
        )
    return rows


def _given_decisions(
    dispositions: dict[str, tuple[str, str]] | None, findings
) -> deidentify.Decisions:
    """The reviewer's decisions on the current findings; keys from a stale page are dropped."""
    keys = {f.key for f in findings}
    return {
        key: (Disposition(decision), reason or "")
        for key, (decision, reason) in (dispositions or {}).items()
        if key in keys and decision
    }


def _check_masked_fields(record: Record, changed: list[str]) -> None:
    """A masked form may be longer than the value (a 16-digit card): lengths still hold."""
    others = [f.name for f in Record._meta.concrete_fields if f.name not in changed]
    record.clean_fields(exclude=others)


def _pii_changes(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"pii_dispositions": deidentify.audit_entries(rows)} if rows else {}


def do_return_record(record: Record, *, reason: str, acting_user) -> Record:
    """退回修改: back to the drafter from 保密审查, 审签 or a pending schedule."""
    if not reason.strip():
        raise ValidationError("请写明退回原因。")
    with transaction.atomic():
        record = _lock(record, "return", acting_user)
        record.scheduled_for = None
        record.secrecy_checklist = {}
        record.secrecy_reviewed_by = None
        record.secrecy_reviewed_at = None
        record.pii_dispositions = []
        record.save(
            update_fields=[
                "status",
                "scheduled_for",
                "pii_dispositions",
                "secrecy_checklist",
                "secrecy_reviewed_by",
                "secrecy_reviewed_at",
                "updated_at",
            ]
        )
        _log(record, "return", f"退回修改：{reason.strip()}", actor=acting_user)
    return record


def do_approve(record: Record, *, publish_at: datetime | None = None, acting_user) -> Record:
    """审签: publish now (索引号 and 发布日期 assigned) or at ``publish_at`` (定时发布)."""
    now = timezone.now()
    scheduled = publish_at is not None and publish_at > now
    with transaction.atomic():
        record = _lock(record, "schedule" if scheduled else "approve", acting_user)
        _require_publishable(record)
        record.approved_by = _user(acting_user)
        record.approved_at = now
        if scheduled:
            record.scheduled_for = publish_at
            record.save(
                update_fields=[
                    "status",
                    "scheduled_for",
                    "approved_by",
                    "approved_at",
                    "updated_at",
                ]
            )
            local = timezone.localtime(publish_at)
            _log(record, "schedule", f"审签通过，定于{local:%Y-%m-%d %H:%M}发布", actor=acting_user)
        else:
            _publish(record, now, note="审签发布", acting_user=acting_user)
    return record


@dataclass
class ScheduledRun:
    published: list[Record] = field(default_factory=list)
    failed: list[tuple[Record, str]] = field(default_factory=list)


def do_publish_scheduled(now: datetime | None = None) -> ScheduledRun:
    """The job: publish every 定时待发布 record whose time has come.

    Idempotent: it selects by status, and each record is re-checked under its
    row lock, so a repeated or overlapping run publishes nothing twice; a
    missed run catches up (``scheduled_for <= now``, not a time window).  Each
    record commits on its own, so one failure does not hold back the others.
    """
    now = now or timezone.now()
    run = ScheduledRun()
    due = Record.objects.filter(status=Status.SCHEDULED, scheduled_for__lte=now)
    for pk in due.order_by("scheduled_for", "pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                record = Record.objects.select_for_update().select_related("agency").get(pk=pk)
                if record.status != Status.SCHEDULED or record.scheduled_for > now:
                    continue  # another run got here first, or it was rescheduled
                record.status = check_transition("publish_scheduled", record.status)
                _publish(record, record.scheduled_for, note="定时发布", acting_user=None)
        except ValidationError as exc:
            run.failed.append((Record.objects.get(pk=pk), "；".join(exc.messages)))
        else:
            run.published.append(record)
    return run


# ---------------------------------------------------------------- published records


def do_correct_record(
    record: Record,
    fields: dict[str, Any],
    *,
    note: str,
    issuers: Iterable | None = None,
    interprets: Iterable | None = None,
    acting_user,
) -> Record:
    """更正: change a published record; the public sees the new text, the old stays in history."""
    if not note.strip():
        raise ValidationError("请写明更正说明。")
    with transaction.atomic():
        record = _lock(record, "correct", acting_user)
        before = snapshot(record, AUDITED_FIELDS)
        _apply(record, fields)
        record.full_clean()
        record.save()
        changes = diff(before, snapshot(record, AUDITED_FIELDS))
        if issuers is not None:
            changes.update(_set_issuers(record, issuers))
        changes.update(_set_interprets(record, interprets))
        _require_publishable(record)
        if not changes:
            raise ValidationError("内容没有变化，无需更正。")
        _versions([record], VersionReason.CORRECT, [note.strip()], acting_user)
        _log(record, "correct", f"更正：{note.strip()}", actor=acting_user, changes=changes)
    return record


def do_withdraw_record(record: Record, *, reason: str, acting_user) -> Record:
    """撤回: take a published (or scheduled) record off the site; its 索引号 stays reserved."""
    if not reason.strip():
        raise ValidationError("请写明撤回原因。")
    with transaction.atomic():
        record = _lock(record, "withdraw", acting_user)
        was_published = record.published_at is not None
        record.withdrawn_reason = reason.strip()
        record.scheduled_for = None
        record.save(update_fields=["status", "withdrawn_reason", "scheduled_for", "updated_at"])
        if was_published:
            _versions([record], VersionReason.WITHDRAW, [reason.strip()], acting_user)
        _log(record, "withdraw", f"撤回：{reason.strip()}", actor=acting_user)
    return record


def do_republish(record: Record, *, acting_user) -> Record:
    """重新发布 a withdrawn record, with its first 索引号 (or a new one if it never had one)."""
    with transaction.atomic():
        record = _lock(record, "republish", acting_user)
        _require_publishable(record)
        record.withdrawn_reason = ""
        _publish(
            record,
            timezone.now(),
            note="重新发布",
            action="records.republish",
            reason=VersionReason.REPUBLISH,
            acting_user=acting_user,
        )
    return record


def do_mark_abolished(
    record: Record,
    *,
    validity: str,
    on: date,
    replaced_by: Record | None = None,
    acting_user,
) -> Record:
    """Mark a published document 失效, 废止 or 已修改 and publish the change.

    政府网站发展指引 (国办发〔2017〕47号): the change is published and the
    original page clearly marked; ``replaced_by`` links the new document.
    """
    validity = Validity(validity)
    if validity is Validity.VALID:
        raise ValidationError("请选择失效、废止或已修改。")
    if replaced_by is not None and replaced_by.status != Status.PUBLISHED:
        raise ValidationError("替代文件须为已发布的信息。")
    with transaction.atomic():
        record = _lock(record, "mark_abolished", acting_user)
        before = snapshot(record, AUDITED_FIELDS)
        record.validity = validity
        record.abolished_on = on
        record.replaced_by = replaced_by
        record.full_clean()
        record.save(update_fields=["validity", "abolished_on", "replaced_by", "updated_at"])
        text = f"标注为{validity.label}（{on:%Y年%m月%d日}）"
        if replaced_by is not None:
            text += f"，替代文件：{replaced_by.title}"
        _versions([record], VersionReason.VALIDITY, [text], acting_user)
        _log(
            record,
            "validity",
            text,
            actor=acting_user,
            changes=diff(before, snapshot(record, AUDITED_FIELDS)),
        )
    return record


# ---------------------------------------------------------------- configuration


def do_save_index_template(agency, template: str, *, acting_user) -> IndexNumberTemplate:
    """Set an agency's 索引号 template (工作机构负责人 or 系统管理员); audited."""
    if acting_user is not None:
        require_role(acting_user, agency, [Role.OFFICE_HEAD])
    validate_index_template(template)
    with transaction.atomic():
        row = IndexNumberTemplate.objects.select_for_update().filter(agency=agency).first()
        before = row.template if row is not None else ""
        row = row or IndexNumberTemplate(agency=agency)
        row.template = template
        row.full_clean()
        row.save()
        record_event(
            "records.index_template",
            actor=acting_user,
            agency=agency,
            obj=row,
            summary=f"索引号模板：{template}",
            changes={"template": [before, template]} if before != template else {},
        )
    return row


def do_save_topic(topic: TopicCategory, *, acting_user) -> TopicCategory:
    """Add or rename a 主题分类: first levels by superusers, second levels by working staff."""
    if acting_user is not None and not acting_user.is_superuser:
        if topic.parent_id is None:
            raise PermissionDenied("一级主题分类由平台管理员维护。")
        if not acting_user.memberships.filter(
            role__in=[Role.EDITOR, Role.REVIEWER, Role.OFFICE_HEAD, Role.ADMIN]
        ).exists():
            raise PermissionDenied("您没有维护主题分类的权限。")
    topic.full_clean()
    with transaction.atomic():
        before = {}
        if topic.pk is not None:
            # by primary key: the default ordering joins the parent, which FOR UPDATE refuses
            stored = (
                TopicCategory.objects.select_for_update().filter(pk=topic.pk).order_by("pk").first()
            )
            before = snapshot(stored, ["name", "parent_id", "sort_order", "is_active"])
        topic.save()
        if before and before["parent_id"] != topic.parent_id:
            # Documents are indexed with both levels of their 主题分类.
            search_sync.enqueue(
                record_key(pk)
                for pk in public_records().filter(topic=topic).values_list("pk", flat=True)
            )
        record_event(
            "records.topic_save",
            actor=acting_user,
            obj=topic,
            summary=f"{'修改' if before else '新增'}主题分类：{topic}",
            changes=diff(before, snapshot(topic, ["name", "parent_id", "sort_order", "is_active"])),
        )
    return topic


# ---------------------------------------------------------------- helpers


def record_snapshots(records: Sequence[Record]) -> list[dict[str, Any]]:
    """The public state of each record as plain JSON: metadata, body, attachments.

    The 发文机关, the policies interpreted and the attachments of all the
    records are read in one query each.
    """
    issuers = _by_record(
        Record.issuers.through.objects.filter(record__in=records)
        .order_by("agency__path")
        .values_list("record_id", "agency_id", "agency__name"),
        lambda pk, name: {"id": pk, "name": name},
    )
    interprets = _by_record(
        Record.interprets.through.objects.filter(from_record__in=records)
        .order_by("to_record_id")
        .values_list(
            "from_record_id", "to_record_id", "to_record__index_number", "to_record__title"
        ),
        lambda pk, number, title: {"id": pk, "index_number": number, "title": title},
    )
    attachments = _by_record(
        Attachment.objects.filter(record__in=records)
        .order_by("sort_order", "pk")
        .values_list("record_id", "pk", "original_name", "size", "sha256"),
        lambda pk, name, size, sha256: {"id": pk, "name": name, "size": size, "sha256": sha256},
    )
    return [
        json.loads(
            json.dumps(
                _snapshot(
                    record,
                    issuers=issuers[record.pk],
                    interprets=interprets[record.pk],
                    attachments=attachments[record.pk],
                ),
                cls=DjangoJSONEncoder,
            )
        )
        for record in records
    ]


def _snapshot(record: Record, *, issuers: list, interprets: list, attachments: list) -> dict:
    return {
        "index_number": record.index_number,
        "agency": {"id": record.agency_id, "name": record.agency.name},
        "issuers": issuers,
        "title": record.title,
        "summary": record.summary,
        "doc_number": record.doc_number,
        "doc_number_normalized": record.doc_number_normalized,
        "written_on": record.written_on,
        "formed_on": record.formed_on,
        "published_at": record.published_at,
        "topic": {"id": record.topic_id, "path": str(record.topic)},
        "doc_type": record.doc_type,
        "keywords": record.keywords,
        "disclosure": record.disclosure,
        "validity": record.validity,
        "abolished_on": record.abolished_on,
        "replaced_by": (
            {"id": record.replaced_by_id, "index_number": record.replaced_by.index_number}
            if record.replaced_by_id
            else None
        ),
        "status": record.status,
        "catalogue_item": (
            {"id": record.catalogue_item_id, "name": record.catalogue_item.name}
            if record.catalogue_item_id
            else None
        ),
        "kind": record.kind,
        "needs_interpretation": record.needs_interpretation,
        "interpretation_form": record.interpretation_form,
        "author_unit": record.author_unit,
        "interprets": interprets,
        "body": record.body,
        "attachments": attachments,
    }


def _by_record(rows: Iterable[tuple], item: Callable[..., dict[str, Any]]) -> dict[int, list]:
    """``(record_id, *values)`` rows as ``{record_id: [item(*values), …]}``, in row order."""
    grouped: dict[int, list] = defaultdict(list)
    for record_id, *values in rows:
        grouped[record_id].append(item(*values))
    return grouped


def _lock(record: Record, action: str, acting_user) -> Record:
    """The row, locked for this transaction, after the permission and transition checks."""
    locked = Record.objects.select_for_update().select_related("agency").get(pk=record.pk)
    if acting_user is not None:
        require_role(acting_user, locked.agency, ROLES[action])
        if action in NOT_BY_DRAFTER and locked.created_by_id == acting_user.pk:
            raise PermissionDenied("起草人不能审查或审签自己起草的信息，请由其他审核人办理。")
    locked.status = check_transition(action, locked.status)
    return locked


def _draft(agency, fields: dict[str, Any], acting_user) -> Record:
    """A new, unsaved and unchecked draft of ``agency`` with ``fields``."""
    record = Record(agency=agency, created_by=_user(acting_user))
    _apply(record, fields)
    return record


def _apply(record: Record, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(record, name, value)


def _set_issuers(record: Record, issuers: Iterable) -> dict[str, list[Any]]:
    issuers = list(issuers)
    if not issuers:
        raise ValidationError({"issuers": "至少需要一个发文机关。"})
    before = sorted(record.issuers.values_list("name", flat=True))
    record.issuers.set(issuers)
    after = sorted(a.name for a in issuers)
    return {"issuers": ["、".join(before), "、".join(after)]} if before != after else {}


def _require_publishable(record: Record) -> None:
    """Only 主动公开 records go on the site; 依申请公开 and 不予公开 stay in the register.

    A 政策解读 goes out only with at least one policy it explains.
    """
    if record.disclosure != Disclosure.PROACTIVE:
        raise ValidationError(
            f"公开属性为“{record.get_disclosure_display()}”的信息不在网站主动公开，不能提交发布。"
        )
    if record.kind == RecordKind.INTERPRETATION and (
        record.pk is None or not record.interprets.exists()
    ):
        raise ValidationError("政策解读须关联其解读的政策文件后才能提交发布。")


def interpretation_scope_q(agency) -> Q:
    """Policies an interpretation by ``agency`` may explain (谁起草、谁解读).

    Those of ``agency`` itself, of the agencies above it (a department explains
    the government's policy it drafted), of the agencies below it, and joint
    documents (联合发文) naming ``agency`` among their 发文机关.
    """
    own_and_above = [agency.path[: i + 1] for i, c in enumerate(agency.path) if c == "/"]
    joint = Record.issuers.through.objects.filter(agency=agency).values("record_id")
    return (
        Q(agency__path__in=own_and_above)
        | Q(agency__path__startswith=agency.path)
        | Q(pk__in=joint)
    )


def _set_interprets(record: Record, policies: Iterable | None) -> dict[str, list[Any]]:
    """Link a 政策解读 to the policies it explains; checked, and a diff for the audit.

    ``None`` leaves the links alone — unless the record is no longer an
    interpretation, then they are dropped.  A policy that interpretations point
    at cannot stop being a policy.
    """
    if record.kind != RecordKind.POLICY and record.interpretations.exists():
        raise ValidationError({"kind": "已有政策解读关联本文件，不能改为其他类别。"})
    if policies is None:
        if record.kind == RecordKind.INTERPRETATION or not record.interprets.exists():
            return {}
        policies = []
    policies = list(policies)
    if policies and record.kind != RecordKind.INTERPRETATION:
        raise ValidationError({"interprets": "只有政策解读可以关联解读的政策文件。"})
    errors = []
    allowed = set(
        Record.objects.filter(interpretation_scope_q(record.agency))
        .filter(pk__in=[p.pk for p in policies])
        .values_list("pk", flat=True)
    )
    for policy in policies:
        if policy.pk == record.pk:
            errors.append("政策解读不能关联自身。")
        elif policy.kind != RecordKind.POLICY:
            errors.append(f"“{policy.title}”不是政策文件，不能作为解读对象。")
        elif policy.pk not in allowed:
            errors.append(f"“{policy.title}”不属于本机关或其上下级机关，不能作为解读对象。")
    if errors:
        raise ValidationError({"interprets": errors})
    before = sorted(record.interprets.values_list("title", flat=True))
    record.interprets.set(policies)
    after = sorted(p.title for p in policies)
    return {"interprets": ["、".join(before), "、".join(after)]} if before != after else {}


def _publish(
    record: Record,
    when: datetime,
    *,
    note: str,
    action: str = "records.publish",
    reason: VersionReason = VersionReason.PUBLISH,
    acting_user,
) -> None:
    """Put ``record`` (its status already set) on the site at ``when``.

    Assigns the 索引号 (first publication only) and 发布日期, saves the row and
    writes what follows every publication (:func:`_published_many`).
    """
    if not record.index_number:
        year = timezone.localtime(when).year
        record.index_number = next_index_number(record.agency, year)
    if record.published_at is None:
        record.published_at = when
    record.scheduled_for = None
    record.save()
    _published_many([record], notes=[note], action=action, reason=reason, acting_user=acting_user)


def _published_many(
    records: list[Record],
    *,
    notes: Sequence[str],
    action: str,
    reason: VersionReason,
    acting_user,
) -> None:
    """These records have just become public: what follows every publication, for a batch.

    Called in the publishing transaction, once the rows are saved with their
    索引号 and 发布日期, by every path that puts a record on the site (审签发布,
    定时发布, 重新发布 with one record; the importer's :func:`do_create_records`
    with many): each record's next ``RecordVersion`` (``reason``, its note) and
    its audit event ``action`` (“note，索引号 …”), in one insert each.  What
    has to happen whenever a record becomes public belongs here.
    """
    _versions(records, reason, notes, acting_user)
    record_events(
        [
            _event(record, action, f"{note}，索引号 {record.index_number}", actor=acting_user)
            for record, note in zip(records, notes, strict=True)
        ]
    )
    _public_changed(records)


def _versions(
    records: Sequence[Record], reason: VersionReason, notes: Sequence[str], acting_user
) -> None:
    """Each record's next ``RecordVersion`` with its note, in one insert."""
    last = dict(
        RecordVersion.objects.filter(record__in=records)
        .values("record")
        .annotate(n=Max("number"))
        .values_list("record", "n")
    )
    # The snapshot as an expression: bulk_create then inserts VALUES on PostgreSQL
    # too.  Its default there, one array per column (UNNEST), has psycopg escape
    # every backslash of the JSON text in Python, and a snapshot's Chinese text is
    # all \u escapes: four times slower.
    data_field = RecordVersion._meta.get_field("data")
    RecordVersion.objects.bulk_create(
        RecordVersion(
            record=record,
            number=last.get(record.pk, 0) + 1,
            reason=reason,
            note=note,
            data=Value(data, output_field=data_field),
            created_by=_user(acting_user),
        )
        for record, note, data in zip(records, notes, record_snapshots(records), strict=True)
    )


def _log(record: Record, kind: str, summary: str, *, actor, changes=None) -> None:
    record_events([_event(record, f"records.{kind}", summary, actor=actor, changes=changes)])
    if record.published_at is not None:  # a change to what is, or was, public
        _public_changed([record])


def _created(record: Record, actor) -> AuditEvent:
    return _event(record, "records.create", f"新建政府信息草稿：{record.title}", actor=actor)


def _event(record: Record, action: str, summary: str, *, actor, changes=None) -> AuditEvent:
    return audit_event(
        action,
        actor=actor,
        agency=record.agency,
        obj=record,
        summary=summary,
        changes=changes,
    )


def _public_changed(records: Iterable[Record]) -> None:
    """What the public may see of these records changed: in this transaction, the search
    outbox takes note and cached portal pages become stale."""
    search_sync.enqueue(record_key(record.pk) for record in records)
    portal_cache.bump()


def _user(acting_user):
    return acting_user if acting_user is not None and acting_user.is_authenticated else None
