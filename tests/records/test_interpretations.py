"""政策解读: interpretations linked to their policies, and the 同步发布 check."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.records.conftest import ALL_CLEAR, record_fields
from tests.records.test_admin import form_data
from zwgk.records import actions
from zwgk.records.choices import InterpretationForm, RecordKind, Status
from zwgk.records.interpretations import (
    interpretations_of,
    missing_interpretations,
    policies_of,
)
from zwgk.records.models import Record

POLICY, INTERPRETATION = RecordKind.POLICY, RecordKind.INTERPRETATION
MISSING = "admin:records_record_missing_interpretations"


def publish(record):
    record = actions.do_submit_for_review(record, acting_user=None)
    record = actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=None)
    return actions.do_approve(record, acting_user=None)


def policy(agency, topic, title, *, needs=True, published=True):
    record = actions.do_create_record(
        agency,
        record_fields(topic, title=title, kind=POLICY, needs_interpretation=needs),
        acting_user=None,
    )
    return publish(record) if published else record


def interpretation(agency, topic, title, policies, *, form=InterpretationForm.TEXT, published=True):
    record = actions.do_create_record(
        agency,
        record_fields(
            topic,
            title=title,
            doc_number="",
            kind=INTERPRETATION,
            interpretation_form=form,
            author_unit=agency.name,
        ),
        interprets=policies,
        acting_user=None,
    )
    return publish(record) if published else record


@pytest.fixture(autouse=True)
def prefixes(rworld):
    for n, agency in enumerate([rworld.city, rworld.city_fin], start=1):
        agency.index_prefix = f"PX{n}"
        agency.save()


@pytest.fixture
def enrolment(rworld, topic):
    return policy(rworld.city_edu, topic, "示范市义务教育招生工作实施意见")


def test_one_policy_with_several_interpretations(enrolment, rworld, topic):
    text = interpretation(rworld.city_edu, topic, "一图读懂招生意见", [enrolment])
    qa = interpretation(
        rworld.city_edu, topic, "招生意见问答", [enrolment], form=InterpretationForm.QA
    )
    draft = interpretation(rworld.city_edu, topic, "专家谈招生意见", [enrolment], published=False)
    assert list(interpretations_of(enrolment)) == [text, qa]  # published only, oldest first
    assert list(policies_of(qa)) == [enrolment]
    assert set(enrolment.interpretations.all()) == {text, qa, draft}
    assert qa.get_interpretation_form_display() == "问答"


def test_an_interpretation_may_explain_several_policies(rworld, topic):
    first = policy(rworld.city_edu, topic, "招生意见")
    second = policy(rworld.city_edu, topic, "学区划分办法", published=False)
    both = interpretation(rworld.city_edu, topic, "招生和学区政策解读", [first, second])
    assert list(policies_of(both)) == [first]  # the portal shows published policies only
    assert both.versions.get().data["interprets"] == [
        {"id": first.pk, "index_number": first.index_number, "title": "招生意见"},
        {"id": second.pk, "index_number": "", "title": "学区划分办法"},
    ]


def test_missing_until_an_interpretation_is_published(enrolment, rworld, topic):
    no_need = policy(rworld.city_edu, topic, "不需要解读的政策", needs=False)
    unpublished = policy(rworld.city_edu, topic, "尚未发布的政策", published=False)
    assert list(missing_interpretations(Record.objects.all())) == [enrolment]
    assert no_need not in missing_interpretations() and unpublished not in missing_interpretations()

    draft = interpretation(rworld.city_edu, topic, "招生意见解读", [enrolment], published=False)
    assert list(missing_interpretations()) == [enrolment]  # a draft does not count
    publish(draft)
    assert list(missing_interpretations()) == []


def test_withdrawing_the_interpretation_makes_the_policy_missing_again(enrolment, rworld, topic):
    reading = interpretation(rworld.city_edu, topic, "招生意见解读", [enrolment])
    assert list(missing_interpretations()) == []
    actions.do_withdraw_record(reading, reason="解读有误", acting_user=None)
    assert list(missing_interpretations()) == [enrolment]
    actions.do_republish(Record.objects.get(pk=reading.pk), acting_user=None)
    assert list(missing_interpretations()) == []


def test_missing_interpretations_is_one_query(rworld, topic, django_assert_num_queries):
    for n in range(3):
        policy(rworld.city_edu, topic, f"政策{n}")
    with django_assert_num_queries(1):
        assert [str(p.agency) for p in missing_interpretations()] == ["示范市教育局"] * 3


def test_missing_interpretations_follow_the_callers_scope(enrolment, rworld, topic):
    county = policy(rworld.county_edu, topic, "示范县教育局政策")
    users = rworld.users
    assert list(missing_interpretations(Record.objects.restrict(users.editor))) == [enrolment]
    assert list(missing_interpretations(Record.objects.restrict(users.county_editor))) == [county]
    supervised = missing_interpretations(Record.objects.restrict(users.supervisor))
    assert set(supervised) == {enrolment, county}


# ---------------------------------------------------------------- validation


def test_interpretation_targets_must_be_policies(rworld, topic):
    other = publish(
        actions.do_create_record(rworld.city_edu, record_fields(topic), acting_user=None)
    )
    with pytest.raises(ValidationError, match="不是政策文件"):
        interpretation(rworld.city_edu, topic, "解读", [other])


def test_only_interpretations_link_to_policies(enrolment, rworld, topic):
    with pytest.raises(ValidationError, match="只有政策解读可以关联"):
        actions.do_create_record(
            rworld.city_edu, record_fields(topic), interprets=[enrolment], acting_user=None
        )


def test_interpretation_needs_form_and_author_unit(enrolment, rworld, topic):
    fields = record_fields(topic, kind=INTERPRETATION)
    with pytest.raises(ValidationError) as exc:
        actions.do_create_record(rworld.city_edu, fields, interprets=[enrolment], acting_user=None)
    assert set(exc.value.message_dict) == {"interpretation_form", "author_unit"}


def test_only_policies_need_interpretation(rworld, topic):
    with pytest.raises(ValidationError, match="只有政策文件可以标注需要解读"):
        actions.do_create_record(
            rworld.city_edu, record_fields(topic, needs_interpretation=True), acting_user=None
        )


def test_an_interpretation_without_policy_cannot_be_submitted(rworld, topic):
    lonely = interpretation(rworld.city_edu, topic, "无对象的解读", [], published=False)
    with pytest.raises(ValidationError, match="须关联其解读的政策文件"):
        actions.do_submit_for_review(lonely, acting_user=None)


def test_a_policy_with_interpretations_stays_a_policy(enrolment, rworld, topic):
    interpretation(rworld.city_edu, topic, "解读", [enrolment])
    with pytest.raises(ValidationError, match="不能改为其他类别"):
        actions.do_correct_record(
            enrolment,
            {"kind": RecordKind.OTHER, "needs_interpretation": False},
            note="改类别",
            acting_user=None,
        )


def test_targets_are_in_the_agency_line(rworld, topic):
    government = policy(rworld.city, topic, "示范市人民政府关于教育的意见")
    finance = policy(rworld.city_fin, topic, "示范市财政局政策")
    # A department explains its government's policy (谁起草、谁解读) …
    ok = interpretation(rworld.city_edu, topic, "教育局解读市政府意见", [government])
    assert list(policies_of(ok)) == [government]
    # … but not a sibling department's.
    with pytest.raises(ValidationError, match="不属于本机关或其上下级机关"):
        interpretation(rworld.city_edu, topic, "越权解读", [finance])
    # A joint document (联合发文) naming the department is its own.
    joint = actions.do_create_record(
        rworld.city_fin,
        record_fields(topic, title="联合发文", kind=POLICY),
        issuers=[rworld.city_fin, rworld.city_edu],
        acting_user=None,
    )
    assert interpretation(rworld.city_edu, topic, "联合发文解读", [joint], published=False)


def test_links_are_dropped_when_a_draft_stops_being_an_interpretation(enrolment, rworld, topic):
    draft = interpretation(rworld.city_edu, topic, "解读", [enrolment], published=False)
    draft = actions.do_update_record(
        draft,
        {"kind": RecordKind.OTHER, "interpretation_form": "", "author_unit": ""},
        acting_user=None,
    )
    assert not draft.interprets.exists()


def test_link_changes_are_audited_and_versioned(enrolment, rworld, topic):
    second = policy(rworld.city_edu, topic, "第二个政策")
    reading = interpretation(rworld.city_edu, topic, "解读", [enrolment])
    reading = actions.do_correct_record(
        reading, {}, interprets=[enrolment, second], note="补充关联", acting_user=None
    )
    latest = reading.versions.order_by("-number").first()
    assert [p["id"] for p in latest.data["interprets"]] == [enrolment.pk, second.pk]


# ---------------------------------------------------------------- back office


def test_missing_interpretations_page_is_scoped(client, enrolment, rworld, topic):
    county = policy(rworld.county_edu, topic, "示范县教育局政策")
    client.force_login(rworld.users.editor)
    page = client.get(reverse(MISSING))
    assert page.status_code == 200
    assert enrolment.title in page.text and county.title not in page.text
    client.force_login(rworld.users.supervisor)
    page = client.get(reverse(MISSING))
    assert enrolment.title in page.text and county.title in page.text


def test_changelist_filters_by_kind_and_missing(client, enrolment, rworld, topic):
    interpretation(rworld.city_edu, topic, "招生意见解读稿", [enrolment], published=False)
    client.force_login(rworld.users.editor)
    changelist = reverse("admin:records_record_changelist")
    page = client.get(changelist, {"kind__exact": "interpretation"})
    assert "招生意见解读稿" in page.text and enrolment.title not in page.text
    page = client.get(changelist, {"interpretation": "missing"})
    assert enrolment.title in page.text and "招生意见解读稿" not in page.text
    assert reverse(MISSING) in page.text


def test_autocomplete_offers_policies_in_scope(client, enrolment, rworld, topic):
    government = policy(rworld.city, topic, "示范市人民政府关于教育的意见")
    government_draft = policy(rworld.city, topic, "示范市人民政府政策草稿", published=False)
    county = policy(rworld.county_edu, topic, "示范县教育局政策")
    other = publish(
        actions.do_create_record(
            rworld.city_edu, record_fields(topic, title="普通信息"), acting_user=None
        )
    )
    client.force_login(rworld.users.editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "records", "model_name": "record", "field_name": "interprets", "term": ""},
    )
    assert response.status_code == 200
    offered = {int(row["id"]) for row in response.json()["results"]}
    assert offered == {enrolment.pk, government.pk}
    assert not offered & {government_draft.pk, county.pk, other.pk}


def test_editor_creates_an_interpretation_through_the_form(client, enrolment, rworld, topic):
    client.force_login(rworld.users.editor)
    data = form_data(
        topic,
        rworld.city_edu,
        title="招生意见图解",
        doc_number="",
        kind="interpretation",
        interprets=[enrolment.pk],
        interpretation_form="graphic",
        author_unit="示范市教育局基础教育处",
    )
    response = client.post(reverse("admin:records_record_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Record.objects.get(title="招生意见图解")
    assert created.status == Status.DRAFT
    assert list(created.interprets.all()) == [enrolment]
