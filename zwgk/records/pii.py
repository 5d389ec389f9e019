"""Personal information in a record's text, found before publishing (去标识化).

rules.md §2 and the seeds (十三): apart from 惩戒公示 and mandatory disclosure,
personal information in published government information is de-identified.
:func:`scan` finds candidates in plain text, :func:`mask` replaces them, and
:func:`finding_id` gives each a stable id so a reviewer can dispose of it
(:class:`Disposition`: mask it, or keep it with a reason, e.g. a 行政处罚
决定 published by law or an agency 负责人姓名, 条例 Art. 20 (二)).

The scanner favours precision in the places where public numbers are common
and recall where the number can only be personal.  The rules, in priority
order (an earlier kind wins an overlap):

``EMAIL``
    ``local@domain.tld``; not a government domain (``*.gov.cn``, ``*.gov``)
    and not in an office context (see below).
``RESIDENT_ID``
    18 characters ``\\d{17}[\\dX]`` (also ``140105 19560312 1234``) not inside a
    longer run of letters or digits, GB 11643 check character right, region
    starting 1–8 and a real birth date between 1900 and this year.  An
    all-digit 统一社会信用代码 that happens to pass is skipped when it is a
    valid GB 32100 code labelled as one.  15-digit pre-1999 numbers only right
    after an identity label (身份证, 证件号码, 公民身份号码) and with a real 19YY
    date (confidence 0.8): alone they look like any other number.
``BANK_CARD``
    16–19 digits, plain or in groups of four, passing Luhn, and either a card
    prefix (62, 60, 4, 51–55) or a card label just before (卡号, 账号, 银行卡,
    开户…).  A number shaped like a resident ID (region, birth date) needs the
    label: a mistyped ID is not a card.  Accounts described as an agency's
    within 24 characters before or after (收款单位, 缴纳账号, 非税, 汇缴,
    结算户, 对公…) are skipped.
``MOBILE``
    ``1[3-9]\\d{9}``, also ``138 1234 5678`` / ``138-1234-5678`` and with
    ``+86``/``0086`` (then part of the finding), never part of a longer digit
    run.  Every mobile is flagged, an official's too: the reviewer keeps the
    ones that are public.
``LANDLINE``
    area code (010, 02X, 0[3-9]XX) and a 7–8 digit local number starting 2–8,
    flagged **only in a personal context** (below): office numbers are public
    (条例 Art. 12 requires the 指南 to publish them).
``PERSON_NAME``
    2–4 CJK characters, a common surname (about 400) or 复姓 first, after
    a label: 申请人、当事人、被处罚人、户主、联系人、法定代表人、负责人、姓名、
    经办人、举报人、投诉人… and any ``…人：`` (来信人：, 办理人：), then
    ``：``/``:`` or a space (after a mere space the name must be the whole
    CJK run, so ``申请人 应当…`` is no name).  After ``：`` the name stops at
    punctuation, at the next field (性别, 身份证, 电话…), at a verb (主持,
    反映, 不服…) or an honorific (先生, 女士…); a surname with an honorific
    alone (王女士, 李科长) is not flagged.  Also: ``申请人：张三、李四``; titles
    and kinship words directly before a name (副市长张三主持, 其母亲张三);
    ``任命张三同志``; a reply's salutation line ``张三：``; names with a middle
    dot (阿依古丽·买买提); the column headed …姓名/…人/…对象 of a plain-text
    table (header row: ≥ 3 short cells, no numbers, no name, or 序号 first);
    and every later mention of a name found in one of these places.  Names
    already anonymised (张某, 张某某, 张**) are not flagged.

*Context* of a landline or an e-mail address: the nearest label among the
personal ones (申请人, 当事人, 身份证, 住址, 家庭电话…) and the office ones
(咨询电话, 监督电话, 传真, 办公室, 联系人, 局, 公司, 事务所, 反映…) in the
80 characters before it, not going back past a ``。`` or a blank line.  An
official named as 联系人 is an office context: that person's landline and
mailbox are the office's; the name and a mobile are still flagged.

Matching runs on a normalised copy (NFKC per character: full-width digits,
letters and punctuation become ASCII; zero-width characters are dropped); the
offsets of a :class:`Finding` are those of the original text.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from zwgk.disclosure_requests.validators import resident_id_check_character
from zwgk.organizations.validators import credit_code_is_valid
from zwgk.utils.masking import (
    mask_bank_card,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
)


class FindingKind(StrEnum):
    """What was found; the order of the members is the priority on overlaps."""

    EMAIL = "email"
    RESIDENT_ID = "resident_id"
    BANK_CARD = "bank_card"
    MOBILE = "mobile"
    LANDLINE = "landline"
    PERSON_NAME = "person_name"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    FindingKind.EMAIL: "电子邮箱",
    FindingKind.RESIDENT_ID: "身份证号",
    FindingKind.BANK_CARD: "银行卡号",
    FindingKind.MOBILE: "手机号",
    FindingKind.LANDLINE: "固定电话",
    FindingKind.PERSON_NAME: "姓名",
}
PRIORITY = {kind: rank for rank, kind in enumerate(FindingKind)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal information: ``text == original[start:end]``."""

    kind: FindingKind
    start: int
    end: int
    text: str
    masked: str
    label: str
    confidence: float = 1.0


class Disposition(StrEnum):
    """A reviewer's decision on one finding; KEEP needs a reason, recorded with it."""

    MASK = "mask"
    KEEP = "keep"

    @property
    def label(self) -> str:
        return "去标识化" if self is Disposition.MASK else "保留（须说明理由）"


def masked_unless_kept(
    text: str, findings: list[Finding], decisions: dict[str, tuple[Disposition, str]]
) -> str:
    """``text`` masked except the findings a reviewer kept, by :func:`finding_id`, with a reason.

    A finding without a decision is masked: the safe default.
    """
    to_mask = []
    for finding in findings:
        disposition, reason = decisions.get(finding_id(finding), (Disposition.MASK, ""))
        if disposition is Disposition.KEEP and not reason.strip():
            raise ValueError(f"keeping {finding_id(finding)} needs a reason")
        if disposition is not Disposition.KEEP:
            to_mask.append(finding)
    return mask(text, to_mask)


def finding_id(finding: Finding) -> str:
    """A stable id: kind, offset and a hash of the text, e.g. ``mobile:42:3f1a…``.

    It changes when the text found changes or moves, so a decision taken on an
    earlier version of the record is not applied to different text.
    """
    digest = hashlib.sha256(finding.text.encode()).hexdigest()[:12]
    return f"{finding.kind.value}:{finding.start}:{digest}"


def mask(text: str, findings: list[Finding]) -> str:
    """``text`` with each finding replaced by its masked form (findings must not overlap)."""
    parts, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            raise ValueError(f"overlapping findings at {finding.start}")
        if text[finding.start : finding.end] != finding.text:
            raise ValueError(f"finding {finding_id(finding)} does not match the text")
        parts += [text[position : finding.start], finding.masked]
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


# --- normalisation with a map back to the original --------------------------


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFKC per character, format characters dropped; ``origin[i]`` is the index in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        if ord(ch) < 128:
            chars.append(ch)
            origin.append(index)
            continue
        if unicodedata.category(ch) == "Cf":
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if ch == "\u3000":
            folded = " "
        chars.extend(folded)
        origin.extend([index] * len(folded))
    origin.append(len(text))
    return "".join(chars), origin


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- vocabularies -------------------------------------------------------------

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧"
    "耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍"
    "华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏"
    "宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈"
    "匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖"
    "练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘"
    "亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信"
    "展阴昝智幸奉植衡富尧闭由萧蔚訾续钮郗鄂滑洪"
)
COMPOUND_SURNAMES = _words(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 令狐 宇文 夏侯 "
    "端木 司徒 独孤 南宫 轩辕 西门 呼延 百里 闻人 澹台 公冶 太史 申屠 "
    "钟离 万俟 单于 第五"
)

NAME_LABELS = _words(
    "法定代表人 委托代理人 被处罚人 被举报人 被投诉人 申请人 当事人 联系人 "
    "负责人 经办人 举报人 投诉人 代理人 监护人 户主 姓名 享受对象 救助对象 "
    "出席 列席 参会人员"
)
# Titles and kinship words directly before a name, with or without ：
# (局长：张三, 副市长张三主持, 其子张三).
TITLES = _words(
    "副市长 副县长 副区长 副局长 副主任 副书记 市长 县长 区长 镇长 乡长 厅长 "
    "局长 处长 科长 所长 院长 校长 站长 主任 书记 "
    "其父亲 其母亲 其子 其女 其父 其母 之子 之女 父亲 母亲 儿子 女儿 配偶 妻子 丈夫"
)
# The label, an optional qualifier (户主姓名, 申请人（签名）), then ：/: or a space.
# Any "…人：" is a party's label too (来信人：, 办理人：, 登记人：).
_NAME_LABEL = re.compile(
    r"(?:" + "|".join(NAME_LABELS) + r"|姓\s+名|[\u4e00-\u9fff]{1,3}人(?=\s*[:：]))(?:姓名)?"
    r"(?:[(（]\s*(?:签名|签字|签章|盖章|本人)\s*[)）]|签名|签字)?"
    r"(?:\s*[:：]\s*|[ \t]+)"
)
_TITLE = re.compile(r"(?:" + "|".join(TITLES) + r")(?:\s*[:：]\s*)?")
# 任命张三同志为……, 关于张三同志任职的通知
_COMRADE = re.compile(r"(?:任命|免去|聘任|提名|关于|、|，|,)([\u4e00-\u9fff]{2,4}?)同志")
# The salutation of a reply: a line holding only the addressee's name and ：
_SALUTATION = re.compile(r"^[ \t]*([\u4e00-\u9fff]{2,7})[:：][ \t]*$", re.MULTILINE)
_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff]"
_CJK_RUN = re.compile(_CJK + "+")
# Where a name ends inside a run of CJK characters: the next field or an honorific.
_NAME_STOPS = re.compile(
    r"性别|身份|公民|证件|联系|电话|手机|住址|住所|地址|户籍|民族|汉族|出生|年龄|职务|职业|"
    r"工作|单位|现住|家住|系|因|于|在|向|对|等|及|与|的|称|经|是|为|已|同志|先生|女士|小姐|"
    r"老师|师傅|科长|主任|局长|处长|所长|队长|书记|经理|村民|居民|主持|出席|列席|参加|陪同|"
    r"讲话|强调|指出|表示|反映|不服|申请"
)
_HONORIFIC = re.compile(
    r"同志|先生|女士|小姐|老师|师傅|科长|主任|局长|处长|所长|队长|书记|经理|某|总|工|姐|哥"
)
NOT_NAMES = frozenset(
    _words(
        "本人 同上 不详 待定 暂无 签字 签名 盖章 见附件 同志们 各位 "
        # column titles beside 姓名 in a table header
        "班级 年级 学校 学历 单位 职务 职称 金额 备注 地址 住址 年龄 民族 性别 籍贯 电话 家长"
    )
)

_ID_LABEL = re.compile(r"(?:身份证|证件|身份号码|公民身份)[^\d]{0,8}$")
_CARD_LABEL = re.compile(r"(?:卡号|账号|帐号|账户|帐户|银行卡|开户|社保卡|存折|一卡通)[^\d]{0,10}$")
_PUBLIC_ACCOUNT = re.compile(
    r"收款单位|收款账户|收款帐户|缴款账号|缴款帐号|缴纳账号|对公|单位账户|非税|汇缴|结算户|财政专户"
)
_CREDIT_LABEL = re.compile(r"(?:信用代码|注册号|机构代码)[^\d]{0,6}$")

PERSONAL_CONTEXT = _words(
    "申请人 当事人 被处罚人 户主 举报人 投诉人 代理人 监护人 本人 家属 "
    "身份证 公民身份 住址 家庭电话 住宅电话 个人电话 姓名 性别 出生"
)
OFFICE_CONTEXT = _words(
    "咨询电话 监督电话 举报电话 投诉电话 办公电话 值班 传真 热线 受理电话 "
    "服务电话 邮编 邮政编码 办公地址 办公时间 工作时间 办公室 人民政府 委员会 "
    "中心 局 联系人 信息公开 反映 咨询 医院 学校 派出所 居委会 村委会 事务所 公司 窗口"
)
_CONTEXT = re.compile(
    "|".join(sorted(map(re.escape, (*PERSONAL_CONTEXT, *OFFICE_CONTEXT)), key=len, reverse=True))
)
_PERSONAL = frozenset(PERSONAL_CONTEXT)

# --- the patterns, on the normalised text ---------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# Also written in groups, 140105 19560312 1234.
_ID18 = re.compile(r"(?<![A-Za-z0-9])(?:\d{17}|\d{6} \d{8} \d{3})[\dXx](?![A-Za-z0-9])")
_ID15 = re.compile(r"(?<![A-Za-z0-9])\d{15}(?![A-Za-z0-9])")
_CARD = re.compile(
    r"(?<![A-Za-z0-9])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![A-Za-z0-9])(?!\.\d)"
)
_MOBILE = re.compile(
    r"(?<![\dA-Za-z+])(?<!\d-)(?:(?:\+|00)?86[ -]?)?"
    r"1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)(?!-\d)(?!\.\d)"
)
_LANDLINE = re.compile(
    r"(?<![\d-])(?:\((?:010|02\d|0[3-9]\d{2})\)\s?|(?:010|02\d|0[3-9]\d{2})[ -]?)[2-8]\d{6,7}(?!\d)"
)


def _context(norm: str, position: int) -> str | None:
    """``"personal"``, ``"office"`` or None: the nearest context label before ``position``."""
    start = max(0, position - 80)
    window = norm[start:position]
    window = window[max(window.rfind("。"), window.rfind("\n\n")) + 1 :]
    labels = list(_CONTEXT.finditer(window))
    if not labels:
        return None
    return "personal" if labels[-1].group() in _PERSONAL else "office"


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _birth_date_ok(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return 1900 <= born.year <= datetime.now(UTC).year


def _id_shaped(number: str) -> bool:
    """Region starting 1–8 and a real birth date: the shape of an 18-digit 公民身份号码."""
    return number[0] in "12345678" and _birth_date_ok(
        int(number[6:10]), int(number[10:12]), int(number[12:14])
    )


def _luhn(digits: str) -> bool:
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _surname_length(name: str) -> int:
    if name[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if name[:1] in SURNAMES else 0


def _is_name(candidate: str) -> bool:
    if not 2 <= len(candidate) <= 4 or candidate in NOT_NAMES or "某" in candidate:
        return False
    surname = _surname_length(candidate)
    return bool(surname) and len(candidate) > surname and not re.search(r"[×Xx*＊○〇]", candidate)


def _name_after(norm: str, position: int, *, whole: bool) -> tuple[int, int] | None:
    """The span of the name starting at ``position``, if the text there is one.

    ``whole``: after a label and a mere space (``姓名 张三 性别 男``) the name
    must be the whole run of CJK characters, or prose such as ``申请人 应当在…``
    would give a name ``应当``.
    """
    run = _CJK_RUN.match(norm, position)
    if not run:
        return None
    value = run.group()
    dotted = re.match(r"·[\u4e00-\u9fff]{2,8}", norm[run.end() :])
    if dotted and 2 <= len(value) <= 8:  # 阿依古丽·买买提: no surname to check
        return (position, run.end() + dotted.end())
    if whole:
        return (position, run.end()) if _is_name(value) else None
    surname = _surname_length(value)
    if surname and _HONORIFIC.match(value, surname):
        return None  # 王女士, 李科长: a surname and a title, not a full name
    stop = next((m.start() for m in _NAME_STOPS.finditer(value, 2)), len(value))
    candidate = value[:stop]
    return (position, position + len(candidate)) if _is_name(candidate) else None


# --- the finders ----------------------------------------------------------------

# kind, start and end in the normalised text, masked form, confidence
Candidate = tuple[FindingKind, int, int, str, float]


def _emails(norm: str) -> list[Candidate]:
    found = []
    for m in _EMAIL.finditer(norm):
        domain = m.group().rpartition("@")[2].lower()
        if domain.endswith((".gov.cn", ".gov")) or _context(norm, m.start()) == "office":
            continue
        found.append((FindingKind.EMAIL, m.start(), m.end(), mask_email(m.group()), 1.0))
    return found


def _resident_ids(norm: str) -> list[Candidate]:
    found = []
    for m in _ID18.finditer(norm):
        number = m.group().upper().replace(" ", "")
        if not _id_shaped(number) or resident_id_check_character(number[:17]) != number[17]:
            continue
        if credit_code_is_valid(number) and _CREDIT_LABEL.search(norm[: m.start()][-20:]):
            continue
        found.append((FindingKind.RESIDENT_ID, m.start(), m.end(), mask_id_number(number), 1.0))
    for m in _ID15.finditer(norm):
        number = m.group()
        year, month, day = 1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
        if number[0] not in "12345678" or not _birth_date_ok(year, month, day):
            continue
        if _ID_LABEL.search(norm[max(0, m.start() - 16) : m.start()]):
            found.append((FindingKind.RESIDENT_ID, m.start(), m.end(), mask_id_number(number), 0.8))
    return found


def _bank_cards(norm: str) -> list[Candidate]:
    found = []
    for m in _CARD.finditer(norm):
        digits = _digits(m.group())
        if not 16 <= len(digits) <= 19 or not _luhn(digits):
            continue
        before = norm[max(0, m.start() - 24) : m.start()]
        labelled = bool(_CARD_LABEL.search(before))
        if _PUBLIC_ACCOUNT.search(before + norm[m.end() : m.end() + 24]):
            continue
        if len(digits) == 18 and _id_shaped(digits) and not labelled:
            continue
        if not labelled and not re.match(r"62|60|4|5[1-5]", digits):
            continue
        confidence = 1.0 if labelled else 0.8
        found.append(
            (FindingKind.BANK_CARD, m.start(), m.end(), mask_bank_card(digits), confidence)
        )
    return found


def _mobiles(norm: str) -> list[Candidate]:
    return [
        (FindingKind.MOBILE, m.start(), m.end(), mask_phone(m.group()), 1.0)
        for m in _MOBILE.finditer(norm)
    ]


def _landlines(norm: str) -> list[Candidate]:
    return [
        (FindingKind.LANDLINE, m.start(), m.end(), mask_phone(m.group()), 0.9)
        for m in _LANDLINE.finditer(norm)
        if _context(norm, m.start()) == "personal"
    ]


_TABLE_SPLIT = re.compile(r"\s*[\t|｜]\s*|\s+")


def _names(norm: str) -> list[Candidate]:
    spans: set[tuple[int, int]] = set()
    starts = [(m.end(), not re.search(r"[:：]", m.group())) for m in _NAME_LABEL.finditer(norm)]
    starts += [(m.end(), False) for m in _TITLE.finditer(norm)]
    for position, whole in starts:
        while span := _name_after(norm, position, whole=whole):
            spans.add(span)
            if not norm.startswith("、", span[1]):  # 申请人：张三、李四
                break
            position = span[1] + 1
    for m in _COMRADE.finditer(norm):
        if _is_name(m.group(1)):
            spans.add(m.span(1))
    for m in _SALUTATION.finditer(norm):  # 张三：, 张三先生：
        if span := _name_after(norm, m.start(1), whole=False):
            spans.add(span)
    spans |= _table_names(norm)
    # Later mentions of a name found in a labelled place (当事人张三于……).
    for name in {norm[s:e] for s, e in spans}:
        for m in re.finditer(re.escape(name), norm):
            spans.add((m.start(), m.end()))
    return [(FindingKind.PERSON_NAME, s, e, mask_name(norm[s:e]), 0.9) for s, e in sorted(spans)]


def _table_names(norm: str) -> set[tuple[int, int]]:
    """Names in the 姓名 column of a plain-text table, down to the next blank line."""
    spans: set[tuple[int, int]] = set()
    offset, columns = 0, []
    for line in norm.split("\n"):
        cells = [(c.start(), c.group()) for c in re.finditer(r"[^\s|｜]+", line)]
        header = [i for i, (_, cell) in enumerate(cells) if _NAME_COLUMN.fullmatch(cell)]
        if header and _is_header(cells):
            columns = header
        elif not line.strip():
            columns = []
        for column in columns if not header else []:
            if column < len(cells) and _is_name(cells[column][1]):
                start, cell = cells[column]
                spans.add((offset + start, offset + start + len(cell)))
        offset += len(line) + 1
    return spans


_NAME_COLUMN = re.compile(r"[\u4e00-\u9fff]{0,4}(?:姓名|人|对象)|户主")


def _is_header(cells: list[tuple[int, str]]) -> bool:
    """A row of column titles: three or more short cells, no numbers, no ：, no name.

    ``姓名 张三 性别 男`` is a labelled line, not a header: it holds a name.
    """
    values = [cell for _, cell in cells]
    if len(values) < 3 or any(len(v) > 12 or re.fullmatch(r"[\d.]+", v) for v in values):
        return False
    if any(":" in v or "：" in v for v in values):
        return False
    return values[0] in ("序号", "编号") or not any(map(_is_name, values))


def scan(text: str) -> list[Finding]:
    """The personal information in ``text``, in order, without overlaps."""
    norm, origin = _normalise(text)
    candidates = [
        *_emails(norm),
        *_resident_ids(norm),
        *_bank_cards(norm),
        *_mobiles(norm),
        *_landlines(norm),
        *_names(norm),
    ]
    candidates.sort(key=lambda c: (PRIORITY[c[0]], c[1], -c[2]))
    taken: list[tuple[int, int]] = []
    findings = []
    for kind, start, end, masked, confidence in candidates:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        o_start, o_end = origin[start], origin[end - 1] + 1
        findings.append(
            Finding(kind, o_start, o_end, text[o_start:o_end], masked, kind.label, confidence)
        )
    return sorted(findings, key=lambda f: f.start)
