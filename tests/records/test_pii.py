"""The personal-information scan (去标识化) of a record's text: zwgk.records.pii."""

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.disclosure_requests.validators import resident_id_check_character
from zwgk.organizations.validators import credit_check_character
from zwgk.records.pii import (
    Disposition,
    Finding,
    FindingKind,
    finding_id,
    mask,
    masked_unless_kept,
    scan,
)
from zwgk.utils.masking import mask_bank_card, mask_email, mask_id_number, mask_name, mask_phone

K = FindingKind
SAMPLE = Path(__file__).with_name("pii_sample.jsonl")


def resident_id(body: str = "11010119900307123") -> str:
    return body + resident_id_check_character(body)


def luhn(body: str) -> str:
    """``body`` with the Luhn check digit appended."""
    for digit in "0123456789":
        number = body + digit
        total = 0
        for position, ch in enumerate(reversed(number)):
            value = int(ch) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return number
    raise AssertionError


def wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


ID = resident_id()  # 110101199003071233
CARD = luhn("622202123456789012")  # 19 digits
FW = str.maketrans("0123456789-@.", "０１２３４５６７８９－＠．")


def kinds(text: str) -> list[tuple[FindingKind, str]]:
    return [(f.kind, f.text) for f in scan(text)]


# --- the masks (zwgk.utils.masking) ------------------------------------------


def test_masks():
    assert mask_name("张三") == "张**"  # unchanged behaviour
    assert mask_id_number(ID) == "110101********1233"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138 1234 5678") == "138****5678"
    assert mask_phone("+86 13812345678") == "+86 138****5678"
    assert mask_phone("0351-7654321") == "0351-****4321"
    assert mask_phone("(010)87654321") == "010-****4321"
    assert mask_bank_card("6222021234567890123") == "6222 **** **** 0123"
    assert mask_bank_card("6222 0212 3456 7890") == "6222 **** **** 7890"
    assert mask_email("zhangsan@example.com") == "z***@example.com"


# --- each kind ----------------------------------------------------------------


def test_resident_id_valid_check_character_and_date():
    assert kinds(f"身份证号：{ID}。") == [(K.RESIDENT_ID, ID)]
    x_id = next(
        resident_id(f"14010519560312{n:03d}")
        for n in range(1000)
        if resident_id_check_character(f"14010519560312{n:03d}") == "X"
    )
    assert kinds(f"证件号码 {x_id.lower()}") == [(K.RESIDENT_ID, x_id.lower())]
    grouped = f"{ID[:6]} {ID[6:14]} {ID[14:]}"
    assert kinds(f"身份证号：{grouped}") == [(K.RESIDENT_ID, grouped)]


@pytest.mark.parametrize(
    "text",
    [
        f"编号：{wrong_check(ID)}",  # GB 11643 check character wrong
        "号码：" + resident_id("11010119901332123"),  # month 13
        "号码：" + resident_id("11010118000307123"),  # born 1800
        "号码：" + resident_id("91010119900307123"),  # no region starts with 9
        f"流水号{ID}8",  # inside a longer run
        f"ABC{ID}",  # inside an alphanumeric code
    ],
)
def test_resident_id_negatives(text):
    assert [k for k, _ in kinds(text) if k == K.RESIDENT_ID] == []


def test_old_fifteen_digit_ids_only_after_an_identity_label():
    assert kinds("户主身份证号：110101540307123") == [(K.RESIDENT_ID, "110101540307123")]
    assert kinds("登记号码110101540307123已注销") == []


def test_credit_codes_are_not_ids():
    body = "91370102MA3C5K8T1"
    code = body + credit_check_character(body)
    assert kinds(f"统一社会信用代码：{code}") == []
    # an all-digit code that also passes GB 11643 and looks like an ID
    code = next(
        body + credit_check_character(body)
        for body in (f"11010119900307{n:03d}" for n in range(1000))
        if credit_check_character(body) == resident_id_check_character(body)
    )
    assert kinds(f"统一社会信用代码：{code}") == []
    assert kinds(f"身份证号：{code}") == [(K.RESIDENT_ID, code)]


@pytest.mark.parametrize(
    "number",
    ["13812345678", "138 1234 5678", "138-1234-5678", "+86 13812345678", "+8613812345678"],
)
def test_mobiles(number):
    assert kinds(f"手机：{number}。") == [(K.MOBILE, number)]


@pytest.mark.parametrize(
    "text",
    [
        "订单号2024138123456789",  # part of a longer run
        "金额13812345678.50元",
        "电话12345",
        "热线：400-812-3456",
        "日期20240315，邮编030001",
        "12812345678",  # 12x is not a mobile prefix
    ],
)
def test_mobile_negatives(text):
    assert [k for k, _ in kinds(text) if k == K.MOBILE] == []


def test_landlines_only_in_a_personal_context():
    assert kinds("申请人：张三\n身份证号：" + ID + "\n联系电话：0351-7654321") == [
        (K.PERSON_NAME, "张三"),
        (K.RESIDENT_ID, ID),
        (K.LANDLINE, "0351-7654321"),
    ]
    assert kinds("举报人家庭电话(010)87654321")[-1] == (K.LANDLINE, "(010)87654321")


@pytest.mark.parametrize(
    "text",
    [
        "联系方式\n办公地址：示范市府西街69号\n邮政编码：030001\n办公电话：0351-4040123\n传真：0351-4040124",
        "咨询电话：0351-12345678；监督电话：0351-7654321；12345政务服务便民热线。",
        "联系人：王明，联系电话：0351-4040123。",
        # a full stop ends the applicant's sentence: the office number is after it
        "请申请人携带身份证原件办理。联系电话：0351-4040123",
        "法定代表人：李四\n住所：示范市小店区\n联系电话：0351-4040123",
        "委托代理人：王五，示范市正义律师事务所律师，联系电话：0351-4040123。",
    ],
)
def test_office_phones_are_public(text):
    assert [k for k, _ in kinds(text) if k == K.LANDLINE] == []


def test_bank_cards():
    assert kinds(f"银行卡号：{CARD}") == [(K.BANK_CARD, CARD)]
    grouped = " ".join(CARD[i : i + 4] for i in range(0, len(CARD), 4))
    assert kinds(f"一卡通 {grouped}") == [(K.BANK_CARD, grouped)]
    other = luhn("955880123456789")  # no card prefix: only with a label
    assert kinds(f"存折账号：{other}") == [(K.BANK_CARD, other)]
    assert kinds(f"编号{other}") == []


def test_bank_card_negatives():
    failing = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert kinds(f"订单号：{failing}") == []  # fails Luhn
    assert kinds(f"收款单位：示范市财政局非税收入专户，账号：{CARD}") == []
    assert kinds(f"罚款缴纳账号：{CARD}（示范市非税收入汇缴结算户）") == []
    # an ID with a wrong check digit that passes Luhn is neither an ID nor a card
    bad = next(
        n
        for n in (wrong_check(resident_id(f"44010619850612{i:03d}")) for i in range(1000))
        if luhn(n[:17]) == n
    )
    assert kinds(f"号码：{bad}") == []


def test_emails():
    assert kinds("电子邮箱：zhangsan1990@qq.com") == [(K.EMAIL, "zhangsan1990@qq.com")]
    assert kinds("邮箱：xxgk@shifan.gov.cn") == []  # a government mailbox
    assert kinds("联系人：王明，电子邮箱：sfsjj@163.com") == [(K.PERSON_NAME, "王明")]  # office


# --- names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("当事人：张三，男，汉族", ["张三"]),
        ("被处罚人:李建国 驾驶证号", ["李建国"]),
        ("申请人（签名）：欧阳娜娜", ["欧阳娜娜"]),
        ("户主姓名：王秀英\n", ["王秀英"]),
        ("法定代表人：赵亚男，局长。", ["赵亚男"]),
        ("经办人：刘伟、陈静\n", ["刘伟", "陈静"]),
        ("姓名 张三 性别 男", ["张三"]),
        ("申请人：李四联系电话：", ["李四"]),
        ("来信人：孙丽\n", ["孙丽"]),  # any …人：
        ("副市长周建华主持会议", ["周建华"]),
        ("决定任命吴海燕同志为示范市统计局副局长", ["吴海燕"]),
        ("申请人：阿依古丽·买买提\n", ["阿依古丽·买买提"]),
        ("宋浩然：\n本机关于2024年3月1日收到您的申请。", ["宋浩然"]),
    ],
)
def test_names_in_labelled_places(text, names):
    assert [f.text for f in scan(text) if f.kind == K.PERSON_NAME] == names


@pytest.mark.parametrize(
    "text",
    [
        "当事人：张某某，男",
        "当事人：王某于2024年",
        "申请人：张**",
        "联系人：王女士",
        "负责人：李科长",
        "当事人：示范市宏达建材有限公司",
        "申请人 应当在规定期限内提交材料",
        "申请人：本人",
        "被申请人：示范市人民政府",
        "序号 学生姓名 班级 家长姓名",
    ],
)
def test_not_names(text):
    assert [f for f in scan(text) if f.kind == K.PERSON_NAME] == []


def test_later_mentions_of_a_labelled_name():
    text = "当事人：张建国，男。\n经查，张建国于2024年3月1日销售过期食品。"
    assert [f.start for f in scan(text)] == [4, 14]


def test_names_in_a_table_column():
    text = (
        "序号\t户主姓名\t家庭人口\t身份证号\n"
        f"1\t刘桂兰\t3\t{ID}\n"
        f"2\t周敏\t2\t{resident_id('14010519560312001')}\n"
        "\n"
        "公示期：七日。"
    )
    names = [f.text for f in scan(text) if f.kind == K.PERSON_NAME]
    assert names == ["刘桂兰", "周敏"]


# --- offsets, overlaps, masking ------------------------------------------------


def test_offsets_are_those_of_the_original_full_width_text():
    text = (
        f"当事人：张三，\u200b手机：{'13812345678'.translate(FW)}，身份证号：{ID.translate(FW)}，"
        + ("邮箱：zhang@qq.com".translate(FW))
    )
    found = scan(text)
    assert [f.kind for f in found] == [K.PERSON_NAME, K.MOBILE, K.RESIDENT_ID, K.EMAIL]
    for f in found:
        assert text[f.start : f.end] == f.text
    assert found[1].text == "１３８１２３４５６７８"
    assert found[1].masked == "138****5678"
    assert found[2].masked == "110101********1233"


def test_zero_width_characters_inside_a_number():
    text = "手机：138\u200b1234\u200b5678。"
    [f] = scan(text)
    assert (f.kind, f.start, f.end) == (K.MOBILE, 3, 16)


def test_no_overlaps_and_priority():
    text = f"13812345678@qq.com 银行卡号：{CARD}，身份证号：{ID}"
    found = scan(text)
    assert [f.kind for f in found] == [K.EMAIL, K.BANK_CARD, K.RESIDENT_ID]
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


TEXT = (
    "行政处罚决定书\n示环罚〔2024〕39号\n当事人：张三，身份证号：" + ID + "，住址：示范市迎泽区，"
    "联系电话：0351-7654321，手机：138 1234 5678，电子邮箱：zhangsan@qq.com。\n"
    "经查，张三于2024年3月1日……罚款缴至指定账户，银行卡号：" + CARD + "。\n"
    "咨询电话：0351-4040123，12345热线。"
)


def test_mask():
    masked = mask(TEXT, scan(TEXT))
    assert "当事人：张**，身份证号：110101********1233，" in masked
    assert "联系电话：0351-****4321，手机：138****5678，电子邮箱：z***@qq.com。" in masked
    assert "经查，张**于2024年" in masked
    assert "银行卡号：6222 **** **** " + CARD[-4:] in masked
    assert "咨询电话：0351-4040123，12345热线。" in masked
    assert "示环罚〔2024〕39号" in masked


def test_masked_text_has_no_findings():
    assert scan(mask(TEXT, scan(TEXT))) == []


def test_mask_refuses_overlaps_and_stale_findings():
    [f] = scan("手机：13812345678")
    with pytest.raises(ValueError, match="overlapping"):
        mask("手机：13812345678", [f, f])
    with pytest.raises(ValueError, match="does not match"):
        mask("手机：13912345678", [f])


def test_finding_is_frozen_with_a_chinese_label():
    [f] = scan("手机：13812345678")
    assert f.label == "手机号" == K.MOBILE.label
    with pytest.raises(AttributeError):
        f.start = 0  # type: ignore[misc]


def test_finding_id_and_dispositions():
    found = scan(TEXT)
    ids = [finding_id(f) for f in found]
    assert len(set(ids)) == len(ids)
    assert ids == [finding_id(f) for f in scan(TEXT)]  # stable
    assert ids[0].startswith("person_name:")
    assert finding_id(found[0]) != finding_id(
        Finding(found[0].kind, found[0].start + 1, found[0].end + 1, found[0].text, "", "")
    )
    name = found[0]
    kept = masked_unless_kept(TEXT, found, {finding_id(name): (Disposition.KEEP, "惩戒公示")})
    assert kept.startswith("行政处罚决定书\n示环罚〔2024〕39号\n当事人：张三，身份证号：110101****")
    with pytest.raises(ValueError, match="reason"):
        masked_unless_kept(TEXT, found, {finding_id(name): (Disposition.KEEP, " ")})
    assert masked_unless_kept(TEXT, found, {}) == mask(TEXT, found)
    assert Disposition.KEEP.label == "保留（须说明理由）"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 -：:申请人张三李四某*＠@.abcq１２３\n", max_size=80))
def test_scan_and_mask_on_any_text(text):
    found = scan(text)
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    for f in found:
        assert text[f.start : f.end] == f.text
    assert scan(mask(text, found)) == []


# --- the labelled sample --------------------------------------------------------


def test_sample_is_consistent_and_large_enough():
    docs = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    assert len(docs) >= 60
    assert sum(len(d["findings"]) for d in docs) >= 300
    for doc in docs:
        for f in doc["findings"]:
            assert doc["text"][f["start"] : f["end"]] == f["text"]
            assert f["kind"] in {k.value for k in FindingKind}


def test_sample_scan_precision_and_recall():
    """The figures of docs/benchmarks.md, as a floor."""
    tp = fp = fn = 0
    for line in SAMPLE.read_text().splitlines():
        doc = json.loads(line)
        gold = {(f["kind"], f["start"], f["end"]) for f in doc["findings"]}
        got = {(f.kind.value, f.start, f.end) for f in scan(doc["text"])}
        tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
    assert tp / (tp + fp) >= 0.98
    assert tp / (tp + fn) >= 0.85
