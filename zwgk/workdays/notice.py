"""Reading the text of 《国务院办公厅关于YYYY年部分节假日安排的通知》.

The notice is the only legal source of a year's 工作日 (《全国年节及纪念日放假
办法》 sets the holidays, the notice sets the 调休).  Its items look like::

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

The parser works item by item (``一、元旦：`` … up to the next item or the
closing paragraph), sentence by sentence (``。``) and clause by clause (``，``):

- a clause with 上班 declares its dates 调休上班;
- a clause with 放假 or 补休 declares its dates (every day of a ``至`` range,
  weekends included) 放假;
- 共N天 / 放假N天 is checked against the days declared so far in the sentence;
- 周X / 星期X annotations are checked against the calendar;
- any other clause with dates (``其中1月1日为法定节假日``, ``安排职工在除夕（2月9日）
  休息``) declares nothing; it is reported unless it only restates the item's
  declared days.

Disagreements are *errors* (they block an import: usually the wrong year or a
typo); unrecognised text gives *warnings* for the administrator to review.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from zwgk.workdays.arithmetic import WEEKDAY_NAMES, chinese_date
from zwgk.workdays.schedule import ParsedSchedule, ScheduleDay, validate_days

_NUMERALS = "一二三四五六七八九十"
_ITEM_AHEAD = rf"[{_NUMERALS}]+、[^:。\n]{{1,40}}:"
# An item starts a sentence: at the start, after 。 or ：, or at a line start.
_ITEM_BREAK = re.compile(rf"(?<=[。:\n])(?={_ITEM_AHEAD})")
_ITEM = re.compile(rf"[{_NUMERALS}]+、(?P<names>[^:。]{{1,40}}?):(?P<rest>.*)")
_DATE = re.compile(
    r"(?:(?P<year>\d{4})年)?(?:(?P<month>\d{1,2})月)?(?P<day>\d{1,2})日"
    r"(?:\((?P<note>[^()]*)\))?"
)
_RANGE_SEPARATORS = frozenset({"至", "到", "—", "——", "-", "–", "~"})
_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_WEEKDAY_INDEX = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}
_LENGTH = re.compile(rf"(?:共|放假)([0-9{_NUMERALS}]+)天")
_PARENS = re.compile(r"\([^()]*\)")
_NOTICE_YEAR = re.compile(r"关于(\d{4})年部分节假日安排|现将(\d{4})年")
_YEAR_PREFIX = re.compile(r"^\d{4}年")


def parse_notice(text: str, *, year: int | None = None) -> ParsedSchedule:
    """Read a notice's 放假 and 调休上班 days.  ``year`` is required if the text does not say it."""
    flat = _normalise(text)
    year, errors = _notice_year(flat, year)
    if year is None:
        return ParsedSchedule(None, (), "", errors=tuple(errors))
    reader = _Reader(year)
    reader.read(flat)
    errors += reader.errors
    if not reader.items:
        errors.append("未找到节假日条目（应形如“一、元旦：1月1日放假……”）。")
    days = tuple(sorted(reader.days.values()))
    if reader.items:
        errors += validate_days(year, days)
    return ParsedSchedule(
        year,
        days,
        f"《国务院办公厅关于{year}年部分节假日安排的通知》",
        warnings=tuple(reader.warnings),
        errors=tuple(errors),
    )


def _normalise(text: str) -> str:
    """Half-width forms, no spaces, one sentence per item start, hard line wraps joined."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[^\S\n]+", "", text)
    text = _ITEM_BREAK.sub("。", text)
    return text.replace("\n", "")


def _notice_year(text: str, given: int | None) -> tuple[int | None, list[str]]:
    stated = {int(a or b) for a, b in _NOTICE_YEAR.findall(text)}
    if len(stated) > 1:
        years = "、".join(str(y) for y in sorted(stated))
        return None, [f"通知中出现了多个年份（{years}），无法确定是哪一年的安排。"]
    if given is not None and stated and given not in stated:
        return None, [f"通知写明的是{stated.pop()}年的安排，与指定的{given}年不一致。"]
    if given is None and not stated:
        return None, ["无法从通知中识别年份，请指定年份。"]
    return (given if given is not None else stated.pop()), []


def _number(text: str) -> int:
    """``9`` or ``九``; Chinese numerals up to 十九 are enough for 共N天."""
    if text.isdigit():
        return int(text)
    tens, ten, units = text.rpartition("十")
    if not ten:
        return _NUMERALS.index(units) + 1
    return (_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (
        _NUMERALS.index(units) + 1 if units else 0
    )


def _split_clauses(sentence: str) -> list[str]:
    """Split on ， and ； outside parentheses (annotations may contain commas)."""
    clauses, depth, current = [], 0, []
    for char in sentence:
        depth += (char == "(") - (char == ")")
        if char in ",;" and depth == 0:
            clauses.append("".join(current))
            current = []
        else:
            current.append(char)
    clauses.append("".join(current))
    return [c for c in clauses if c]


@dataclass
class _Item:
    name: str
    declared: set[date] = field(default_factory=set)
    unexplained: list[tuple[str, list[date]]] = field(default_factory=list)


@dataclass
class _Reader:
    year: int
    items: list[_Item] = field(default_factory=list)
    days: dict[date, ScheduleDay] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    last: date | None = None

    def read(self, text: str) -> None:
        item: _Item | None = None
        for sentence in filter(None, text.split("。")):
            match = _ITEM.match(sentence)
            if match:
                self._close(item)
                item = _Item(_YEAR_PREFIX.sub("", match["names"]))
                self.items.append(item)
                self.last = None
                sentence = match["rest"]
            elif not _DATE.search(sentence):
                # A sentence without dates is the closing paragraph (节假日期间……).
                self._close(item)
                item = None
                continue
            if item is None:
                self._stray(sentence)
            else:
                self._sentence(item, sentence)
        self._close(item)

    def _sentence(self, item: _Item, sentence: str) -> None:
        off_in_sentence: set[date] = set()
        for clause in _split_clauses(sentence):
            dates = self._dates(clause)
            bare = _PARENS.sub("", clause)
            is_makeup, is_off = "上班" in bare, "放假" in bare or "补休" in bare
            if dates and is_makeup and is_off:
                self.errors.append(f"“{clause}”同时出现“放假”和“上班”，无法判断。")
            elif dates and (is_makeup or is_off):
                for day in dates:
                    self._declare(item, day, is_off_day=is_off)
                if is_off:
                    off_in_sentence.update(dates)
            elif dates:
                item.unexplained.append((clause, dates))
            length = _LENGTH.search(bare)
            if length and _number(length[1]) != len(off_in_sentence):
                self.errors.append(
                    f"{item.name}：“{sentence}”写明{length[0]}，但解析出放假{len(off_in_sentence)}天。"
                )

    def _dates(self, clause: str) -> list[date]:
        """Every date a clause names, ``至`` ranges expanded."""
        matches = list(_DATE.finditer(clause))
        dates: list[date] = []
        index = 0
        while index < len(matches):
            first = self._resolve(matches[index])
            following = matches[index + 1] if index + 1 < len(matches) else None
            between = clause[matches[index].end() : following.start()] if following else None
            if first is None:
                index += 1
                continue
            if following is not None and between in _RANGE_SEPARATORS:
                last = self._resolve(following, range_start=first)
                index += 2
                if last is None:
                    continue
                if last < first:
                    self.errors.append(f"“{clause}”的结束日期早于开始日期。")
                    continue
                dates += [first + timedelta(days=i) for i in range((last - first).days + 1)]
            else:
                dates.append(first)
                index += 1
        return dates

    def _resolve(self, match: re.Match[str], range_start: date | None = None) -> date | None:
        """The date of ``match``, filling the year and month the text leaves out."""
        context = range_start or self.last
        if match["year"]:
            year = int(match["year"])
        elif not match["month"] and context:
            year = context.year
        elif range_start and int(match["month"]) >= range_start.month:
            year = range_start.year
        elif range_start:
            year = range_start.year + 1  # 12月30日至1月1日
        else:
            # No holiday falls in December, so a yearless December date is the
            # 元旦 arrangement reaching into the previous year.
            year = self.year - 1 if match["month"] == "12" else self.year
        if match["month"]:
            month = int(match["month"])
        elif context:
            month = context.month
        else:
            self.errors.append(f"“{match[0]}”缺少月份。")
            return None
        try:
            day = date(year, month, int(match["day"]))
        except ValueError:
            self.errors.append(f"“{match[0]}”不是有效日期。")
            return None
        self._check_weekday(match, day)
        self.last = day
        return day

    def _check_weekday(self, match: re.Match[str], day: date) -> None:
        weekday = _WEEKDAY.search(match["note"] or "")
        if weekday and _WEEKDAY_INDEX[weekday[1]] != day.weekday():
            self.errors.append(
                f"“{match[0]}”：{chinese_date(day)}是{WEEKDAY_NAMES[day.weekday()]}，"
                f"与通知标注的“{weekday[0]}”不符，请核对年份和日期。"
            )

    def _declare(self, item: _Item, day: date, *, is_off_day: bool) -> None:
        item.declared.add(day)
        known = self.days.get(day)
        if known is None:
            self.days[day] = ScheduleDay(day, is_off_day, item.name)
        elif known.is_off_day != is_off_day:
            self.errors.append(f"{chinese_date(day)}既被规定为放假，又被规定为上班。")
        elif known.name != item.name:
            self.warnings.append(
                f"{chinese_date(day)}在“{known.name}”和“{item.name}”中都出现，按“{known.name}”记录。"
            )

    def _close(self, item: _Item | None) -> None:
        """Report an item that declares nothing, and clauses naming dates it does not declare."""
        if item is None:
            return
        if not item.declared:
            self.warnings.append(f"{item.name}：没有找到放假或上班的日期。")
        for clause, dates in item.unexplained:
            if not set(dates) <= item.declared:
                self.warnings.append(f"{item.name}：未能识别“{clause}”，其中的日期未导入。")

    def _stray(self, sentence: str) -> None:
        """A dated sentence outside the items: warn when it looks like an arrangement."""
        bare = _PARENS.sub("", sentence)
        if any(word in bare for word in ("放假", "补休", "上班")):
            self.warnings.append(f"条目之外的“{sentence}”未导入。")
