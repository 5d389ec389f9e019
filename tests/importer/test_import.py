"""The import action and ``zwgk import-documents``: drafts, publication, idempotency, report."""

from datetime import date, datetime, time
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from docx import Document

from zwgk.audit.models import AuditEvent
from zwgk.audit.services import record_event
from zwgk.importer import actions as importer_actions
from zwgk.importer.actions import _issuers, import_paths, new_record, prepare
from zwgk.importer.loaders import iter_files
from zwgk.importer.models import ImportedDocument
from zwgk.portal.cache import generation
from zwgk.records.actions import do_create_record, record_snapshots
from zwgk.records.choices import Status, VersionReason
from zwgk.records.indexnum import next_index_number
from zwgk.records.models import IndexSerial, Record, RecordVersion, TopicCategory
from zwgk.search.models import OutboxEntry

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

TEXT = """示范市教育局关于做好{n}项工作的通知
示教发〔2024〕{n}号
各学校：
现就有关事项通知如下。
示范市教育局
2024年3月{day}日
分享到
"""

HTML = """<html><head><meta charset="utf-8"><title>示范通知</title>
<meta name="PubDate" content="2024-04-02"></head><body>
<div>当前位置：首页 &gt; 通知公告</div>
<p>示范市教育局关于{n}号示范事项的通知</p><p>各学校：</p><p>现通知如下。</p>
<p>示范市教育局</p><p>2024年4月1日</p><p>打印本页 关闭窗口</p></body></html>"""


@pytest.fixture
def folder(tmp_path):
    for n in range(1, 4):
        (tmp_path / f"doc{n}.txt").write_text(TEXT.format(n=n, day=n), encoding="utf-8")
    (tmp_path / "page.html").write_text(HTML.format(n=9), encoding="utf-8")
    (tmp_path / "ignored.csv").write_text("a,b", encoding="utf-8")
    return tmp_path


@pytest.fixture
def topic(db):
    return TopicCategory.objects.get(name="综合政务", parent__isnull=True)


@pytest.fixture(autouse=True)
def index_prefix(db, request):
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        world.city_edu.index_prefix = "SJY"
        world.city_edu.save()


def run_command(*args):
    out, err = StringIO(), StringIO()
    call_command("import-documents", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_creates_drafts_and_is_idempotent(world, folder):
    out, err = run_command(str(folder), "--agency", world.city_edu.name)
    assert "新建草稿：4" in out
    assert "进度 4/4" in err
    records = Record.objects.filter(agency=world.city_edu)
    assert records.count() == 4
    assert set(records.values_list("status", flat=True)) == {Status.DRAFT}
    record = records.get(doc_number="示教发〔2024〕2号")
    assert record.title == "示范市教育局关于做好2项工作的通知"
    assert record.written_on == date(2024, 3, 2)
    assert record.doc_type == "notice"
    assert "分享到" not in record.body and "<p>现就有关事项通知如下。</p>" in record.body
    assert record.issuers.get() == world.city_edu  # 发文机关 matched by name
    assert AuditEvent.objects.filter(action="importer.batch").count() == 1

    out, _ = run_command(str(folder), "--agency", world.city_edu.name)
    assert "已导入过（跳过）：4" in out
    assert Record.objects.filter(agency=world.city_edu).count() == 4
    assert ImportedDocument.objects.count() == 4


def test_dry_run_writes_nothing(world, folder):
    out, _ = run_command(str(folder), "--agency", world.city_edu.name, "--dry-run")
    assert "试运行（未写入）：4" in out
    assert not Record.objects.exists() and not ImportedDocument.objects.exists()


def test_publish_keeps_original_publication_date_and_audits(world, folder):
    out, _ = run_command(str(folder), "--agency", world.city_edu.name, "--publish")
    assert "已发布：4" in out
    page = Record.objects.get(title__contains="9号示范事项")
    assert page.status == Status.PUBLISHED
    assert page.published_at.astimezone(SHANGHAI).date() == date(2024, 4, 2)  # the page's 发布日期
    assert page.index_number.startswith("SJY/2024-")
    text_doc = Record.objects.get(doc_number="示教发〔2024〕1号")
    assert text_doc.published_at.astimezone(SHANGHAI).date() == date(
        2024, 3, 1
    )  # no 发布日期: the 成文日期
    assert text_doc.versions.count() == 1
    assert AuditEvent.objects.filter(action="importer.publish").count() == 4
    numbers = set(Record.objects.values_list("index_number", flat=True))
    assert len(numbers) == 4 and "" not in numbers
    # Published records go to search and make cached public pages stale.
    keys = set(OutboxEntry.objects.values_list("key", flat=True))
    assert keys == {f"record:{pk}" for pk in Record.objects.values_list("pk", flat=True)}
    assert generation() > 0


def test_publish_requires_signing_role(world, folder, topic):
    with pytest.raises(PermissionDenied):
        import_paths(
            [folder / "doc1.txt"],
            agency=world.city_edu,
            topic=topic,
            publish=True,
            acting_user=world.users.editor,
        )
    run = import_paths(
        [folder / "doc1.txt"], agency=world.city_edu, topic=topic, acting_user=world.users.editor
    )
    assert run.count("created") == 1
    assert Record.objects.get().created_by == world.users.editor


def test_report_lists_what_could_not_be_extracted(world, tmp_path):
    (tmp_path / "no_date.txt").write_text("关于某事的通知\n各单位：\n正文。\n", encoding="utf-8")
    (tmp_path / "empty.pdf").write_bytes(b"not a pdf")
    out, _ = run_command(str(tmp_path), "--agency", world.city_edu.name)
    assert "未能导入" in out
    assert "未识别成文日期" in out
    assert "无法读取 PDF" in out
    assert not Record.objects.exists()


def test_docx_input(world, tmp_path):
    document = Document()
    for line in TEXT.format(n=5, day=5).splitlines():
        document.add_paragraph(line)
    document.save(tmp_path / "doc.docx")
    out, _ = run_command(str(tmp_path), "--agency", world.city_edu.name)
    assert "新建草稿：1" in out
    assert Record.objects.get().doc_number == "示教发〔2024〕5号"


def test_unknown_agency(db, folder):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run_command(str(folder), "--agency", "不存在的机关")


def test_seeds_import_and_report(world):
    if not SEEDS.exists():
        pytest.skip(f"seeds not found: {SEEDS}")
    out, _ = run_command(str(SEEDS), "--agency", world.city_edu.name, "--publish")
    # Four clean documents are published; Kunming's garbled text stays a draft … or fails
    # for want of a title, and is listed as not extracted cleanly.
    assert "已发布：4" in out
    assert "未能干净提取" in out and "004_71e7dfcd1eb80e4a.txt" in out
    shandong = ImportedDocument.objects.get(source_path__endswith="003_ef33f372f56aafdd.txt")
    assert shandong.traditional
    assert shandong.record.title.startswith("山東省")
    assert "山东省人民政府办公厅" in shandong.search_text
    assert Record.objects.get(doc_number="并政办发〔2018〕47号").published_at.astimezone(
        SHANGHAI
    ).date() == date(2018, 9, 10)
    assert Record.objects.get(doc_number="克政办发〔2018〕65号").published_at.astimezone(
        SHANGHAI
    ).date() == date(2018, 12, 19)


# ---------------------------------------------------------------- the bulk path against one by one

GARBLED = (
    "示范市教育局关于{n}项工作的通知\n各学校：\n现就有关事项通\ufffd知如下\ufffd。\n"
    "示范市教育局\n2024年5月6日\n"
)
JOINT = (
    "示范市财政局关于第{n}项工作的通知\n各学校：\n正文。\n"
    "示范市教育局\n示范市财政局\n2023年12月{n}日\n"
)


@pytest.fixture
def mixed(tmp_path):
    """Documents of two years, joint ones, a duplicate, a garbled one and two that fail."""
    for n in range(1, 8):
        (tmp_path / f"a{n}.txt").write_text(TEXT.format(n=n, day=n), encoding="utf-8")
    for n in range(1, 4):
        (tmp_path / f"b{n}.html").write_text(HTML.format(n=n + 10), encoding="utf-8")
        (tmp_path / f"c{n}.txt").write_text(JOINT.format(n=n), encoding="utf-8")
    (tmp_path / "c9.txt").write_text(TEXT.format(n=1, day=1), encoding="utf-8")  # a1's bytes
    (tmp_path / "d1.txt").write_text(GARBLED.format(n=1), encoding="utf-8")
    (tmp_path / "d2.txt").write_text("没有标题的一段话。\n2024年1月1日\n", encoding="utf-8")
    (tmp_path / "d3.txt").write_text("关于某事的通知\n各单位：\n正文。\n", encoding="utf-8")
    return tmp_path


def one_by_one(folder, *, agency, topic, publish):
    """The importer as it was before the bulk path, kept as the reference.

    Per document and transaction: ``do_create_record``, the ``ImportedDocument``
    row and, to publish, the 索引号 from ``next_index_number``, a version and
    the ``importer.publish`` event.
    """
    for path in iter_files([folder]):
        digest, extracted = prepare(path)
        if ImportedDocument.objects.filter(sha256=digest).exists():
            continue
        try:
            entry = new_record(
                extracted, topic=topic, publish=publish, issuers=_issuers(extracted.issuer, {})
            )
        except ValidationError:
            continue
        with transaction.atomic():
            record = do_create_record(agency, entry.fields, issuers=entry.issuers, acting_user=None)
            ImportedDocument.objects.create(
                sha256=digest,
                source_path=str(path),
                record=record,
                batch="b",
                issuer_text=extracted.issuer,
                published_on=extracted.published_on,
                traditional=extracted.traditional,
                search_text=extracted.search_text,
                notes=[*extracted.notes, *extracted.misdecoded],
            )
            day = entry.published_on
            if day is None:
                continue
            record.status = Status.PUBLISHED
            record.index_number = next_index_number(agency, day.year)
            record.published_at = timezone.make_aware(datetime.combine(day, time(0, 0)))
            record.save(update_fields=["status", "index_number", "published_at", "updated_at"])
            note = f"导入发布，原发布日期 {day:%Y-%m-%d}"
            RecordVersion.objects.create(
                record=record,
                number=1,
                reason=VersionReason.PUBLISH,
                note=note,
                data=record_snapshots([record])[0],
            )
            record_event(
                "importer.publish",
                agency=agency,
                obj=record,
                summary=f"{note}，索引号 {record.index_number}",
            )


def written(agency):
    """Everything the import wrote, by file name (ids and times left out)."""
    skip = {"id", "created_at", "updated_at", "imported_at", "record_id", "object_id"}

    def plain(obj):
        fields = obj._meta.concrete_fields
        return {f.attname: getattr(obj, f.attname) for f in fields if f.attname not in skip}

    files = {}
    for row in ImportedDocument.objects.select_related("record"):
        record = row.record
        events = AuditEvent.objects.filter(object_type="records.record", object_id=str(record.pk))
        files[Path(row.source_path).name] = {
            "imported": plain(row),
            "record": plain(record),
            "issuers": list(record.issuers.values_list("name", flat=True)),
            "versions": [plain(v) for v in record.versions.all()],
            "events": [plain(e) for e in events.order_by("pk")],
        }
    serials = list(IndexSerial.objects.filter(agency=agency).values_list("year", "last"))
    return files, sorted(serials)


def rolled_back(do):
    with transaction.atomic():
        do()
        state = written(do.agency)
        transaction.set_rollback(True)
    return state


@pytest.mark.parametrize("publish", [False, True])
def test_bulk_import_writes_what_one_by_one_wrote(world, mixed, topic, monkeypatch, publish):
    agency = world.city_edu
    with transaction.atomic():  # a serial taken before: the import continues after it
        next_index_number(agency, 2024)
    monkeypatch.setattr(importer_actions, "CHUNK", 4)  # chunks end among the failures

    def reference():
        one_by_one(mixed, agency=agency, topic=topic, publish=publish)

    def bulk():
        run = import_paths([mixed], agency=agency, topic=topic, publish=publish, batch="b", jobs=1)
        assert (run.count("failed"), run.count("duplicate")) == (2, 1)

    reference.agency = bulk.agency = agency
    expected, got = rolled_back(reference), rolled_back(bulk)
    assert got == expected
    files, serials = got
    assert len(files) == 14
    assert files["c1.txt"]["issuers"] == ["示范市教育局", "示范市财政局"]
    assert files["d1.txt"]["record"]["status"] == Status.DRAFT  # garbled: a draft even so
    numbers = sorted(f["record"]["index_number"] for f in files.values() if f["versions"])
    if publish:
        # 2023: the three joint documents; 2024: the other ten but the garbled one.
        assert serials == [(2023, 3), (2024, 11)]
        assert numbers == [f"SJY/2023-{n:05d}" for n in (1, 2, 3)] + [
            f"SJY/2024-{n:05d}" for n in range(2, 12)
        ]
    else:
        assert serials == [(2024, 1)] and numbers == []


def test_bytes_imported_meanwhile_are_duplicates(world, folder, topic, monkeypatch):
    """Another run imports a file between the check and the insert: the chunk is tried again."""
    import_paths([folder / "doc2.txt"], agency=world.city_edu, topic=topic, publish=True)
    real = importer_actions._known
    calls = []

    def stale_then_real(digests):
        calls.append(digests)
        return set() if len(calls) == 1 else real(digests)

    monkeypatch.setattr(importer_actions, "_known", stale_then_real)
    run = import_paths([folder], agency=world.city_edu, topic=topic, publish=True)
    assert (run.count("published"), run.count("duplicate")) == (3, 1)
    assert len(calls) == 2
    numbers = sorted(Record.objects.values_list("index_number", flat=True))
    assert numbers == [f"SJY/2024-{n:05d}" for n in range(1, 5)]  # the retry left no gap
    assert ImportedDocument.objects.count() == Record.objects.count() == 4


def test_publish_without_index_prefix_fails_each_document(world, folder, topic):
    run = import_paths([folder], agency=world.town, topic=topic, publish=True)
    assert run.count("failed") == 4
    assert all("索引号前缀" in o.message for o in run.outcomes)
    assert not Record.objects.exists() and not ImportedDocument.objects.exists()
