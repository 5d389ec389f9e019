"""Public records for the portal, feed and API tests, made straight in the database.

Import the fixtures by their ``*_fixture`` names; tests ask for ``topics``,
``portal`` and ``hidden_records``.

The workflow itself is tested in ``tests/records``; here a record only needs
to *be* in a state.  ``hidden_records`` makes one record in every state the
public must never see.
"""

from datetime import date, datetime, timedelta
from itertools import count
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile

from tests.portal.factories import owned_site_profile
from zwgk.records.choices import Disclosure, DocType, Status, Validity
from zwgk.records.models import Attachment, Record, TopicCategory

SHANGHAI = ZoneInfo("Asia/Shanghai")
_serial = count(1)


def make_record(agency, topic, **fields) -> Record:
    """A published 主动公开 record unless ``fields`` say otherwise."""
    n = next(_serial)
    published = fields.pop("published_at", datetime(2025, 6, 1, 9, 0, tzinfo=SHANGHAI))
    status = fields.pop("status", Status.PUBLISHED)
    values = {
        "agency": agency,
        "topic": topic,
        "title": f"示范市关于第{n}项工作的通知",
        "summary": f"第{n}项工作的安排。",
        "doc_number": f"示政发〔{published.year}〕{n}号",
        "written_on": published.date() - timedelta(days=3),
        "doc_type": DocType.NOTICE,
        "body": f"<p>第{n}项工作的正文。</p>",
        "status": status,
        "published_at": published if status in (Status.PUBLISHED, Status.WITHDRAWN) else None,
        "index_number": f"000014349/{published.year}-{n:05d}"
        if status in (Status.PUBLISHED, Status.WITHDRAWN)
        else "",
    }
    values.update(fields)
    return Record.objects.create(**values)


def add_attachment(record, name="实施细则.pdf", content=b"%PDF-1.4 test file") -> Attachment:
    attachment = Attachment(record=record, original_name=name, size=len(content), sha256="0" * 64)
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


@pytest.fixture(name="topics")
def topics_fixture(db):
    # Seeded by migration 0002 — but a transactional (browser) test may have flushed them.
    general, _ = TopicCategory.objects.get_or_create(name="综合政务", parent=None)
    education, _ = TopicCategory.objects.get_or_create(name="科技、教育", parent=None)
    return SimpleNamespace(
        general=general,
        openness=TopicCategory.objects.create(name="政务公开", parent=general),
        education=education,
        schools=TopicCategory.objects.create(name="基础教育", parent=education),
    )


@pytest.fixture(name="portal")
def portal_fixture(world, topics):
    """The city's site, a few public records of two agencies, one abolished and replaced."""
    site = owned_site_profile(world.city)
    new = make_record(
        world.city_edu,
        topics.schools,
        title="示范市教育局关于2026年义务教育招生工作的通知",
        doc_number="示教发〔2026〕12号",
        published_at=datetime(2026, 3, 5, 10, 0, tzinfo=SHANGHAI),
        doc_type=DocType.NOTICE,
    )
    old = make_record(
        world.city_edu,
        topics.schools,
        title="示范市教育局关于2024年义务教育招生工作的通知",
        doc_number="示教发〔2024〕3号",
        published_at=datetime(2024, 3, 1, 10, 0, tzinfo=SHANGHAI),
        validity=Validity.ABOLISHED,
        abolished_on=date(2026, 3, 5),
        replaced_by=new,
    )
    opinion = make_record(
        world.city,
        topics.openness,
        title="示范市人民政府关于全面推进政务公开工作的意见",
        doc_number="示政发〔2025〕7号",
        doc_type=DocType.OPINION,
        published_at=datetime(2025, 8, 1, 10, 0, tzinfo=SHANGHAI),
    )
    return SimpleNamespace(site=site, new=new, old=old, opinion=opinion)


@pytest.fixture(name="hidden_records")
def hidden_records_fixture(world, topics):
    """One record in every state the public must never see, all titled “内部…”."""
    records = {}
    for status in (
        Status.DRAFT,
        Status.SECRECY_REVIEW,
        Status.AWAITING_APPROVAL,
        Status.SCHEDULED,
        Status.WITHDRAWN,
    ):
        records[status] = make_record(
            world.city_edu, topics.schools, title=f"内部{status.label}文件", status=status
        )
    for disclosure in (Disclosure.ON_REQUEST, Disclosure.WITHHELD):
        records[disclosure] = make_record(
            world.city_edu,
            topics.schools,
            title=f"内部{disclosure.label}文件",
            disclosure=disclosure,
            withhold_reason="涉及国家秘密" if disclosure == Disclosure.WITHHELD else "",
            next_review_on=date(2027, 1, 1) if disclosure == Disclosure.WITHHELD else None,
        )
    for record in records.values():
        add_attachment(record, name="内部附件.pdf")
    return records
