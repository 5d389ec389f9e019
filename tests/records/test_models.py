"""Record metadata (rules.md §2): validation, 文号 normalisation, sanitised body, taxonomy."""

import importlib
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from tests.records.conftest import record_fields
from zwgk.records import actions
from zwgk.records.choices import Disclosure, DocType, Validity
from zwgk.records.models import Record, TopicCategory


def new_record(world, topic, **overrides):
    return actions.do_create_record(
        world.city_edu, record_fields(topic, **overrides), acting_user=world.users.editor
    )


def test_the_22_gov_cn_first_level_topics_are_seeded(db):
    roots = TopicCategory.objects.filter(parent=None)
    assert roots.count() == 22
    names = list(roots.order_by("sort_order").values_list("name", flat=True))
    assert names[0] == "国务院组织机构"
    assert names[1] == "综合政务"
    assert names[-1] == "其他"
    assert "人口与计划生育、妇女儿童工作" in names


def test_topic_is_displayed_as_first_backslash_second(topic):
    assert str(topic) == "综合政务\\政务公开"
    assert str(topic.parent) == "综合政务"


def test_topic_has_only_two_levels(topic):
    third = TopicCategory(name="年报", parent=topic)
    with pytest.raises(ValidationError, match="两级"):
        third.full_clean()


def test_summary_at_most_100_characters(world, topic):
    record = new_record(world, topic, summary="概" * 100)
    assert len(record.summary) == 100
    with pytest.raises(ValidationError) as excinfo:
        new_record(world, topic, summary="概" * 101)
    assert "内容概述不超过100字（当前101字）" in str(excinfo.value)


def test_withheld_needs_reason_and_review_date(world, topic):
    """条例第十八条: information withheld is reviewed periodically."""
    with pytest.raises(ValidationError) as excinfo:
        new_record(world, topic, disclosure=Disclosure.WITHHELD)
    errors = excinfo.value.message_dict
    assert "withhold_reason" in errors
    assert "next_review_on" in errors
    record = new_record(
        world,
        topic,
        disclosure=Disclosure.WITHHELD,
        withhold_reason="属于内部事务信息（条例第十六条第一款）",
        next_review_on=date(2027, 3, 1),
    )
    assert Record.objects.withheld_due_for_review(date(2027, 3, 1)).get() == record
    assert not Record.objects.withheld_due_for_review(date(2027, 2, 28)).exists()


def test_abolished_needs_a_date_and_amended_a_replacement(world, topic):
    record = new_record(world, topic)
    record.validity = Validity.ABOLISHED
    with pytest.raises(ValidationError) as excinfo:
        record.full_clean()
    assert "abolished_on" in excinfo.value.message_dict
    record.abolished_on = date(2026, 6, 1)
    record.full_clean()
    record.validity = Validity.AMENDED
    with pytest.raises(ValidationError) as excinfo:
        record.full_clean()
    assert "replaced_by" in excinfo.value.message_dict


def test_formed_on_defaults_to_written_on_and_cannot_precede_it(world, topic):
    record = new_record(world, topic)
    assert record.formed_on == date(2026, 3, 2)
    with pytest.raises(ValidationError, match="不能早于成文日期"):
        new_record(world, topic, formed_on=date(2026, 3, 1))


@pytest.mark.parametrize(
    "written",
    ["示教发〔2026〕12号", "示教发[2026]12号", "示教发（2026）12号", "示教发〔 2026 〕012 号"],
)
def test_doc_number_normalised_on_save_original_kept(world, topic, written):
    record = new_record(world, topic, doc_number=written)
    assert record.doc_number == written.strip()
    assert record.doc_number_normalized == "示教发〔2026〕12号"
    assert Record.objects.get(doc_number_normalized="示教发〔2026〕12号") == record


def test_a_traditional_doc_number_is_normalised_in_simplified_characters(world, topic):
    record = new_record(world, topic, doc_number="示教辦〔2026〕3號")
    assert record.doc_number == "示教辦〔2026〕3號"
    assert record.doc_number_normalized == "示教办〔2026〕3号"


def test_the_migration_normalises_traditional_doc_numbers_saved_before(world, topic):
    migration = importlib.import_module(
        "zwgk.records.migrations.0006_normalize_traditional_docnums"
    )
    record = new_record(world, topic, doc_number="示教辦〔2026〕3號")
    untouched = new_record(world, topic, doc_number="无文号")
    Record.objects.filter(pk=record.pk).update(doc_number_normalized="")  # as saved before
    migration.normalize(django_apps, None)
    record.refresh_from_db()
    untouched.refresh_from_db()
    assert record.doc_number_normalized == "示教办〔2026〕3号"
    assert untouched.doc_number_normalized == ""


def test_unparseable_doc_number_is_kept_without_normal_form(world, topic):
    record = new_record(world, topic, doc_number="无文号")
    assert record.doc_number == "无文号"
    assert record.doc_number_normalized == ""


def test_body_is_sanitised_on_save(world, topic):
    record = new_record(
        world,
        topic,
        body=(
            '<p onclick="steal()">正文<script>alert(1)</script></p>'
            '<a href="javascript:alert(1)">链接</a><a href="https://www.gov.cn/">政府网</a>'
            '<table><tr><td colspan="2" style="color:red">表格</td></tr></table>'
        ),
    )
    body = Record.objects.get(pk=record.pk).body
    assert "<script" not in body
    assert "onclick" not in body
    assert "javascript:" not in body
    assert "style=" not in body
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer">政府网</a>' in body
    assert 'colspan="2"' in body


def test_doc_types_are_the_15_official_kinds_plus_other():
    assert len(DocType) == 16
    assert DocType.ORDER.label == "命令（令）"
    assert DocType.MINUTES.label == "纪要"
