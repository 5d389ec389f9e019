"""Fixtures for 主动公开 records: a topic, draft fields, records at each workflow step."""

from datetime import date

import pytest

from zwgk.records import actions
from zwgk.records.choices import DocType, SecrecyCheck
from zwgk.records.models import TopicCategory

ALL_CLEAR = {c.value: True for c in SecrecyCheck}


@pytest.fixture
def rworld(world):
    """The fixture world with 索引号 prefixes on the two 教育局 (default template)."""
    world.city_edu.index_prefix = "000014349"
    world.city_edu.org_code = "00001434-9"
    world.city_edu.save()
    world.county_edu.index_prefix = "KZ044"
    world.county_edu.save()
    return world


@pytest.fixture
def topic(db):
    parent = TopicCategory.objects.get(name="综合政务", parent=None)
    return TopicCategory.objects.create(name="政务公开", parent=parent)


def record_fields(topic, **overrides):
    fields = {
        "title": "示范市教育局关于做好2026年义务教育招生工作的通知",
        "summary": "明确2026年义务教育阶段学校招生的范围、程序和时间安排。",
        "doc_number": "示教发〔2026〕12号",
        "written_on": date(2026, 3, 2),
        "topic": topic,
        "doc_type": DocType.NOTICE,
        "keywords": "教育 招生 通知",
        "body": "<p>各区县教育局：</p><p>现将有关事项通知如下。</p>",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def draft(rworld, topic):
    return actions.do_create_record(
        rworld.city_edu, record_fields(topic), acting_user=rworld.users.editor
    )


def publish(record, world, **approve):
    """Take a draft through 保密审查 and 审签 with the fixture world's users."""
    users = world.users
    record = actions.do_submit_for_review(record, acting_user=users.editor)
    record = actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=users.reviewer)
    return actions.do_approve(record, acting_user=users.reviewer, **approve)


@pytest.fixture
def published(draft, rworld):
    return publish(draft, rworld)
