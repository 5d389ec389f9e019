"""公开时限: parsing the catalogue's wording, writing it back, and the due date of a record.

Pure functions (no database access unless no calendar is passed): the records
app calls :func:`publication_due` for every record it checks, with one
:class:`~zwgk.workdays.arithmetic.WorkCalendar` loaded once.

The rule an item carries is structured (``deadline_kind``, ``deadline_days``,
``deadline_period``); ``deadline_note`` keeps the office's own wording when it
is not the canonical text, so that a catalogue imported from a spreadsheet
exports with the words it came with.
"""

import calendar as month_calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from zwgk.catalogue.choices import DeadlineKind, Period
from zwgk.workdays.arithmetic import WorkCalendar
from zwgk.workdays.services import add_working_days

# 条例第二十六条: within 20 working days of the information being formed or changed.
DEFAULT_WORKING_DAYS = 20
MAX_WORKING_DAYS = 365

CHINESE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
CHINESE_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
NUMBER = r"(\d+|[〇零一二两三四五六七八九十百]+)"
WORKING_DAYS_RE = re.compile(NUMBER + r"个?工作日")
REAL_TIME_RE = re.compile(r"实时|即时|随时")
# “每季度”, “按月”; a bare “季度” only as the whole text (“年度预算批复后…” is not periodic).
PERIOD_RE = re.compile(r"(?:每|按)(月度?|季度?|半年度?|年度?)")
BARE_PERIODS = {"月度": Period.MONTHLY, "季度": Period.QUARTERLY, "年度": Period.YEARLY}
BARE_PERIODS |= {"半年度": Period.HALF_YEARLY}
PERIOD_WORDS = {"月": Period.MONTHLY, "季": Period.QUARTERLY, "半年": Period.HALF_YEARLY}
PERIOD_WORDS |= {"年": Period.YEARLY}
NOTE_SEPARATORS = re.compile(r"[；;]")
PERIOD_MONTHS = {Period.MONTHLY: 1, Period.QUARTERLY: 3, Period.HALF_YEARLY: 6, Period.YEARLY: 12}


class DeadlineError(ValueError):
    """The 公开时限 text names an impossible period (the message is Chinese, for the user)."""


class DeadlineRule(Protocol):
    """What :func:`publication_due` reads: a ``CatalogueItem`` or anything shaped like one."""

    deadline_kind: str
    deadline_days: int
    deadline_period: str


@dataclass(frozen=True)
class ParsedDeadline:
    """The structured fields of one 公开时限 text; ``recognised`` is false for 其他."""

    kind: str
    days: int = DEFAULT_WORKING_DAYS
    period: str = ""
    note: str = ""

    @property
    def recognised(self) -> bool:
        return self.kind != DeadlineKind.OTHER

    def as_fields(self) -> dict[str, object]:
        return {
            "deadline_kind": self.kind,
            "deadline_days": self.days,
            "deadline_period": self.period,
            "deadline_note": self.note,
        }


def canonical_deadline(kind: str, days: int, period: str = "") -> str:
    """The standard wording of a rule; 其他 has none (its note is the whole rule)."""
    if kind == DeadlineKind.WORKING_DAYS:
        return f"信息形成或变更之日起{days}个工作日内"
    if kind == DeadlineKind.REAL_TIME:
        return str(DeadlineKind.REAL_TIME.label)
    if kind == DeadlineKind.PERIODIC:
        return f"{Period(period).label}结束后{days}个工作日内"
    return ""


def format_deadline(kind: str, days: int, period: str = "", note: str = "") -> str:
    """The 公开时限 cell: the office's wording if it kept one, else the canonical text."""
    return note or canonical_deadline(kind, days, period)


def parse_deadline(text: str) -> ParsedDeadline:
    """Read a 公开时限 cell such as “信息形成或变更之日起20个工作日内”, “实时”, “每季度”.

    - blank: the 条例第二十六条 default, 20 working days;
    - “实时”, “即时”, “随时”: real time;
    - “每月/按月/每季度/每半年/每年…” (alone, or followed by “结束后N个工作日内”):
      periodic, N working days after the period ends (20 when not given);
    - “N个工作日” anywhere (“自项目批准之日起7个工作日内”): N working days;
    - anything else (“法定时限内”, “15日内” in calendar days): 其他, with the
      text kept as the note — the import accepts it with a warning, and no due
      date is computed for it.

    When the text is not the canonical wording of what it parsed to, it is
    kept as ``note`` so that exporting writes it back unchanged.  A text
    followed by “；remark” is parsed from its first part.  Raises
    :class:`DeadlineError` for 0 or more than 365 working days.
    """
    original = text.strip()
    normalised = _normalise(original)
    if not normalised:
        return ParsedDeadline(DeadlineKind.WORKING_DAYS)
    parsed = _structured(normalised)
    if parsed is None:
        head = NOTE_SEPARATORS.split(normalised, maxsplit=1)[0]
        parsed = _structured(head) if head != normalised else None
    if parsed is None:
        return ParsedDeadline(DeadlineKind.OTHER, DEFAULT_WORKING_DAYS, "", original)
    kind, days, period = parsed
    if not 0 < days <= MAX_WORKING_DAYS:
        raise DeadlineError(f"公开时限“{original}”的工作日数应在1至{MAX_WORKING_DAYS}之间。")
    note = "" if original == canonical_deadline(kind, days, period) else original
    return ParsedDeadline(kind, days, period, note)


def publication_due(
    formed_on: date, item: DeadlineRule | None, calendar: WorkCalendar | None = None
) -> date | None:
    """The last day to publish information formed (or changed) on ``formed_on``.

    - no item, or 工作日: ``deadline_days`` working days after ``formed_on``
      (条例第二十六条: 20 unless a law or the local catalogue sets another);
    - 实时: the same day;
    - 定期: information formed in a month/quarter/half-year/year is released
      with that period's release, due ``deadline_days`` working days after the
      period's last day (the periodic information is complete only then, and
      条例第二十六条 gives 20 working days from its formation);
    - 其他: ``None`` — the wording cannot be counted; nobody is told it is late.

    Counts with the workdays rules (start day not counted unless the site
    says so); raises ``ScheduleUnknown`` when a needed year's 节假日安排 is
    not loaded.  Without ``calendar`` the calendar is loaded from the database.
    """
    if item is None:
        return _after(formed_on, DEFAULT_WORKING_DAYS, calendar)
    if item.deadline_kind == DeadlineKind.WORKING_DAYS:
        return _after(formed_on, item.deadline_days, calendar)
    if item.deadline_kind == DeadlineKind.REAL_TIME:
        return formed_on
    if item.deadline_kind == DeadlineKind.PERIODIC:
        return _after(period_end(formed_on, item.deadline_period), item.deadline_days, calendar)
    return None


def period_end(day: date, period: str) -> date:
    """The last day of the month, quarter, half-year or year containing ``day``."""
    months = PERIOD_MONTHS[Period(period)]
    last_month = ((day.month - 1) // months + 1) * months
    return date(day.year, last_month, month_calendar.monthrange(day.year, last_month)[1])


def _after(start: date, days: int, calendar: WorkCalendar | None) -> date:
    return add_working_days(start, days, calendar=calendar).due_date


def _structured(text: str) -> tuple[str, int, str] | None:
    if REAL_TIME_RE.search(text):
        return DeadlineKind.REAL_TIME, DEFAULT_WORKING_DAYS, ""
    days_match = WORKING_DAYS_RE.search(text)
    days = _number(days_match.group(1)) if days_match else DEFAULT_WORKING_DAYS
    period_match = PERIOD_RE.search(text)
    if period_match:
        word = period_match.group(1).rstrip("度")
        return DeadlineKind.PERIODIC, days, PERIOD_WORDS[word]
    if text in BARE_PERIODS:
        return DeadlineKind.PERIODIC, days, BARE_PERIODS[text]
    if days_match:
        return DeadlineKind.WORKING_DAYS, days, ""
    return None


def _normalise(text: str) -> str:
    # NFKC turns full-width digits (２０) and brackets into ASCII; cells carry stray spaces.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _number(text: str) -> int:
    """``20``, ``二十``, ``十五``, ``一百二十`` as an integer."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char == "百":
            total += (digit or 1) * 100
            digit = 0
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = CHINESE_DIGITS[char]
    return total + digit
