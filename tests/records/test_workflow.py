"""The publishing workflow through the actions: roles, transitions, 索引号, history, jobs."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tests.factories import UserFactory
from tests.records.conftest import ALL_CLEAR, publish, record_fields
from zwgk.accounts.choices import Role
from zwgk.audit.models import AuditEvent
from zwgk.records import actions
from zwgk.records.choices import Disclosure, Status, Validity, VersionReason
from zwgk.records.models import Record, RecordVersion
from zwgk.records.workflow import TRANSITIONS, allowed_actions
from zwgk.utils.statemachine import TransitionError

SHANGHAI = ZoneInfo("Asia/Shanghai")


def events(record) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="records.record", object_id=str(record.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_the_full_path_to_publication(draft, rworld):
    users = rworld.users
    assert draft.status == Status.DRAFT
    assert list(draft.issuers.all()) == [rworld.city_edu]  # 发文机关 defaults to the publisher
    record = actions.do_submit_for_review(draft, acting_user=users.editor)
    assert record.status == Status.SECRECY_REVIEW
    record = actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=users.reviewer)
    assert record.status == Status.AWAITING_APPROVAL
    assert record.secrecy_reviewed_by == users.reviewer
    with time_machine.travel(datetime(2026, 3, 5, 9, 30, tzinfo=SHANGHAI), tick=False):
        record = actions.do_approve(record, acting_user=users.office_head)
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert record.index_number == "000014349/2026-00001"
    assert record.published_at == datetime(2026, 3, 5, 9, 30, tzinfo=SHANGHAI)
    assert record.approved_by == users.office_head
    version = record.versions.get()
    assert version.reason == VersionReason.PUBLISH
    assert version.data["index_number"] == "000014349/2026-00001"
    assert version.data["issuers"] == [{"id": rworld.city_edu.pk, "name": "示范市教育局"}]
    assert events(record) == [
        "records.create",
        "records.submit",
        "records.secrecy_review",
        "records.publish",
    ]


def test_serial_year_is_the_year_of_publication(rworld, topic):
    users = rworld.users
    first = actions.do_create_record(
        rworld.city_edu, record_fields(topic), acting_user=users.editor
    )
    second = actions.do_create_record(
        rworld.city_edu, record_fields(topic, title="第二件"), acting_user=users.editor
    )
    with time_machine.travel(datetime(2025, 12, 31, 23, 0, tzinfo=SHANGHAI), tick=False):
        first = publish(first, rworld)
    with time_machine.travel(datetime(2026, 1, 1, 8, 0, tzinfo=SHANGHAI), tick=False):
        second = publish(second, rworld)
    assert first.index_number == "000014349/2025-00001"
    assert second.index_number == "000014349/2026-00001"


def test_editor_cannot_review_or_approve(draft, rworld):
    editor = rworld.users.editor
    record = actions.do_submit_for_review(draft, acting_user=editor)
    with pytest.raises(PermissionDenied):
        actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=editor)
    record = actions.do_secrecy_review(
        record, checklist=ALL_CLEAR, acting_user=rworld.users.reviewer
    )
    with pytest.raises(PermissionDenied):
        actions.do_approve(record, acting_user=editor)
    assert Record.objects.get(pk=record.pk).status == Status.AWAITING_APPROVAL


def test_reviewer_of_another_agency_cannot_review(draft, rworld):
    county_reviewer = UserFactory(roles=[(rworld.county_edu, Role.REVIEWER)])
    record = actions.do_submit_for_review(draft, acting_user=rworld.users.editor)
    with pytest.raises(PermissionDenied, match="示范市教育局"):
        actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=county_reviewer)


def test_county_editor_cannot_draft_for_the_city(rworld, topic):
    with pytest.raises(PermissionDenied):
        actions.do_create_record(
            rworld.city_edu, record_fields(topic), acting_user=rworld.users.county_editor
        )


def test_drafter_cannot_check_or_sign_their_own_record(rworld, topic):
    """Four eyes: an editor who is also 审核人 still needs a colleague."""
    both = UserFactory(roles=[(rworld.city_edu, Role.EDITOR), (rworld.city_edu, Role.REVIEWER)])
    record = actions.do_create_record(rworld.city_edu, record_fields(topic), acting_user=both)
    record = actions.do_submit_for_review(record, acting_user=both)
    with pytest.raises(PermissionDenied, match="起草人"):
        actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=both)
    record = actions.do_secrecy_review(
        record, checklist=ALL_CLEAR, acting_user=rworld.users.reviewer
    )
    with pytest.raises(PermissionDenied, match="起草人"):
        actions.do_approve(record, acting_user=both)


def test_secrecy_review_needs_every_point_confirmed(draft, rworld):
    record = actions.do_submit_for_review(draft, acting_user=rworld.users.editor)
    with pytest.raises(ValidationError, match="不涉及个人隐私"):
        actions.do_secrecy_review(
            record, checklist={**ALL_CLEAR, "privacy": False}, acting_user=rworld.users.reviewer
        )
    with pytest.raises(ValidationError, match="公开时机"):
        actions.do_secrecy_review(
            record,
            checklist={k: v for k, v in ALL_CLEAR.items() if k != "timing"},
            acting_user=rworld.users.reviewer,
        )
    assert Record.objects.get(pk=record.pk).status == Status.SECRECY_REVIEW


def test_return_to_drafter_clears_the_review(draft, rworld):
    record = actions.do_submit_for_review(draft, acting_user=rworld.users.editor)
    record = actions.do_secrecy_review(
        record, checklist=ALL_CLEAR, acting_user=rworld.users.reviewer
    )
    with pytest.raises(ValidationError):
        actions.do_return_record(record, reason=" ", acting_user=rworld.users.reviewer)
    record = actions.do_return_record(
        record, reason="概述不准确", acting_user=rworld.users.reviewer
    )
    assert record.status == Status.DRAFT
    assert record.secrecy_checklist == {}
    assert record.secrecy_reviewed_by is None
    actions.do_update_record(record, {"summary": "新的概述"}, acting_user=rworld.users.editor)


def test_stale_action_is_refused(draft, rworld):
    """A second reviewer on an old page sees the status the first one left."""
    record = actions.do_submit_for_review(draft, acting_user=rworld.users.editor)
    stale = Record.objects.get(pk=record.pk)
    actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=rworld.users.reviewer)
    with pytest.raises(TransitionError, match="待审签"):
        actions.do_secrecy_review(stale, checklist=ALL_CLEAR, acting_user=rworld.users.reviewer)


def test_drafts_only_are_updated_directly(published, rworld):
    with pytest.raises(TransitionError):
        actions.do_update_record(published, {"title": "改"}, acting_user=rworld.users.editor)


def test_only_proactive_records_are_published(rworld, topic):
    record = actions.do_create_record(
        rworld.city_edu,
        record_fields(topic, disclosure=Disclosure.ON_REQUEST),
        acting_user=rworld.users.editor,
    )
    with pytest.raises(ValidationError, match="依申请公开"):
        actions.do_submit_for_review(record, acting_user=rworld.users.editor)


def test_update_is_audited_with_a_diff(draft, rworld):
    actions.do_update_record(
        draft,
        {"title": "新标题", "doc_number": "示教发[2026]13号"},
        issuers=[rworld.city_edu, rworld.city_fin],
        acting_user=rworld.users.editor,
    )
    draft.refresh_from_db()
    assert draft.doc_number_normalized == "示教发〔2026〕13号"
    event = AuditEvent.objects.filter(action="records.update").get()
    assert event.changes["title"] == ["示范市教育局关于做好2026年义务教育招生工作的通知", "新标题"]
    assert event.changes["issuers"] == ["示范市教育局", "示范市教育局、示范市财政局"]
    assert not draft.versions.exists()  # drafts have no public history


def test_correction_keeps_history(published, rworld):
    reviewer = rworld.users.reviewer
    with pytest.raises(ValidationError, match="更正说明"):
        actions.do_correct_record(published, {"title": "x"}, note="", acting_user=reviewer)
    with pytest.raises(PermissionDenied):
        actions.do_correct_record(
            published, {"title": "x"}, note="改", acting_user=rworld.users.editor
        )
    corrected = actions.do_correct_record(
        published,
        {"summary": "更正后的概述。"},
        note="概述有误",
        acting_user=reviewer,
    )
    assert corrected.status == Status.PUBLISHED
    assert corrected.index_number == published.index_number
    versions = list(corrected.versions.order_by("number"))
    assert [v.reason for v in versions] == [VersionReason.PUBLISH, VersionReason.CORRECT]
    assert versions[0].data["summary"] == "明确2026年义务教育阶段学校招生的范围、程序和时间安排。"
    assert versions[1].data["summary"] == "更正后的概述。"
    assert versions[1].note == "概述有误"
    event = AuditEvent.objects.get(action="records.correct")
    assert event.changes["summary"][1] == "更正后的概述。"
    with pytest.raises(ValidationError, match="没有变化"):
        actions.do_correct_record(
            corrected, {"summary": "更正后的概述。"}, note="再改", acting_user=reviewer
        )


def test_versions_are_append_only(published):
    version = published.versions.get()
    with pytest.raises(TypeError):
        version.save()
    with pytest.raises(TypeError):
        version.delete()
    with pytest.raises(TypeError):
        RecordVersion.objects.filter(pk=version.pk).update(note="x")
    with pytest.raises(TypeError):
        RecordVersion.objects.all().delete()


def test_withdraw_and_republish_keep_the_index_number(published, rworld):
    reviewer = rworld.users.reviewer
    with pytest.raises(ValidationError):
        actions.do_withdraw_record(published, reason="", acting_user=reviewer)
    record = actions.do_withdraw_record(published, reason="附件有误", acting_user=reviewer)
    assert record.status == Status.WITHDRAWN
    assert record.withdrawn_reason == "附件有误"
    record = actions.do_republish(record, acting_user=reviewer)
    assert record.status == Status.PUBLISHED
    assert record.index_number == published.index_number
    assert record.published_at == published.published_at
    assert [v.reason for v in record.versions.order_by("number")] == [
        VersionReason.PUBLISH,
        VersionReason.WITHDRAW,
        VersionReason.REPUBLISH,
    ]


def test_mark_abolished_links_the_replacement(published, rworld, topic):
    reviewer = rworld.users.reviewer
    new = actions.do_create_record(
        rworld.city_edu,
        record_fields(topic, title="新通知", doc_number="示教发〔2026〕30号"),
        acting_user=rworld.users.editor,
    )
    with pytest.raises(ValidationError, match="已发布"):
        actions.do_mark_abolished(
            published,
            validity=Validity.AMENDED,
            on=date(2026, 6, 1),
            replaced_by=new,
            acting_user=reviewer,
        )
    new = publish(new, rworld)
    with pytest.raises(ValidationError, match="必须关联"):
        actions.do_mark_abolished(
            published, validity=Validity.AMENDED, on=date(2026, 6, 1), acting_user=reviewer
        )
    record = actions.do_mark_abolished(
        published,
        validity=Validity.AMENDED,
        on=date(2026, 6, 1),
        replaced_by=new,
        acting_user=reviewer,
    )
    assert record.validity == Validity.AMENDED
    assert list(new.replaces.all()) == [record]
    last = record.versions.order_by("-number").first()
    assert last.reason == VersionReason.VALIDITY
    assert last.data["validity"] == "amended"
    assert last.data["replaced_by"]["index_number"] == new.index_number
    assert "已修改" in AuditEvent.objects.get(action="records.validity").summary


def test_scheduled_publication_job_is_idempotent(draft, rworld):
    start = datetime(2026, 3, 5, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        record = publish(draft, rworld, publish_at=start + timedelta(hours=3))
    assert record.status == Status.SCHEDULED
    assert record.index_number == ""
    assert actions.do_publish_scheduled(start + timedelta(hours=2)).published == []
    run = actions.do_publish_scheduled(start + timedelta(days=1))  # a missed run catches up
    assert [r.pk for r in run.published] == [record.pk]
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert record.published_at == start + timedelta(hours=3)
    assert record.index_number == "000014349/2026-00001"
    again = actions.do_publish_scheduled(start + timedelta(days=2))
    assert again.published == [] and again.failed == []
    assert record.versions.count() == 1
    assert AuditEvent.objects.filter(action="records.publish").count() == 1


def test_scheduled_job_reports_a_failure_and_goes_on(rworld, topic):
    users = rworld.users
    start = datetime(2026, 3, 5, 9, 0, tzinfo=SHANGHAI)
    fin_editor = UserFactory(roles=[(rworld.city_fin, Role.EDITOR)])
    fin_reviewer = UserFactory(roles=[(rworld.city_fin, Role.REVIEWER)])
    broken = actions.do_create_record(rworld.city_fin, record_fields(topic), acting_user=fin_editor)
    good = actions.do_create_record(rworld.city_edu, record_fields(topic), acting_user=users.editor)
    with time_machine.travel(start, tick=False):
        broken = actions.do_submit_for_review(broken, acting_user=fin_editor)
        broken = actions.do_secrecy_review(broken, checklist=ALL_CLEAR, acting_user=fin_reviewer)
        actions.do_approve(broken, publish_at=start + timedelta(hours=1), acting_user=fin_reviewer)
        publish(good, rworld, publish_at=start + timedelta(hours=2))
    run = actions.do_publish_scheduled(start + timedelta(hours=3))
    assert [r.pk for r in run.published] == [good.pk]
    assert run.failed[0][0].pk == broken.pk
    assert "未填写索引号前缀" in run.failed[0][1]
    assert Record.objects.get(pk=broken.pk).status == Status.SCHEDULED


def test_a_failed_publication_leaves_no_gap(rworld, topic):
    users = rworld.users
    record = actions.do_create_record(
        rworld.city_edu, record_fields(topic), acting_user=users.editor
    )
    record = actions.do_submit_for_review(record, acting_user=users.editor)
    record = actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=users.reviewer)

    class Crash(Exception):
        pass

    with pytest.raises(Crash), transaction.atomic():
        actions.do_approve(record, acting_user=users.reviewer)
        raise Crash
    record = actions.do_approve(record, acting_user=users.reviewer)
    assert record.index_number.endswith("-00001")


def test_transition_map_is_complete():
    for action, (sources, _target) in TRANSITIONS.items():
        assert sources, action
    assert allowed_actions(Status.DRAFT) == ["update", "submit"]
    assert "correct" in allowed_actions(Status.PUBLISHED)
    assert allowed_actions(Status.WITHDRAWN) == ["republish"]


def test_publish_scheduled_command(draft, rworld):
    from io import StringIO

    from django.core.management import call_command

    soon = datetime(2026, 3, 5, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(soon, tick=False):
        publish(draft, rworld, publish_at=soon + timedelta(minutes=5))
    out = StringIO()
    with time_machine.travel(soon + timedelta(minutes=10), tick=False):
        call_command("records", "publish-scheduled", stdout=out)
        call_command("records", "publish-scheduled", stdout=out)
    assert "已发布：000014349/2026-00001" in out.getvalue()
    assert "没有到期的定时发布信息" in out.getvalue()
