"""发文字号 (文号): parse a document number and normalise it for matching.

GB/T 9704-2012《党政机关公文格式》7.2.4: a 发文字号 is the issuing organ's
代字, the year in full between 六角括号 〔〕, and the serial number without 第
and without padding (1, not 01), followed by 号: ``鲁政办发〔2017〕39号``.
Two other forms are in daily use: orders numbered over a whole term,
``省政府令第219号`` / ``国务院令第711号``, and announcements numbered per year,
``国家税务总局公告2015年第41号``.  Published metadata writes them every which
way (rules.md §2, 发文字号): ``[2017]``, ``(2017)``, ``（2017）``,
``〔 2022 〕96 号``, zero-width characters pasted from web pages, a
``发文字号：`` label left in the value, the closing ``号`` missing.

:func:`parse_docnum` reads one field value and returns a :class:`DocNumber`
whose ``normalized`` form is the same for every way of writing the same 文号;
``original`` keeps the text as given, for display.  Canonical form:

- the standard form as GB/T 9704 writes it: ``〔〕``, no 第, no zero padding
  (``〔2017〕039号`` and ``〔2017〕第39号`` → ``〔2017〕39号``);
- no spaces, no invisible characters, half-width digits and letters;
- the country name is not part of a 代字 (``中华人民共和国国务院令第711号``
  → ``国务院令第711号``);
- a 公告 is always ``…公告2015年第41号``, also when a site wrote ``…公告〔2015〕41号``.

Only a whole field is parsed: a 文号 inside a sentence, two 文号 in one
field, or a serial number without its 代字 are not a 文号 and give ``None``.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class DocNumberKind(StrEnum):
    """The three forms of a 文号, named after the documents that use them."""

    STANDARD = "standard"  # 鲁政办发〔2017〕39号
    ORDER = "order"  # 省政府令第219号: no year, numbered over the government's term
    ANNOUNCEMENT = "announcement"  # 国家税务总局公告2015年第41号: numbered per year


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A parsed 发文字号."""

    issuer_code: str  # 机关代字: 鲁政办发, 国函, 省政府令, 国家税务总局公告
    year: int | None  # None for orders (省政府令第219号)
    number: int  # 序号, without zero padding
    kind: DocNumberKind
    original: str  # the text as given, for display

    @property
    def normalized(self) -> str:
        """The canonical form, equal for every way of writing the same 文号."""
        if self.kind == DocNumberKind.ORDER:
            return f"{self.issuer_code}第{self.number}号"
        if self.kind == DocNumberKind.ANNOUNCEMENT:
            return f"{self.issuer_code}{self.year}年第{self.number}号"
        return f"{self.issuer_code}〔{self.year}〕{self.number}号"


# Characters that take no room on the page: soft hyphen, zero-width space,
# joiners and direction marks, bidi embeddings, word joiner and invisible
# operators, byte-order mark.  Pasted from web pages into metadata fields.
_INVISIBLE = re.compile(r"[\s\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")

# A field label left in the value, with its punctuation: 发文字号：, 文号:, 【发文字号】.
_LABEL = re.compile(r"^\W*(?:发文字号|发文文号|文号)\W*")

# Anything but letters and digits around the 文号: quotes, parentheses of a
# title, trailing 。 or ；, the empty ``〔〕`` a scraper appended.
_EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")

# The grammar, over the cleaned text (NFKC, no spaces).  NFKC has already
# folded full-width （）［］｛｝ into ASCII; a mis-typed pair such as
# ``〔2017]`` is accepted because any opening bracket may meet any closing one.
_ISSUER = r"(?P<issuer>[^\W\d_]+)"  # letters only: a digit would start the year
_OPEN = r"[〔\[({【〈<〖]"
_CLOSE = r"[〕\])}】〉>〗]"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_NUMBER = r"0*(?P<number>[1-9]\d{0,5})号?"  # from 1, zero padding apart; 号 is often dropped

# 鲁政办发〔2017〕39号; also 〔2017年〕 and 〔2017〕第39号.
_STANDARD = re.compile(rf"{_ISSUER}{_OPEN}{_YEAR}年?{_CLOSE}第?{_NUMBER}")
# 国家税务总局公告2015年第41号; also without 第.
_ANNOUNCEMENT = re.compile(rf"{_ISSUER}{_YEAR}年第?{_NUMBER}")
# 省政府令第219号; 第 may be dropped right after 令 (国务院令711号).
_ORDER = re.compile(rf"{_ISSUER}(?:第|(?<=令)){_NUMBER}")

_FORMS = (
    (_STANDARD, DocNumberKind.STANDARD),
    (_ANNOUNCEMENT, DocNumberKind.ANNOUNCEMENT),
    (_ORDER, DocNumberKind.ORDER),
)

# A scraper that takes the 文号 out of running text keeps the words before
# it: the end of a sentence (…的通知沪府发〔2019〕1号, 关于废止沪府办发…,
# 依据沪财发…) or the issuing government's name (云南省人民政府云政发…).  None
# of these occurs inside a 机关代字, so the 代字 starts after the last of them;
# 人民政府 stays when the 代字 is the government's name (上海市人民政府令,
# 上海市人民政府公告).
_PREAMBLE = re.compile(
    r"^.*(?:的(?:通告|公告)?|关于|废止|按照?|据|落实|以及|通知|批复|人民政府(?!令|公告|$))"
)

# The country name, or the tail of it that a scraper cut off (和国交通运输部令).
_COUNTRY = re.compile(r"^(?:中华人民共和国|华人民共和国|人民共和国|民共和国|共和国|和国)(?=.)")

_ISSUER_LENGTH = range(2, 21)  # 中发 … 新疆维吾尔自治区人民政府令, with room to spare
_ISSUER_IN_TEXT = r"(?P<issuer>[^\W\d_]{2,20})"


def parse_docnum(text: str) -> DocNumber | None:
    """The 文号 in a metadata field, or ``None`` if the field holds none."""
    cleaned = _clean(text)
    for pattern, kind in _FORMS:
        match = pattern.fullmatch(cleaned)
        if match:
            return _build(match, kind, original=text)
    return None


def normalize_docnum(text: str) -> str | None:
    """The canonical form of a 文号, for matching; ``None`` if ``text`` is not one."""
    parsed = parse_docnum(text)
    return parsed.normalized if parsed else None


# 文号 cited in running text: the same three forms, with 号 (and the 第 of
# an announcement) required, since 2019年3月 or 〔2019〕3 alone are no 文号.
# Each ends at a 号, so only the few characters before each 号 are tried.
_IN_TEXT = tuple(
    (re.compile(pattern.pattern.replace(_ISSUER, _ISSUER_IN_TEXT).replace("号?", "号$")), kind)
    for pattern, kind in _FORMS
)
_IN_TEXT_REACH = 40  # 20 characters of 代字, the year, brackets and the serial


def find_docnums(text: str) -> list[DocNumber]:
    """The 文号 cited in running text (an index's view: best effort, in order).

    Words before a 代字 that the preamble rule does not know stay in the
    ``issuer_code`` (…印发鲁政办发〔2017〕39号 gives 印发鲁政办发); callers
    that match 文号 try its tails.
    """
    folded = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    found = []
    end = folded.find("号")
    while end != -1:
        window = folded[max(0, end - _IN_TEXT_REACH) : end + 1]
        for pattern, kind in _IN_TEXT:
            match = pattern.search(window)
            if match and (kind != DocNumberKind.ANNOUNCEMENT or "第" in match[0]):
                parsed = _build(match, kind, original=match[0])
                if parsed is not None:
                    found.append(parsed)
                    break
        end = folded.find("号", end + 1)
    return found


def _clean(text: str) -> str:
    """Fold the width variants, drop spaces, invisible characters and a leading label."""
    folded = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _EDGE_PUNCTUATION.sub("", _LABEL.sub("", folded, count=1))


def _build(match: re.Match[str], kind: DocNumberKind, *, original: str) -> DocNumber | None:
    issuer = _issuer_code(match["issuer"])
    if issuer is None:
        return None
    if kind == DocNumberKind.STANDARD and issuer.endswith("公告"):
        kind = DocNumberKind.ANNOUNCEMENT  # 公告〔2015〕41号 is 公告2015年第41号 written loosely
    year = int(match["year"]) if kind != DocNumberKind.ORDER else None
    return DocNumber(issuer, year, int(match["number"]), kind, original)


def _issuer_code(text: str) -> str | None:
    """The 机关代字 without what a scraper kept before it; ``None`` if implausible."""
    code = _COUNTRY.sub("", _PREAMBLE.sub("", text), count=1)
    return code if len(code) in _ISSUER_LENGTH else None
