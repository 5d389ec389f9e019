"""The 发文字号 (文号) grammar, ``zwgk docnum parse``, and the parse rate on real metadata."""

import csv
import dataclasses
import io
import json
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from zwgk.records.docnum import DocNumber, DocNumberKind, normalize_docnum, parse_docnum

STANDARD, ORDER, ANNOUNCEMENT = DocNumberKind


def parsed(text: str) -> tuple[str, int | None, int, DocNumberKind, str]:
    result = parse_docnum(text)
    assert result is not None, text
    return result.issuer_code, result.year, result.number, result.kind, result.normalized


# --- the standard form: 机关代字〔年份〕序号号 -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "鲁政办发〔2017〕39号",
        # rules.md §2: the brackets really used
        "鲁政办发[2017]39号",
        "鲁政办发(2017)39号",
        "鲁政办发（2017）39号",
        "鲁政办发【2017】39号",
        "鲁政办发［2017］39号",
        "鲁政办发｛2017｝39号",
        "鲁政办发〈2017〉39号",
        "鲁政办发﹝2017﹞39号",
        # mis-typed pairs
        "鲁政办发〔2017]39号",
        "鲁政办发[2017〕39号",
        "鲁政办发(2017〕39号",
        # spaces: ASCII, full-width (U+3000), no-break (U+00A0)
        "鲁政办发 〔 2017 〕 39 号",
        "鲁政办发\u3000〔2017〕39\u3000号",
        "鲁政办发〔2017〕\u00a039号",
        # zero-width characters pasted from web pages
        "\u200b鲁政办发〔2017〕39号",
        "鲁政办发〔2017〕39号\u200b",
        "\u200d鲁政办发〔2017〕39号",
        "鲁政\u200c办发〔2017〕39号",
        "\ufeff鲁政办发〔2017〕39号",
        "鲁政办发〔2017〕\u206039号",
        # full-width digits
        "鲁政办发〔２０１７〕３９号",
        # a label left in the value
        "发文字号：鲁政办发〔2017〕39号",
        "发文字号 ： 鲁政办发〔2017〕39号",
        "文号:鲁政办发〔2017〕39号",
        "【发文字号】鲁政办发〔2017〕39号",
        # punctuation around it
        "鲁政办发〔2017〕39号。",
        "鲁政办发〔2017〕39号；",
        "（鲁政办发〔2017〕39号）",
        "鲁政办发〔2017〕39号〔〕",
        # variants of the serial
        "鲁政办发〔2017〕39",
        "鲁政办发〔2017〕039号",
        "鲁政办发〔2017〕第39号",
        "鲁政办发〔2017年〕39号",
    ],
)
def test_every_way_of_writing_a_standard_docnum(text):
    assert parsed(text) == ("鲁政办发", 2017, 39, STANDARD, "鲁政办发〔2017〕39号")


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("渝府办发〔 2022 〕96 号", "渝府办发〔2022〕96号"),
        ("\u200b渝府办发〔2019〕103号", "渝府办发〔2019〕103号"),
        ("发文字号：\u200b晋政办发〔2023〕38号", "晋政办发〔2023〕38号"),
        ("发文字号：晋政发(2007)18号", "晋政发〔2007〕18号"),
        ("发文字号：晋政办发(2017〕109号", "晋政办发〔2017〕109号"),
        ("豫政 〔2008〕19号", "豫政〔2008〕19号"),
        ("沪府办发〔2006〕02号", "沪府办发〔2006〕2号"),
        ("国办发明电〔2020〕6号", "国办发明电〔2020〕6号"),
        ("辽卫函字〔2019〕12号", "辽卫函字〔2019〕12号"),
        ("渝府令〔2023〕358号", "渝府令〔2023〕358号"),
    ],
)
def test_real_values_from_government_sites(text, normalized):
    assert normalize_docnum(text) == normalized


def test_full_width_letters_are_folded():
    assert normalize_docnum("ＡＢ发〔2017〕1号") == "AB发〔2017〕1号"


def test_zero_padding_is_dropped_from_the_normalized_form_but_kept_in_the_original():
    result = parse_docnum("沪绿容〔2020〕014号")
    assert (result.number, result.normalized) == (14, "沪绿容〔2020〕14号")
    assert result.original == "沪绿容〔2020〕014号"


# --- orders: 省政府令第219号 -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "issuer", "number", "normalized"),
    [
        ("省政府令 第219号", "省政府令", 219, "省政府令第219号"),
        ("国务院令第711号", "国务院令", 711, "国务院令第711号"),
        ("国务院令711号", "国务院令", 711, "国务院令第711号"),
        ("中华人民共和国国务院令 第 711 号", "国务院令", 711, "国务院令第711号"),
        ("重庆市人民政府令第 359 号", "重庆市人民政府令", 359, "重庆市人民政府令第359号"),
        (
            "宁夏回族自治区人民政府令第127号",
            "宁夏回族自治区人民政府令",
            127,
            "宁夏回族自治区人民政府令第127号",
        ),
        ("发文字号：山西省人民政府令第304号", "山西省人民政府令", 304, "山西省人民政府令第304号"),
    ],
)
def test_orders_have_no_year(text, issuer, number, normalized):
    result = parse_docnum(text)
    assert (result.issuer_code, result.year, result.number) == (issuer, None, number)
    assert result.kind == ORDER
    assert result.normalized == normalized


# --- announcements: 国家税务总局公告2015年第41号 -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "国家税务总局公告2015年第41号",
        "国家税务总局公告 2015 年 第 41 号",
        "国家税务总局公告2015年41号",
        "国家税务总局公告〔2015〕41号",
        "国家税务总局公告[2015]第41号",
    ],
)
def test_announcements_take_one_form(text):
    assert parsed(text) == (
        "国家税务总局公告",
        2015,
        41,
        ANNOUNCEMENT,
        "国家税务总局公告2015年第41号",
    )


def test_an_order_numbered_per_year_keeps_the_year():
    assert parsed("上海市人民政府令2018年第8号") == (
        "上海市人民政府令",
        2018,
        8,
        ANNOUNCEMENT,
        "上海市人民政府令2018年第8号",
    )


# --- what a scraper keeps before the 代字 --------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("的通知沪府发〔2019〕1号", "沪府发〔2019〕1号"),
        ("管理的通告沪府发〔2009〕43号", "沪府发〔2009〕43号"),
        ("的批复国函〔2023〕12号", "国函〔2023〕12号"),
        ("关于废止沪府办发〔1998〕8号", "沪府办发〔1998〕8号"),
        ("依据沪财发〔2018〕4号", "沪财发〔2018〕4号"),
        ("要按照交办海〔2019〕15号", "交办海〔2019〕15号"),
        ("落实国办公开办函〔2021〕33号", "国办公开办函〔2021〕33号"),
        ("省人民政府云政发〔1988〕177号", "云政发〔1988〕177号"),
        ("和国交通运输部令2018年第2号", "交通运输部令2018年第2号"),
        # the government's name is the 代字 of its orders and announcements
        ("上海市人民政府公告2018年第1号", "上海市人民政府公告2018年第1号"),
        ("昆明市人民政府2015年第88号", "昆明市人民政府2015年第88号"),
    ],
)
def test_text_before_the_issuer_code_is_dropped(text, normalized):
    assert normalize_docnum(text) == normalized


# --- not a 文号 ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u200b",
        "无",
        "/",
        "—",
        "发文字号：",
        "2023-01-05",
        "2023年1月5日",
        "关于印发《政府信息公开工作要点》的通知",
        "39",
        "39号",
        "第219号",
        "〔2017〕39号",
        "国发〔2019〕1号、国发〔2019〕2号",  # two 文号: which one?
        "国务院关于印发《通知》的通知国发〔2019〕",  # no serial number
        "国发〔2019〕0号",  # serial numbers start at 1
        "国发〔1850〕1号",  # not a year of the PRC's documents
        "索引号：000014349/2018-00222",
    ],
)
def test_not_a_docnum(text):
    assert parse_docnum(text) is None
    assert normalize_docnum(text) is None


# --- the value object ------------------------------------------------------------


def test_the_original_is_kept_for_display():
    text = "发文字号：渝府办发〔 2022 〕96 号"
    assert parse_docnum(text).original == text


def test_a_docnumber_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_docnum("国发〔2019〕1号").number = 2


def test_matching_finds_the_docnum_however_it_was_typed():
    stored = ["鲁政办发[2017]39号", "鲁政办发〔2017〕40号", "国办发〔2017〕39号"]
    wanted = normalize_docnum("鲁政办发〔2017〕39号")
    assert [s for s in stored if normalize_docnum(s) == wanted] == ["鲁政办发[2017]39号"]


# Letters of 代字 that are neither prose words nor 公告, so that any string of
# them is a plain 机关代字.
CODE_LETTERS = "国省市府政办发函字电明规令鲁渝川粤沪辽云宁晋鄂豫"
codes = st.text(alphabet=CODE_LETTERS, min_size=2, max_size=8)
years = st.integers(min_value=1949, max_value=2099)
numbers = st.integers(min_value=1, max_value=99999)
brackets = st.sampled_from(["〔〕", "[]", "()", "（）", "【】", "［］", "〔]", "[〕"])
gaps = st.sampled_from(["", " ", "\u3000", "\u00a0", "\u200b", "\ufeff"])


@given(codes, years, numbers, brackets, gaps, st.integers(min_value=0, max_value=2))
def test_any_spelling_of_a_standard_docnum_normalizes_alike(code, year, number, pair, gap, zeros):
    opening, closing = pair
    text = f"{gap}{code}{gap}{opening}{year}{gap}{closing}{'0' * zeros}{number}{gap}号{gap}"
    assert parse_docnum(text) == DocNumber(code, year, number, STANDARD, text)
    assert normalize_docnum(text) == f"{code}〔{year}〕{number}号"


@given(codes, st.one_of(st.none(), years), numbers)
def test_the_normalized_form_is_a_fixed_point(code, year, number):
    text = f"{code}第{number}号" if year is None else f"{code}〔{year}〕{number}号"
    once = normalize_docnum(text)
    assert once is not None
    assert normalize_docnum(once) == once


# --- zwgk docnum parse ---------------------------------------------------------


def run(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("docnum", "parse", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_command_prints_one_json_object_per_input():
    assert run("鲁政办发[2017]39号", "无") == [
        {
            "input": "鲁政办发[2017]39号",
            "issuer_code": "鲁政办发",
            "year": 2017,
            "number": 39,
            "kind": "standard",
            "normalized": "鲁政办发〔2017〕39号",
        },
        {
            "input": "无",
            "issuer_code": None,
            "year": None,
            "number": None,
            "kind": None,
            "normalized": None,
        },
    ]


def test_command_writes_chinese_as_is():
    out = io.StringIO()
    call_command("docnum", "parse", "省政府令 第219号", stdout=out)
    assert '"normalized": "省政府令第219号"' in out.getvalue()


def test_command_reads_lines_from_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("渝府办发〔 2022 〕96 号\n\n省政府令 第219号\n"))
    lines = run("-", "国家税务总局公告〔2015〕41号")
    assert [line["input"] for line in lines] == [
        "渝府办发〔 2022 〕96 号",
        "",
        "省政府令 第219号",
        "国家税务总局公告〔2015〕41号",
    ]
    assert [line["normalized"] for line in lines] == [
        "渝府办发〔2022〕96号",
        None,
        "省政府令第219号",
        "国家税务总局公告2015年第41号",
    ]


# --- real metadata (shared data, see ../shared/data/SOURCES.md) -----------------------


@pytest.fixture(scope="module")
def policy_docs() -> Path:
    """``$ZWGK_SHARED_DATA/policy-docs``, else ``shared/data/policy-docs`` beside the repo."""
    default = Path(__file__).resolve().parents[3] / "shared" / "data"
    folder = Path(os.environ.get("ZWGK_SHARED_DATA") or default) / "policy-docs"
    if not folder.is_dir():
        pytest.skip(f"shared data not found at {folder}; set ZWGK_SHARED_DATA to run this test")
    return folder


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_parse_rate_on_published_docnums(policy_docs):
    # Every one of the 22,319 values parsed when this was written; allow a
    # handful of scraper-damaged values to be refused by a stricter grammar.
    rows = read_csv(policy_docs / "titles_dates_docnums.csv")
    refused = [r["doc_number"] for r in rows if parse_docnum(r["doc_number"]) is None]
    assert len(rows) > 20_000
    assert len(refused) <= len(rows) * 0.0005, refused[:10]


def test_parsed_years_agree_with_the_upstream_year_check(policy_docs):
    # Upstream ``year_check``: the 文号's year is within one year of the 成文日期.
    rows = read_csv(policy_docs / "titles_dates_docnums.csv")
    for row in rows:
        if row["year_check"] in {"match", "mismatch"}:
            year = parse_docnum(row["doc_number"]).year
            near = abs(int(row["issue_date"][:4]) - year) <= 1
            assert near == (row["year_check"] == "match"), row


def test_parse_rate_on_raw_site_fields(policy_docs):
    # Fields holding a bracketed year or 第N号: 28,751 of 28,752 parsed when this
    # was written (the one left is 工作通知〔2020〕1928号).
    holds = re.compile(r"[〔\[(（][12]\d{3}|第\s*\d+\s*号")
    values = [
        value
        for path in sorted((policy_docs / "docnum_raw").glob("docnum__*.csv"))
        for row in read_csv(path)
        if holds.search(value := row.get("doc_number", row.get("document_number_parsed")))
    ]
    refused = [v for v in values if parse_docnum(v) is None]
    assert len(values) > 30_000
    assert len(refused) <= len(values) * 0.0005, refused[:10]
