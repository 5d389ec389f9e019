"""The import action and ``zwgk import-documents``: drafts, publication, idempotency, report."""

from datetime import date
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from docx import Document

from zwgk.audit.models import AuditEvent
from zwgk.importer.actions import import_paths
from zwgk.importer.models import ImportedDocument
from zwgk.records.choices import Status
from zwgk.records.models import Record, TopicCategory

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
