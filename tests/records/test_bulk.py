"""``do_create_records``: many records at once, as ``do_create_record`` writes them one by one."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zwgk.audit.models import AuditEvent
from zwgk.records import actions
from zwgk.records.actions import NewRecord
from zwgk.records.choices import Disclosure, InterpretationForm, RecordKind, Status
from zwgk.records.models import IndexSerial, Record

from .conftest import publish, record_fields

SHANGHAI = ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def entries(topic, count, *, published_on=None, **overrides):
    return [
        NewRecord(
            record_fields(
                topic, title=f"第{n}号通知", doc_number=f"示教发〔2026〕{n}号", **overrides
            ),
            published_on=published_on,
        )
        for n in range(1, count + 1)
    ]


def test_drafts_are_written_as_one_by_one(rworld, topic):
    edu, editor = rworld.city_edu, rworld.users.editor
    bulk = actions.do_create_records(
        edu,
        [
            NewRecord(record_fields(topic, title="联合发文"), issuers=[rworld.city_fin, edu, edu]),
            NewRecord(record_fields(topic, title="本机关发文")),
        ],
        acting_user=editor,
    )
    single = actions.do_create_record(
        edu,
        record_fields(topic, title="联合发文"),
        issuers=[rworld.city_fin, edu],
        acting_user=editor,
    )
    joint = bulk[0]
    assert [r.status for r in bulk] == [Status.DRAFT, Status.DRAFT]
    compared = [f.attname for f in Record._meta.concrete_fields]
    compared = [n for n in compared if n not in ("id", "created_at", "updated_at")]
    fresh = Record.objects.get(pk=joint.pk)
    assert {n: getattr(fresh, n) for n in compared} == {n: getattr(single, n) for n in compared}
    assert fresh.doc_number_normalized == "示教发〔2026〕12号" and fresh.formed_on == date(
        2026, 3, 2
    )
    assert list(fresh.issuers.all()) == list(single.issuers.all()) == [edu, rworld.city_fin]
    assert list(bulk[1].issuers.all()) == [edu]

    def events(record):
        return list(
            AuditEvent.objects.filter(object_id=str(record.pk)).values_list(
                "action", "actor_id", "agency_id", "object_type", "summary", "changes"
            )
        )

    assert (
        events(joint)
        == events(single)
        == [
            (
                "records.create",
                editor.pk,
                edu.pk,
                "records.record",
                "新建政府信息草稿：联合发文",
                {},
            )
        ]
    )


def test_an_invalid_record_fails_alone(rworld, topic):
    good = entries(topic, 3, published_on=date(2025, 6, 1))
    withheld = NewRecord(record_fields(topic, disclosure=Disclosure.WITHHELD))
    not_public = NewRecord(
        record_fields(topic, disclosure=Disclosure.ON_REQUEST), published_on=date(2025, 6, 1)
    )
    interpretation = NewRecord(
        record_fields(
            topic,
            kind=RecordKind.INTERPRETATION,
            interpretation_form=InterpretationForm.TEXT,
            author_unit="示范市教育局",
        ),
        published_on=date(2025, 6, 1),
    )
    results = actions.do_create_records(
        rworld.city_edu,
        [good[0], withheld, good[1], not_public, interpretation, good[2]],
        acting_user=None,
    )
    assert [type(r) for r in results] == [
        Record,
        ValidationError,
        Record,
        ValidationError,
        ValidationError,
        Record,
    ]
    assert "不予公开的信息必须写明理由和依据。" in results[1].messages
    assert "不能提交发布" in results[3].messages[0]
    assert "政策解读须关联其解读的政策文件" in results[4].messages[0]
    # No gap where the invalid ones were.
    assert [r.index_number for r in results if isinstance(r, Record)] == [
        "000014349/2025-00001",
        "000014349/2025-00002",
        "000014349/2025-00003",
    ]
    assert Record.objects.count() == 3


def test_publishing_takes_serials_per_year_after_the_existing_ones(rworld, topic, draft):
    published = publish(draft, rworld)  # 2026-00001 through the workflow
    year = published.published_at.astimezone(SHANGHAI).year
    batch = [
        *entries(topic, 2, published_on=date(2018, 12, 31)),
        *entries(topic, 2, published_on=date(year, 1, 1)),
        NewRecord(record_fields(topic)),  # a draft among them
        *entries(topic, 1, published_on=date(2018, 1, 1)),
    ]
    results = actions.do_create_records(rworld.city_edu, batch, acting_user=rworld.users.admin)
    assert [r.index_number for r in results] == [
        "000014349/2018-00001",
        "000014349/2018-00002",
        f"000014349/{year}-00002",
        f"000014349/{year}-00003",
        "",
        "000014349/2018-00003",
    ]
    first = Record.objects.get(pk=results[0].pk)
    assert first.status == Status.PUBLISHED
    assert first.published_at.astimezone(SHANGHAI).isoformat() == "2018-12-31T00:00:00+08:00"
    (version,) = first.versions.all()
    assert (version.number, version.reason, version.note) == (
        1,
        "publish",
        "导入发布，原发布日期 2018-12-31",
    )
    assert [version.data] == actions.record_snapshots(results[:1])
    assert version.data["published_at"] == "2018-12-31T00:00:00+08:00"  # as the importer wrote it
    assert version.created_by == rworld.users.admin
    assert list(
        AuditEvent.objects.filter(object_id=str(first.pk))
        .order_by("pk")
        .values_list("action", "summary")
    ) == [
        ("records.create", "新建政府信息草稿：第1号通知"),
        ("importer.publish", "导入发布，原发布日期 2018-12-31，索引号 000014349/2018-00001"),
    ]
    assert IndexSerial.objects.get(agency=rworld.city_edu, year=2018).last == 3


def test_no_index_prefix_fails_the_publications_only(rworld, topic):
    town = rworld.town  # no 索引号前缀
    results = actions.do_create_records(
        town,
        [*entries(topic, 2, published_on=date(2025, 1, 2)), NewRecord(record_fields(topic))],
        acting_user=None,
    )
    assert isinstance(results[0], ValidationError) and "索引号前缀" in results[0].messages[0]
    assert results[1] is results[0]
    assert results[2].status == Status.DRAFT
    assert Record.objects.get().pk == results[2].pk
    assert not IndexSerial.objects.filter(agency=town, last__gt=0).exists()  # nothing taken


def test_roles(rworld, topic):
    users = rworld.users
    with pytest.raises(PermissionDenied):
        actions.do_create_records(rworld.city_edu, entries(topic, 1), acting_user=users.reviewer)
    with pytest.raises(PermissionDenied):  # publishing needs the signing role too
        actions.do_create_records(
            rworld.city_edu,
            entries(topic, 1, published_on=date(2025, 1, 1)),
            acting_user=users.editor,
        )
    assert not Record.objects.exists()
    (record,) = actions.do_create_records(
        rworld.city_edu, entries(topic, 1), acting_user=users.editor
    )
    assert record.created_by == users.editor


def test_queries_do_not_grow_with_the_batch(rworld, topic):
    def queries(count, offset):
        batch = entries(topic, count, published_on=date(2020 + offset, 5, 4))
        with CaptureQueriesContext(connection) as captured:
            results = actions.do_create_records(rworld.city_edu, batch, acting_user=None)
        assert all(isinstance(r, Record) for r in results)
        return len(captured)

    # (25: SQLite inserts at most 999 values per statement, 27 records.)
    assert queries(5, 0) == queries(25, 1)


def test_record_snapshots_read_the_relations_of_each_record(rworld, topic):
    edu = rworld.city_edu
    policy_a = publish(
        actions.do_create_record(
            edu, record_fields(topic, kind=RecordKind.POLICY), acting_user=None
        ),
        rworld,
    )
    policy_b = publish(
        actions.do_create_record(
            edu, record_fields(topic, kind=RecordKind.POLICY), acting_user=None
        ),
        rworld,
    )
    interpretation = actions.do_create_record(
        edu,
        record_fields(
            topic,
            kind=RecordKind.INTERPRETATION,
            interpretation_form=InterpretationForm.TEXT,
            author_unit="示范市教育局",
        ),
        issuers=[rworld.city_fin, edu],
        interprets=[policy_b, policy_a],
        acting_user=None,
    )
    for name in ("b.png", "a.png"):
        actions.do_add_attachment(interpretation, SimpleUploadedFile(name, PNG), acting_user=None)
    one, two = actions.record_snapshots([interpretation, policy_a])
    assert [i["name"] for i in one["issuers"]] == ["示范市教育局", "示范市财政局"]
    assert [p["id"] for p in one["interprets"]] == sorted([policy_a.pk, policy_b.pk])
    assert one["interprets"][0]["index_number"] == policy_a.index_number
    assert [a["name"] for a in one["attachments"]] == ["b.png", "a.png"]
    assert two["issuers"] == [{"id": edu.pk, "name": "示范市教育局"}]
    assert two["interprets"] == two["attachments"] == []
    assert [one] == actions.record_snapshots([interpretation])  # alone, the same
    assert two == policy_a.versions.get().data
