"""公开时效: records published late and catalogue items left without publication."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory
from tests.records.conftest import ALL_CLEAR, record_fields
from tests.records.test_admin import form_data
from tests.workdays.helpers import notice_calendar
from zwgk.catalogue.choices import DeadlineKind, DisclosureMode, Period
from zwgk.catalogue.models import CatalogueItem
from zwgk.records import actions
from zwgk.records.models import Record
from zwgk.records.timeliness import (
    add_months,
    check_records,
    late_records,
    publication_due,
    stale_items,
    timeliness_report,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = date.fromisoformat
TIMELINESS = "admin:records_record_timeliness"


@pytest.fixture
def calendar():
    return notice_calendar(2025, 2026)


def item(agency, name, kind=DeadlineKind.WORKING_DAYS, days=20, period="", **extra):
    return CatalogueItem.objects.create(
        agency=agency,
        name=name,
        deadline_kind=kind,
        deadline_days=days,
        deadline_period=period,
        deadline_note="法定时限内" if kind == DeadlineKind.OTHER else "",
        **extra,
    )


def make(agency, topic, *, formed, published=None, catalogue_item=None, title=None):
    """A record of ``agency`` formed on ``formed``, published (by the operator) on ``published``."""
    record = actions.do_create_record(
        agency,
        record_fields(
            topic,
            title=title or f"{agency.name}{formed}形成的信息",
            written_on=D(formed),
            catalogue_item=catalogue_item,
        ),
        acting_user=None,
    )
    if published:
        when = datetime.fromisoformat(published).replace(hour=10, tzinfo=SHANGHAI)
        with time_machine.travel(when, tick=False):
            record = actions.do_submit_for_review(record, acting_user=None)
            record = actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=None)
            record = actions.do_approve(record, acting_user=None)
    return record


def published_on(item_, day: str, topic):
    """A record filed under ``item_``, published on ``day``."""
    return make(item_.agency, topic, formed=day, published=day, catalogue_item=item_)


# ---------------------------------------------------------------- due dates


def test_due_date_is_20_working_days_without_a_catalogue_item(rworld, topic, calendar):
    record = make(rworld.city_edu, topic, formed="2026-09-18")
    # Across 国庆节: 2026-09-20 (Sunday) is worked, 10-01…10-07 are off.
    assert publication_due(record, calendar) == D("2026-10-22")


def test_due_date_follows_the_catalogue_item(rworld, topic, calendar):
    five = item(rworld.city_edu, "行政许可决定", days=5)
    quarterly = item(rworld.city_edu, "财政收支", DeadlineKind.PERIODIC, 20, Period.QUARTERLY)
    realtime = item(rworld.city_edu, "招标投标", DeadlineKind.REAL_TIME)
    other = item(rworld.city_edu, "法定时限事项", DeadlineKind.OTHER)
    due = {
        i.name: publication_due(
            make(rworld.city_edu, topic, formed="2026-03-02", catalogue_item=i), calendar
        )
        for i in (five, quarterly, realtime, other)
    }
    assert due == {
        "行政许可决定": D("2026-03-09"),
        "财政收支": D("2026-04-29"),  # Q1 ends 03-31; 清明 04-04…04-06 off
        "招标投标": D("2026-03-02"),
        "法定时限事项": None,  # 其他: no countable clock, never late
    }


def test_formed_on_starts_the_clock_not_written_on(rworld, topic, calendar):
    record = make(rworld.city_edu, topic, formed="2026-03-02")
    record.formed_on = D("2026-09-18")
    assert publication_due(record, calendar) == D("2026-10-22")


def test_catalogue_item_must_belong_to_the_records_agency(rworld, topic):
    county_item = item(rworld.county_edu, "县教育局事项")
    with pytest.raises(ValidationError) as exc:
        make(rworld.city_edu, topic, formed="2026-03-02", catalogue_item=county_item)
    assert "目录事项必须是发布机关自己目录中的事项" in str(exc.value)


def test_catalogue_item_is_audited_and_in_the_version_snapshot(rworld, topic):
    own = item(rworld.city_edu, "教育招生")
    record = make(
        rworld.city_edu, topic, formed="2026-03-02", published="2026-03-03", catalogue_item=own
    )
    assert record.versions.get().data["catalogue_item"] == {"id": own.pk, "name": "教育招生"}
    other = item(rworld.city_edu, "其他教育信息")
    record = actions.do_correct_record(
        record, {"catalogue_item": other}, note="改正目录事项", acting_user=None
    )
    assert record.versions.order_by("-number").first().data["catalogue_item"]["id"] == other.pk


# ---------------------------------------------------------------- late records


@pytest.fixture
def late_world(rworld, topic):
    """City: one late, one on time, one 其他, a draft and a withdrawn late one; county: one late."""
    other = item(rworld.city_edu, "法定时限事项", DeadlineKind.OTHER)
    records = {
        # due 2026-03-30; 清明 04-04…04-06 is not counted: 11 working days late
        "late": make(rworld.city_edu, topic, formed="2026-03-02", published="2026-04-15"),
        "on_time": make(rworld.city_edu, topic, formed="2026-03-02", published="2026-03-30"),
        "other": make(
            rworld.city_edu,
            topic,
            formed="2025-01-02",
            published="2026-03-30",
            catalogue_item=other,
        ),
        "draft": make(rworld.city_edu, topic, formed="2025-01-02"),
        "withdrawn": make(rworld.city_edu, topic, formed="2025-06-02", published="2026-01-05"),
        # 01-04 (Sunday) is worked: due 2026-01-29; published 02-03: 3 working days late
        "county": make(rworld.county_edu, topic, formed="2026-01-02", published="2026-02-03"),
    }
    actions.do_withdraw_record(records["withdrawn"], reason="内容有误", acting_user=None)
    return records


def test_late_records_with_working_days_late(late_world, calendar):
    rows = {row.record.pk: row for row in late_records(Record.objects.all(), calendar)}
    assert set(rows) == {late_world["late"].pk, late_world["county"].pk}
    late = rows[late_world["late"].pk]
    assert (late.due, late.published_on, late.working_days_late) == (
        D("2026-03-30"),
        D("2026-04-15"),
        11,
    )
    county = rows[late_world["county"].pk]
    assert (county.due, county.working_days_late) == (D("2026-01-29"), 3)


def test_on_time_other_and_unpublished_records_are_not_late(late_world, calendar):
    checked = {row.record.pk: row for row in check_records(Record.objects.all(), calendar)}
    assert late_world["draft"].pk not in checked
    assert late_world["withdrawn"].pk not in checked  # off the site
    assert checked[late_world["on_time"].pk].late is False  # published on the due date
    assert checked[late_world["other"].pk].due is None
    assert checked[late_world["other"].pk].late is False


def test_late_records_take_one_query_whatever_the_number_of_rows(
    late_world, calendar, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = late_records(Record.objects.all(), calendar)
        for row in rows:
            str(row.record.agency), str(row.record.catalogue_item)


def test_late_records_follow_the_callers_scope(late_world, rworld, calendar):
    users = rworld.users
    mine = late_records(Record.objects.restrict(users.editor), calendar)
    assert [r.record.pk for r in mine] == [late_world["late"].pk]
    county = late_records(Record.objects.restrict(users.county_editor), calendar)
    assert [r.record.pk for r in county] == [late_world["county"].pk]
    supervised = late_records(Record.objects.restrict(users.supervisor), calendar)
    assert {r.record.pk for r in supervised} == {late_world["late"].pk, late_world["county"].pk}


def test_an_unloaded_year_is_unknown_not_on_time(rworld, topic):
    record = make(rworld.city_edu, topic, formed="2025-12-01", published="2026-03-02")
    (row,) = check_records(Record.objects.filter(pk=record.pk), notice_calendar(2026))
    assert row.due is None and not row.late
    assert "2025年的节假日安排尚未导入" in row.unknown


# ---------------------------------------------------------------- stale items

TODAY = D("2026-11-22")


@pytest.fixture
def items(rworld, topic):
    city = rworld.city_edu
    made = {
        # 每季度 +20: Q3 (ends 09-30) was due 2026-11-03; Q4 is still running.
        "quarterly_stale": item(city, "季度财政收支", DeadlineKind.PERIODIC, 20, Period.QUARTERLY),
        "quarterly_ok": item(city, "季度统计数据", DeadlineKind.PERIODIC, 20, Period.QUARTERLY),
        # 每月 +10: October was due 2026-11-13.
        "monthly_stale": item(city, "月度预算执行", DeadlineKind.PERIODIC, 10, Period.MONTHLY),
        "monthly_ok": item(city, "月度招生信息", DeadlineKind.PERIODIC, 10, Period.MONTHLY),
        # 工作日 items: stale after 6 months without publication.
        "event_stale": item(city, "行政处罚决定", days=7),
        "event_ok": item(city, "行政许可决定", days=7),
        "never": item(city, "从未发布的事项"),
        "new": item(city, "新增事项"),
        # not checked
        "realtime": item(city, "招标投标", DeadlineKind.REAL_TIME),
        "other": item(city, "按法定时限公开的事项", DeadlineKind.OTHER),
        "on_request": item(city, "依申请事项", mode=DisclosureMode.ON_REQUEST),
        "inactive": item(city, "停用事项", is_active=False),
        "county": item(
            rworld.county_edu, "县季度数据", DeadlineKind.PERIODIC, 20, Period.QUARTERLY
        ),
    }
    published_on(made["quarterly_stale"], "2026-08-10", topic)
    published_on(made["quarterly_ok"], "2026-10-20", topic)
    published_on(made["monthly_stale"], "2026-10-25", topic)
    published_on(made["monthly_ok"], "2026-11-05", topic)
    published_on(made["event_stale"], "2026-03-02", topic)
    published_on(made["event_stale"], "2026-04-01", topic)
    published_on(made["event_ok"], "2026-08-03", topic)
    withdrawn = published_on(made["event_ok"], "2026-11-02", topic)
    actions.do_withdraw_record(withdrawn, reason="撤回", acting_user=None)
    published_on(made["county"], "2026-05-06", topic)
    # The old items have existed since spring; "new" was created last week.
    created = datetime(2026, 3, 1, 9, tzinfo=SHANGHAI)
    CatalogueItem.objects.exclude(name="新增事项").update(created_at=created)
    CatalogueItem.objects.filter(name="新增事项").update(
        created_at=datetime(2026, 11, 16, 9, tzinfo=SHANGHAI)
    )
    return made


def test_stale_items_by_period(items, calendar):
    rows = {row.item.name: row for row in stale_items(CatalogueItem.objects.all(), TODAY, calendar)}
    assert set(rows) == {
        "季度财政收支",
        "月度预算执行",
        "行政处罚决定",
        "从未发布的事项",
        "县季度数据",
    }
    quarterly = rows["季度财政收支"]
    assert quarterly.latest_published == D("2026-08-10")
    assert quarterly.expected_by == D("2026-11-03")
    assert quarterly.working_days_overdue == 13  # 11-04 … 11-20
    assert rows["月度预算执行"].expected_by == D("2026-11-13")
    assert rows["月度预算执行"].working_days_overdue == 5
    event = rows["行政处罚决定"]  # the latest publication counts
    assert (event.latest_published, event.expected_by) == (D("2026-04-01"), D("2026-10-01"))
    assert event.working_days_overdue == 33  # 10-02…10-07 off, 10-10 (Saturday) worked
    never = rows["从未发布的事项"]
    assert never.latest_published is None and never.since == D("2026-03-01")


def test_stale_items_take_one_query(items, calendar, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = stale_items(CatalogueItem.objects.all(), TODAY, calendar)
        [str(row.item.agency) for row in rows]


def test_stale_items_follow_the_callers_scope(items, rworld, calendar):
    users = rworld.users
    names = lambda user: {  # noqa: E731
        row.item.name for row in stale_items(CatalogueItem.objects.restrict(user), TODAY, calendar)
    }
    assert "县季度数据" not in names(users.editor)
    assert names(users.county_editor) == {"县季度数据"}
    assert "县季度数据" in names(users.supervisor) and "季度财政收支" in names(users.supervisor)


def test_the_event_period_is_a_setting(items, calendar, settings):
    settings.ZWGK_STALE_EVENT_MONTHS = 3
    names = {row.item.name for row in stale_items(CatalogueItem.objects.all(), TODAY, calendar)}
    assert "行政许可决定" in names  # last published 2026-08-03, more than 3 months ago


def test_add_months_keeps_the_end_of_month():
    assert add_months(D("2026-08-31"), 6) == D("2027-02-28")
    assert add_months(D("2026-04-01"), 6) == D("2026-10-01")


def test_report_groups_per_agency(late_world, items, rworld, calendar):
    report = timeliness_report(
        Record.objects.all(), CatalogueItem.objects.all(), TODAY, year=2026, calendar=calendar
    )
    by_agency = {group.agency.name: group for group in report.agencies}
    assert list(by_agency) == ["示范市教育局", "示范县教育局"]  # tree order
    assert len(by_agency["示范市教育局"].late) == 1
    assert len(by_agency["示范县教育局"].late) == 1
    assert {r.item.name for r in by_agency["示范县教育局"].stale} == {"县季度数据"}
    assert report.late_count == 2 and report.stale_count == 5


# ---------------------------------------------------------------- back office and command


@pytest.fixture
def on_2026_11_20():
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=SHANGHAI), tick=False):
        yield


def test_timeliness_page_is_scoped(client, late_world, items, rworld, on_2026_11_20):
    url = reverse(TIMELINESS) + "?year=2026"
    client.force_login(rworld.users.editor)
    page = client.get(url)
    assert page.status_code == 200
    assert late_world["late"].title in page.text
    assert "季度财政收支" in page.text
    assert late_world["county"].title not in page.text
    assert "县季度数据" not in page.text
    client.force_login(rworld.users.supervisor)  # reads the city's whole subtree
    page = client.get(url)
    assert late_world["late"].title in page.text
    assert late_world["county"].title in page.text
    assert "县季度数据" in page.text
    assert client.get(reverse("admin:records_record_changelist")).text.count(reverse(TIMELINESS))


def test_timeliness_page_refuses_users_without_a_role(client, rworld):
    client.force_login(UserFactory(username="nobody", is_staff=True))
    assert client.get(reverse(TIMELINESS)).status_code in (302, 403)


def test_command_lists_per_agency(late_world, items, rworld, on_2026_11_20):
    out = StringIO()
    call_command("records", "timeliness", "--year", "2026", stdout=out)
    text = out.getvalue()
    assert "示范市教育局：逾期发布1条" in text
    assert "逾期11个工作日" in text
    assert "季度财政收支" in text
    out = StringIO()
    call_command(
        "records", "timeliness", "--agency", "示范县人民政府", "--year", "2026", stdout=out
    )
    text = out.getvalue()
    assert "示范县教育局：逾期发布1条，超期未发布1项" in text
    assert "示范市教育局" not in text


def test_record_form_offers_the_agencys_active_items(client, rworld, topic):
    own = item(rworld.city_edu, "教育招生")
    item(rworld.city_edu, "停用的事项", is_active=False)
    county = item(rworld.county_edu, "县教育局事项")
    client.force_login(rworld.users.editor)
    add = reverse("admin:records_record_add")
    page = client.get(add)
    assert "教育招生" in page.text
    assert "停用的事项" not in page.text and "县教育局事项" not in page.text
    data = form_data(topic, rworld.city_edu, catalogue_item=county.pk)
    assert "catalogue_item" in client.post(add, data).context["adminform"].form.errors
    response = client.post(add, form_data(topic, rworld.city_edu, catalogue_item=own.pk))
    assert response.status_code == 302
    record = Record.objects.get(catalogue_item=own)
    page = client.get(reverse("admin:records_record_change", args=[record.pk]))
    assert "教育招生" in page.text and "县教育局事项" not in page.text


def test_published_before_the_unloaded_year_is_on_time(rworld, topic):
    quarterly = item(rworld.city_edu, "季度数据", DeadlineKind.PERIODIC, 20, Period.QUARTERLY)
    # Q4 2026 is due in January 2027, not loaded; published in October it cannot be late.
    record = make(
        rworld.city_edu,
        topic,
        formed="2026-10-20",
        published="2026-10-20",
        catalogue_item=quarterly,
    )
    (row,) = check_records(Record.objects.filter(pk=record.pk), notice_calendar(2025, 2026))
    assert (row.due, row.late, row.unknown) == (None, False, "")
