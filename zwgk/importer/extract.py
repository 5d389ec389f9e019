"""Pure extraction: from the text of one document to its metadata and body.

:func:`extract` takes the text of a government document as a loader produced
it (:mod:`zwgk.importer.loaders`) and returns an :class:`Extracted`:

- **web-page furniture** is dropped line by line (当前位置 / 首页 > … breadcrumbs,
  字号 大 中 小, 分享到, 打印本页, 关闭窗口, 扫描二维码, 浏览次数, 本文链接 …);
  only short lines are candidates, so body text is never cut;
- a **metadata header** a site printed above the text (索引号, 名称, 文号,
  发文单位, 发布日期, 成文日期 … in any spacing) is read and dropped;
- **标题**: the header's 名称, else the title lines above the addressees
  (joined when the site broke the title over several lines), else ``""``;
- **文号**: a whole header line that :func:`~zwgk.records.docnum.parse_docnum`
  accepts (``鲁政办发〔2017〕39号``, ``湖北省人民政府令第282号``, an order
  header followed by ``2018 年 第 2 号``), or the header's 文号 field;
- **成文日期**: the date standing alone on its line under the issuer's
  signature (the first such block: the covering notice of a 印发 document
  is signed before the document it transmits); ``2018年3月5日``,
  ``二〇一八年三月五日`` and ``20181217日`` (a site that lost 年/月);
- **发文机关**: the header's 发文机关/发文单位, else the signature above that
  date, else the organ the title starts with (``XX省人民政府关于…``), else
  the header's 发布机构/来源.

Traditional characters are converted to simplified with OpenCC (``t2s``) for
the detection and for ``search_text``; the values returned (title, 文号,
发文机关, body) keep the original characters.  Text that was decoded with the
wrong character set (replacement characters, ``?。`` runs, bopomofo and box
drawing among Chinese, pinyin glosses ``區(qū)``, UTF-8 read as GBK) is
reported in ``misdecoded`` with samples, never repaired by guesswork.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from zwgk.records.choices import DocType
from zwgk.records.docnum import parse_docnum
from zwgk.utils.script import to_simplified

# ---------------------------------------------------------------- characters

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９：\u3000\u00a0\u2002\u2003\u2009",
    "0123456789:     ",
)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"


# ---------------------------------------------------------------- dates

_CN_DIGIT = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "Ｏ": 0,
    "O": 0,
    "0": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_YEAR = "〇○零Ｏ0O一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
_DATE_ARABIC = r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
_DATE_CHINESE = (
    rf"(?P<cy>[{_CN_YEAR}]{{4}})\s*年\s*(?P<cm>[{_CN_SMALL}]{{1,2}})\s*月"
    rf"\s*(?P<cd>[{_CN_SMALL}]{{1,3}})\s*日"
)
# 20181217日: a page that lost the 年 and 月 of its date (the two were images or spans).
_DATE_COMPACT = r"(?P<ky>(?:19|20)\d{2})(?P<km>[01]\d)(?P<kd>[0-3]\d)日"
_DATE_ISO = r"(?P<iy>(?:19|20)\d{2})\s*[-./]\s*(?P<im>\d{1,2})\s*[-./]\s*(?P<id>\d{1,2})"
_DATE_ANY = re.compile(f"{_DATE_ARABIC}|{_DATE_CHINESE}|{_DATE_COMPACT}|{_DATE_ISO}")
# A line that is a date and nothing else (the 成文日期 under a signature),
# possibly in parentheses or followed by （此件公开发布）.
_DATE_LINE = re.compile(
    rf"[（(]?\s*(?:{_DATE_ARABIC}|{_DATE_CHINESE}|{_DATE_COMPACT})\s*[）)]?"
    r"(?:\s*[（(]此件[^）)]{0,8}[）)])?"
)


def _cn_number(text: str) -> int:
    """一 … 三十一 (months and days written in Chinese numerals)."""
    if "十" not in text:
        return _CN_DIGIT[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def _date_from_match(m: re.Match) -> date | None:
    g = m.groupdict()
    try:
        if g.get("y"):
            return date(int(g["y"]), int(g["m"]), int(g["d"]))
        if g.get("cy"):
            year = int("".join(str(_CN_DIGIT[c]) for c in g["cy"]))
            return date(year, _cn_number(g["cm"]), _cn_number(g["cd"]))
        if g.get("ky"):
            return date(int(g["ky"]), int(g["km"]), int(g["kd"]))
        if g.get("iy"):
            return date(int(g["iy"]), int(g["im"]), int(g["id"]))
    except (ValueError, KeyError):
        return None
    return None


def parse_chinese_date(text: str) -> date | None:
    """The first date in ``text``: 2018年3月5日, 二〇一八年三月五日, 2018-03-05, 20181217日."""
    m = _DATE_ANY.search(text.translate(_FULLWIDTH))
    return _date_from_match(m) if m else None


def _date_line(line: str) -> date | None:
    m = _DATE_LINE.fullmatch(line.strip())
    return _date_from_match(m) if m else None


# ---------------------------------------------------------------- organs and titles

_ORGAN_SUFFIX = (
    r"(?:人民政府|政府|办公厅|办公室|委员会|管委会|委|局|厅|部|署|院|会|中心|司|处|办|所|站|"
    r"公司|小组|集团|街道|镇|乡|党组|分局|总局)"
)
_ORGAN = re.compile(rf"[{_CJK}（）()]{{2,40}}{_ORGAN_SUFFIX}")
_PERSON_SIGNATURE = re.compile(
    rf"(?:总理|省长|市长|区长|县长|州长|部长|署长|局长|主任|行长|主席|书记|镇长|乡长)[{_CJK}·]{{2,4}}"
)
_TITLE_END = re.compile(
    r"(?:通知|通报|意见|决定|办法|规定|方案|批复|复函|函|公告|通告|报告|请示|纪要|规则|细则|"
    r"条例|要点|计划|规划|决议|公报|议案|答复|措施|制度|标准|指引|指南|解读|章程|守则|清单|"
    r"目录|名单|命令|令)(?:[（(][^）)]{1,16}[）)])?$"
)
_TITLE_HINT = re.compile(r"关于|印发|转发|批转")
_TITLE_ISSUER = re.compile(rf"^([{_CJK}（）()]{{2,40}}?{_ORGAN_SUFFIX})(?:关于|印发|转发|批转)")
_ADDRESSEE = re.compile(r"[^。；;]{2,200}[:：]")
_SENTENCE = re.compile(r"[。；;！!？?]")
_SPACE_IN_CJK = re.compile(
    rf"(?<=[{_CJK}《》〈〉“”、，（）()])\s+|\s+(?=[{_CJK}《》〈〉“”、，（）()])"
)

_DOC_TYPES = (
    ("实施意见", DocType.OPINION),
    ("通知", DocType.NOTICE),
    ("通报", DocType.BULLETIN),
    ("意见", DocType.OPINION),
    ("决定", DocType.DECISION),
    ("批复", DocType.REPLY),
    ("函", DocType.LETTER),
    ("通告", DocType.PUBLIC_NOTICE),
    ("公告", DocType.ANNOUNCEMENT),
    ("报告", DocType.REPORT),
    ("请示", DocType.REQUEST),
    ("纪要", DocType.MINUTES),
    ("决议", DocType.RESOLUTION),
    ("公报", DocType.COMMUNIQUE),
    ("议案", DocType.MOTION),
    ("令", DocType.ORDER),
)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _tidy(text: str) -> str:
    """Whitespace around Chinese text removed (titles broken by a site's layout)."""
    return re.sub(r"\s{2,}", " ", _SPACE_IN_CJK.sub("", text.strip()))


def is_organ(line: str) -> bool:
    return bool(_ORGAN.fullmatch(_compact(line))) and not line.strip().startswith("各")


def doc_type_for(title: str) -> str:
    """文种 from the title's last word (…的通知 → 通知); 其他 when none fits."""
    core = re.sub(r"[（(][^）)]*[）)]$", "", _compact(to_simplified(title)))
    for word, kind in _DOC_TYPES:
        if core.endswith(word):
            return kind
    return DocType.OTHER


# ---------------------------------------------------------------- furniture

_FURNITURE = [
    re.compile(p)
    for p in (
        r"(?:当前位置|您现在的位置|您当前的位置|您的位置|现在的位置|所在位置|当前页面)[:：]?.*",
        r".{0,60}首页[>＞›»/\\].{0,80}",
        r"首页",
        r"分享(?:到|至)?[:：]?.{0,24}",
        r".{0,30}(?:打印本页|关闭窗口|打印此页|关闭本页|【打印】|【关闭】|\[打印\]|\[关闭\]|返回顶部|加入收藏|设为首页).{0,30}",
        r"(?:【|\[)?(?:打印|关闭|收藏|返回|顶部|纠错|下载)(?:】|\])?(?:(?:【|\[)?(?:打印|关闭|收藏|返回|顶部|纠错|下载)(?:】|\])?)*",
        r".{0,10}(?:扫描二维码|扫一扫|二维码).{0,24}",
        r"(?:浏览次数|访问量|阅读次数|点击数|访问次数|阅读量)[:：]?.{0,16}",
        r"【?(?:字号|字体|选择字体)[:：]?.{0,30}",
        r"(?:本文链接|本文关键词|相关链接|相关文档|相关阅读|上一篇|下一篇|责任编辑|编辑|审核|网站地图)[:：].{0,200}",
        r"全真版[:：].{0,200}",
        r"文件下载(?:及相关附件)?[:：].{0,200}",
        r"[•·|｜\s]+",
        r"\.?/?[\w./-]+\.(?:s?html?|jsp|aspx?|php)",
        r"【?[大中小]】?",
    )
]
_BREADCRUMB_START = re.compile(
    r"(?:\d+[.、]\s*)?(?:当前位置|您现在的位置|您的位置|现在的位置)[:：]?\s*"
)
_BREADCRUMB_ITEM = re.compile(r"\d+[.、]\s*\S{1,20}")
_FURNITURE_MAX = 120


def is_furniture(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > _FURNITURE_MAX:
        return False
    compact = _compact(s)
    return any(p.fullmatch(compact) or p.fullmatch(s) for p in _FURNITURE)


# ---------------------------------------------------------------- metadata header

_LABELS = {
    "索引号": "index_number",
    "主题分类": "topic",
    "名称": "title",
    "标题": "title",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "成文日期": "written_on",
    "生成日期": "written_on",
    "发文日期": "written_on",
    "发布日期": "published_on",
    "公开日期": "published_on",
    "日期": "published_on",
    "发文机关": "issuer",
    "发文单位": "issuer",
    "发文机构": "issuer",
    "发布机构": "publisher",
    "发布机关": "publisher",
    "来源": "publisher",
    "信息来源": "publisher",
    "有效性": "other",
    "文件登记号": "other",
    "主题词": "other",
    "关键词": "other",
    "时效": "other",
    "公开方式": "other",
    "体裁分类": "other",
    "组配分类": "other",
    "文件编号": "doc_number",
}
_LABEL_RE = re.compile(
    r"(?:^|(?<=\s))(?P<label>"
    + "|".join(
        r"\s*".join(map(re.escape, label)) for label in sorted(_LABELS, key=len, reverse=True)
    )
    + r")\s*(?:[:：]\s*|\s+|(?=$))"
)


def _metadata(line: str) -> dict[str, str] | None:
    """``{field: value}`` if ``line`` is a metadata line (starts with a label)."""
    s = line.strip()
    matches = list(_LABEL_RE.finditer(s))
    if not matches or matches[0].start() != 0:
        return None
    values: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(s)
        key = _LABELS[_compact(m["label"])]
        values.setdefault(key, s[m.end() : end].strip())
    return values


# ---------------------------------------------------------------- mis-decoding

_MISDECODED = (
    ("替换字符 U+FFFD", re.compile("\ufffd"), 1),
    ("“?”夹在中文标点旁", re.compile(r"\?[。，、；：）（]|[。，、；：]\?"), 2),
    ("中文里夹杂注音符号或制表符", re.compile(rf"[\u3100-\u312f\u2500-\u257f](?=[{_CJK}\^])"), 2),
    (
        "汉字后带拼音注音",
        re.compile(rf"(?<=[{_CJK}])\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)"),
        3,
    ),
    ("UTF-8 被当作 GBK 解码", re.compile(r"锟斤拷|烫烫烫|銆[^\w]|锛[^\w]|鈥[溜渚]"), 2),
    ("UTF-8 被当作 Latin-1 解码", re.compile(r"[ÃÂâ][\u0080-\u00bf€™œž]|ï¼|ã€"), 2),
)


def misdecoding(text: str) -> list[str]:
    """Evidence that ``text`` was decoded with the wrong character set (empty if clean)."""
    evidence = []
    for name, pattern, threshold in _MISDECODED:
        hits = list(pattern.finditer(text))
        if len(hits) >= threshold:
            m = hits[0]
            sample = text[max(0, m.start() - 6) : m.end() + 6].replace("\n", " ")
            evidence.append(f"{name} {len(hits)} 处，如“{sample}”")
    return evidence


# ---------------------------------------------------------------- extraction


@dataclass
class Extracted:
    """What :func:`extract` found; values keep the document's own characters."""

    title: str = ""
    issuer: str = ""
    doc_number: str = ""
    written_on: date | None = None
    published_on: date | None = None
    body: str = ""  # plain text, furniture and metadata header removed
    search_text: str = ""  # title, 文号, body in simplified characters
    traditional: bool = False
    misdecoded: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be found

    @property
    def doc_type(self) -> str:
        return doc_type_for(self.title) if self.title else DocType.OTHER

    @property
    def clean(self) -> bool:
        """Title and 成文日期 found and the text is not garbled."""
        return bool(self.title and self.written_on and not self.misdecoded)


class _Doc:
    """The lines of a document, in original and simplified characters, side by side."""

    def __init__(self, text: str):
        simplified = to_simplified(text)
        self.traditional = simplified != text
        self.o = text.split("\n")
        self.s = simplified.split("\n")
        if len(self.s) != len(self.o):  # OpenCC never touches newlines; be safe anyway
            self.s = [to_simplified(line) for line in self.o]
        self.s = [line.translate(_FULLWIDTH) for line in self.s]

    def orig(self, i: int, start: int | None = None, end: int | None = None) -> str:
        """The original text of simplified line ``i`` (or of a slice of it)."""
        if start is None and end is None:
            return self.o[i]
        if len(self.o[i]) == len(self.s[i]):
            return self.o[i][start:end]
        return self.s[i][start:end]


def normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\x00", "")
    text = re.sub(r"[\u200b-\u200f\u2060]", "", text)
    return text


def extract(text: str, *, hints: dict[str, str] | None = None) -> Extracted:
    """Metadata and body of one document.  ``hints`` come from the file's container
    (an HTML page's ``<meta name="ArticleTitle">`` or ``<title>``) and only fill gaps."""
    hints = hints or {}
    text = normalise_text(text)
    out = Extracted(misdecoded=misdecoding(text))
    doc = _Doc(text)
    out.traditional = doc.traditional
    n = len(doc.s)

    # Furniture, breadcrumbs listed one item per line included.
    dropped: set[int] = set()
    i = 0
    while i < n:
        line = doc.s[i].strip()
        if _BREADCRUMB_START.fullmatch(line) or (_BREADCRUMB_START.match(line) and len(line) <= 80):
            dropped.add(i)
            j = i + 1
            while j < n and (not doc.s[j].strip() or _BREADCRUMB_ITEM.fullmatch(doc.s[j].strip())):
                dropped.add(j)
                j += 1
            i = j
            continue
        if is_furniture(line):
            dropped.add(i)
        i += 1
    live = [i for i in range(n) if i not in dropped and doc.s[i].strip()]

    # The header: the lines above the addressees (各…：), or above the first paragraph.
    header: list[int] = []
    for i in live[:40]:
        line = doc.s[i].strip()
        if _ADDRESSEE.fullmatch(line) and not _metadata(line):
            break
        if len(line) > 150 or (len(line) > 60 and _SENTENCE.search(line)):
            break
        header.append(i)

    # Metadata lines a site printed above the text.
    meta: dict[str, str] = {}
    used: set[int] = set()
    for i in header:
        values = _metadata(doc.s[i])
        if values is None:
            continue
        used.add(i)
        for key, value in values.items():
            if value and key not in meta:
                meta[key] = value
        # Keep the original characters of the title and issuer the header gave.
        o_values = _metadata(doc.orig(i)) or {}
        for key in ("title", "issuer", "publisher", "doc_number"):
            if key in values and key in o_values and f"o_{key}" not in meta:
                meta[f"o_{key}"] = o_values[key]

    if meta.get("published_on"):
        out.published_on = parse_chinese_date(meta["published_on"])
    if not out.published_on and hints.get("published_on"):
        out.published_on = parse_chinese_date(hints["published_on"])

    # 文号 and 标题 in the header.
    title_lines: list[int] = []
    docnum_line: int | None = None
    for pos, i in enumerate(header):
        if i in used:
            continue
        line = doc.s[i].strip()
        if not out.doc_number:
            m = re.fullmatch(r"(.{2,40}?)\s*《(.+)》", line)
            if m and parse_docnum(m[1]):
                out.doc_number = doc.orig(i, *m.span(1)).strip()
                docnum_line = i
                if not title_lines:
                    out.title = _tidy(doc.orig(i, *m.span(2)))
                    title_lines = [i]
                continue
            if parse_docnum(line):
                out.doc_number = doc.orig(i).strip()
                docnum_line = i
                continue
            # An order: 中华人民共和国商务部令 / 2018 年 第 2 号.
            if line.endswith("令") and pos + 1 < len(header):
                following = doc.s[header[pos + 1]].strip()
                if re.fullmatch(r"(?:\d{4}\s*年\s*)?第\s*\d+\s*号", following) and parse_docnum(
                    line + following
                ):
                    out.doc_number = _compact(doc.orig(i) + doc.orig(header[pos + 1]))
                    docnum_line = header[pos + 1]
                    used.add(header[pos + 1])
                    continue
        if title_lines or _date_line(line) or i in used:
            continue
        if _SENTENCE.search(line) or len(line) > 150 or len(line) < 4:
            continue
        if not (_TITLE_HINT.search(line) or _TITLE_END.search(_compact(line))):
            continue
        start = pos
        if line.startswith("关于") and pos > 0 and is_organ(doc.s[header[pos - 1]]):
            start = pos - 1
        end = pos
        joined = _compact("".join(doc.s[header[k]] for k in range(start, end + 1)))
        while not _TITLE_END.search(joined) and end + 1 < len(header) and end - start < 4:
            nxt = doc.s[header[end + 1]].strip()
            if header[end + 1] in used or parse_docnum(nxt) or _date_line(nxt) or len(nxt) > 60:
                break
            end += 1
            joined += _compact(nxt)
        if not _TITLE_END.search(joined):
            end = pos  # no title ending in sight: take the line alone
        title_lines = [header[k] for k in range(start, end + 1)]
        out.title = _tidy("".join(doc.orig(k).strip() + " " for k in title_lines))

    if meta.get("title"):
        out.title = _tidy(meta.get("o_title", meta["title"]))
    if not out.doc_number and meta.get("doc_number") and parse_docnum(meta["doc_number"]):
        out.doc_number = meta.get("o_doc_number", meta["doc_number"]).strip()
    if not out.title and hints.get("title"):
        out.title = _tidy(hints["title"])
        out.notes.append("标题取自网页标题")

    # 成文日期 under the signature, and the signature itself.
    signature: list[int] = []
    date_at: int | None = None
    first_date: tuple[int, date] | None = None
    for k, i in enumerate(live):
        line = doc.s[i].strip()
        if i in used or i in title_lines:
            continue
        found = _date_line(line)
        organ_and_date = None
        if found is None:
            m = re.fullmatch(r"(\S{2,40})\s+(.{6,20})", line)
            if m and is_organ(m[1]) and _date_line(m[2]):
                found, organ_and_date = _date_line(m[2]), i
        if found is None:
            continue
        if first_date is None:
            first_date = (i, found)
        block = []
        if organ_and_date is not None:
            block = [i]
        else:
            for j in reversed(live[max(0, k - 3) : k]):
                above = doc.s[j].strip()
                if is_organ(above) or _PERSON_SIGNATURE.fullmatch(_compact(above)):
                    block.insert(0, j)
                else:
                    break
        if block:
            out.written_on, date_at, signature = found, i, block
            break
    if out.written_on is None and first_date is not None:
        date_at, out.written_on = first_date
        out.notes.append("成文日期未见落款机关")
    if meta.get("written_on"):
        written = parse_chinese_date(meta["written_on"])
        if written:
            out.written_on = written
    if out.written_on is None and out.published_on is not None:
        out.written_on = out.published_on
        out.notes.append("未找到成文日期，使用发布日期")

    # 发文机关.
    organs = []
    for j in signature:
        line = doc.s[j].strip()
        if j == date_at and not is_organ(line):  # organ and date on one line
            line = line.split()[0]
            organs.append(_tidy(doc.orig(j)).split()[0] if doc.traditional else line)
        elif is_organ(line):
            organs.append(_tidy(doc.orig(j)).replace(" ", ""))
    title_issuer = _TITLE_ISSUER.match(_compact(to_simplified(out.title))) if out.title else None
    if meta.get("issuer"):
        out.issuer = meta.get("o_issuer", meta["issuer"])
    elif organs:
        out.issuer = "、".join(organs)
    elif title_issuer:
        out.issuer = _compact(out.title)[: title_issuer.end(1)]
    elif docnum_line is not None and doc.s[docnum_line].strip().endswith("号"):
        m = re.match(rf"(?:中华人民共和国)?([{_CJK}]{{2,30}}?{_ORGAN_SUFFIX})令", out.doc_number)
        out.issuer = m[1] if m else ""
    if not out.issuer and meta.get("publisher"):
        out.issuer = meta.get("o_publisher", meta["publisher"])
        out.notes.append("发文机关取自网页“发布机构/来源”")

    if not out.title:
        out.notes.append("未识别标题")
    if not out.issuer:
        out.notes.append("未识别发文机关")
    if not out.doc_number:
        out.notes.append("未识别文号")
    if out.written_on is None:
        out.notes.append("未识别成文日期")

    # The body: everything but furniture, the metadata header and the title/文号 lines.
    skip = dropped | used | set(title_lines) | ({docnum_line} if docnum_line is not None else set())
    # A header that repeats the title or the 文号 on a line of its own.
    repeats = {_compact(to_simplified(out.title)), _compact(to_simplified(out.doc_number))} - {""}
    skip |= {i for i in header if _compact(doc.s[i]) in repeats}
    lines = [doc.o[i].rstrip() for i in range(n) if i not in skip]
    out.body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    body_s = "\n".join(doc.s[i].rstrip() for i in range(n) if i not in skip)
    out.search_text = "\n".join(
        x
        for x in (
            to_simplified(out.title) if doc.traditional else out.title,
            to_simplified(out.doc_number) if doc.traditional else out.doc_number,
            body_s.strip(),
        )
        if x
    )
    if not out.body.strip():
        out.notes.append("没有正文")
    return out
