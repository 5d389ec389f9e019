"""公开时效: records published late, and catalogue items left without publication.

条例第二十六条: information is published within 20 working days of being
formed or changed, unless a law sets another period; the limit belongs to the
record's 目录事项 (:func:`zwgk.catalogue.deadlines.publication_due`).

Two checks, both over a queryset the caller has already narrowed
(``Record.objects.restrict(user)``, ``CatalogueItem.objects.restrict(user)``),
so that an office sees its own agency and a 主管部门 its subtree:

- :func:`late_records`: published records whose 发布日期 is after their due date,
  with the working days late;
- :func:`stale_items`: 主动 catalogue items with a 定期 or 工作日 limit whose latest
  published record is older than their *period*:

  - 定期 (每月/每季度/每半年/每年): the last period whose publication deadline
    (``deadline_days`` working days after the period ends) has passed must have
    been published after it ended.  Stale when nothing was published after
    that period's last day; overdue since that deadline.
  - 工作日 (event-driven: 信息形成或变更之日起N个工作日内): such an item publishes
    whenever something happens, so no single event is missed by silence; it is
    stale when nothing at all has been published for ``ZWGK_STALE_EVENT_MONTHS``
    months (default 6 — practice: 国办秘函〔2019〕19号 treats a 政策文件 or
    通知公告 column not updated for 6 months as stale).
  - 实时 and 其他 items are not checked (no countable period).

  For an item that never had a published record the count starts on the day
  the item was created.

Each check is one query; the working-day counting is done in memory with one
:class:`~zwgk.workdays.arithmetic.WorkCalendar` loaded up front (pass it in, or
it is loaded once per call).  A date whose year's 节假日安排 is not loaded is
*unknown*: the row says so (``unknown``) instead of guessing.
"""

import calendar as month_calendar
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from zwgk.catalogue import deadlines
from zwgk.catalogue.choices import DeadlineKind, DisclosureMode
from zwgk.catalogue.models import CatalogueItem
from zwgk.records.choices import Status
from zwgk.records.models import Record
from zwgk.workdays.arithmetic import ScheduleUnknown, WorkCalendar
from zwgk.workdays.services import add_working_days, get_calendar, working_days_between

ONE_DAY = timedelta(days=1)
DEFAULT_EVENT_MONTHS = 6
MAX_PERIODS_BACK = 60  # 365 working days after a month's end is ~18 months back


def event_months() -> int:
    """Months without publication after which a 工作日 item is stale (a site setting)."""
    return int(getattr(settings, "ZWGK_STALE_EVENT_MONTHS", DEFAULT_EVENT_MONTHS))


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class RecordTimeliness:
    """One published record against its limit."""

    record: Record
    published_on: date
    # None: 其他 limit (not countable), an unloaded year (``unknown``), or a due date
    # beyond the loaded years for a record published before that year: not late.
    due: date | None
    working_days_late: int = 0
    unknown: str = ""  # the ScheduleUnknown message when the calendar cannot count

    @property
    def late(self) -> bool:
        return self.due is not None and self.published_on > self.due


def formation_date(record: Record) -> date:
    """信息形成（变更）日期, or the 成文日期 when it was never set."""
    return record.formed_on or record.written_on


def publication_due(record: Record, calendar: WorkCalendar | None = None) -> date | None:
    """The last day to publish ``record``: its catalogue item's limit, else 20 working days.

    ``None`` for an item whose limit is 其他 (not countable).  Raises
    ``ScheduleUnknown`` when the needed year's 节假日安排 is not loaded.
    """
    return deadlines.publication_due(formation_date(record), record.catalogue_item, calendar)


def check_records(
    queryset: QuerySet[Record], calendar: WorkCalendar | None = None
) -> list[RecordTimeliness]:
    """Every published record of ``queryset`` with its due date (one query)."""
    calendar = calendar or get_calendar()
    rows = (
        queryset.filter(status=Status.PUBLISHED, published_at__isnull=False)
        .select_related("agency", "catalogue_item")
        .order_by("agency__path", "published_at", "pk")
    )
    return [_check_record(record, calendar) for record in rows]


def late_records(
    queryset: QuerySet[Record], calendar: WorkCalendar | None = None
) -> list[RecordTimeliness]:
    """Published records of ``queryset`` published after their due date (one query)."""
    return [row for row in check_records(queryset, calendar) if row.late]


def _check_record(record: Record, calendar: WorkCalendar) -> RecordTimeliness:
    published_on = timezone.localdate(record.published_at)
    try:
        due = publication_due(record, calendar)
        late = 0
        if due is not None and published_on > due:
            late = working_days_between(due, published_on, calendar=calendar)
    except ScheduleUnknown as exc:
        if published_on < exc.reached:
            # The count ran past the publication day before it reached the
            # unloaded year: the due date is later still, so it was on time.
            return RecordTimeliness(record, published_on, None)
        return RecordTimeliness(record, published_on, None, unknown=str(exc))
    return RecordTimeliness(record, published_on, due, late)


# ---------------------------------------------------------------- catalogue items


@dataclass(frozen=True)
class ItemTimeliness:
    """One catalogue item: when it last published and whether that is too long ago."""

    item: CatalogueItem
    latest_published: date | None  # the latest published record's 发布日期
    since: date  # latest_published, or the item's creation day if nothing was published
    expected_by: date | None  # the last day a newer publication was due
    period: str  # the period checked, in words
    stale: bool = False
    working_days_since: int | None = None
    working_days_overdue: int | None = None
    unknown: str = ""


def check_items(
    items: QuerySet[CatalogueItem],
    today: date,
    calendar: WorkCalendar | None = None,
    *,
    months: int | None = None,
) -> list[ItemTimeliness]:
    """Every active 主动 item of ``items`` with a 定期 or 工作日 limit (one aggregate query)."""
    calendar = calendar or get_calendar()
    months = event_months() if months is None else months
    rows = (
        items.filter(
            is_active=True,
            mode=DisclosureMode.PROACTIVE,
            deadline_kind__in=[DeadlineKind.PERIODIC, DeadlineKind.WORKING_DAYS],
        )
        .annotate(
            latest_published_at=Max(
                "records__published_at", filter=Q(records__status=Status.PUBLISHED)
            )
        )
        .select_related("agency")
        .order_by("agency__path", "agency_id", "path")
    )
    return [_check_item(item, today, calendar, months) for item in rows]


def stale_items(
    items: QuerySet[CatalogueItem],
    today: date,
    calendar: WorkCalendar | None = None,
    *,
    months: int | None = None,
) -> list[ItemTimeliness]:
    """Items of ``items`` whose latest published record is older than their period."""
    return [row for row in check_items(items, today, calendar, months=months) if row.stale]


def _check_item(
    item: CatalogueItem, today: date, calendar: WorkCalendar, months: int
) -> ItemTimeliness:
    latest = item.latest_published_at
    latest_day = timezone.localdate(latest) if latest is not None else None
    since = latest_day or timezone.localdate(item.created_at)
    if item.deadline_kind == DeadlineKind.PERIODIC:
        period = str(item.get_deadline_period_display())
        try:
            last_end, expected_by = last_period_due(today, item, calendar)
        except ScheduleUnknown as exc:
            return ItemTimeliness(item, latest_day, since, None, period, unknown=str(exc))
        stale = since <= last_end
    else:
        period = f"{months}个月未发布"
        expected_by = add_months(since, months)
        stale = today > expected_by
    row = ItemTimeliness(item, latest_day, since, expected_by, period, stale)
    if not stale:
        return row
    try:
        row = _with_counts(row, today, calendar)
    except ScheduleUnknown as exc:
        row = replace(row, unknown=str(exc))
    return row


def _with_counts(row: ItemTimeliness, today: date, calendar: WorkCalendar) -> ItemTimeliness:
    overdue = working_days_between(row.expected_by, today, calendar=calendar)
    since = working_days_between(row.since, today, calendar=calendar) if row.since <= today else 0
    return replace(row, working_days_since=since, working_days_overdue=overdue)


def last_period_due(today: date, item, calendar: WorkCalendar) -> tuple[date, date]:
    """``(last day, publication due date)`` of the latest period of a 定期 item already due.

    The period containing ``today`` is still running; going back from the one
    before it, the first period whose due date (``deadline_days`` working days
    after its end) is before ``today``.
    """
    months = deadlines.PERIOD_MONTHS[item.deadline_period]
    end = deadlines.period_end(today, item.deadline_period)
    for _ in range(MAX_PERIODS_BACK):
        start = _period_start(end, months)
        end = start - ONE_DAY
        due = add_working_days(end, item.deadline_days, calendar=calendar).due_date
        if due < today:
            return end, due
    raise ValueError("公开周期过长，无法确定应公开的周期。")  # pragma: no cover (≤365 days)


def _period_start(end: date, months: int) -> date:
    month = end.month - months + 1
    return date(end.year, month, 1)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------- per agency


@dataclass
class AgencyTimeliness:
    agency: object
    late: list[RecordTimeliness] = field(default_factory=list)
    stale: list[ItemTimeliness] = field(default_factory=list)


@dataclass
class TimelinessReport:
    """Both checks grouped per agency (by tree order), for the back office and the command."""

    today: date
    year: int | None
    months: int  # the 工作日 items' period (ZWGK_STALE_EVENT_MONTHS)
    checked_records: int
    checked_items: int
    agencies: list[AgencyTimeliness]
    undetermined: list[str]  # rows the calendar could not count, one line each

    @property
    def late_count(self) -> int:
        return sum(len(a.late) for a in self.agencies)

    @property
    def stale_count(self) -> int:
        return sum(len(a.stale) for a in self.agencies)


def timeliness_report(
    records: QuerySet[Record],
    items: QuerySet[CatalogueItem],
    today: date,
    *,
    year: int | None = None,
    calendar: WorkCalendar | None = None,
) -> TimelinessReport:
    """Late records (published in ``year``, or ever) and stale items, per agency.

    Three queries when ``calendar`` is not given (two for the calendar), plus
    one per check.
    """
    calendar = calendar or get_calendar()
    months = event_months()
    if year is not None:
        records = records.filter(published_at__year=year)
    record_rows = check_records(records, calendar)
    item_rows = check_items(items, today, calendar, months=months)
    groups: dict[int, AgencyTimeliness] = {}
    undetermined = []
    for row in record_rows:
        if row.unknown:
            undetermined.append(f"{row.record.agency}：{row.record.title}：{row.unknown}")
        elif row.late:
            _group(groups, row.record.agency).late.append(row)
    for row in item_rows:
        if row.unknown and row.expected_by is None:
            undetermined.append(f"{row.item.agency}：{row.item.name}：{row.unknown}")
        elif row.stale:
            _group(groups, row.item.agency).stale.append(row)
    agencies = sorted(groups.values(), key=lambda g: g.agency.path)
    return TimelinessReport(
        today, year, months, len(record_rows), len(item_rows), agencies, _unique(undetermined)
    )


def _group(groups: dict[int, AgencyTimeliness], agency) -> AgencyTimeliness:
    if agency.pk not in groups:
        groups[agency.pk] = AgencyTimeliness(agency)
    return groups[agency.pk]


def _unique(lines: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(lines))
